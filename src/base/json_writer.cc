#include "base/json_writer.h"

#include <cstdio>

namespace th {

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void JsonObjectWriter::Key(std::string_view key) {
  body_ += body_.empty() ? "{" : ",";
  AppendJsonString(body_, key);
  body_ += ':';
}

JsonObjectWriter& JsonObjectWriter::Str(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(body_, value);
  return *this;
}
JsonObjectWriter& JsonObjectWriter::Int(std::string_view key, std::int64_t value) {
  Key(key);
  body_ += std::to_string(value);
  return *this;
}
JsonObjectWriter& JsonObjectWriter::Bool(std::string_view key, bool value) {
  Key(key);
  body_ += value ? "true" : "false";
  return *this;
}
JsonObjectWriter& JsonObjectWriter::OptInt(std::string_view key, const std::optional<std::int64_t>& value) {
  if (value) return Int(key, *value);
  return Null(key);
}
JsonObjectWriter& JsonObjectWriter::Null(std::string_view key) {
  Key(key);
  body_ += "null";
  return *this;
}

}  // namespace th
