#include "linkage/generator.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <random>
#include <unordered_map>

#include "io/csv.h"
#include "linkage/id.h"
#include "text/date.h"
#include "text/utf8.h"

namespace th::linkage {
namespace {

// Surnames with rough frequencies (per mille, 2020 census order).
struct Weighted {
  const char* s;
  int w;
};
constexpr Weighted kSurnames[] = {
    {"王", 74}, {"李", 72}, {"张", 69}, {"刘", 54}, {"陈", 46}, {"杨", 31}, {"黄", 23}, {"赵", 22}, {"吴", 20},
    {"周", 19}, {"徐", 15}, {"孙", 15}, {"马", 14}, {"朱", 13}, {"胡", 13}, {"郭", 12}, {"何", 12}, {"林", 11},
    {"高", 11}, {"罗", 11}, {"郑", 10}, {"梁", 10}, {"谢", 9},  {"宋", 8},  {"唐", 8},  {"许", 7},  {"韩", 7},
    {"邓", 7},  {"冯", 7},  {"曹", 7},  {"彭", 6},  {"曾", 6},  {"肖", 6},  {"田", 6},  {"董", 5},  {"潘", 5},
    {"袁", 5},  {"蔡", 5},  {"蒋", 5},  {"余", 5},  {"于", 5},  {"杜", 5},  {"叶", 4},  {"程", 4},  {"魏", 4},
    {"苏", 4},  {"吕", 4},  {"丁", 4},  {"任", 4},  {"卢", 4},  {"姚", 4},  {"沈", 4},  {"钟", 4},  {"姜", 4},
    {"崔", 3},  {"谭", 3},  {"陆", 3},  {"范", 3},  {"汪", 3},  {"廖", 3},  {"石", 3},  {"金", 3},  {"韦", 3},
    {"贾", 3},  {"夏", 3},  {"付", 3},  {"方", 3},  {"邹", 3},  {"熊", 3},  {"白", 3},  {"孟", 3},  {"秦", 3},
    {"邱", 3},  {"侯", 3},  {"江", 3},  {"尹", 3},  {"薛", 3},  {"闫", 3},  {"段", 2},  {"雷", 2},  {"龙", 2},
    {"黎", 2},  {"史", 2},  {"陶", 2},  {"贺", 2},  {"毛", 2},  {"郝", 2},  {"顾", 2},  {"龚", 2},  {"邵", 2},
    {"单", 1},  {"解", 1},  {"区", 1},  {"仇", 1},  {"朴", 1},  {"查", 1},  {"盖", 1},  {"乐", 1},  {"覃", 1},
    {"欧阳", 1}, {"司马", 1}, {"诸葛", 1}};

// Popular given names of children born 2010-2024 (they concentrate heavily).
constexpr const char* kPopularBoy[] = {"沐宸", "浩宇", "子轩", "宇轩", "梓轩", "一诺", "浩然", "俊熙", "子墨", "奕辰", "宇泽", "皓轩", "锦程", "思远", "子豪"};
constexpr const char* kPopularGirl[] = {"若汐", "一诺", "欣怡", "梓涵", "子涵", "诗涵", "可馨", "语桐", "依诺", "雨桐", "梓萱", "沐希", "思涵", "紫涵", "佳怡"};
constexpr const char* kBoyChars = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁俊峰浩宇轩然博文昊天泽睿哲晨阳瑞嘉豪铭凯锐琪彬航翔鸿健坤毅宏志";
constexpr const char* kGirlChars = "芳娜敏静丽艳娟霞秀玲婷雪琳颖倩欣怡涵萱悦琪妍瑶彤馨雨雯晴梦佳思语诗月蕾薇露洁淑慧媛嫣瑾";
constexpr const char* kAdultGiven = "建国国强建华志强秀英桂英玉兰海燕明华春梅永红丽华文军卫东红梅金花德明福生";
// Homophone groups (same toneless pinyin), used for 同音字 corruption.
constexpr const char* kHomophones[] = {"梓子紫姊", "涵寒含韩晗", "轩宣萱暄", "怡宜仪逸艺", "欣心馨新鑫", "宇雨语羽禹",
                                       "浩昊皓豪", "晨辰宸臣", "熙希曦汐溪", "悦月越跃", "杰洁捷", "婷庭亭霆",
                                       "佳家嘉", "琪琦淇奇", "思斯丝", "诺娜", "伟维薇玮", "静敬婧", "丽莉俐",
                                       "明铭鸣", "涛韬滔", "彤童桐", "瑶遥姚", "俊骏峻", "华桦骅", "磊蕾", "斌彬滨",
                                       "晴清青", "睿锐瑞", "博柏", "航杭", "鹏朋", "峰锋枫丰", "妍岩言研", "雯文闻",
                                       "然燃", "墨默", "泽则", "翔祥", "鸿宏红洪", "凯楷恺", "程成诚承", "远源媛元"};
// Similar-looking characters (形近字), typed by mistake from handwriting or OCR.
constexpr const char* kSimilar[] = {"王玉", "未末", "己已", "日曰", "戊戌", "人入", "大太", "天夭", "土士", "晴睛",
                                    "辩辨", "佳桂", "怡恰", "婷亭", "俊浚", "涛寿", "琳淋", "杰杏", "明朋", "洁浩",
                                    "宇字", "雨两", "娟涓", "萱宣", "静净", "锐悦", "悦说", "然燃", "晨晟", "彤丹"};

struct Region {
  const char* code;
  const char* province;
  const char* city;
  const char* county;
};
constexpr Region kRegions[] = {
    {"440307", "广东省", "深圳市", "龙岗区"},         {"440304", "广东省", "深圳市", "福田区"},
    {"440104", "广东省", "广州市", "越秀区"},         {"321081", "江苏省", "扬州市", "仪征市"},
    {"110101", "北京市", "", "东城区"},               {"510107", "四川省", "成都市", "武侯区"},
    {"420111", "湖北省", "武汉市", "洪山区"},         {"330106", "浙江省", "杭州市", "西湖区"},
    {"410105", "河南省", "郑州市", "金水区"},         {"430104", "湖南省", "长沙市", "岳麓区"},
    {"360111", "江西省", "南昌市", "青山湖区"},       {"450103", "广西壮族自治区", "南宁市", "青秀区"},
    {"522601", "贵州省", "黔东南苗族侗族自治州", "凯里市"}, {"511623", "四川省", "广安市", "邻水县"},
    {"341221", "安徽省", "阜阳市", "临泉县"},         {"412726", "河南省", "周口市", "郸城县"}};
constexpr const char* kStreets[] = {"坂田街道", "布吉街道", "南湾街道", "园山街道", "华富街道", "北山街道",
                                    "真州镇",   "新城镇",   "东华门街道", "城关镇", "新华街道", "人民路街道"};
constexpr const char* kCommunities[] = {"和平社区", "幸福社区", "东风社区", "新村", "团结社区", "光明社区",
                                        "阳光社区", "春华社区", "长青社区", "枫林社区"};

std::vector<std::string> SplitChars(std::string_view s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t b = pos;
    text::NextCodePoint(s, &pos);
    out.emplace_back(s.substr(b, pos - b));
  }
  return out;
}

struct Child {
  std::string surname, given;
  char sex;
  text::Date birth;
  std::string id;  // true 18-digit ID
  std::size_t household;
  int order = 0;  // birth order in the household (0: eldest)
};

struct Household {
  std::string father, mother, guardian, phone, hukou, residence;
  std::size_t region;   // residence region
  std::size_t street;
};

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {
    for (const auto& s : kSurnames) total_surname_ += s.w;
    boy_chars_ = SplitChars(kBoyChars);
    girl_chars_ = SplitChars(kGirlChars);
    adult_given_ = SplitChars(kAdultGiven);
    for (const char* g : kHomophones) {
      auto cs = SplitChars(g);
      for (const auto& c : cs) homophones_[c] = cs;
    }
    for (const char* p : kSimilar) {
      auto cs = SplitChars(p);
      similar_[cs[0]] = cs[1];
      similar_[cs[1]] = cs[0];
    }
  }

  double U() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  std::size_t N(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  template <typename T, std::size_t K>
  const T& Pick(const T (&arr)[K]) { return arr[N(K)]; }
  const std::string& Pick(const std::vector<std::string>& v) { return v[N(v.size())]; }

  std::string Surname() {
    int r = static_cast<int>(N(total_surname_));
    for (const auto& s : kSurnames) {
      if ((r -= s.w) < 0) return s.s;
    }
    return "王";
  }
  std::string Given(char sex) {
    if (U() < 0.3) return sex == 'M' ? Pick(kPopularBoy) : Pick(kPopularGirl);
    const auto& pool = sex == 'M' ? boy_chars_ : girl_chars_;
    std::string g = Pick(pool);
    if (U() < 0.8) g += Pick(pool);
    return g;
  }
  std::string AdultGiven() {
    if (U() < 0.5) return adult_given_[N(adult_given_.size() / 2) * 2] + adult_given_[N(adult_given_.size() / 2) * 2 + 1];
    return Pick(boy_chars_) + (U() < 0.7 ? Pick(girl_chars_) : std::string());
  }
  std::string Phone() {
    std::string p = "1";
    p.push_back(static_cast<char>('3' + N(7)));
    for (int i = 0; i < 9; ++i) p.push_back(static_cast<char>('0' + N(10)));
    return p;
  }
  std::string Address(std::size_t region, std::size_t street) {
    const Region& r = kRegions[region];
    std::string a = std::string(r.province) + r.city + r.county + kStreets[street] + Pick(kCommunities);
    a += std::to_string(1 + N(200)) + "号";
    return a;
  }
  std::string Id(const std::string& region, const text::Date& d, char sex) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%04d%02d%02d%02d", region.c_str(), d.year, d.month, d.day, static_cast<int>(N(100)));
    std::string s = buf;
    int last = static_cast<int>(N(5)) * 2 + (sex == 'M' ? 1 : 0);
    s.push_back(static_cast<char>('0' + last));
    s.push_back(IdCheckChar(s));
    return s;
  }

  std::unordered_map<std::string, std::vector<std::string>> homophones_;
  std::unordered_map<std::string, std::string> similar_;
  std::mt19937_64 rng_;

 private:
  int total_surname_ = 0;
  std::vector<std::string> boy_chars_, girl_chars_, adult_given_;
};

std::string FormatDateAs(const text::Date& d, int form) {
  char buf[40];
  switch (form) {
    case 0: std::snprintf(buf, sizeof buf, "%d/%d/%d", d.year, d.month, d.day); break;
    case 1: std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year, d.month, d.day); break;
    case 2: std::snprintf(buf, sizeof buf, "%d年%d月%d日", d.year, d.month, d.day); break;
    case 3: std::snprintf(buf, sizeof buf, "%d.%d.%d", d.year, d.month, d.day); break;
    case 4:
      std::snprintf(buf, sizeof buf, "%d", text::DaysFromCivil(d) - text::DaysFromCivil(text::Date{1899, 12, 30}));
      break;
    default: return text::FormatDate(d);
  }
  return buf;
}

class Traditionalizer {
 public:
  std::string operator()(const std::string& s) {
    if (!t_) {
      UErrorCode st = U_ZERO_ERROR;
      t_.reset(icu::Transliterator::createInstance("Simplified-Traditional", UTRANS_FORWARD, st));
      if (U_FAILURE(st)) return s;
    }
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
    t_->transliterate(u);
    std::string out;
    u.toUTF8String(out);
    return out;
  }

 private:
  std::unique_ptr<icu::Transliterator> t_;
};

}  // namespace

const char* CorruptionName(int c) {
  static const char* k[] = {"id_missing", "id_typo", "id_swap", "id_15_digit", "id_guardian", "id_school_number",
                            "homophone", "similar_char", "traditional", "month_day_swap", "date_off_by_one",
                            "date_format", "nickname", "guardian_swap", "name_spacing", "moved", "fields_missing",
                            "nick_xiao_x", "nick_a_x", "nick_reduplicated", "nick_dabao_erbao", "nick_child_of"};
  return c >= 0 && c < kNumCorruptions ? k[c] : "?";
}

// Long: a synthetic data generator, one corruption per block, read top to bottom.
GeneratedData GenerateLinkageData(const GeneratorOptions& opt) {
  Gen g(opt.seed);
  GeneratedData out;
  const std::size_t n_match = std::min(opt.registry_size, static_cast<std::size_t>(opt.source_size * opt.source_match_rate));
  const std::size_t n_new = opt.source_size - n_match;
  const std::size_t pool = opt.registry_size + n_new;

  // Households with 1-3 children; 3% of births are twins.
  std::vector<Household> households;
  std::vector<Child> children;
  children.reserve(pool + 4);
  while (children.size() < pool) {
    Household h;
    std::string surname = g.Surname();
    h.father = surname + g.AdultGiven();
    h.mother = g.Surname() + g.AdultGiven();
    double gr = g.U();
    h.guardian = gr < 0.5 ? h.father : (gr < 0.8 ? h.mother : surname + g.AdultGiven());
    h.phone = g.Phone();
    h.region = g.N(6);  // the district's counties are the first six regions
    h.street = g.N(std::size(kStreets));
    h.residence = g.Address(h.region, h.street);
    std::size_t hukou_region = g.U() < 0.4 ? 6 + g.N(std::size(kRegions) - 6) : h.region;  // migrants
    h.hukou = hukou_region == h.region ? h.residence : g.Address(hukou_region, g.N(std::size(kStreets)));
    std::size_t hid = households.size();
    households.push_back(h);
    int kids = 1 + (g.U() < 0.35) + (g.U() < 0.1);
    text::Date last{};
    for (int k = 0; k < kids && children.size() < pool; ++k) {
      Child c;
      c.surname = surname;
      c.sex = g.U() < 0.52 ? 'M' : 'F';
      if (k > 0 && g.U() < 0.08) {
        c.birth = last;  // twin
      } else {
        std::int32_t lo = text::DaysFromCivil({2008, 1, 1}), hi = text::DaysFromCivil({2024, 12, 31});
        c.birth = text::CivilFromDays(lo + static_cast<std::int32_t>(g.N(static_cast<std::size_t>(hi - lo))));
      }
      last = c.birth;
      c.given = g.Given(c.sex);
      c.id = g.Id(kRegions[hukou_region].code, c.birth, c.sex);
      c.household = hid;
      c.order = k;
      children.push_back(c);
    }
  }
  std::vector<std::size_t> order(children.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), g.rng_);

  auto base_record = [&](const Child& c) {
    const Household& h = households[c.household];
    Record r;
    r.name = c.surname + c.given;
    r.sex = c.sex == 'M' ? "男" : "女";
    r.birth_date = text::FormatDate(c.birth);
    r.id_number = c.id;
    r.father_name = h.father;
    r.mother_name = h.mother;
    r.guardian_name = h.guardian;
    r.guardian_phone = h.phone;
    r.hukou_address = h.hukou;
    r.residence_address = h.residence;
    return r;
  };

  // Registry: the first registry_size children of the shuffled pool.
  out.registry.reserve(opt.registry_size);
  for (std::size_t k = 0; k < opt.registry_size; ++k) {
    Record r = base_record(children[order[k]]);
    r.id = "R" + std::to_string(k + 1);
    if (g.U() < opt.registry_without_id) r.id_number.clear();
    out.registry.push_back(std::move(r));
  }

  // Source: matches drawn from the registry, plus children not on the roll (some are siblings
  // or twins of registry children: the hard negatives).
  std::vector<std::pair<std::size_t, std::int32_t>> picks;  // child index, registry index
  std::vector<std::size_t> reg_order(opt.registry_size);
  for (std::size_t k = 0; k < reg_order.size(); ++k) reg_order[k] = k;
  std::shuffle(reg_order.begin(), reg_order.end(), g.rng_);
  for (std::size_t k = 0; k < n_match; ++k) picks.emplace_back(order[reg_order[k]], static_cast<std::int32_t>(reg_order[k]));
  for (std::size_t k = 0; k < n_new; ++k) picks.emplace_back(order[opt.registry_size + k], -1);
  std::shuffle(picks.begin(), picks.end(), g.rng_);

  Traditionalizer trad;
  out.source.reserve(picks.size());
  for (std::size_t k = 0; k < picks.size(); ++k) {
    const Child& c = children[picks[k].first];
    Record r = base_record(c);
    r.id = "S" + std::to_string(k + 1);
    std::uint32_t corr = 0;
    if (g.U() < 0.2) corr |= 1u << kCorrIdMissing;  // departments often lack the ID
    if (g.U() < opt.corrupted_share) {
      int n = 1 + (g.U() < 0.3);
      for (int q = 0; q < n; ++q) corr |= 1u << (1 + g.N(kNumDrawnCorruptions - 1));
    }
    auto has = [&](int b) { return (corr >> b) & 1u; };
    // IDs
    if (has(kCorrIdTypo) && !r.id_number.empty()) {
      std::size_t p = g.N(17);
      r.id_number[p] = static_cast<char>('0' + (r.id_number[p] - '0' + 1 + g.N(9)) % 10);
    }
    if (has(kCorrIdSwap) && !r.id_number.empty()) {
      std::size_t p = 6 + g.N(10);
      if (r.id_number[p] != r.id_number[p + 1]) std::swap(r.id_number[p], r.id_number[p + 1]);
      else corr &= ~(1u << kCorrIdSwap);
    }
    if (has(kCorrId15)) {
      if (c.birth.year < 2000) r.id_number = r.id_number.substr(0, 6) + r.id_number.substr(8, 9);
      else corr &= ~(1u << kCorrId15);  // 15-digit IDs only exist for 19xx births
    }
    if (has(kCorrIdGuardian)) {
      text::Date adult{1980 + static_cast<int>(g.N(15)), 1 + static_cast<int>(g.N(12)), 1 + static_cast<int>(g.N(28))};
      r.id_number = g.Id(c.id.substr(0, 6), adult, 'M');
    }
    if (has(kCorrIdSchool) && !r.id_number.empty()) r.id_number = "G" + r.id_number;
    if (has(kCorrIdMissing)) r.id_number = g.U() < 0.2 ? "L" + std::to_string(1000000 + g.N(8999999)) : "";
    // Names
    auto chars = SplitChars(c.given);
    if (has(kCorrHomophone)) {
      bool done = false;
      for (std::size_t t = 0; t < chars.size() && !done; ++t) {
        auto it = g.homophones_.find(chars[t]);
        if (it == g.homophones_.end()) continue;
        for (int tries = 0; tries < 4 && !done; ++tries) {
          const std::string& alt = g.Pick(it->second);
          if (alt != chars[t]) chars[t] = alt, done = true;
        }
      }
      if (!done) corr &= ~(1u << kCorrHomophone);
    }
    if (has(kCorrSimilarChar)) {
      bool done = false;
      for (auto& ch : chars) {
        auto it = g.similar_.find(ch);
        if (it != g.similar_.end()) {
          ch = it->second;
          done = true;
          break;
        }
      }
      if (!done) corr &= ~(1u << kCorrSimilarChar);
    }
    std::string given;
    for (const auto& ch : chars) given += ch;
    std::string name = c.surname + given;
    if (has(kCorrNickname)) {
      // The name a family uses, as vaccination, kindergarten and village records carry it.
      const int kind = static_cast<int>(g.N(5));
      corr |= 1u << (kCorrNickXiao + kind);
      const std::string& x = chars.back();
      const std::string surname = g.U() < 0.5 ? c.surname : std::string();
      static const char* kBao[] = {"大宝", "二宝", "三宝"};
      switch (kind) {
        case 0: name = surname + "小" + x; break;
        case 1: name = surname + "阿" + x; break;
        case 2: name = surname + x + x; break;
        case 3: name = surname + kBao[std::min(c.order, 2)]; break;
        default: name = households[c.household].father + (c.sex == 'M' ? "之子" : "之女"); break;
      }
    }
    if (has(kCorrTraditional)) {
      std::string t = trad(name);
      if (t == name) corr &= ~(1u << kCorrTraditional);
      name = t;
    }
    if (has(kCorrNameSpacing)) {
      auto cs = SplitChars(name);
      name = cs[0] + (g.U() < 0.5 ? " " : "\xE3\x80\x80");  // ASCII or ideographic space
      for (std::size_t t = 1; t < cs.size(); ++t) name += cs[t];
    }
    r.name = name;
    // Dates
    text::Date d = c.birth;
    if (has(kCorrMonthDaySwap)) {
      if (d.day <= 12 && d.day != d.month) std::swap(d.month, d.day);
      else corr &= ~(1u << kCorrMonthDaySwap);
    }
    if (has(kCorrDateOffByOne)) d = text::CivilFromDays(text::DaysFromCivil(d) + (g.U() < 0.5 ? 1 : -1));
    r.birth_date = has(kCorrDateFormat) ? FormatDateAs(d, static_cast<int>(g.N(5))) : text::FormatDate(d);
    if (has(kCorrGuardianSwap)) std::swap(r.father_name, r.mother_name);
    if (has(kCorrMoved)) {
      const Household& h = households[c.household];
      r.residence_address = g.Address(h.region, g.N(std::size(kStreets)));
    }
    if (has(kCorrFieldsMissing)) {
      r.guardian_phone.clear();
      if (g.U() < 0.5) r.father_name.clear();
      if (g.U() < 0.5) r.mother_name.clear();
      if (g.U() < 0.5) r.hukou_address.clear();
    }
    out.source.push_back(std::move(r));
    out.truth.push_back(picks[k].second);
    out.corruptions.push_back(corr);
  }
  return out;
}

std::string TruthToCsv(const GeneratedData& data) {
  std::string out;
  io::CsvWriter w(&out);
  w.WriteRow({"source_id", "registry_id", "corruptions"});
  for (std::size_t i = 0; i < data.source.size(); ++i) {
    std::string c;
    for (int b = 0; b < kNumCorruptions; ++b) {
      if ((data.corruptions[i] >> b) & 1u) c += (c.empty() ? "" : "|") + std::string(CorruptionName(b));
    }
    w.Field(data.source[i].id);
    w.Field(data.truth[i] >= 0 ? data.registry[data.truth[i]].id : "");
    w.Field(c);
    w.EndRow();
  }
  return out;
}

}  // namespace th::linkage
