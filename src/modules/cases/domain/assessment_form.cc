// Assessment forms: the parser of config/assessments/*.json and of answers (Boost.JSON allowed
// here: a config parser, listed in tools/layering_json_allowed.txt), scoring and grading.
#include "modules/cases/domain/assessment_form.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace th::domain {

namespace json = boost::json;

namespace {

Status Bad(const std::string& file, const std::string& what) {
  return Status::Invalid("assessments", "invalid_form_config", "评估表配置有误(" + file + "): " + what,
                         "Invalid assessment form (" + file + "): " + what);
}

std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

double Num(const json::object& o, const char* key, double dflt = 0) {
  const json::value* v = o.if_contains(key);
  if (!v) return dflt;
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_double()) return v->as_double();
  return dflt;
}

const json::array* Arr(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_array() ? &v->as_array() : nullptr;
}

Result<FormQuestion> ParseQuestion(const json::object& o, const std::string& file, const AssessmentForm& f) {
  FormQuestion q;
  q.id = Str(o, "id");
  q.text = Str(o, "text");
  q.text_en = Str(o, "text_en");
  q.type = Str(o, "type");
  const json::value* req = o.if_contains("required");
  q.required = !(req && req->is_bool() && !req->as_bool());
  if (q.id.empty() || q.text.empty()) return Bad(file, "question needs id and text");
  static const std::set<std::string> kTypes = {"single", "multi", "number", "text", "bool"};
  if (!kTypes.count(q.type)) return Bad(file, "question " + q.id + ": type " + q.type);
  if (const json::array* opts = Arr(o, "options")) {
    for (const auto& ov : *opts) {
      if (!ov.is_object()) return Bad(file, "question " + q.id + ": option");
      const auto& oo = ov.as_object();
      FormOption op{Str(oo, "value"), Str(oo, "label"), Str(oo, "label_en"), Num(oo, "score")};
      if (op.value.empty() || op.label.empty()) return Bad(file, "question " + q.id + ": option needs value and label");
      q.options.push_back(std::move(op));
    }
  }
  if ((q.type == "single" || q.type == "multi") && q.options.size() < 2) {
    return Bad(file, "question " + q.id + ": at least two options");
  }
  q.min = Num(o, "min");
  q.max = Num(o, "max");
  if (const json::array* bands = Arr(o, "bands")) {
    for (const auto& bv : *bands) {
      if (!bv.is_object()) return Bad(file, "question " + q.id + ": band");
      q.bands.push_back({Num(bv.as_object(), "min"), Num(bv.as_object(), "score")});
    }
    std::sort(q.bands.begin(), q.bands.end(), [](const NumberBand& a, const NumberBand& b) { return a.min > b.min; });
  }
  q.score_true = Num(o, "score_true");
  q.need = Str(o, "need");
  if (!q.need.empty()) {
    bool known = false;
    for (const auto& n : f.need_categories) known = known || n.code == q.need;
    if (!known) return Bad(file, "question " + q.id + ": unknown need " + q.need);
  }
  return q;
}

Status ParseGrades(const json::object& o, const std::string& file, AssessmentForm* f) {
  const json::array* grades = Arr(o, "grades");
  if (!grades) return Status::Ok();
  for (const auto& gv : *grades) {
    if (!gv.is_object()) return Bad(file, "grade");
    const auto& g = gv.as_object();
    GradeRule r{Str(g, "code"),   Str(g, "name"),      Str(g, "name_en"), Str(g, "level"), Str(g, "level_en"),
                Str(g, "action"), Str(g, "action_en"), Str(g, "color"),   Num(g, "min_score"), {}};
    if (r.code.empty() || r.name.empty()) return Bad(file, "grade needs code and name");
    if (const json::array* trig = Arr(g, "triggers")) {
      for (const auto& tv : *trig) {
        if (!tv.is_object()) return Bad(file, "grade " + r.code + ": trigger");
        GradeTrigger t{Str(tv.as_object(), "question"), Str(tv.as_object(), "value")};
        if (!f->Find(t.question)) return Bad(file, "grade " + r.code + ": trigger names unknown question " + t.question);
        r.triggers.push_back(std::move(t));
      }
    }
    f->grades.push_back(std::move(r));
  }
  for (std::size_t i = 1; i < f->grades.size(); ++i) {
    if (f->grades[i].min_score > f->grades[i - 1].min_score) {
      return Bad(file, "grades must go from the most serious (highest min_score) down");
    }
  }
  return Status::Ok();
}

bool Matches(const GradeTrigger& t, const Answers& answers) {
  auto it = answers.find(t.question);
  if (it == answers.end()) return false;
  const Answer& a = it->second;
  if (a.flag) return (*a.flag ? "true" : "false") == t.value;
  return std::find(a.values.begin(), a.values.end(), t.value) != a.values.end();
}

double QuestionScore(const FormQuestion& q, const Answer& a) {
  if (q.type == "bool") return a.flag && *a.flag ? q.score_true : 0;
  if (q.type == "number") {
    if (!a.number) return 0;
    for (const auto& b : q.bands) {
      if (*a.number >= b.min) return b.score;
    }
    return 0;
  }
  double s = 0;
  for (const auto& v : a.values) {
    for (const auto& o : q.options) {
      if (o.value == v) s += o.score;
    }
  }
  return s;
}

Status BadAnswer(const FormQuestion& q, const std::string& why_zh, const std::string& why_en) {
  return Status::Invalid(q.id, "invalid_answer", "「" + q.text + "」" + why_zh, "\"" + q.id + "\": " + why_en);
}

Result<Answer> ParseAnswer(const FormQuestion& q, const json::value& v) {
  Answer a;
  auto is_option = [&](const std::string& s) {
    return std::any_of(q.options.begin(), q.options.end(), [&](const FormOption& o) { return o.value == s; });
  };
  if (q.type == "single") {
    if (!v.is_string() || !is_option(std::string(v.as_string()))) return BadAnswer(q, "的答案不是可选项", "not an option");
    a.values.push_back(std::string(v.as_string()));
  } else if (q.type == "multi") {
    if (!v.is_array()) return BadAnswer(q, "应为多选", "expected a list of options");
    for (const auto& e : v.as_array()) {
      if (!e.is_string() || !is_option(std::string(e.as_string()))) return BadAnswer(q, "的答案不是可选项", "not an option");
      a.values.push_back(std::string(e.as_string()));
    }
  } else if (q.type == "number") {
    if (!v.is_number()) return BadAnswer(q, "应为数字", "expected a number");
    const double n = v.to_number<double>();
    if (n < q.min || (q.max > q.min && n > q.max)) return BadAnswer(q, "超出范围", "out of range");
    a.number = n;
  } else if (q.type == "bool") {
    if (!v.is_bool()) return BadAnswer(q, "应为是或否", "expected true or false");
    a.flag = v.as_bool();
  } else {
    if (!v.is_string()) return BadAnswer(q, "应为文字", "expected text");
    a.text = std::string(v.as_string());
    if (a.text.size() > 6000) return Status::TooLong(q.id, 2000);
  }
  return a;
}

bool Empty(const Answer& a) { return a.values.empty() && !a.number && !a.flag && a.text.empty(); }

}  // namespace

const FormQuestion* AssessmentForm::Find(const std::string& id) const {
  for (const auto& s : sections) {
    for (const auto& q : s.questions) {
      if (q.id == id) return &q;
    }
  }
  return nullptr;
}

const GradeRule* AssessmentForm::Grade(const std::string& c) const {
  for (const auto& g : grades) {
    if (g.code == c) return &g;
  }
  return nullptr;
}

Result<AssessmentForm> ParseForm(const std::string& text, const std::string& file) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return Bad(file, "not a JSON object");
  const auto& o = root.as_object();
  AssessmentForm f;
  f.code = Str(o, "code");
  f.kind = Str(o, "kind");
  f.name = Str(o, "name");
  f.name_en = Str(o, "name_en");
  f.region = Str(o, "region");
  f.version = static_cast<std::int64_t>(Num(o, "version", 0));
  if (f.code.empty() || f.name.empty() || f.version < 1) return Bad(file, "code, name and version (>= 1) required");
  if (f.kind != "risk" && f.kind != "needs" && f.kind != "guardianship") return Bad(file, "kind " + f.kind);
  if (const json::array* needs = Arr(o, "need_categories")) {
    for (const auto& nv : *needs) {
      if (!nv.is_object()) return Bad(file, "need category");
      f.need_categories.push_back({Str(nv.as_object(), "code"), Str(nv.as_object(), "name"),
                                   Str(nv.as_object(), "name_en")});
    }
  }
  const json::array* sections = Arr(o, "sections");
  if (!sections || sections->empty()) return Bad(file, "sections required");
  std::set<std::string> ids;
  for (const auto& sv : *sections) {
    if (!sv.is_object()) return Bad(file, "section");
    const auto& so = sv.as_object();
    FormSection s{Str(so, "id"), Str(so, "title"), Str(so, "title_en"), {}};
    const json::array* qs = Arr(so, "questions");
    if (s.id.empty() || s.title.empty() || !qs || qs->empty()) return Bad(file, "section needs id, title, questions");
    for (const auto& qv : *qs) {
      if (!qv.is_object()) return Bad(file, "question");
      TH_ASSIGN_OR_RETURN(FormQuestion q, ParseQuestion(qv.as_object(), file, f));
      if (!ids.insert(q.id).second) return Bad(file, "duplicate question id " + q.id);
      s.questions.push_back(std::move(q));
    }
    f.sections.push_back(std::move(s));
  }
  TH_RETURN_IF_ERROR(ParseGrades(o, file, &f));
  if (f.kind != "needs" && f.grades.empty()) return Bad(file, "grades required for a " + f.kind + " form");
  if (f.kind == "needs" && f.need_categories.empty()) return Bad(file, "need_categories required");
  return f;
}

Result<std::vector<AssessmentForm>> LoadForms(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  if (ec) return Bad(dir, "cannot read the directory");
  std::sort(files.begin(), files.end());
  std::vector<AssessmentForm> out;
  for (const auto& p : files) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    TH_ASSIGN_OR_RETURN(AssessmentForm f, ParseForm(ss.str(), p.filename().string()));
    for (const auto& g : out) {
      if (g.code == f.code && g.version == f.version) return Bad(p.filename().string(), "duplicate form version");
    }
    out.push_back(std::move(f));
  }
  if (out.empty()) return Bad(dir, "no forms");
  return out;
}

Result<Answers> ParseAnswers(const AssessmentForm& form, const std::string& answers_json, bool complete) {
  Answers out;
  boost::system::error_code ec;
  json::value root = json::parse(answers_json.empty() ? std::string("{}") : answers_json, ec);
  if (ec || !root.is_object()) {
    return Status::Invalid("answers", "invalid_json", "答案格式有误", "answers must be a JSON object");
  }
  for (const auto& [key, v] : root.as_object()) {
    const FormQuestion* q = form.Find(std::string(key));
    if (!q) return Status::Invalid(std::string(key), "invalid_field", "评估表没有该题目: " + std::string(key),
                                   "No such question: " + std::string(key));
    if (v.is_null()) continue;
    TH_ASSIGN_OR_RETURN(Answer a, ParseAnswer(*q, v));
    if (!Empty(a)) out[q->id] = std::move(a);
  }
  if (complete) {
    for (const auto& s : form.sections) {
      for (const auto& q : s.questions) {
        if (q.required && !out.count(q.id)) {
          return Status::Invalid(q.id, "required", "请回答「" + q.text + "」", "Please answer \"" + q.id + "\"");
        }
      }
    }
  }
  return out;
}

Scored ScoreAnswers(const AssessmentForm& form, const Answers& answers) {
  Scored s;
  std::map<std::string, int> levels;
  for (const auto& sec : form.sections) {
    for (const auto& q : sec.questions) {
      auto it = answers.find(q.id);
      const double qs = it == answers.end() ? 0 : QuestionScore(q, it->second);
      s.score += qs;
      if (!q.need.empty()) {
        int& l = levels[q.need];
        l = std::max(l, std::min(3, static_cast<int>(std::lround(qs))));
      }
    }
  }
  for (const auto& g : form.grades) {
    const bool trig = std::any_of(g.triggers.begin(), g.triggers.end(),
                                  [&](const GradeTrigger& t) { return Matches(t, answers); });
    if (trig || s.score >= g.min_score) {
      s.grade = g.code;
      break;
    }
  }
  if (s.grade.empty() && !form.grades.empty()) s.grade = form.grades.back().code;
  for (const auto& n : form.need_categories) {
    s.needs.push_back({n.code, n.name, levels.count(n.code) ? levels[n.code] : 0, ""});
  }
  return s;
}

std::string AnswerText(const FormQuestion& q, const Answer& a) {
  if (a.flag) return *a.flag ? "是" : "否";
  if (a.number) {
    std::ostringstream os;
    os << *a.number;
    return os.str();
  }
  if (!a.text.empty()) return a.text;
  std::string out;
  for (const auto& v : a.values) {
    for (const auto& o : q.options) {
      if (o.value == v) out += (out.empty() ? "" : "、") + o.label;
    }
  }
  return out;
}

std::string NeedsToJson(const std::vector<NeedLevel>& needs) {
  json::array a;
  for (const auto& n : needs) {
    a.push_back(json::object{{"code", n.code}, {"name", n.name}, {"level", n.level}, {"note", n.note}});
  }
  return json::serialize(a);
}

std::vector<NeedLevel> NeedsFromJson(const std::string& text) {
  std::vector<NeedLevel> out;
  boost::system::error_code ec;
  json::value v = json::parse(text.empty() ? std::string("[]") : text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    out.push_back({Str(o, "code"), Str(o, "name"), static_cast<int>(Num(o, "level")), Str(o, "note")});
  }
  return out;
}

const AssessmentForm* FormSet::Find(const std::string& code, std::int64_t version) const {
  const AssessmentForm* best = nullptr;
  for (const auto& f : forms) {
    if (f.code != code) continue;
    if (version > 0 && f.version == version) return &f;
    if (version == 0 && (!best || f.version > best->version)) best = &f;
  }
  return best;
}

const AssessmentForm* FormSet::ForKind(const std::string& kind) const {
  auto it = active.find(kind);
  return it == active.end() ? nullptr : Find(it->second);
}

}  // namespace th::domain
