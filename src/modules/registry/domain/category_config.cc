// The only file in th_domain that touches Boost.JSON: it turns config text into the plain
// CategoryConfig the rules read. Strict on purpose: a typo in a key would otherwise silently
// fall back to a default and change who gets protected.
#include <boost/json.hpp>

#include <initializer_list>
#include <set>

#include "modules/registry/domain/category_config.h"

namespace th::domain {

namespace json = boost::json;

namespace {

Status ConfigError(const std::string& path, const std::string& zh, const std::string& en) {
  return Status::Invalid(path, "invalid_category_config", "类别配置错误：" + path + "：" + zh,
                         "Invalid category config at " + path + ": " + en);
}

std::string Join(const std::string& base, std::string_view key) {
  return base.empty() ? std::string(key) : base + "." + std::string(key);
}

// Rejects keys not in `allowed` (typos must not pass silently).
Status CheckKeys(const json::object& obj, const std::string& path,
                 std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : obj) {
    bool ok = false;
    for (auto a : allowed) ok = ok || kv.key() == a;
    if (!ok) {
      return ConfigError(Join(path, kv.key()), "未知的字段", "unknown key");
    }
  }
  return Status::Ok();
}

Result<const json::object*> GetObject(const json::object& obj, const std::string& path,
                                      std::string_view key, bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) return ConfigError(Join(path, key), "缺少必填字段", "missing required key");
    return static_cast<const json::object*>(nullptr);
  }
  if (!it->value().is_object()) return ConfigError(Join(path, key), "应为对象", "must be an object");
  return &it->value().get_object();
}

Result<std::string> GetString(const json::object& obj, const std::string& path,
                              std::string_view key, bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) return ConfigError(Join(path, key), "缺少必填字段", "missing required key");
    return std::string();
  }
  if (!it->value().is_string()) return ConfigError(Join(path, key), "应为字符串", "must be a string");
  return std::string(it->value().get_string());
}

Result<int> GetInt(const json::object& obj, const std::string& path, std::string_view key,
                   bool required, int min, int max, int fallback = 0) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) return ConfigError(Join(path, key), "缺少必填字段", "missing required key");
    return fallback;
  }
  const json::value& v = it->value();
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64() && v.get_uint64() <= 1'000'000) {
    n = static_cast<std::int64_t>(v.get_uint64());
  } else {
    return ConfigError(Join(path, key), "应为整数", "must be an integer");
  }
  if (n < min || n > max) {
    return ConfigError(Join(path, key),
                       "应在 " + std::to_string(min) + " 到 " + std::to_string(max) + " 之间",
                       "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return static_cast<int>(n);
}

Result<bool> GetBool(const json::object& obj, const std::string& path, std::string_view key, bool fallback) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (!it->value().is_bool()) return ConfigError(Join(path, key), "应为 true 或 false", "must be true or false");
  return it->value().get_bool();
}

Result<const json::array*> GetArray(const json::object& obj, const std::string& path,
                                    std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end()) return ConfigError(Join(path, key), "缺少必填字段", "missing required key");
  if (!it->value().is_array()) return ConfigError(Join(path, key), "应为数组", "must be an array");
  return &it->value().get_array();
}

template <typename E>
Result<std::vector<E>> GetEnumList(const json::object& obj, const std::string& path,
                                   std::string_view key) {
  TH_ASSIGN_OR_RETURN(const json::array* arr, GetArray(obj, path, key));
  std::vector<E> out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const std::string p = Join(path, key) + "[" + std::to_string(i) + "]";
    if (!(*arr)[i].is_string()) return ConfigError(p, "应为字符串", "must be a string");
    E e{};
    if (!ParseEnum(std::string((*arr)[i].get_string()), &e)) {
      return ConfigError(p, "无法识别：" + std::string((*arr)[i].get_string()),
                         "unknown value: " + std::string((*arr)[i].get_string()));
    }
    out.push_back(e);
  }
  return out;
}

Status ParseDisability(const json::object& obj, const std::string& path,
                       DisabilityThreshold* out) {
  TH_RETURN_IF_ERROR(CheckKeys(obj, path, {"max_grade", "max_grade_by_type"}));
  TH_ASSIGN_OR_RETURN(out->max_grade, GetInt(obj, path, "max_grade", true, 0, 4));
  TH_ASSIGN_OR_RETURN(const json::object* by_type,
                      GetObject(obj, path, "max_grade_by_type", false));
  if (by_type) {
    const std::string bp = Join(path, "max_grade_by_type");
    for (const auto& kv : *by_type) {
      DisabilityType t{};
      if (!ParseEnum(std::string_view(kv.key()), &t) || t == DisabilityType::kNone) {
        return ConfigError(Join(bp, kv.key()), "未知的残疾类别", "unknown disability type");
      }
      TH_ASSIGN_OR_RETURN(int g, GetInt(*by_type, bp, kv.key(), true, 1, 4));
      out->max_grade_by_type[static_cast<std::size_t>(t)] = static_cast<std::uint8_t>(g);
    }
  }
  return Status::Ok();
}

Result<RuleId> RuleFromCode(std::string_view code, const std::string& path) {
  for (RuleId r : {RuleId::kOrphan, RuleId::kDeFactoUnsupported, RuleId::kLeftBehind,
                   RuleId::kMigrant, RuleId::kPoorFamily, RuleId::kSevereDisabilityChild}) {
    if (CodeOf(r) == code) return r;
  }
  return ConfigError(path, "未知的规则：" + std::string(code), "unknown rule: " + std::string(code));
}

// Long: a config parser, one key per line, each with its own error naming the key.
Status ParseRules(const json::object& rules, const std::string& path, RuleParams* p,
                  std::set<RuleId>* present) {
  TH_RETURN_IF_ERROR(CheckKeys(rules, path,
                               {"orphan", "de_facto_unsupported", "left_behind", "migrant",
                                "poor_family", "severe_disability_child"}));
  if (rules.contains("orphan")) {
    TH_ASSIGN_OR_RETURN(const json::object* o, GetObject(rules, path, "orphan", true));
    TH_RETURN_IF_ERROR(CheckKeys(*o, Join(path, "orphan"), {"note"}));
    present->insert(RuleId::kOrphan);
  }
  TH_ASSIGN_OR_RETURN(const json::object* df, GetObject(rules, path, "de_facto_unsupported", false));
  if (df) {
    const std::string dp = Join(path, "de_facto_unsupported");
    TH_RETURN_IF_ERROR(CheckKeys(*df, dp,
                                 {"deprivation_of_liberty_min_months", "deprivation_counting",
                                  "missing_min_months", "parent_severe_disability", "note"}));
    TH_ASSIGN_OR_RETURN(p->deprivation_min_months,
                        GetInt(*df, dp, "deprivation_of_liberty_min_months", true, 0, 120));
    TH_ASSIGN_OR_RETURN(p->missing_min_months, GetInt(*df, dp, "missing_min_months", true, 0, 120));
    TH_ASSIGN_OR_RETURN(std::string counting, GetString(*df, dp, "deprivation_counting", true));
    if (counting == "elapsed") {
      p->deprivation_counting = DeprivationCounting::kElapsed;
    } else if (counting == "elapsed_or_term") {
      p->deprivation_counting = DeprivationCounting::kElapsedOrTerm;
    } else {
      return ConfigError(Join(dp, "deprivation_counting"), "应为 elapsed 或 elapsed_or_term",
                         "must be \"elapsed\" or \"elapsed_or_term\"");
    }
    TH_ASSIGN_OR_RETURN(const json::object* dis,
                        GetObject(*df, dp, "parent_severe_disability", true));
    TH_RETURN_IF_ERROR(
        ParseDisability(*dis, Join(dp, "parent_severe_disability"), &p->parent_disability));
    present->insert(RuleId::kDeFactoUnsupported);
  }
  TH_ASSIGN_OR_RETURN(const json::object* lb, GetObject(rules, path, "left_behind", false));
  if (lb) {
    const std::string lp = Join(path, "left_behind");
    TH_RETURN_IF_ERROR(
        CheckKeys(*lb, lp, {"hukou_natures", "other_parent_unable_states", "at_hukou_place_only", "note"}));
    TH_ASSIGN_OR_RETURN(p->left_behind_at_hukou_place_only, GetBool(*lb, lp, "at_hukou_place_only", true));
    TH_ASSIGN_OR_RETURN(p->left_behind_hukou_natures,
                        GetEnumList<HukouNature>(*lb, lp, "hukou_natures"));
    TH_ASSIGN_OR_RETURN(p->left_behind_other_parent_unable_states,
                        GetEnumList<MemberState>(*lb, lp, "other_parent_unable_states"));
    present->insert(RuleId::kLeftBehind);
  }
  TH_ASSIGN_OR_RETURN(const json::object* mg, GetObject(rules, path, "migrant", false));
  if (mg) {
    const std::string mp = Join(path, "migrant");
    TH_RETURN_IF_ERROR(CheckKeys(*mg, mp, {"min_months_away_from_hukou_county", "note"}));
    TH_ASSIGN_OR_RETURN(p->migrant_min_months,
                        GetInt(*mg, mp, "min_months_away_from_hukou_county", true, 0, 120));
    present->insert(RuleId::kMigrant);
  }
  TH_ASSIGN_OR_RETURN(const json::object* pf, GetObject(rules, path, "poor_family", false));
  if (pf) {
    const std::string pp = Join(path, "poor_family");
    TH_RETURN_IF_ERROR(CheckKeys(*pf, pp, {"assistance", "note"}));
    TH_ASSIGN_OR_RETURN(const json::array* arr, GetArray(*pf, pp, "assistance"));
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const std::string ep = Join(pp, "assistance") + "[" + std::to_string(i) + "]";
      const std::uint32_t bit = (*arr)[i].is_string()
                                    ? AssistanceFlagFromName(std::string((*arr)[i].get_string()))
                                    : 0;
      if (bit == 0) {
        return ConfigError(ep, "应为 低保/特困/低边/临时救助/医疗救助 之一",
                           "must be one of 低保/特困/低边/临时救助/医疗救助");
      }
      p->poor_family_assistance |= bit;
    }
    present->insert(RuleId::kPoorFamily);
  }
  TH_ASSIGN_OR_RETURN(const json::object* sd,
                      GetObject(rules, path, "severe_disability_child", false));
  if (sd) {
    TH_RETURN_IF_ERROR(
        ParseDisability(*sd, Join(path, "severe_disability_child"), &p->child_disability));
    present->insert(RuleId::kSevereDisabilityChild);
  }
  return Status::Ok();
}

Result<NationalType> NationalFromText(std::string_view s, const std::string& path) {
  for (NationalType t : {NationalType::kNone, NationalType::kPoverty, NationalType::kOwnDisability,
                         NationalType::kGuardianshipLack}) {
    if (s == CodeOf(t) || s == ZhOf(t)) return t;
  }
  return ConfigError(path, "应为 家庭贫困/自身残疾/监护缺失或不当/无",
                     "must be one of 家庭贫困/自身残疾/监护缺失或不当/无 (or poverty/own_disability/"
                     "guardianship_lack/none)");
}

}  // namespace

// Long: a config parser, one key per line, each with its own error naming the key.
Result<CategoryConfig> ParseCategoryConfig(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) {
    return ConfigError("$", "不是有效的 JSON（" + ec.message() + "）",
                       "not valid JSON (" + ec.message() + ")");
  }
  if (!root.is_object()) return ConfigError("$", "顶层应为对象", "top level must be an object");
  const json::object& obj = root.get_object();
  const std::string top;
  TH_RETURN_IF_ERROR(CheckKeys(obj, top,
                               {"schema", "version", "province_code", "province", "title",
                                "source", "note", "rules", "categories"}));
  TH_ASSIGN_OR_RETURN(std::string schema, GetString(obj, top, "schema", true));
  if (schema != "tonghu.categories/1") {
    return ConfigError("schema", "应为 tonghu.categories/1", "must be \"tonghu.categories/1\"");
  }
  CategoryConfig cfg;
  TH_ASSIGN_OR_RETURN(cfg.version, GetInt(obj, top, "version", true, 1, 1'000'000));
  TH_ASSIGN_OR_RETURN(cfg.province_code, GetString(obj, top, "province_code", true));
  TH_ASSIGN_OR_RETURN(cfg.province, GetString(obj, top, "province", true));
  TH_ASSIGN_OR_RETURN(cfg.title, GetString(obj, top, "title", false));
  TH_ASSIGN_OR_RETURN(const json::object* rules, GetObject(obj, top, "rules", true));
  std::set<RuleId> present;
  TH_RETURN_IF_ERROR(ParseRules(*rules, "rules", &cfg.params, &present));

  TH_ASSIGN_OR_RETURN(const json::array* cats, GetArray(obj, top, "categories"));
  if (cats->empty()) return ConfigError("categories", "不能为空", "must not be empty");
  std::set<std::string> codes;
  for (std::size_t i = 0; i < cats->size(); ++i) {
    const std::string cp = "categories[" + std::to_string(i) + "]";
    if (!(*cats)[i].is_object()) return ConfigError(cp, "应为对象", "must be an object");
    const json::object& c = (*cats)[i].get_object();
    TH_RETURN_IF_ERROR(CheckKeys(c, cp,
                                 {"code", "name", "kind", "national_type", "derivation", "rule",
                                  "max_age", "description"}));
    CategoryDef def;
    TH_ASSIGN_OR_RETURN(def.code, GetString(c, cp, "code", true));
    if (def.code.empty() ||
        def.code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
      return ConfigError(cp + ".code", "只能包含小写字母、数字和下划线",
                         "must be non-empty lower-case ASCII, digits or '_'");
    }
    if (!codes.insert(def.code).second) {
      return ConfigError(cp + ".code", "重复的类别代码：" + def.code,
                         "duplicate category code: " + def.code);
    }
    TH_ASSIGN_OR_RETURN(def.name, GetString(c, cp, "name", true));
    if (def.name.empty()) return ConfigError(cp + ".name", "不能为空", "must not be empty");
    TH_ASSIGN_OR_RETURN(std::string kind, GetString(c, cp, "kind", true));
    if (kind == "protected") {
      def.kind = CategoryKind::kProtected;
    } else if (kind == "monitored") {
      def.kind = CategoryKind::kMonitored;
    } else {
      return ConfigError(cp + ".kind", "应为 protected 或 monitored",
                         "must be \"protected\" or \"monitored\"");
    }
    TH_ASSIGN_OR_RETURN(std::string national, GetString(c, cp, "national_type", true));
    TH_ASSIGN_OR_RETURN(def.national_type, NationalFromText(national, cp + ".national_type"));
    TH_ASSIGN_OR_RETURN(std::string derivation, GetString(c, cp, "derivation", true));
    TH_ASSIGN_OR_RETURN(std::string rule, GetString(c, cp, "rule", false));
    if (derivation == "rule") {
      if (rule.empty()) {
        return ConfigError(cp + ".rule", "derivation 为 rule 时必须指定规则",
                           "required when derivation is \"rule\"");
      }
      TH_ASSIGN_OR_RETURN(def.rule, RuleFromCode(rule, cp + ".rule"));
      if (!present.count(def.rule)) {
        return ConfigError("rules." + rule, "类别 " + def.code + " 使用了该规则，但未配置其参数",
                           "category " + def.code + " uses this rule but it has no parameters");
      }
    } else if (derivation == "worker") {
      if (!rule.empty()) {
        return ConfigError(cp + ".rule", "derivation 为 worker 时不能指定规则",
                           "must be absent when derivation is \"worker\"");
      }
    } else {
      return ConfigError(cp + ".derivation", "应为 rule 或 worker", "must be \"rule\" or \"worker\"");
    }
    TH_ASSIGN_OR_RETURN(def.max_age, GetInt(c, cp, "max_age", true, 1, 25));
    TH_ASSIGN_OR_RETURN(def.description, GetString(c, cp, "description", false));
    cfg.categories.push_back(std::move(def));
  }
  return cfg;
}

}  // namespace th::domain
