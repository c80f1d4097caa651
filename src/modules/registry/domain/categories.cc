// Over 600 lines: every category rule of the province config, kept together to be read against the rules text.
#include "modules/registry/domain/categories.h"

#include <algorithm>

namespace th::domain {

// ---- small helpers shared with the config types -------------------------------------------

std::string_view CodeOf(NationalType v) {
  switch (v) {
    case NationalType::kNone: return "none";
    case NationalType::kPoverty: return "poverty";
    case NationalType::kOwnDisability: return "own_disability";
    case NationalType::kGuardianshipLack: return "guardianship_lack";
  }
  return "none";
}

std::string_view ZhOf(NationalType v) {
  switch (v) {
    case NationalType::kNone: return "无";
    case NationalType::kPoverty: return "家庭贫困";
    case NationalType::kOwnDisability: return "自身残疾";
    case NationalType::kGuardianshipLack: return "监护缺失或不当";
  }
  return "无";
}

std::string_view CodeOf(RuleId v) {
  switch (v) {
    case RuleId::kNone: return "";
    case RuleId::kOrphan: return "orphan";
    case RuleId::kDeFactoUnsupported: return "de_facto_unsupported";
    case RuleId::kLeftBehind: return "left_behind";
    case RuleId::kMigrant: return "migrant";
    case RuleId::kPoorFamily: return "poor_family";
    case RuleId::kSevereDisabilityChild: return "severe_disability_child";
  }
  return "";
}

std::string_view CodeOf(Outcome v) {
  switch (v) {
    case Outcome::kNotMet: return "not_met";
    case Outcome::kMet: return "met";
    case Outcome::kAgedOut: return "aged_out";
  }
  return "not_met";
}

namespace {
struct RuleLabel {
  std::string_view id, zh, en;
};
constexpr RuleLabel kRuleLabels[] = {
    {"orphan", "父母双方死亡、宣告失踪或查找不到生父母", "Both parents dead, declared missing or not findable"},
    {"de_facto_unsupported", "父母无法履行抚养义务的情形", "Parents unable to provide care"},
    {"de_facto_unsupported.A", "情形A：父母双方均无法履行抚养义务", "Case A: neither parent can provide care"},
    {"de_facto_unsupported.B", "情形B：一方死亡或失踪，另一方无法履行抚养义务",
     "Case B: one parent dead or missing, the other unable to provide care"},
    {"left_behind", "父母外出务工，儿童在户籍地居住", "Parents working away, child living at the hukou place"},
    {"migrant", "随父母或监护人离开户籍县居住", "Living away from the hukou county with parents or a guardian"},
    {"poor_family", "家庭享受低保、特困等救助", "Family receives minimum-living or extreme-poverty assistance"},
    {"severe_disability_child", "本人残疾达到重残标准", "Own disability of a severe grade"},
};
const RuleLabel* FindRuleLabel(std::string_view id) {
  for (const auto& l : kRuleLabels)
    if (l.id == id) return &l;
  return nullptr;
}
}  // namespace

std::string_view RuleLabelZh(std::string_view rule_id) {
  const RuleLabel* l = FindRuleLabel(rule_id);
  return l ? l->zh : rule_id;
}

std::string_view RuleLabelEn(std::string_view rule_id) {
  const RuleLabel* l = FindRuleLabel(rule_id);
  return l ? l->en : rule_id;
}

bool DisabilityThreshold::Qualifies(DisabilityType type, int grade) const {
  if (grade < 1 || grade > 4 || type == DisabilityType::kNone) return false;
  const int by_type = max_grade_by_type[static_cast<std::size_t>(type)];
  return grade <= std::max(max_grade, by_type);
}

const CategoryDef* CategoryConfig::Find(std::string_view code) const {
  for (const auto& c : categories)
    if (c.code == code) return &c;
  return nullptr;
}

std::uint32_t AssistanceFlagFromName(std::string_view name) {
  if (name == "低保" || name == "dibao") return kAssistDibao;
  if (name == "特困" || name == "tekun") return kAssistTekun;
  if (name == "低边" || name == "低收入" || name == "low_income") return kAssistLowIncome;
  if (name == "临时救助" || name == "temporary") return kAssistTemporary;
  if (name == "医疗救助" || name == "medical") return kAssistMedical;
  return 0;
}

bool Evaluation::Met(std::string_view code) const {
  const Verdict* v = Find(code);
  return v && v->outcome == Outcome::kMet;
}

const Verdict* Evaluation::Find(std::string_view code) const {
  for (const auto& v : verdicts)
    if (v.category_code == code) return &v;
  return nullptr;
}

std::vector<std::string> Evaluation::MetCodes() const {
  std::vector<std::string> out;
  for (const auto& v : verdicts)
    if (v.outcome == Outcome::kMet) out.push_back(v.category_code);
  return out;
}

namespace {

// ---- text ------------------------------------------------------------------------------------

void AppendSince(Date since, std::string* s) {
  if (since.IsSet()) {
    s->append(since.ToYearMonth());
    s->append("起");
  }
}

std::string DisabilityText(DisabilityType type, int grade) {
  std::string s(ZhOf(type));
  s += "残疾";
  if (grade > 0) {
    s += std::to_string(grade);
    s += "级";
  } else {
    s += "(等级未登记)";
  }
  return s;
}

// The county of a region code in words (category reasons name places, not codes).
std::string CountyText(const PlaceNames* places, std::string_view code) {
  static const PlaceNames kNone;
  return (places ? places : &kNone)->County(code);
}

// ---- per-parent assessment -------------------------------------------------------------------

struct ParentStat {
  Finding f;
  bool present = false;
  bool a_ok = false;       // in a rule-A state that counts today
  bool a_pending = false;  // in a rule-A state that will count on f.counts_from
  bool absent = false;     // 死亡 or 宣告失踪
  bool deported = false;
};

// Time-threshold part of 服刑在押 / 强制隔离戒毒 / 失联.
void TimeThreshold(const FamilyMember& m, int min_months, bool term_counts, Date today,
                   ParentStat* p) {
  Finding& f = p->f;
  f.text += "(";
  if (term_counts && m.restriction_months >= min_months && m.restriction_months > 0) {
    AppendSince(m.state_since, &f.text);
    if (m.state_since.IsSet()) f.text += "，";
    f.text += "期限" + std::to_string(m.restriction_months) + "个月";
    if (m.state_since.IsSet() && m.state_since.AddMonths(m.restriction_months) <= today) {
      // The recorded term is over: the worker should check whether the parent is back.
      f.text += "，期限已届满，请核实";
    }
    f.text += ")";
    p->a_ok = true;
    f.counts_from = m.state_since;
    return;
  }
  if (!m.state_since.IsSet()) {
    f.text += "起始日期未登记，无法判断是否满" + std::to_string(min_months) + "个月)";
    return;
  }
  AppendSince(m.state_since, &f.text);
  const Date reach = m.state_since.AddMonths(min_months);
  f.counts_from = reach;
  if (today >= reach) {
    p->a_ok = true;
    f.text += "，满" + std::to_string(min_months) + "个月)";
  } else {
    p->a_pending = true;
    f.text += "，未满" + std::to_string(min_months) + "个月，" + reach.ToString() + "满)";
  }
}

// Long: one decision table over a parent's states (Guangdong rules), kept in one place to be read against the rules text.
ParentStat AssessParent(const Child& child, Relation rel, const RuleParams& params, Date today) {
  ParentStat p;
  p.f.relation = rel;
  for (std::size_t i = 0; i < child.family.size(); ++i) {
    if (child.family[i].relation == rel) {
      p.f.member_index = static_cast<int>(i);
      break;
    }
  }
  if (p.f.member_index < 0) {
    p.f.text = "未登记";
    p.f.text += ZhOf(rel);
    p.f.text += "信息";
    return p;
  }
  p.present = true;
  const FamilyMember& m = child.family[static_cast<std::size_t>(p.f.member_index)];
  Finding& f = p.f;
  f.state = m.state;
  f.since = m.state_since;
  f.text = ZhOf(rel);
  switch (m.state) {
    case MemberState::kSevereDisability:
      if (params.parent_disability.Qualifies(m.disability_type, m.disability_grade)) {
        f.text += "重残(" + DisabilityText(m.disability_type, m.disability_grade) + ")";
        p.a_ok = true;
        f.counts_from = m.state_since;
      } else {
        f.text += "残疾(" + DisabilityText(m.disability_type, m.disability_grade) + "，未达重残标准)";
      }
      break;
    case MemberState::kSeriousIllness:
      f.text += "重病";
      if (m.state_since.IsSet()) {
        f.text += "(";
        AppendSince(m.state_since, &f.text);
        f.text += ")";
      }
      p.a_ok = true;
      f.counts_from = m.state_since;
      break;
    case MemberState::kImprisoned:
    case MemberState::kCompulsoryRehab:
      f.text += ZhOf(m.state);
      TimeThreshold(m, params.deprivation_min_months,
                    params.deprivation_counting == DeprivationCounting::kElapsedOrTerm, today, &p);
      break;
    case MemberState::kMissing:
      f.text += "失联";
      TimeThreshold(m, params.missing_min_months, false, today, &p);
      break;
    case MemberState::kGuardianshipRevoked:
      f.text += "被撤销监护资格";
      if (m.state_since.IsSet()) f.text += "(" + m.state_since.ToYearMonth() + ")";
      p.a_ok = true;
      f.counts_from = m.state_since;
      break;
    case MemberState::kDead:
    case MemberState::kDeclaredMissing:
      f.text += ZhOf(m.state);
      if (m.state_since.IsSet()) f.text += "(" + m.state_since.ToYearMonth() + ")";
      p.absent = true;
      f.counts_from = m.state_since;
      break;
    case MemberState::kDeported:
      f.text += "被遣送出境";
      if (m.state_since.IsSet()) {
        f.text += "(";
        AppendSince(m.state_since, &f.text);
        f.text += ")";
      }
      p.deported = true;
      f.counts_from = m.state_since;
      break;
    case MemberState::kAtHome:
    case MemberState::kWorkingAway:
      f.text += ZhOf(m.state);
      break;
  }
  return p;
}

// Latest of two "since" dates; unset if either is unknown (then we cannot say when both held).
Date LaterKnown(Date a, Date b) {
  if (!a.IsSet() || !b.IsSet()) return Date{};
  return std::max(a, b);
}

Date EarlierSet(Date a, Date b) {
  if (!a.IsSet()) return b;
  if (!b.IsSet()) return a;
  return std::min(a, b);
}

void JoinFindings(const Verdict& v, std::string* out) {
  for (std::size_t i = 0; i < v.findings.size(); ++i) {
    if (i) out->append(", ");
    out->append(v.findings[i].text);
  }
}

// Applies the age limit and writes the reason. `pending` is when a not-yet-met rule would
// become met by time alone (unset if never).
void Finish(const Child& child, const CategoryDef& def, Date today, Date pending, Verdict* v) {
  std::string& r = v->reason;
  r.clear();
  JoinFindings(*v, &r);
  if (child.birth_date.IsSet()) v->ends_on = child.birth_date.AddYears(def.max_age);
  const bool too_old = v->ends_on.IsSet() && today >= v->ends_on;
  if (v->outcome == Outcome::kMet) {
    if (too_old) {
      v->outcome = Outcome::kAgedOut;
      r += " → 已满" + std::to_string(def.max_age) + "周岁(" + v->ends_on.ToString() + ")，不再属于" +
           def.name;
    } else {
      v->next_change = v->ends_on;
      r += " → " + def.name;
      if (!child.birth_date.IsSet()) r += "（出生日期未登记，未核对年龄）";
    }
    return;
  }
  if (pending.IsSet() && !(v->ends_on.IsSet() && pending >= v->ends_on) && !too_old) {
    v->next_change = pending;
    r += " → 暂不符合" + def.name + "，" + pending.ToString() + "起符合";
  } else {
    r += " → 不符合" + def.name;
  }
}

void Reset(const CategoryDef& def, Verdict* v) {
  v->category_code = def.code;
  v->category_name = def.name;
  v->rule = def.rule;
  v->rule_id.assign(CodeOf(def.rule));
  v->outcome = Outcome::kNotMet;
  v->met_since = Date{};
  v->ends_on = Date{};
  v->next_change = Date{};
  v->findings.clear();
}

// ---- rules -----------------------------------------------------------------------------------

void Orphan(const Child& c, const CategoryDef& def, const RuleParams& params, Date today,
            Verdict* v) {
  if (c.parents_not_findable) {
    Finding f;
    f.counts = true;
    f.text = "查找不到生父母";
    v->findings.push_back(std::move(f));
    v->outcome = Outcome::kMet;
  } else {
    ParentStat fa = AssessParent(c, Relation::kFather, params, today);
    ParentStat mo = AssessParent(c, Relation::kMother, params, today);
    fa.f.counts = fa.absent;
    mo.f.counts = mo.absent;
    if (fa.absent && mo.absent) {
      v->outcome = Outcome::kMet;
      v->met_since = LaterKnown(fa.f.counts_from, mo.f.counts_from);
    }
    v->findings.push_back(std::move(fa.f));
    v->findings.push_back(std::move(mo.f));
  }
  Finish(c, def, today, Date{}, v);
}

void DeFacto(const Child& c, const CategoryDef& def, const RuleParams& params, Date today,
             Verdict* v) {
  ParentStat fa = AssessParent(c, Relation::kFather, params, today);
  ParentStat mo = AssessParent(c, Relation::kMother, params, today);
  Date pending;
  // Rule A: both parents unable.
  if (fa.a_ok && mo.a_ok) {
    v->outcome = Outcome::kMet;
    v->rule_id = "de_facto_unsupported.A";
    v->met_since = LaterKnown(fa.f.counts_from, mo.f.counts_from);
    fa.f.counts = mo.f.counts = true;
  } else if ((fa.a_ok || fa.a_pending) && (mo.a_ok || mo.a_pending)) {
    // Both will be unable once the pending one(s) reach the threshold.
    pending = fa.a_pending && mo.a_pending ? std::max(fa.f.counts_from, mo.f.counts_from)
              : fa.a_pending              ? fa.f.counts_from
                                          : mo.f.counts_from;
  }
  // Rule B: one parent dead or declared missing, the other unable or deported.
  if (v->outcome != Outcome::kMet) {
    for (int side = 0; side < 2 && v->outcome != Outcome::kMet; ++side) {
      ParentStat& gone = side == 0 ? fa : mo;
      ParentStat& other = side == 0 ? mo : fa;
      if (!gone.absent) continue;
      if (other.a_ok || other.deported) {
        v->outcome = Outcome::kMet;
        v->rule_id = "de_facto_unsupported.B";
        v->met_since = LaterKnown(gone.f.counts_from, other.f.counts_from);
        gone.f.counts = other.f.counts = true;
      } else if (other.a_pending) {
        pending = EarlierSet(pending, other.f.counts_from);
      }
    }
  }
  if (v->outcome != Outcome::kMet) {
    // Say why per parent, so the worker sees which part is missing.
    fa.f.counts = fa.a_ok || fa.absent;
    mo.f.counts = mo.a_ok || mo.absent;
  }
  v->findings.push_back(std::move(fa.f));
  v->findings.push_back(std::move(mo.f));
  Finish(c, def, today, pending, v);
}

bool Contains(const std::vector<MemberState>& list, MemberState s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// Whether the child lives in the hukou county, as a finding: 留守 is counted at the hukou place
// (a child who lives elsewhere with a carer is counted there, as 流动, and not here).
Finding AtHukouPlace(const Child& c, const PlaceNames* places) {
  Finding f;
  const std::string_view hukou = CountyOf(c.hukou_region_code);
  const std::string_view here = CountyOf(c.residence_region_code);
  if (!c.hukou_registered || hukou.empty()) {
    f.text = "户籍地未登记，无法判断是否在户籍地居住";
  } else if (here.empty()) {
    f.text = "居住地未登记，无法判断是否在户籍地居住";
  } else if (hukou == here) {
    f.counts = true;
    f.text = "在户籍地" + CountyText(places, hukou) + "居住";
  } else {
    f.text = "户籍地" + CountyText(places, hukou) + "，现居" + CountyText(places, here) +
             "，不在户籍地居住(留守儿童在户籍地认定)";
  }
  return f;
}

// Long: the left-behind rule with its 6-month thresholds and exceptions, kept whole to be read against the rules text.
void LeftBehind(const Child& c, const CategoryDef& def, const RuleParams& params, const PlaceNames* places,
                Date today, Verdict* v) {
  const bool rural = std::find(params.left_behind_hukou_natures.begin(),
                               params.left_behind_hukou_natures.end(),
                               c.hukou_nature) != params.left_behind_hukou_natures.end();
  Finding h;
  h.text = "户籍性质";
  h.text += ZhOf(c.hukou_nature);
  h.counts = rural;
  v->findings.push_back(std::move(h));

  bool away[2] = {false, false}, unable[2] = {false, false};
  Date since[2];
  const Relation rels[2] = {Relation::kFather, Relation::kMother};
  for (int i = 0; i < 2; ++i) {
    Finding f;
    f.relation = rels[i];
    const FamilyMember* m = nullptr;
    for (std::size_t k = 0; k < c.family.size(); ++k) {
      if (c.family[k].relation == rels[i]) {
        m = &c.family[k];
        f.member_index = static_cast<int>(k);
        break;
      }
    }
    if (!m) {
      f.text = "未登记";
      f.text += ZhOf(rels[i]);
      f.text += "信息";
      v->findings.push_back(std::move(f));
      continue;
    }
    f.state = m->state;
    f.since = m->state_since;
    since[i] = m->state_since;
    f.text = ZhOf(rels[i]);
    f.text += ZhOf(m->state);
    if (m->state == MemberState::kWorkingAway) {
      away[i] = !m->lives_with_child && m->works_outside_hukou_county != TriState::kNo;
      if (!m->work_city.empty() || m->state_since.IsSet()) {
        f.text += "(";
        f.text += m->work_city;
        if (!m->work_city.empty() && m->state_since.IsSet()) f.text += "，";
        AppendSince(m->state_since, &f.text);
        f.text += ")";
      }
      if (m->lives_with_child) f.text += "(与儿童同住)";
      if (m->works_outside_hukou_county == TriState::kNo) f.text += "(县内务工)";
    } else {
      unable[i] = Contains(params.left_behind_other_parent_unable_states, m->state);
      if (unable[i] && m->state_since.IsSet()) {
        f.text += "(";
        AppendSince(m->state_since, &f.text);
        f.text += ")";
      }
    }
    f.counts = away[i] || unable[i];
    f.counts_from = m->state_since;
    v->findings.push_back(std::move(f));
  }
  const bool family_ok = (away[0] && (away[1] || unable[1])) || (away[1] && unable[0]);
  bool at_home_place = true;
  if (params.left_behind_at_hukou_place_only) {
    v->findings.push_back(AtHukouPlace(c, places));
    at_home_place = v->findings.back().counts;
  }
  if (rural && family_ok && at_home_place) {
    v->outcome = Outcome::kMet;
    v->met_since = LaterKnown(since[0], since[1]);
  }
  Finish(c, def, today, Date{}, v);
}

void Migrant(const Child& c, const CategoryDef& def, const RuleParams& params, const PlaceNames* places,
             Date today, Verdict* v) {
  Finding f;
  f.since = c.resident_since;
  const std::string_view hukou = CountyOf(c.hukou_region_code);
  const std::string_view here = CountyOf(c.residence_region_code);
  const std::string hukou_name = CountyText(places, hukou), here_name = CountyText(places, here);
  bool with_carer = c.guardian.IsSet();
  for (const auto& m : c.family)
    if (IsParent(m.relation) && m.lives_with_child) with_carer = true;
  Date pending;
  if (!c.hukou_registered || hukou.empty()) {
    f.text = "户籍地未登记";
  } else if (here.empty()) {
    f.text = "居住地未登记";
  } else if (hukou == here) {
    f.text = "户籍地与居住地同在";
    f.text += here_name;
  } else if (!with_carer) {
    f.text = "户籍地";
    f.text += hukou_name;
    f.text += "，未与父母或其他监护人共同居住";
  } else if (!c.resident_since.IsSet()) {
    f.text = "户籍地";
    f.text += hukou_name;
    f.text += "，现居";
    f.text += here_name;
    f.text += "，居住起始日期未登记";
  } else {
    const Date reach = c.resident_since.AddMonths(params.migrant_min_months);
    const std::string months = std::to_string(params.migrant_min_months);
    f.counts_from = reach;
    f.text = "户籍地";
    f.text += hukou_name;
    f.text += "，随父母或监护人现居";
    f.text += here_name;
    f.text += "(";
    AppendSince(c.resident_since, &f.text);
    if (today >= reach) {
      f.counts = true;
      v->outcome = Outcome::kMet;
      v->met_since = reach;
      f.text += "，满" + months + "个月)";
    } else {
      pending = reach;
      f.text += "，未满" + months + "个月，" + reach.ToString() + "满)";
    }
  }
  v->findings.push_back(std::move(f));
  Finish(c, def, today, pending, v);
}

void PoorFamily(const Child& c, const CategoryDef& def, const RuleParams& params, Date today,
                Verdict* v) {
  Finding f;
  const std::uint32_t hit = c.assistance & params.poor_family_assistance;
  static constexpr std::pair<std::uint32_t, std::string_view> kNames[] = {
      {kAssistDibao, "低保"}, {kAssistTekun, "特困"}, {kAssistLowIncome, "低边"},
      {kAssistTemporary, "临时救助"}, {kAssistMedical, "医疗救助"}};
  auto list = [&](std::uint32_t bits) {
    std::string s;
    for (const auto& [bit, name] : kNames) {
      if (bits & bit) {
        if (!s.empty()) s += "、";
        s += name;
      }
    }
    return s;
  };
  if (hit) {
    f.counts = true;
    f.text = "家庭享受" + list(hit);
    v->outcome = Outcome::kMet;
  } else {
    f.text = "家庭未享受" + list(params.poor_family_assistance);
  }
  v->findings.push_back(std::move(f));
  Finish(c, def, today, Date{}, v);
}

void SevereDisabilityChild(const Child& c, const CategoryDef& def, const RuleParams& params,
                           Date today, Verdict* v) {
  Finding f;
  if (c.disability_type == DisabilityType::kNone && c.disability_grade == 0) {
    f.text = "本人无残疾登记";
  } else if (params.child_disability.Qualifies(c.disability_type, c.disability_grade)) {
    f.counts = true;
    f.text = "本人" + DisabilityText(c.disability_type, c.disability_grade);
    v->outcome = Outcome::kMet;
  } else {
    f.text = "本人" + DisabilityText(c.disability_type, c.disability_grade) + "，未达重残标准";
  }
  v->findings.push_back(std::move(f));
  Finish(c, def, today, Date{}, v);
}

}  // namespace

void EvaluateCategories(const Child& child, const CategoryConfig& config, Date today,
                        Evaluation* out) {
  out->today = today;
  out->next_change = Date{};
  std::size_t n = 0;
  for (const auto& def : config.categories)
    if (def.rule_derived()) ++n;
  out->verdicts.resize(n);
  std::size_t i = 0;
  for (const auto& def : config.categories) {
    if (!def.rule_derived()) continue;
    Verdict* v = &out->verdicts[i++];
    Reset(def, v);
    const RuleParams& p = config.params;
    switch (def.rule) {
      case RuleId::kNone: break;
      case RuleId::kOrphan: Orphan(child, def, p, today, v); break;
      case RuleId::kDeFactoUnsupported: DeFacto(child, def, p, today, v); break;
      case RuleId::kLeftBehind: LeftBehind(child, def, p, config.places.get(), today, v); break;
      case RuleId::kMigrant: Migrant(child, def, p, config.places.get(), today, v); break;
      case RuleId::kPoorFamily: PoorFamily(child, def, p, today, v); break;
      case RuleId::kSevereDisabilityChild: SevereDisabilityChild(child, def, p, today, v); break;
    }
    out->next_change = EarlierSet(out->next_change, v->next_change);
  }
}

Evaluation EvaluateCategories(const Child& child, const CategoryConfig& config, Date today) {
  Evaluation e;
  EvaluateCategories(child, config, today, &e);
  return e;
}

}  // namespace th::domain
