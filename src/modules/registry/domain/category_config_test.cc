#include "modules/registry/domain/category_config.h"

#include <gtest/gtest.h>

#include "domain/test_util.h"

namespace th::domain {
namespace {

TEST(CategoryConfigTest, ShippedGuangdong) {
  auto r = ParseCategoryConfig(testing::ReadSourceFile("config/categories/guangdong.json"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const CategoryConfig& c = *r;
  EXPECT_EQ(c.province_code, "44");
  ASSERT_EQ(c.categories.size(), 8u);
  const char* names[] = {"孤儿", "事实无人抚养儿童", "困难家庭儿童", "重残儿童",
                         "兜底监护儿童", "其他", "留守儿童", "流动儿童"};
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(c.categories[i].name, names[i]);
  EXPECT_EQ(c.Find("orphan")->national_type, NationalType::kGuardianshipLack);
  EXPECT_EQ(c.Find("poor_family")->national_type, NationalType::kPoverty);
  EXPECT_EQ(c.Find("severe_disability")->national_type, NationalType::kOwnDisability);
  EXPECT_FALSE(c.Find("fallback_guardianship")->rule_derived());
  EXPECT_FALSE(c.Find("other")->rule_derived());
  EXPECT_EQ(c.Find("left_behind")->kind, CategoryKind::kMonitored);
  EXPECT_EQ(c.Find("left_behind")->max_age, 16);
  EXPECT_EQ(c.Find("migrant")->max_age, 16);
  EXPECT_EQ(c.Find("orphan")->max_age, 18);
  EXPECT_EQ(c.params.deprivation_min_months, 6);
  EXPECT_EQ(c.params.missing_min_months, 6);
  EXPECT_EQ(c.params.migrant_min_months, 6);
  EXPECT_EQ(c.params.deprivation_counting, DeprivationCounting::kElapsedOrTerm);
  EXPECT_TRUE(c.params.parent_disability.Qualifies(DisabilityType::kPhysical, 2));
  EXPECT_FALSE(c.params.parent_disability.Qualifies(DisabilityType::kPhysical, 3));
  EXPECT_TRUE(c.params.parent_disability.Qualifies(DisabilityType::kIntellectual, 4));
  EXPECT_TRUE(c.params.parent_disability.Qualifies(DisabilityType::kMental, 3));
  EXPECT_FALSE(c.params.parent_disability.Qualifies(DisabilityType::kMental, 0));
  EXPECT_EQ(c.params.poor_family_assistance, kAssistDibao | kAssistTekun);
  EXPECT_EQ(c.Find("nope"), nullptr);
}

TEST(CategoryConfigTest, ShippedJiangsu) {
  auto r = ParseCategoryConfig(testing::ReadSourceFile("config/categories/jiangsu.json"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->province, "江苏省");
  EXPECT_EQ(r->params.deprivation_counting, DeprivationCounting::kElapsed);
  EXPECT_EQ(r->params.poor_family_assistance, kAssistDibao | kAssistTekun | kAssistLowIncome);
  EXPECT_NE(r->Find("disabled_or_ill"), nullptr);
}

// A minimal valid config; each bad case below changes one thing.
constexpr const char* kMinimal = R"({
  "schema": "tonghu.categories/1", "version": 2, "province_code": "99", "province": "测试省",
  "rules": {
    "migrant": {"min_months_away_from_hukou_county": 3},
    "severe_disability_child": {"max_grade": 2, "max_grade_by_type": {"智力": 3}}
  },
  "categories": [
    {"code": "migrant", "name": "流动儿童", "kind": "monitored", "national_type": "无",
     "derivation": "rule", "rule": "migrant", "max_age": 16},
    {"code": "sd", "name": "重残", "kind": "protected", "national_type": "own_disability",
     "derivation": "rule", "rule": "severe_disability_child", "max_age": 18},
    {"code": "x", "name": "其他", "kind": "protected", "national_type": "无",
     "derivation": "worker", "max_age": 18}
  ]
})";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const auto p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return s;
}

TEST(CategoryConfigTest, Minimal) {
  auto r = ParseCategoryConfig(kMinimal);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(r->params.migrant_min_months, 3);
  EXPECT_TRUE(r->params.child_disability.Qualifies(DisabilityType::kIntellectual, 3));
  EXPECT_FALSE(r->params.child_disability.Qualifies(DisabilityType::kMental, 3));
}

TEST(CategoryConfigTest, Errors) {
  const std::string m = kMinimal;
  struct Case {
    std::string text;
    const char* field;       // expected Status::field()
    const char* message_has; // substring of message_zh
  } cases[] = {
      {"{not json", "$", "不是有效的 JSON"},
      {"[]", "$", "顶层应为对象"},
      {Replace(m, "tonghu.categories/1", "other/1"), "schema", "tonghu.categories/1"},
      {Replace(m, R"("version": 2,)", ""), "version", "缺少必填字段"},
      {Replace(m, R"("version": 2)", R"("version": "2")"), "version", "应为整数"},
      {Replace(m, R"("province": "测试省")", R"("province": "测试省", "provnce": 1)"), "provnce", "未知的字段"},
      {Replace(m, R"("min_months_away_from_hukou_county": 3)", R"("min_months": 3)"),
       "rules.migrant.min_months", "未知的字段"},
      {Replace(m, R"("min_months_away_from_hukou_county": 3)", R"("min_months_away_from_hukou_county": -1)"),
       "rules.migrant.min_months_away_from_hukou_county", "应在 0 到 120 之间"},
      {Replace(m, R"("max_grade": 2,)", R"("max_grade": 5,)"), "rules.severe_disability_child.max_grade", "应在 0 到 4 之间"},
      {Replace(m, R"({"智力": 3})", R"({"智商": 3})"), "rules.severe_disability_child.max_grade_by_type.智商", "未知的残疾类别"},
      {Replace(m, R"("code": "sd")", R"("code": "migrant")"), "categories[1].code", "重复的类别代码"},
      {Replace(m, R"("code": "sd")", R"("code": "重残")"), "categories[1].code", "小写字母"},
      {Replace(m, R"("kind": "protected", "national_type": "own_disability")",
               R"("kind": "protected", "national_type": "残疾")"), "categories[1].national_type", "家庭贫困"},
      {Replace(m, R"("kind": "monitored")", R"("kind": "watched")"), "categories[0].kind", "protected"},
      {Replace(m, R"("rule": "migrant")", R"("rule": "orphan")"), "rules.orphan", "未配置其参数"},
      {Replace(m, R"("rule": "migrant")", R"("rule": "teleport")"), "categories[0].rule", "未知的规则"},
      {Replace(m, R"("derivation": "worker")", R"("derivation": "worker", "rule": "migrant")"),
       "categories[2].rule", "不能指定规则"},
      {Replace(m, R"("derivation": "worker")", R"("derivation": "magic")"), "categories[2].derivation", "rule 或 worker"},
      {Replace(m, R"("derivation": "rule", "rule": "migrant", "max_age": 16)", R"("derivation": "rule", "rule": "migrant")"),
       "categories[0].max_age", "缺少必填字段"},
      {Replace(m, R"("max_age": 16)", R"("max_age": 0)"), "categories[0].max_age", "应在 1 到 25 之间"},
      {R"({"schema": "tonghu.categories/1", "version": 1, "province_code": "1", "province": "x",
           "rules": {"left_behind": {"hukou_natures": ["农村户口"], "other_parent_unable_states": []}},
           "categories": []})", "rules.left_behind.hukou_natures[0]", "无法识别"},
      {R"({"schema": "tonghu.categories/1", "version": 1, "province_code": "1", "province": "x",
           "rules": {"poor_family": {"assistance": ["低保", "救济"]}}, "categories": []})",
       "rules.poor_family.assistance[1]", "低保"},
      {R"({"schema": "tonghu.categories/1", "version": 1, "province_code": "1", "province": "x",
           "rules": {}, "categories": []})", "categories", "不能为空"},
      {R"({"schema": "tonghu.categories/1", "version": 1, "province_code": "1", "province": "x",
           "rules": {"de_facto_unsupported": {"deprivation_of_liberty_min_months": 6, "missing_min_months": 6,
             "deprivation_counting": "sentence", "parent_severe_disability": {"max_grade": 2}}},
           "categories": []})", "rules.de_facto_unsupported.deprivation_counting", "elapsed"},
  };
  for (const auto& c : cases) {
    auto r = ParseCategoryConfig(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().error_code(), "invalid_category_config");
    EXPECT_EQ(r.status().field(), c.field) << r.status().message_zh();
    EXPECT_NE(r.status().message_zh().find(c.message_has), std::string::npos)
        << r.status().message_zh();
    EXPECT_FALSE(r.status().message_en().empty());
  }
}

}  // namespace
}  // namespace th::domain
