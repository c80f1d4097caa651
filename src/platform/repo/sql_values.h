#pragma once
// Small helpers every repository uses to bind optional values and build LIKE patterns.
#include <optional>
#include <string>

#include "storage/connection.h"

namespace th::repo {

// NULL for an empty string, else the text.
inline storage::Value TextOrNull(const std::string& s) { return s.empty() ? storage::Null() : storage::Value(s); }
// NULL for an empty string, else the bytes as a blob (BLOB / BYTEA).
inline storage::Value BlobOrNull(const std::string& s) {
  return s.empty() ? storage::Null() : storage::Value(storage::Blob{s});
}
inline storage::Value OptInt(const std::optional<std::int64_t>& v) {
  return v ? storage::Value(*v) : storage::Null();
}
// Escapes %, _ and \ for use inside a LIKE pattern written with ESCAPE '\'.
inline std::string LikeEscape(const std::string& q) {
  std::string out;
  out.reserve(q.size());
  for (char ch : q) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

}  // namespace th::repo
