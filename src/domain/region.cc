#include "domain/region.h"

#include <charconv>
#include <unordered_map>

namespace th::domain {

namespace {

constexpr std::string_view kLevels[] = {"province", "city", "district", "street", "community", "grid"};

// Splits on ','; the shipped files never need quoting.
std::vector<std::string_view> SplitCsvLine(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t p = line.find(',', start);
    if (p == std::string_view::npos) {
      out.push_back(line.substr(start));
      break;
    }
    out.push_back(line.substr(start, p - start));
    start = p + 1;
  }
  return out;
}

// Calls fn(line_number, line) for each non-empty line after the header; strips BOM and '\r'.
template <typename Fn>
Status ForEachLine(std::string_view text, std::string_view header, std::string_view error_code,
                   Fn fn) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int line_no = 0;
  bool seen_header = false;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (!seen_header) {
      if (line != header) {
        return Status::Invalid("line " + std::to_string(line_no), std::string(error_code),
                               "表头应为 " + std::string(header),
                               "header must be " + std::string(header));
      }
      seen_header = true;
      continue;
    }
    TH_RETURN_IF_ERROR(fn(line_no, line));
  }
  if (!seen_header) {
    return Status::Invalid("line 1", std::string(error_code), "文件为空", "file is empty");
  }
  return Status::Ok();
}

bool IsDigits(std::string_view s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::string_view CodeOf(RegionLevel v) { return kLevels[static_cast<int>(v)]; }

Result<std::vector<RegionRow>> ParseRegionCsv(std::string_view text) {
  std::vector<RegionRow> rows;
  std::unordered_map<std::string, RegionLevel> seen;
  Status st = ForEachLine(
      text, "code,name,level,parent_code", "invalid_region_csv",
      [&](int line_no, std::string_view line) -> Status {
        const std::string where = "line " + std::to_string(line_no);
        auto bad = [&](const std::string& zh, const std::string& en) {
          return Status::Invalid(where, "invalid_region_csv", "第" + std::to_string(line_no) + "行：" + zh,
                                 "line " + std::to_string(line_no) + ": " + en);
        };
        auto f = SplitCsvLine(line);
        if (f.size() != 4) return bad("应有4列", "expected 4 columns");
        RegionRow r;
        r.code = std::string(f[0]);
        r.name = std::string(f[1]);
        r.parent_code = std::string(f[3]);
        int level = -1;
        for (int i = 0; i < 6; ++i)
          if (f[2] == kLevels[i]) level = i;
        if (level < 0) return bad("未知层级：" + std::string(f[2]), "unknown level: " + std::string(f[2]));
        r.level = static_cast<RegionLevel>(level);
        if (r.name.empty()) return bad("名称为空", "empty name");
        if (r.level == RegionLevel::kGrid) {
          const std::size_t dash = r.code.find("-G");
          if (dash != 12 || !IsDigits(std::string_view(r.code).substr(0, 12), 12) ||
              !IsDigits(std::string_view(r.code).substr(14), 2)) {
            return bad("网格代码应为“社区代码-G两位序号”：" + r.code,
                       "grid code must be <community>-Gnn: " + r.code);
          }
          if (r.code.compare(0, 12, r.parent_code) != 0) {
            return bad("网格代码应以所属社区代码开头", "grid code must start with its community's code");
          }
        } else if (!IsDigits(r.code, 12)) {
          return bad("代码应为12位数字：" + r.code, "code must be 12 digits: " + r.code);
        }
        if (seen.count(r.code)) return bad("代码重复：" + r.code, "duplicate code: " + r.code);
        // The first row is the root; it may name an unlisted parent (e.g. its province).
        if (!rows.empty()) {
          auto it = seen.find(r.parent_code);
          if (it == seen.end()) {
            return bad("上级代码不存在或在本行之后：" + r.parent_code,
                       "parent code not listed on an earlier line: " + r.parent_code);
          }
          if (static_cast<int>(it->second) + 1 != level) {
            return bad("上级层级应为" + std::string(kLevels[level > 0 ? level - 1 : 0]),
                       "parent must be one level up (" +
                           std::string(kLevels[level > 0 ? level - 1 : 0]) + ")");
          }
        }
        seen.emplace(r.code, r.level);
        rows.push_back(std::move(r));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return rows;
}

Result<std::vector<HukouCounty>> ParseHukouCountiesCsv(std::string_view text) {
  std::vector<HukouCounty> out;
  Status st = ForEachLine(
      text, "code,name,province,weight", "invalid_hukou_csv",
      [&](int line_no, std::string_view line) -> Status {
        auto bad = [&](const std::string& zh, const std::string& en) {
          return Status::Invalid("line " + std::to_string(line_no), "invalid_hukou_csv",
                                 "第" + std::to_string(line_no) + "行：" + zh,
                                 "line " + std::to_string(line_no) + ": " + en);
        };
        auto f = SplitCsvLine(line);
        if (f.size() != 4) return bad("应有4列", "expected 4 columns");
        if (!IsDigits(f[0], 6) || f[0][0] == '0') {
          return bad("县级代码应为6位数字：" + std::string(f[0]),
                     "county code must be 6 digits: " + std::string(f[0]));
        }
        HukouCounty c;
        c.code = std::string(f[0]);
        c.name = std::string(f[1]);
        c.province = std::string(f[2]);
        auto [p, ec] = std::from_chars(f[3].data(), f[3].data() + f[3].size(), c.weight);
        if (ec != std::errc() || p != f[3].data() + f[3].size() || c.weight == 0) {
          return bad("权重应为正整数", "weight must be a positive integer");
        }
        if (c.name.empty()) return bad("名称为空", "empty name");
        out.push_back(std::move(c));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  if (out.empty()) {
    return Status::Invalid("line 2", "invalid_hukou_csv", "至少需要一个县", "at least one county required");
  }
  return out;
}

std::vector<Community> CommunitiesOf(const std::vector<RegionRow>& rows) {
  std::vector<Community> out;
  std::unordered_map<std::string, std::size_t> index;
  for (const auto& r : rows) {
    if (r.level == RegionLevel::kCommunity) {
      index.emplace(r.code, out.size());
      out.push_back(Community{r.code, r.name, {}});
    } else if (r.level == RegionLevel::kGrid) {
      auto it = index.find(r.parent_code);
      if (it != index.end()) out[it->second].grid_codes.push_back(r.code);
    }
  }
  return out;
}

std::string_view ProvinceName(std::string_view code) {
  static constexpr std::pair<std::string_view, std::string_view> kProvinces[] = {
      {"11", "北京市"}, {"12", "天津市"}, {"13", "河北省"}, {"14", "山西省"}, {"15", "内蒙古自治区"},
      {"21", "辽宁省"}, {"22", "吉林省"}, {"23", "黑龙江省"}, {"31", "上海市"}, {"32", "江苏省"},
      {"33", "浙江省"}, {"34", "安徽省"}, {"35", "福建省"}, {"36", "江西省"}, {"37", "山东省"},
      {"41", "河南省"}, {"42", "湖北省"}, {"43", "湖南省"}, {"44", "广东省"}, {"45", "广西壮族自治区"},
      {"46", "海南省"}, {"50", "重庆市"}, {"51", "四川省"}, {"52", "贵州省"}, {"53", "云南省"},
      {"54", "西藏自治区"}, {"61", "陕西省"}, {"62", "甘肃省"}, {"63", "青海省"}, {"64", "宁夏回族自治区"},
      {"65", "新疆维吾尔自治区"}, {"71", "台湾省"}, {"81", "香港特别行政区"}, {"82", "澳门特别行政区"}};
  if (code.size() < 2) return {};
  for (const auto& [prefix, name] : kProvinces) {
    if (code.substr(0, 2) == prefix) return name;
  }
  return {};
}

void PlaceNames::Add(const std::vector<RegionRow>& rows) {
  std::unordered_map<std::string, const RegionRow*> by_code;
  for (const auto& r : rows) by_code.emplace(r.code, &r);
  for (const auto& r : rows) {
    if (r.level != RegionLevel::kDistrict || r.code.size() < 6) continue;
    std::string name = r.name;
    auto parent = by_code.find(r.parent_code);
    if (parent != by_code.end() && parent->second->level == RegionLevel::kCity) name = parent->second->name + name;
    counties_[r.code.substr(0, 6)] = std::move(name);  // the region list wins over the hukou list
  }
}

void PlaceNames::Add(const std::vector<HukouCounty>& counties) {
  for (const auto& c : counties) counties_.emplace(c.code, c.province + c.name);
}

std::string PlaceNames::County(std::string_view code) const {
  if (code.size() < 6) return {};
  const std::string county(code.substr(0, 6));
  auto it = counties_.find(county);
  if (it != counties_.end()) return it->second;
  const std::string_view province = ProvinceName(county);
  if (!province.empty()) return std::string(province) + "（区划代码" + county + "）";
  return "区划代码" + county;
}

}  // namespace th::domain
