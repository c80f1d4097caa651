// Over 600 lines: the demo population generator (households, families, distributions), one file.
#include "modules/registry/domain/demo_generator.h"

#include <algorithm>
#include <charconv>

#include "modules/registry/domain/demo_names.h"
#include "domain/id_number.h"

namespace th::domain {

namespace {

// xoshiro256** seeded through splitmix64: fast, and the same stream on every platform
// (std:: distributions are implementation-defined, which would break determinism).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      s = z ^ (z >> 31);
    }
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) (multiply-shift; the bias is far below anything a demo could show).
  std::uint32_t Below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((Next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {  // inclusive
    if (hi <= lo) return lo;
    return lo + static_cast<std::int64_t>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  double Unit() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
  bool Chance(double p) { return Unit() < p; }
  // Index into a popularity-ordered list: the front is picked more often.
  std::size_t Skewed(std::size_t n) {
    const double u = Unit();
    return std::min(n - 1, static_cast<std::size_t>(static_cast<double>(n) * u * u));
  }
  template <typename T, std::size_t N>
  const T& Pick(std::span<const T, N> items) {
    return items[Below(static_cast<std::uint32_t>(items.size()))];
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

void AppendInt(std::string* s, std::int64_t v) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  s->append(buf, p);
}

void AppendPadded(std::string* s, std::int64_t v, int width) {
  char buf[24];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  for (int pad = width - static_cast<int>(p - buf); pad > 0; --pad) s->push_back('0');
  s->append(buf, p);
}

struct Cumulative {
  std::vector<std::uint32_t> cum;
  std::uint32_t total = 0;
  void Add(std::uint32_t w) {
    total += w;
    cum.push_back(total);
  }
  std::size_t Pick(Rng& rng) const {
    const std::uint32_t x = rng.Below(total);
    return static_cast<std::size_t>(std::upper_bound(cum.begin(), cum.end(), x) - cum.begin());
  }
};

enum class Scenario : std::uint8_t { kNormal, kSingleHardship, kDeFacto, kOrphan };

// States of one parent in a hardship scenario, by rough share among such families.
constexpr MemberState kHardshipStates[] = {
    MemberState::kImprisoned,      MemberState::kImprisoned,       MemberState::kImprisoned,
    MemberState::kImprisoned,      MemberState::kCompulsoryRehab,  MemberState::kSeriousIllness,
    MemberState::kSeriousIllness,  MemberState::kSeriousIllness,   MemberState::kSeriousIllness,
    MemberState::kSeriousIllness,  MemberState::kSevereDisability, MemberState::kSevereDisability,
    MemberState::kSevereDisability, MemberState::kMissing,         MemberState::kMissing,
    MemberState::kMissing,         MemberState::kDead,             MemberState::kDead,
    MemberState::kDead,            MemberState::kGuardianshipRevoked};
// Rule-A states (each can make a parent unable to raise the child).
constexpr MemberState kUnableStates[] = {
    MemberState::kImprisoned,     MemberState::kImprisoned,       MemberState::kCompulsoryRehab,
    MemberState::kSeriousIllness, MemberState::kSevereDisability, MemberState::kMissing,
    MemberState::kMissing,        MemberState::kGuardianshipRevoked};
constexpr DisabilityType kDisabilityTypes[] = {
    DisabilityType::kPhysical, DisabilityType::kPhysical,    DisabilityType::kPhysical,
    DisabilityType::kIntellectual, DisabilityType::kIntellectual, DisabilityType::kSpeech,
    DisabilityType::kHearing,  DisabilityType::kVisual,      DisabilityType::kMental,
    DisabilityType::kMultiple};
constexpr std::int16_t kTerms[] = {8, 12, 18, 24, 36, 60, 84, 120};

}  // namespace

struct DemoGenerator::Impl {
  DemoOptions opt;
  Rng rng;
  Cumulative surnames;
  Cumulative counties;
  std::int64_t produced = 0;
  std::int64_t households = 0;
  std::int64_t start_days = 0;  // 2009-01-01
  std::int64_t today_days = 0;
  std::vector<FamilyMember> adults;  // the household's adults (reused)
  int guardian_adult = -1;           // index into adults, or -1 for 民政
  Date guardian_since;

  explicit Impl(DemoOptions o) : opt(std::move(o)), rng(opt.seed) {
    for (const auto& s : demo::Surnames()) surnames.Add(s.weight);
    for (const auto& c : opt.hukou_counties) counties.Add(c.weight);
    start_days = Date::Of(2009, 1, 1).ToDays();
    today_days = opt.today.ToDays();
  }

  std::string_view Surname() { return demo::Surnames()[surnames.Pick(rng)].text; }

  void Name(std::string* out, std::string_view surname, int birth_year, bool male) {
    auto given = demo::GivenNames(birth_year, male);
    out->assign(surname);
    out->append(given[rng.Skewed(given.size())]);
  }

  void IdNumber(std::string* out, std::string_view region6, Date birth, bool male) {
    out->assign(region6);
    AppendPadded(out, birth.ToYyyymmdd(), 8);
    AppendPadded(out, rng.Below(500) * 2 + (male ? 1 : 0), 3);
    out->push_back(IdCheckChar(*out));
  }

  void Phone(std::string* out) {
    out->assign(rng.Pick(demo::MobilePrefixes()));
    AppendPadded(out, rng.Below(100'000'000), 8);
  }

  Date RandomDay(std::int64_t lo, std::int64_t hi) { return Date::FromDays(rng.Between(lo, hi)); }

  // A since-date for a state that began after `not_before` (and at most ~8 years ago).
  Date Since(Date not_before) {
    const std::int64_t lo = std::max(not_before.ToDays(), today_days - 8 * 365);
    return RandomDay(std::min(lo, today_days - 1), today_days - 1);
  }

  void ResetAdult(FamilyMember* m) {
    m->member_id.clear();
    m->name.clear();
    m->id_number.clear();
    m->phone.clear();
    m->state = MemberState::kAtHome;
    m->state_since = Date{};
    m->restriction_months = 0;
    m->disability_type = DisabilityType::kNone;
    m->disability_grade = 0;
    m->illness.clear();
    m->work_city.clear();
    m->work_region_code.clear();
    m->works_outside_hukou_county = TriState::kNo;
    m->lives_with_child = true;
  }

  FamilyMember* AddAdult(Relation rel) {
    adults.resize(adults.size() + 1);
    FamilyMember* m = &adults.back();
    ResetAdult(m);
    m->relation = rel;
    return m;
  }

  void SetState(FamilyMember* m, MemberState s, Date not_before, bool qualifying_disability) {
    m->state = s;
    m->state_since = Since(not_before);
    m->lives_with_child = false;
    switch (s) {
      case MemberState::kImprisoned:
      case MemberState::kCompulsoryRehab:
        // 强制隔离戒毒 is two years by statute; sentences vary and are sometimes not recorded.
        m->restriction_months = s == MemberState::kCompulsoryRehab ? 24
                                : rng.Chance(0.7)                  ? rng.Pick(std::span(kTerms))
                                                                   : 0;
        if (m->restriction_months > 0 &&
            m->state_since.AddMonths(m->restriction_months) <= opt.today) {
          // Still serving today: the term began within its length.
          const std::int64_t term_days = m->restriction_months * 30;
          m->state_since = RandomDay(today_days - term_days + 1, today_days - 1);
        }
        break;
      case MemberState::kSevereDisability:
        m->lives_with_child = true;
        m->disability_type = rng.Pick(std::span(kDisabilityTypes));
        if (qualifying_disability) {
          const bool mind = m->disability_type == DisabilityType::kIntellectual ||
                            m->disability_type == DisabilityType::kMental;
          m->disability_grade = static_cast<std::uint8_t>(1 + rng.Below(mind ? 4 : 2));
        } else {
          m->disability_grade = static_cast<std::uint8_t>(1 + rng.Below(4));
        }
        break;
      case MemberState::kSeriousIllness:
        m->lives_with_child = true;
        m->illness.assign(rng.Pick(demo::ParentIllnesses()));
        break;
      default:
        break;
    }
  }

  bool Next(DemoHousehold* out);
};

DemoGenerator::DemoGenerator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DemoGenerator::~DemoGenerator() = default;

Result<std::unique_ptr<DemoGenerator>> DemoGenerator::Create(DemoOptions options) {
  auto bad = [](const char* field, const char* zh, const char* en) {
    return Status::Invalid(field, "invalid_demo_options", zh, en);
  };
  if (!options.today.IsSet() || !IsValidDate(options.today.year, options.today.month,
                                             options.today.day) ||
      options.today < Date::Of(2010, 1, 1)) {
    return bad("today", "需要有效的当前日期（2010年以后）", "today must be a valid date after 2010");
  }
  if (options.children < 0) return bad("children", "儿童数量不能为负", "children must be >= 0");
  if (options.communities.empty()) return bad("communities", "至少需要一个社区", "no communities");
  for (const auto& c : options.communities) {
    if (c.code.size() != 12 || c.code.find_first_not_of("0123456789") != std::string::npos) {
      return bad("communities", "社区代码应为12位数字", "community codes must have 12 digits");
    }
  }
  if (options.hukou_counties.empty()) {
    return bad("hukou_counties", "至少需要一个户籍县", "no hukou counties");
  }
  for (const auto& c : options.hukou_counties) {
    if (c.code.size() != 6 || c.weight == 0) {
      return bad("hukou_counties", "户籍县代码应为6位且权重为正", "county codes need 6 digits and weight > 0");
    }
  }
  return std::unique_ptr<DemoGenerator>(
      new DemoGenerator(std::make_unique<Impl>(std::move(options))));
}

bool DemoGenerator::Next(DemoHousehold* out) { return impl_->Next(out); }
std::int64_t DemoGenerator::children_generated() const { return impl_->produced; }
std::int64_t DemoGenerator::households_generated() const { return impl_->households; }

bool DemoGenerator::Impl::Next(DemoHousehold* out) {
  if (produced >= opt.children) return false;
  const double size_roll = rng.Unit();
  std::int64_t k = size_roll < 0.5 ? 1 : size_roll < 0.9 ? 2 : 3;
  k = std::min(k, opt.children - produced);
  const std::int64_t hh = households++;
  produced += k;

  out->household_id.assign("D");
  AppendInt(&out->household_id, static_cast<std::int64_t>(opt.seed % 1'000'000'007));
  out->household_id.append("-H");
  AppendInt(&out->household_id, hh + 1);

  const Community& community = opt.communities[rng.Below(static_cast<std::uint32_t>(opt.communities.size()))];
  out->community_code.assign(community.code);
  const std::string_view here = std::string_view(community.code).substr(0, 6);
  const HukouCounty& county = opt.hukou_counties[counties.Pick(rng)];
  const bool local = county.code == here;
  const std::string_view local_city = here.substr(0, 4) == "4403" ? "深圳市" : "本地";

  HukouNature nature;
  const double nr = rng.Unit();
  if (local) {
    nature = nr < 0.12 ? HukouNature::kAgricultural : HukouNature::kResident;
  } else {
    nature = nr < 0.62 ? HukouNature::kAgricultural
             : nr < 0.92 ? HukouNature::kResident
                        : HukouNature::kNonAgricultural;
  }
  const bool left_behind = local && nature == HukouNature::kAgricultural && rng.Chance(0.7);

  const double sr = rng.Unit();
  const Scenario scenario = sr < 0.004   ? Scenario::kOrphan
                            : sr < 0.018 ? Scenario::kDeFacto
                            : sr < 0.075 ? Scenario::kSingleHardship
                                         : Scenario::kNormal;

  // Children's birth dates, eldest first.
  // Siblings are one to six years apart; the whole span must fit between 2009 and today.
  std::int64_t gaps[3] = {0, 0, 0};
  std::int64_t span = 0;
  for (std::int64_t i = 1; i < k; ++i) span += gaps[i] = rng.Between(300, 6 * 365);
  Date births[3];
  births[0] = RandomDay(start_days, std::max(start_days, today_days - span));
  for (std::int64_t i = 1; i < k; ++i) {
    births[i] = Date::FromDays(std::min(today_days, births[i - 1].ToDays() + gaps[i]));
  }
  const Date eldest = births[0];

  // Parents.
  adults.clear();
  guardian_adult = -1;
  const bool abandoned = scenario == Scenario::kOrphan && rng.Chance(0.05);
  const std::string_view father_surname = Surname();
  std::string_view mother_surname = Surname();
  const Date father_birth = eldest.AddDays(-rng.Between(22 * 365, 36 * 365));
  const Date mother_birth = father_birth.AddDays(rng.Between(-2 * 365, 5 * 365));
  int father = -1, mother = -1;
  if (!abandoned) {
    FamilyMember* f = AddAdult(Relation::kFather);
    Name(&f->name, father_surname, father_birth.year, true);
    IdNumber(&f->id_number, county.code, father_birth, true);
    Phone(&f->phone);
    f->work_city.assign(local_city);
    f->works_outside_hukou_county = local ? TriState::kNo : TriState::kYes;
    father = 0;
    FamilyMember* m = AddAdult(Relation::kMother);
    const std::string_view mother_county =
        rng.Chance(0.3) ? std::string_view(opt.hukou_counties[counties.Pick(rng)].code)
                        : std::string_view(county.code);
    Name(&m->name, mother_surname, mother_birth.year, false);
    IdNumber(&m->id_number, mother_county, mother_birth, false);
    if (rng.Chance(0.9)) Phone(&m->phone);
    m->work_city.assign(local_city);
    m->works_outside_hukou_county = local ? TriState::kNo : TriState::kYes;
    mother = 1;
  }
  auto away = [&](int idx) {
    FamilyMember& p = adults[static_cast<std::size_t>(idx)];
    p.state = MemberState::kWorkingAway;
    p.state_since = Since(eldest);
    p.lives_with_child = false;
    p.work_city.assign(rng.Pick(demo::WorkCities()));
    p.works_outside_hukou_county = TriState::kYes;
  };

  bool need_carer = false;  // someone other than the parents guards the children
  switch (scenario) {
    case Scenario::kNormal:
      if (left_behind) {
        const double r = rng.Unit();
        if (r < 0.72) {
          away(father);
          away(mother);
        } else if (r < 0.87) {
          away(father);
          SetState(&adults[1], rng.Pick(std::span(kUnableStates)), eldest, true);
        } else if (r < 0.92) {
          away(mother);
          SetState(&adults[0], rng.Pick(std::span(kUnableStates)), eldest, true);
        } else {
          away(father);  // the mother stays: not left-behind
        }
        need_carer = true;
      } else if (rng.Chance(0.1)) {
        away(father);  // the father works in another city, the mother stays with the children
      } else if (rng.Chance(0.03)) {
        away(mother);
      }
      break;
    case Scenario::kSingleHardship: {
      const int who = rng.Chance(0.65) ? father : mother;
      SetState(&adults[static_cast<std::size_t>(who)], rng.Pick(std::span(kHardshipStates)), eldest,
               false);
      if (left_behind) away(who == father ? mother : father);
      break;
    }
    case Scenario::kDeFacto:
      if (rng.Chance(0.6)) {  // rule A
        SetState(&adults[0], rng.Pick(std::span(kUnableStates)), eldest, true);
        SetState(&adults[1], rng.Pick(std::span(kUnableStates)), eldest, true);
      } else {  // rule B: one parent dead or declared missing
        const bool father_gone = rng.Chance(0.6);
        FamilyMember* gone = &adults[father_gone ? 0 : 1];
        FamilyMember* other = &adults[father_gone ? 1 : 0];
        SetState(gone, rng.Chance(0.9) ? MemberState::kDead : MemberState::kDeclaredMissing, eldest,
                 true);
        if (father_gone && rng.Chance(0.15)) {
          // A foreign mother without papers, sent back across the border.
          SetState(other, MemberState::kDeported, eldest, true);
          other->name.assign("阮");
          other->name.append(rng.Pick(demo::VietnameseGiven()));
          other->id_number.clear();
          other->phone.clear();
          mother_surname = "阮";
        } else {
          SetState(other, rng.Pick(std::span(kUnableStates)), eldest, true);
        }
      }
      need_carer = true;
      break;
    case Scenario::kOrphan:
      if (!abandoned) {
        SetState(&adults[0], MemberState::kDead, eldest, true);
        SetState(&adults[1], rng.Chance(0.85) ? MemberState::kDead : MemberState::kDeclaredMissing,
                 eldest, true);
      }
      need_carer = true;
      break;
  }
  // A parent who is ill or disabled at home still counts as living with the children, but
  // cannot guard them; if neither parent can, a grandparent steps in.
  auto can_guard = [&](int idx) {
    if (idx < 0) return false;
    const FamilyMember& p = adults[static_cast<std::size_t>(idx)];
    return p.state == MemberState::kAtHome;
  };
  if (!need_carer && !can_guard(father) && !can_guard(mother)) need_carer = true;

  if (need_carer) {
    if (scenario != Scenario::kNormal && rng.Chance(0.05)) {
      guardian_adult = -1;  // 民政 takes temporary guardianship
      guardian_since = Since(eldest);
    } else {
      const double r = rng.Unit();
      const bool paternal = r < 0.65;
      const bool grandmother = paternal ? r < 0.45 : r < 0.9;
      const Relation rel = paternal ? (grandmother ? Relation::kGrandmother : Relation::kGrandfather)
                                    : (grandmother ? Relation::kMaternalGrandmother
                                                   : Relation::kMaternalGrandfather);
      const Date base = paternal ? father_birth : mother_birth;
      const Date gp_birth = base.AddDays(-rng.Between(20 * 365, 32 * 365));
      FamilyMember* g = AddAdult(rel);
      const std::string_view gp_surname =
          grandmother ? Surname() : (paternal ? father_surname : mother_surname);
      Name(&g->name, gp_surname, gp_birth.year, !grandmother);
      IdNumber(&g->id_number, county.code, gp_birth, !grandmother);
      if (rng.Chance(0.7)) Phone(&g->phone);
      guardian_adult = static_cast<int>(adults.size()) - 1;
      guardian_since = Since(eldest);
      if (rng.Chance(0.3)) {  // the spouse lives there too
        const Relation spouse =
            rel == Relation::kGrandmother   ? Relation::kGrandfather
            : rel == Relation::kGrandfather ? Relation::kGrandmother
            : rel == Relation::kMaternalGrandmother ? Relation::kMaternalGrandfather
                                                    : Relation::kMaternalGrandmother;
        FamilyMember* s = AddAdult(spouse);
        const Date sb = gp_birth.AddDays(rng.Between(-4 * 365, 4 * 365));
        Name(&s->name, grandmother ? (paternal ? father_surname : mother_surname) : Surname(),
             sb.year, grandmother);
        IdNumber(&s->id_number, county.code, sb, grandmother);
      }
    }
  } else {
    guardian_adult = can_guard(mother) ? mother : father;
  }
  for (std::size_t j = 0; j < adults.size(); ++j) {
    FamilyMember& a = adults[j];
    a.member_id.assign(out->household_id);
    a.member_id.append("-M");
    AppendInt(&a.member_id, static_cast<std::int64_t>(j + 1));
  }

  // Assistance and the household's residence.
  std::uint32_t assistance = 0;
  const bool hard = scenario != Scenario::kNormal;
  if (rng.Chance(hard ? 0.35 : 0.015)) assistance |= kAssistDibao;
  if (rng.Chance(scenario == Scenario::kOrphan || scenario == Scenario::kDeFacto ? 0.25 : 0.002)) {
    assistance |= kAssistTekun;
  }
  if (rng.Chance(0.01)) assistance |= kAssistTemporary;
  Date hh_since;
  if (!local) {
    hh_since = rng.Chance(0.1) ? RandomDay(today_days - 180, today_days)
                               : RandomDay(std::max(start_days, today_days - 10 * 365), today_days - 180);
  }
  const std::string_view grid =
      community.grid_codes.empty()
          ? std::string_view()
          : std::string_view(community.grid_codes[rng.Below(static_cast<std::uint32_t>(community.grid_codes.size()))]);
  std::string_view community_short = community.name;
  if (community_short.size() > 6 && community_short.substr(community_short.size() - 6) == "社区") {
    community_short.remove_suffix(6);
  }
  const std::string_view road = rng.Pick(demo::Roads());
  const std::int64_t door = 1 + rng.Below(300), building = 1 + rng.Below(30),
                     room = 100 * (1 + rng.Below(12)) + 1 + rng.Below(8);
  const std::string_view town = rng.Pick(demo::Towns());
  const bool children_use_mother_surname = rng.Chance(0.07);

  out->children.resize(static_cast<std::size_t>(k));
  for (std::int64_t i = 0; i < k; ++i) {
    Child& c = out->children[static_cast<std::size_t>(i)];
    const Date birth = births[i];
    const bool male = rng.Chance(0.52);
    c.child_id.assign(out->household_id);
    c.child_id.append("-C");
    AppendInt(&c.child_id, i + 1);
    c.household_id.assign(out->household_id);
    Name(&c.name, children_use_mother_surname ? mother_surname : father_surname, birth.year, male);
    if (abandoned) Name(&c.name, Surname(), birth.year, male);
    c.former_names.clear();
    c.sex = male ? Sex::kMale : Sex::kFemale;
    c.birth_date = birth;
    const std::string_view province = county.province;
    const double er = rng.Unit();
    c.ethnicity.assign(province.starts_with("广西") && er < 0.35 ? "壮族"
                       : province.starts_with("湖南") && er < 0.04 ? "苗族"
                       : province.starts_with("湖南") && er < 0.07 ? "土家族"
                       : er > 0.995 ? "回族"
                                   : "汉族");
    const bool infant = today_days - birth.ToDays() < 365;
    const bool no_id = rng.Chance(infant ? 0.25 : 0.015);
    const bool unregistered = no_id && rng.Chance(0.5);
    c.hukou_registered = !unregistered;
    c.no_id_reason.clear();
    if (no_id) {
      c.id_number.clear();
      c.no_id_reason.assign(unregistered ? "未落户" : "未提供身份证号（学籍辅号）");
    } else {
      IdNumber(&c.id_number, county.code, birth, male);
    }
    if (unregistered) {
      c.hukou_region_code.clear();
      c.hukou_nature = HukouNature::kUnknown;
      c.hukou_address.clear();
    } else {
      c.hukou_region_code.assign(county.code);
      c.hukou_nature = nature;
      c.hukou_address.assign(county.province);
      c.hukou_address.append(county.name);
      if (!local) {
        c.hukou_address.append(town);
        c.hukou_address.append(father_surname);
        c.hukou_address.append("家村");
      } else {
        c.hukou_address.append(community.name);
      }
    }
    c.residence_region_code.assign(community.code);
    c.grid_code.assign(grid);
    c.residence_address.assign(community.name);
    c.residence_address.append(road);
    AppendInt(&c.residence_address, door);
    c.residence_address.append("号");
    AppendInt(&c.residence_address, building);
    c.residence_address.append("栋");
    AppendInt(&c.residence_address, room);
    c.residence_address.append("室");
    c.resident_since = local ? birth : std::max(birth, hh_since);

    const int age = AgeOn(birth, opt.today);
    c.boarding = false;
    if (age < 3) {
      c.school_stage = SchoolStage::kNotInSchool;
      c.school_name.clear();
    } else {
      const double dr = rng.Unit();
      std::string_view suffix;
      if (age < 6) {
        c.school_stage = dr < 0.9 ? SchoolStage::kKindergarten : SchoolStage::kNotInSchool;
        suffix = "幼儿园";
      } else if (age < 12) {
        c.school_stage = SchoolStage::kPrimary;
        suffix = "小学";
      } else if (age < 15) {
        c.school_stage = dr < 0.01 ? SchoolStage::kDropout : SchoolStage::kJuniorHigh;
        suffix = "中学";
        c.boarding = rng.Chance(0.1);
      } else {
        c.school_stage = dr < 0.65   ? SchoolStage::kSeniorHigh
                         : dr < 0.93 ? SchoolStage::kVocational
                         : dr < 0.97 ? SchoolStage::kDropout
                                     : SchoolStage::kNotInSchool;
        suffix = c.school_stage == SchoolStage::kVocational ? "职业技术学校" : "高级中学";
        c.boarding = rng.Chance(0.4);
      }
      if (c.school_stage == SchoolStage::kDropout || c.school_stage == SchoolStage::kNotInSchool) {
        c.school_name.clear();
        c.boarding = false;
      } else {
        c.school_name.assign(community_short);
        c.school_name.append(suffix);
      }
    }

    const double hr = rng.Unit();
    c.disability_type = DisabilityType::kNone;
    c.disability_grade = 0;
    c.illness.clear();
    if (hr < 0.015) {
      c.health = HealthStatus::kDisabled;
      c.disability_type = rng.Pick(std::span(kDisabilityTypes));
      c.disability_grade = static_cast<std::uint8_t>(1 + rng.Below(4));
    } else if (hr < 0.025) {
      c.health = HealthStatus::kIll;
      c.illness.assign(rng.Pick(demo::Illnesses()));
    } else {
      c.health = HealthStatus::kHealthy;
    }
    c.assistance = assistance;
    if (c.health == HealthStatus::kIll && rng.Chance(0.4)) c.assistance |= kAssistMedical;
    c.flow_status = local ? FlowStatus::kLocal : FlowStatus::kInflow;
    c.parents_not_findable = abandoned;
    c.director_user_id.clear();
    c.notes.clear();

    // Family from this child's view: the adults, then the siblings.
    c.family.resize(adults.size() + static_cast<std::size_t>(k - 1));
    std::size_t j = 0;
    for (; j < adults.size(); ++j) c.family[j] = adults[j];
    for (std::int64_t s = 0; s < k; ++s) {
      if (s == i) continue;
      FamilyMember& sib = c.family[j++];
      ResetAdult(&sib);
      sib.relation = Relation::kSibling;
      sib.member_id.assign(out->household_id);
      sib.member_id.append("-C");
      AppendInt(&sib.member_id, s + 1);
      sib.lives_with_child = true;
      sib.works_outside_hukou_county = TriState::kUnknown;
    }
    Guardian& g = c.guardian;
    g.agreement_date = Date{};
    g.relation_note.clear();
    if (guardian_adult >= 0) {
      const FamilyMember& a = adults[static_cast<std::size_t>(guardian_adult)];
      g.name.assign(a.name);
      g.relation = a.relation;
      g.phone.assign(a.phone);
      g.id_number.assign(a.id_number);
      g.member_index = guardian_adult;
      if (IsGrandparent(a.relation)) g.agreement_date = std::max(guardian_since, birth);
    } else {
      g.name.assign("龙岗区民政局");
      g.relation = Relation::kOther;
      g.relation_note.assign("民政部门（临时监护）");
      g.phone.assign("0755-28949000");
      g.id_number.clear();
      g.member_index = -1;
      g.agreement_date = std::max(guardian_since, birth);
    }
  }
  // Fill in the sibling names now that every child has one.
  for (std::int64_t i = 0; i < k; ++i) {
    Child& c = out->children[static_cast<std::size_t>(i)];
    std::size_t j = adults.size();
    for (std::int64_t s = 0; s < k; ++s) {
      if (s == i) continue;
      const Child& sc = out->children[static_cast<std::size_t>(s)];
      FamilyMember& sib = c.family[j++];
      sib.name.assign(sc.name);
      sib.id_number.assign(sc.id_number);
    }
  }
  return true;
}

}  // namespace th::domain
