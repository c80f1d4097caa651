#include "modules/registry/domain/demo_names.h"

namespace th::domain::demo {

namespace {

constexpr WeightedText kSurnames[] = {
    {"王", 7120}, {"李", 7000}, {"张", 6610}, {"刘", 5380}, {"陈", 4610}, {"杨", 3220},
    {"黄", 2450}, {"赵", 2190}, {"吴", 2000}, {"周", 1900}, {"徐", 1450}, {"孙", 1380},
    {"马", 1290}, {"朱", 1260}, {"胡", 1150}, {"郭", 1150}, {"何", 1100}, {"林", 1080},
    {"高", 1060}, {"罗", 1000}, {"郑", 930},  {"梁", 880},  {"谢", 760},  {"宋", 700},
    {"唐", 700},  {"许", 650},  {"韩", 630},  {"邓", 630},  {"冯", 620},  {"曹", 600},
    {"彭", 580},  {"曾", 580},  {"肖", 560},  {"田", 520},  {"董", 510},  {"潘", 490},
    {"袁", 490},  {"蔡", 470},  {"蒋", 470},  {"余", 460},  {"于", 460},  {"杜", 450},
    {"叶", 450},  {"程", 440},  {"魏", 430},  {"苏", 430},  {"吕", 420},  {"丁", 410},
    {"任", 400},  {"卢", 390},  {"姚", 390},  {"沈", 380},  {"钟", 380},  {"姜", 370},
    {"崔", 360},  {"谭", 360},  {"陆", 350},  {"范", 340},  {"汪", 340},  {"廖", 340},
    {"石", 330},  {"金", 330},  {"韦", 320},  {"贾", 310},  {"夏", 300},  {"付", 300},
    {"方", 300},  {"邹", 290},  {"熊", 290},  {"白", 290},  {"孟", 280},  {"秦", 280},
    {"邱", 280},  {"侯", 270},  {"江", 270},  {"尹", 260},  {"薛", 260},  {"闫", 260},
    {"段", 250},  {"雷", 250},  {"龙", 240},  {"黎", 240},  {"史", 240},  {"陶", 230},
    {"贺", 230},  {"毛", 220},  {"郝", 220},  {"顾", 220},  {"龚", 220},  {"邵", 210},
    {"万", 210},  {"覃", 200},  {"武", 200},  {"钱", 200},  {"戴", 200},  {"严", 190},
    {"莫", 190},  {"孔", 180},  {"向", 180},  {"常", 180},  {"汤", 170},  {"欧阳", 60},
};

// Children born 2009-2013.
constexpr std::string_view kBoys2009[] = {
    "子轩", "浩宇", "浩然", "宇轩", "俊杰", "子豪", "皓轩", "博文", "梓轩", "宇航", "思远", "文博",
    "嘉豪", "俊熙", "一鸣", "天佑", "家乐", "明轩", "鑫",   "杰",   "浩",   "宇"};
constexpr std::string_view kGirls2009[] = {
    "子涵", "欣怡", "梓涵", "诗涵", "雨涵", "可馨", "梦琪", "紫涵", "思涵", "佳怡", "雨欣",
    "欣妍", "语嫣", "佳琪", "晨曦", "雨婷", "心怡", "嘉欣", "婷",   "欣"};
// 2014-2018.
constexpr std::string_view kBoys2014[] = {
    "浩宇", "浩然", "宇轩", "宇航", "子轩", "皓轩", "梓轩", "铭轩", "子墨", "宇泽", "俊宇",
    "梓睿", "一航", "奕辰", "子睿", "博宇", "煜祺", "睿泽", "梓豪", "弘毅"};
constexpr std::string_view kGirls2014[] = {
    "一诺", "依诺", "欣怡", "梓涵", "语桐", "欣妍", "可欣", "语汐", "雨桐", "梦瑶",
    "子涵", "诗涵", "思涵", "芷若", "梓萱", "紫萱", "佳琪", "安琪", "语嫣", "可馨"};
// 2019 onwards.
constexpr std::string_view kBoys2019[] = {
    "沐宸", "浩宇", "沐辰", "茗泽", "奕辰", "宇泽", "浩然", "奕泽", "宇轩", "沐阳",
    "亦辰", "梓睿", "子墨", "若谷", "景行", "一鸣", "瑾瑜", "嘉木", "言澈", "承泽"};
constexpr std::string_view kGirls2019[] = {
    "若汐", "一诺", "艺涵", "依诺", "梓涵", "苡沫", "雨桐", "欣怡", "语桐", "语汐",
    "星冉", "安然", "知意", "清欢", "沐兮", "芊芊", "书瑶", "梓萱", "念安", "初夏"};
// Parents born in the 1970s, 1980s, 1990s.
constexpr std::string_view kMen1970[] = {"伟", "勇", "军", "强", "斌", "平", "建华", "建军",
                                         "志强", "海涛", "国平", "卫东", "红兵", "明", "刚",
                                         "林", "华", "辉", "德华", "建平"};
constexpr std::string_view kWomen1970[] = {"丽", "芳", "娟", "敏", "静", "燕", "红", "霞",
                                           "玲", "秀英", "丽华", "海燕", "春梅", "桂芳", "艳",
                                           "玉梅", "小红", "秀兰", "凤", "萍"};
constexpr std::string_view kMen1980[] = {"伟", "磊", "涛", "超", "杰", "鹏", "勇", "军",
                                         "波", "辉", "俊", "斌", "浩", "明", "亮", "强",
                                         "建", "飞", "志伟", "海波"};
constexpr std::string_view kWomen1980[] = {"丽", "静", "敏", "燕", "艳", "娟", "婷", "丹",
                                           "玲", "芳", "丽娟", "晓燕", "倩", "雪", "琳", "萍",
                                           "慧", "红梅", "丽丽", "佳"};
constexpr std::string_view kMen1990[] = {"杰", "涛", "磊", "浩", "鹏", "俊", "宇", "超",
                                         "帅", "强", "健", "阳", "鑫", "凯", "伟", "晨",
                                         "文", "斌", "志强", "俊杰"};
constexpr std::string_view kWomen1990[] = {"婷", "丹", "敏", "倩", "静", "雪", "璐", "佳",
                                           "慧", "洁", "颖", "琳", "悦", "欣", "晶", "蕾",
                                           "丽", "芳", "婷婷", "佳佳"};
// Grandparents, born before 1970.
constexpr std::string_view kMenOld[] = {"国强", "建国", "德明", "志华", "永福", "国华", "金生",
                                        "德胜", "建华", "树林", "福生", "国庆", "长林", "有才",
                                        "文华"};
constexpr std::string_view kWomenOld[] = {"秀英", "桂英", "玉兰", "秀兰", "凤英", "淑珍",
                                          "秀珍", "桂兰", "玉珍", "玉英", "桂芳", "秀芳",
                                          "玉梅", "金凤", "春兰"};

constexpr std::string_view kWorkCities[] = {"东莞市", "广州市", "佛山市", "惠州市", "中山市",
                                            "珠海市", "上海市", "杭州市", "苏州市", "宁波市",
                                            "厦门市", "北京市", "温州市", "泉州市"};
constexpr std::string_view kRoads[] = {"建设路", "人民路", "东环路", "中心路", "龙岗大道",
                                       "布澜路", "坂雪岗大道", "吉华路", "沙湾路", "平安路",
                                       "和平路", "新村路", "环城路", "华兴路", "上雪路"};
constexpr std::string_view kIllnesses[] = {"白血病", "先天性心脏病", "肾病综合征", "地中海贫血",
                                           "癫痫", "血友病", "脑瘫", "1型糖尿病"};
constexpr std::string_view kParentIllnesses[] = {"尿毒症", "恶性肿瘤", "脑卒中后遗症",
                                                 "重症肝病", "白血病", "严重精神障碍"};
constexpr std::string_view kTowns[] = {"城关镇", "新田镇", "石桥镇", "大坪镇", "河口镇", "清水镇",
                                       "长乐镇", "黄土镇", "白沙镇", "太平镇", "龙潭镇", "桥头镇"};
constexpr std::string_view kMobilePrefixes[] = {
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "176", "177", "178", "180",
    "181", "182", "183", "185", "186", "187", "188", "189", "191", "195", "198", "199"};
constexpr std::string_view kVietnameseGiven[] = {"氏梅", "氏兰", "氏花", "氏香", "氏秋", "氏玉"};

}  // namespace

std::span<const WeightedText> Surnames() { return kSurnames; }

std::span<const std::string_view> GivenNames(int birth_year, bool male) {
  if (birth_year >= 2019) return male ? std::span<const std::string_view>(kBoys2019) : std::span<const std::string_view>(kGirls2019);
  if (birth_year >= 2014) return male ? std::span<const std::string_view>(kBoys2014) : std::span<const std::string_view>(kGirls2014);
  if (birth_year >= 2000) return male ? std::span<const std::string_view>(kBoys2009) : std::span<const std::string_view>(kGirls2009);
  if (birth_year >= 1990) return male ? std::span<const std::string_view>(kMen1990) : std::span<const std::string_view>(kWomen1990);
  if (birth_year >= 1980) return male ? std::span<const std::string_view>(kMen1980) : std::span<const std::string_view>(kWomen1980);
  if (birth_year >= 1970) return male ? std::span<const std::string_view>(kMen1970) : std::span<const std::string_view>(kWomen1970);
  return male ? std::span<const std::string_view>(kMenOld) : std::span<const std::string_view>(kWomenOld);
}

std::span<const std::string_view> WorkCities() { return kWorkCities; }
std::span<const std::string_view> Roads() { return kRoads; }
std::span<const std::string_view> Illnesses() { return kIllnesses; }
std::span<const std::string_view> ParentIllnesses() { return kParentIllnesses; }
std::span<const std::string_view> Towns() { return kTowns; }
std::span<const std::string_view> MobilePrefixes() { return kMobilePrefixes; }
std::span<const std::string_view> VietnameseGiven() { return kVietnameseGiven; }

}  // namespace th::domain::demo
