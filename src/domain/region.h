#pragma once
// Region lists shipped in config/regions/: the demo district's units (demo_district.csv) and
// real hukou counties for synthetic migrants (hukou_counties.csv). Parsers take the file's
// text; reading the file is the caller's job (th_domain does no I/O).
#include <cstdint>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace th::domain {

enum class RegionLevel : std::uint8_t { kProvince, kCity, kDistrict, kStreet, kCommunity, kGrid };
std::string_view CodeOf(RegionLevel v);  // "province", "city", "district", "street", ...

struct RegionRow {
  std::string code;  // 12-digit 统计用区划代码; grids: community code + "-G" + 2 digits
  std::string name;
  RegionLevel level = RegionLevel::kDistrict;
  std::string parent_code;  // empty only for the first (root) row
};

// Parses "code,name,level,parent_code" CSV (UTF-8, header required, no quoting). Checks: known
// level, 12-digit codes (grids: "<community>-Gnn"), unique codes, the parent listed on an earlier
// row and exactly one level up (a grid's code starts with its community's). Errors:
// "invalid_region_csv", field "line N".
Result<std::vector<RegionRow>> ParseRegionCsv(std::string_view text);

struct HukouCounty {
  std::string code;  // 6-digit GB/T 2260 county code
  std::string name;
  std::string province;
  std::uint32_t weight = 1;  // relative share among synthetic hukou places
};

// Parses "code,name,province,weight" CSV. Errors: "invalid_hukou_csv", field "line N".
Result<std::vector<HukouCounty>> ParseHukouCountiesCsv(std::string_view text);

// A community with its grids, as the demo generator places children.
struct Community {
  std::string code;  // 12 digits
  std::string name;
  std::vector<std::string> grid_codes;  // may be empty
};

// The communities of `rows` (in file order) with their grids.
std::vector<Community> CommunitiesOf(const std::vector<RegionRow>& rows);

// Names of region codes for text people read (category reasons): from the bundled region list
// (its districts, with their city), the hukou county list (with its province) and the
// province-level names of GB/T 2260. Built once at start; read-only after, so thread-safe.
class PlaceNames {
 public:
  void Add(const std::vector<RegionRow>& rows);
  void Add(const std::vector<HukouCounty>& counties);
  // The county of a 6- or 12-digit code in words: "深圳市龙岗区" (region list), "湖南省隆回县"
  // (hukou list), "湖南省（区划代码430599）" (province only), "区划代码999999" (nothing known),
  // "" for a code shorter than 6.
  std::string County(std::string_view code) const;

 private:
  std::unordered_map<std::string, std::string> counties_;  // 6-digit code -> name in words
};

// The province-level name of a code's first two digits (GB/T 2260), or "" if unknown.
std::string_view ProvinceName(std::string_view code);

}  // namespace th::domain
