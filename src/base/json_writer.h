#pragma once
// A tiny JSON object writer for audit before/after snapshots in layers that must not depend on
// Boost.JSON (service/). Produces compact JSON with keys in insertion order.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace th {

// Appends `s` to `out` as a JSON string literal (quotes included), escaping per RFC 8259.
void AppendJsonString(std::string& out, std::string_view s);

class JsonObjectWriter {
 public:
  JsonObjectWriter& Str(std::string_view key, std::string_view value);
  JsonObjectWriter& Int(std::string_view key, std::int64_t value);
  JsonObjectWriter& Bool(std::string_view key, bool value);
  JsonObjectWriter& OptInt(std::string_view key, const std::optional<std::int64_t>& value);
  JsonObjectWriter& Null(std::string_view key);
  // The finished object text, e.g. {"name":"布吉街道","version":2}.
  std::string Finish() const { return body_.empty() ? "{}" : body_ + "}"; }

 private:
  void Key(std::string_view key);
  std::string body_;
};

}  // namespace th
