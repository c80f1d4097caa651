#pragma once
// Spreadsheet column mapping, shared by every upload that maps columns to fields (the registry's
// child import, screening's data sources): the fields, a suggested mapping from the headers, and
// saved mappings as JSON ({"field":"column header"}).
#include <map>
#include <vector>
#include <string>
#include <string_view>

#include "base/status.h"

namespace th::service {

// A field an import column can fill.
struct ImportField {
  const char* key;      // "name", "father_state", ...
  const char* label;    // zh-CN header written in templates and exports
  const char* label_en;
  // Header names recognised for automatic mapping, compared after trimming and dropping spaces,
  // '*' and full-width/ASCII brackets' content-free variants; the first is the canonical one.
  std::vector<const char*> headers;
  bool required = false;  // without it no row can pass (birth_date may come from the ID number)
};

// field key → column header as it appears in the file.
using ImportMapping = std::map<std::string, std::string>;

// Maps each of `fields` to the first column whose header equals one of the field's header aliases
// (compared by HeaderKey), each column used at most once. Shared by every upload with a column mapping.
ImportMapping SuggestMapping(const std::vector<ImportField>& fields, const std::vector<std::string>& columns);
// Header comparison key: no spaces (ASCII, U+3000), no required-markers ('*', '＊'), full-width
// brackets and slash as ASCII, ASCII lower-case.
std::string HeaderKey(std::string_view h);

// {"field":"column"} JSON text -> mapping (null values skipped; empty text: empty mapping).
// Errors: 400 invalid_mapping (field "mapping").
Result<std::map<std::string, std::string>> ParseMappingJson(std::string_view text);
// The mapping as JSON text.
std::string MappingToJson(const std::map<std::string, std::string>& m);

}  // namespace th::service
