#pragma once
// Saved spreadsheet column mappings ({"field":"column header"}), shared by every import that
// maps uploaded columns to fields (the registry's child import, screening's data sources).
#include <map>
#include <string>
#include <string_view>

#include "base/status.h"

namespace th::service {

// {"field":"column"} JSON text -> mapping (null values skipped; empty text: empty mapping).
// Errors: 400 invalid_mapping (field "mapping").
Result<std::map<std::string, std::string>> ParseMappingJson(std::string_view text);
// The mapping as JSON text.
std::string MappingToJson(const std::map<std::string, std::string>& m);

}  // namespace th::service
