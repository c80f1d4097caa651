// Forms as data: the shipped forms parse, answers are checked against the form (errors name the
// question), scoring and grade rules table-driven over the Guangdong and the four-grade forms, the
// needs form's levels, and a form change never alters what an old version scores.
#include "modules/cases/domain/assessment_form.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "modules/cases/domain/case_config.h"

namespace th::domain {
namespace {

std::string Read(const std::string& rel) {
  std::ifstream in(std::string(TH_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

AssessmentForm Form(const std::string& file) {
  auto f = ParseForm(Read("config/assessments/" + file), file);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return f.ok() ? *f : AssessmentForm();
}

std::string GradeOf(const AssessmentForm& f, const std::string& answers) {
  auto a = ParseAnswers(f, answers, true);
  EXPECT_TRUE(a.ok()) << answers << ": " << a.status().ToString();
  return a.ok() ? ScoreAnswers(f, *a).grade : "?";
}

TEST(AssessmentForms, ShippedFormsAndConfigLoad) {
  auto forms = LoadForms(std::string(TH_SOURCE_DIR) + "/config/assessments");
  ASSERT_TRUE(forms.ok()) << forms.status().ToString();
  EXPECT_EQ(forms->size(), 4u);
  auto cfg = ParseCaseConfig(Read("config/cases/cases.json"), "cases.json");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->forms.at("risk"), "gd_risk");
  EXPECT_EQ(cfg->new_child_days, 30);
  EXPECT_TRUE(cfg->red_starts_conference);   // shipped on: a red grade asks the station to convene (cases README)
  EXPECT_FALSE(cfg->red_starts_guardianship_check);
  const AssessmentForm gd = Form("gd_risk.json");
  ASSERT_EQ(gd.grades.size(), 4u);
  EXPECT_EQ(gd.grades[0].name + gd.grades[0].level + gd.grades[0].action, "红高风险立即介入");
  EXPECT_EQ(gd.grades[1].action, "定期介入");
  EXPECT_EQ(gd.grades[2].action, "保持关注");
  EXPECT_EQ(gd.grades[3].color, "#2e9e5b");
  EXPECT_EQ(Form("zj_risk.json").grades[1].code, "orange");
  EXPECT_EQ(Form("guardianship.json").grades.back().name, "较好");
  EXPECT_EQ(Form("needs.json").need_categories.size(), 6u);
}

// The Guangdong form: score bands and triggers.
TEST(AssessmentForms, GuangdongGradesTableDriven) {
  const AssessmentForm f = Form("gd_risk.json");
  const std::string base = R"("s_home":"safe","h_health":"good","h_mood":"stable","e_school":"in_school","f_income":"stable")";
  struct Case {
    std::string answers, grade;
  };
  const std::vector<Case> cases = {
      {R"({"g_status":"proper","g_unseen_months":0,"s_harm":false,)" + base + "}", "green"},           // 0
      {R"({"g_status":"weak","g_unseen_months":2,"s_harm":false,)" + base + "}", "green"},             // 2
      {R"({"g_status":"weak","g_unseen_months":6,"s_harm":false,)" + base + "}", "blue"},              // 2+2
      {R"({"g_status":"absent","g_unseen_months":12,"s_harm":false,)" + base + "}", "yellow"},         // 4+3
      {R"({"g_status":"absent","g_unseen_months":13,"s_harm":false,"s_home":"danger","h_health":"serious","h_mood":"distress","e_school":"out","f_income":"extreme"})",
       "red"},                                                                                          // 4+3+3+2+1+2+2 = 17
      {R"({"g_status":"proper","g_unseen_months":0,"s_harm":true,)" + base + "}", "red"},              // trigger: harmed
      {R"({"g_status":"abusive","g_unseen_months":0,"s_harm":false,)" + base + "}", "red"},            // trigger: abuse
      {R"({"g_status":"proper","g_unseen_months":0,"s_harm":false,"s_home":"safe","h_health":"good","h_mood":"self_harm","e_school":"in_school","f_income":"stable"})",
       "red"},                                                                                          // trigger: self-harm
      {R"({"g_status":"weak","g_unseen_months":0,"s_harm":false,"s_home":"hazard","h_health":"good","h_mood":"stable","e_school":"in_school","f_income":"stable","f_support":["none"]})",
       "blue"},                                                                                         // 2+1+1 (multi scores)
  };
  for (const auto& c : cases) EXPECT_EQ(GradeOf(f, c.answers), c.grade) << c.answers;
}

// The second province's four grades with orange, and 淳安's months-unseen thresholds.
TEST(AssessmentForms, FourGradeVariantTableDriven) {
  const AssessmentForm f = Form("zj_risk.json");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"g_unseen_months":1,"g_care":"good","s_harm":false,"h_health":false})", "green"},
      {R"({"g_unseen_months":7,"g_care":"good","s_harm":false,"h_health":false})", "yellow"},   // 3
      {R"({"g_unseen_months":13,"g_care":"good","s_harm":false,"h_health":false})", "orange"},  // 6
      {R"({"g_unseen_months":13,"g_care":"weak","s_harm":false,"h_health":true})", "red"},      // 6+2+2
      {R"({"g_unseen_months":0,"g_care":"good","s_harm":true,"h_health":false})", "red"},       // trigger
  };
  for (const auto& [answers, grade] : cases) EXPECT_EQ(GradeOf(f, answers), grade) << answers;
}

TEST(AssessmentForms, GuardianshipAndNeeds) {
  const AssessmentForm g = Form("guardianship.json");
  EXPECT_EQ(GradeOf(g, R"({"gd_health":"good","gd_will":"willing","gd_care":"good","gd_income":false,"gd_housing":false})"), "good");
  EXPECT_EQ(GradeOf(g, R"({"gd_health":"weak","gd_will":"willing","gd_care":"partial","gd_income":false,"gd_housing":false})"), "fair");
  EXPECT_EQ(GradeOf(g, R"({"gd_health":"incapable","gd_will":"reluctant","gd_care":"poor","gd_income":false,"gd_housing":false})"), "poor");
  EXPECT_EQ(GradeOf(g, R"({"gd_health":"good","gd_will":"refuses","gd_care":"good","gd_income":false,"gd_housing":false})"), "poor");
  const AssessmentForm n = Form("needs.json");
  auto a = ParseAnswers(n, R"({"n_living":"1","n_living_aid":true,"n_safety":"0","n_education":"3","n_health":"0","n_mind":"2","n_family":"1"})", true);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const Scored s = ScoreAnswers(n, *a);
  EXPECT_EQ(s.grade, "");
  std::map<std::string, int> levels;
  for (const auto& x : s.needs) levels[x.code] = x.level;
  EXPECT_EQ(levels, (std::map<std::string, int>{{"living", 2}, {"safety", 0}, {"education", 3}, {"health", 2},
                                                {"family", 1}, {"social", 0}}));
  auto back = NeedsFromJson(NeedsToJson(s.needs));
  ASSERT_EQ(back.size(), 6u);
  EXPECT_EQ(back[2].name, "教育");
  EXPECT_EQ(back[2].level, 3);
}

TEST(AssessmentForms, AnswerErrorsNameTheQuestion) {
  const AssessmentForm f = Form("gd_risk.json");
  struct Case {
    std::string answers, field, code;
    bool complete;
  };
  const std::vector<Case> cases = {
      {R"({"g_status":"maybe"})", "g_status", "invalid_answer", false},
      {R"({"g_unseen_months":"x"})", "g_unseen_months", "invalid_answer", false},
      {R"({"g_unseen_months":-1})", "g_unseen_months", "invalid_answer", false},
      {R"({"s_harm":"yes"})", "s_harm", "invalid_answer", false},
      {R"({"f_support":"none"})", "f_support", "invalid_answer", false},
      {R"({"nope":1})", "nope", "invalid_field", false},
      {R"({"g_status":"proper"})", "g_unseen_months", "required", true},
      {R"([1])", "answers", "invalid_json", false},
  };
  for (const auto& c : cases) {
    auto a = ParseAnswers(f, c.answers, c.complete);
    ASSERT_FALSE(a.ok()) << c.answers;
    EXPECT_EQ(a.status().field(), c.field) << c.answers;
    EXPECT_EQ(a.status().error_code(), c.code) << c.answers;
  }
  EXPECT_TRUE(ParseAnswers(f, R"({"g_status":"proper"})", false).ok());  // a draft may be partial
}

TEST(AssessmentForms, VersionsAreKeptApartAndBadFormsNamed) {
  AssessmentForm v1 = Form("gd_risk.json");
  AssessmentForm v2 = v1;
  v2.version = 2;
  v2.grades[0].min_score = 5;  // a stricter red in version 2
  FormSet set;
  set.forms = {v1, v2};
  set.active["risk"] = "gd_risk";
  EXPECT_EQ(set.ForKind("risk")->version, 2);
  EXPECT_EQ(set.Find("gd_risk", 1)->grades[0].min_score, 12);
  const std::string answers = R"({"g_status":"absent","g_unseen_months":12,"s_harm":false,"s_home":"safe","h_health":"good","h_mood":"stable","e_school":"in_school","f_income":"stable"})";
  EXPECT_EQ(GradeOf(*set.Find("gd_risk", 1), answers), "yellow");
  EXPECT_EQ(GradeOf(*set.Find("gd_risk", 2), answers), "red");
  auto bad = ParseForm(R"({"code":"x","version":1,"kind":"risk","name":"x","sections":[{"id":"s","title":"t","questions":[{"id":"q","text":"q","type":"color"}]}]})", "x.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message_en().find("x.json"), std::string::npos);
  EXPECT_NE(bad.status().message_en().find("type color"), std::string::npos);
  auto trig = ParseForm(R"({"code":"x","version":1,"kind":"risk","name":"x","sections":[{"id":"s","title":"t","questions":[{"id":"q","text":"q","type":"bool"}]}],"grades":[{"code":"red","name":"红","triggers":[{"question":"zz","value":"true"}]}]})", "y.json");
  ASSERT_FALSE(trig.ok());
  EXPECT_NE(trig.status().message_en().find("unknown question zz"), std::string::npos);
}

}  // namespace
}  // namespace th::domain
