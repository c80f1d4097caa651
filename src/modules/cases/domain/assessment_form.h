#pragma once
// Assessment forms as data (config/assessments/*.json): sections of questions with answer types
// (single | multi | number | text | bool), option scores, grade rules and need categories. A form
// is identified by code and version; a completed assessment keeps both and its answers, so a form
// change never alters it. Scoring and grading are pure functions here (table-driven tests in
// assessment_form_test.cc); parsing lives in assessment_form.cc (config parser, Boost.JSON).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace th::domain {

struct FormOption {
  std::string value, label, label_en;
  double score = 0;
};

// A number question scores by the first band with min <= value (bands sorted by min descending).
struct NumberBand {
  double min = 0;
  double score = 0;
};

struct FormQuestion {
  std::string id, text, text_en;
  std::string type;  // single | multi | number | text | bool
  bool required = true;
  std::vector<FormOption> options;  // single, multi
  double min = 0, max = 0;          // number (max 0: no upper bound)
  std::vector<NumberBand> bands;    // number
  double score_true = 0;            // bool: the score of "yes"
  std::string need;                 // needs forms: the need category this question measures
};

struct FormSection {
  std::string id, title, title_en;
  std::vector<FormQuestion> questions;
};

// A trigger forces a grade whatever the score: question `question` answered with `value`
// (single/multi: an option value; bool: "true").
struct GradeTrigger {
  std::string question, value;
};

// Grades in order from the most serious; the first whose min_score <= score or whose trigger
// matches is the grade; the last grade is the fallback.
struct GradeRule {
  std::string code, name, name_en;  // red, 红, Red
  std::string level, level_en;      // 高风险 / high
  std::string action, action_en;    // 立即介入
  std::string color;                // #d93026
  double min_score = 0;
  std::vector<GradeTrigger> triggers;
};

struct NeedCategory {
  std::string code, name, name_en;
};

struct AssessmentForm {
  std::string code;     // gd_risk, needs, guardianship, zj_risk
  std::int64_t version = 1;
  std::string kind;     // risk | needs | guardianship
  std::string name, name_en, region;
  std::vector<FormSection> sections;
  std::vector<GradeRule> grades;             // risk, guardianship
  std::vector<NeedCategory> need_categories;  // needs
  const FormQuestion* Find(const std::string& question_id) const;
  const GradeRule* Grade(const std::string& code) const;
};

// One answer: single → values[0]; multi → values; number → number; text → text; bool → flag.
struct Answer {
  std::vector<std::string> values;
  std::optional<double> number;
  std::string text;
  std::optional<bool> flag;
};
using Answers = std::map<std::string, Answer>;

struct NeedLevel {
  std::string code, name;
  int level = 0;  // 0..3: the highest option score among the need's questions, capped at 3
  std::string note;
};

struct Scored {
  double score = 0;
  std::string grade;  // "" for forms without grades
  std::vector<NeedLevel> needs;
};

// Parses {"question_id": answer, ...} against the form: unknown question → invalid_field naming
// it; a value of the wrong type or not an option / out of range → invalid_answer naming the
// question (field = question id). When `complete`, every required question must be answered
// (required, naming the first missing question).
Result<Answers> ParseAnswers(const AssessmentForm& form, const std::string& answers_json, bool complete);
// Score, grade and needs of valid answers.
Scored ScoreAnswers(const AssessmentForm& form, const Answers& answers);
// An answer in words (option labels joined with "、", 是/否, the number, the text).
std::string AnswerText(const FormQuestion& q, const Answer& a);
// Needs as stored JSON ([{"code","name","level","note"}]) and back.
std::string NeedsToJson(const std::vector<NeedLevel>& needs);
std::vector<NeedLevel> NeedsFromJson(const std::string& json);

// The forms of a deployment: every file of config/assessments (all versions kept, so an old
// assessment still renders) and the form chosen per kind (config/cases.json "forms").
struct FormSet {
  std::vector<AssessmentForm> forms;          // every code and version loaded
  std::map<std::string, std::string> active;  // kind → form code used for new assessments
  // The newest version of `code`, or the given version; nullptr when absent.
  const AssessmentForm* Find(const std::string& code, std::int64_t version = 0) const;
  const AssessmentForm* ForKind(const std::string& kind) const;
};

// Parses one form file (its content); errors name the file and the element.
Result<AssessmentForm> ParseForm(const std::string& json, const std::string& file);
// Loads every *.json of `dir`; an invalid file is an error naming it.
Result<std::vector<AssessmentForm>> LoadForms(const std::string& dir);

}  // namespace th::domain
