// Child import and export against both engines (SQLite and PostgreSQL): one suite, run twice.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "domain/id_number.h"
#include "io/csv.h"
#include "io/xlsx_reader.h"
#include "io/xlsx_writer.h"
#include "repo/org_repo.h"
#include "service/audit_service.h"
#include "service/auth_service.h"
#include "service/child_import.h"
#include "service/child_service.h"
#include "service/user_service.h"
#include "service/testing/service_fixture.h"
#include "text/charset.h"

namespace th::service {
namespace {

using testing::MakeId;
using testing::ReadFile;

// Wrong check character, same first 17 digits.
std::string BreakChecksum(const std::string& id) {
  std::string b = id;
  b[17] = b[17] == '0' ? '1' : '0';
  return b;
}

const char* kHeader =
    "姓名,性别,出生日期,身份证号,户籍地址,现住址,社区,父亲姓名,父亲身份证号,父亲状态,父亲状态起始日期,"
    "母亲姓名,母亲状态,母亲状态起始日期,监护人姓名,监护人关系,监护人电话\n";

class ChildImportTest : public testing::ServiceFixture {
 protected:
  void SetUp() override {
    SetUpServices();
    if (IsSkipped() || HasFatalFailure()) return;
    auto cfg = domain::ParseCategoryConfig(ReadFile(std::string(TH_SOURCE_DIR) + "/config/categories/guangdong.json"));
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    children_ = std::make_unique<ChildService>(services_->deps(), *cfg);
    transfer_ = std::make_unique<ChildTransfer>(*children_, services_->deps());
    root_ = Insert({}, "440307000000", "龙岗区", "district");
    buji_ = Insert(root_.id, "440307001000", "布吉街道", "street");
    bantian_ = Insert(root_.id, "440307002000", "坂田街道", "street");
    community_ = Insert(buji_.id, "440307001001", "布吉社区", "community");
    community2_ = Insert(bantian_.id, "440307002001", "坂田社区", "community");
    district_ = MakeUser("district", "district", root_.id);
    sup_ = MakeUser("sup", "street_supervisor", buji_.id);
    director_ = MakeUser("director", "child_director", community_.id);
    leader_ = MakeUser("leader", "leader", root_.id);
  }

  std::int64_t Count(const std::string& sql) {
    auto rows = conn().Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }
  std::int64_t CountAudit(const std::string& action) {
    auto rows = conn().Query("SELECT COUNT(*) FROM audit_log WHERE action = $1", {action});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  // Two good rows: a boy whose father is in prison and mother missing, guarded by his
  // grandmother; a girl living with her mother (guardian = the mother).
  std::string GoodCsv() {
    return std::string(kHeader) + "张伟,男,2015-03-02," + boy_ +
           ",四川省南充市,布吉街道某小区,布吉社区,张建国,,服刑在押,2025-03-01,李梅,失联,2025-06-01,张奶奶,祖母,"
           "13800001111\n"
           "王芳,女,2016/5/1," + girl_ + ",广东省深圳市,坂田某村,440307002001,,,,,刘丽,在家,,刘丽,母亲,13900002222\n";
  }

  std::unique_ptr<ChildService> children_;
  std::unique_ptr<ChildTransfer> transfer_;
  repo::OrgUnit root_, buji_, bantian_, community_, community2_;
  Principal district_, sup_, director_, leader_;
  const std::string boy_ = MakeId("44030720150302001");
  const std::string girl_ = MakeId("44030720160501002");
};

TEST_P(ChildImportTest, PreviewSuggestsMappingFromChineseHeaders) {
  auto p = transfer_->Preview(district_, GoodCsv());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->format, "csv");
  EXPECT_EQ(p->charset, "UTF-8");
  EXPECT_EQ(p->rows, 2);
  EXPECT_EQ(p->mapping.at("name"), "姓名");
  EXPECT_EQ(p->mapping.at("id_number"), "身份证号");
  EXPECT_EQ(p->mapping.at("community"), "社区");
  EXPECT_EQ(p->mapping.at("father_state_since"), "父亲状态起始日期");
  EXPECT_EQ(p->mapping.at("guardian_phone"), "监护人电话");
  EXPECT_TRUE(p->unmapped_columns.empty());
  EXPECT_TRUE(p->missing_required.empty());
  ASSERT_EQ(p->sample.size(), 2u);
  EXPECT_EQ(p->sample_lines[0], 2);
  EXPECT_FALSE(transfer_->Preview(leader_, GoodCsv()).ok());  // no child.write
}

TEST_P(ChildImportTest, ImportsCsvWithFamiliesAndAudits) {
  auto r = transfer_->Import(district_, GoodCsv(), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->rejected.empty()) << r->rejected[0].message;
  EXPECT_TRUE(r->committed);
  EXPECT_EQ(r->created, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM child"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM family_member"), 3);
  EXPECT_EQ(CountAudit("child.create"), 2);
  EXPECT_EQ(CountAudit("child.import"), 1);
  ChildListParams lp;
  lp.q = "张伟";
  std::int64_t total = 0;
  auto list = children_->List(district_, lp, repo::Page{1, 20}, &total);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(total, 1);
  auto f = children_->Get(district_, (*list)[0].id);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->child.community_id, community_.id);
  EXPECT_EQ(f->child.guardian_name, "张奶奶");
  EXPECT_EQ(f->child.guardian_relation, "grandmother");
  ASSERT_EQ(f->family.size(), 2u);
  EXPECT_EQ(f->family[0].state, "imprisoned");
  EXPECT_EQ(f->family[1].state, "missing");
  // The categories come from the same rules as a hand-made file.
  EXPECT_NE(f->child.categories.find("de_facto_unsupported"), std::string::npos) << f->child.categories;
  // The girl's guardian is her mother, a family member.
  lp.q = "王芳";
  list = children_->List(district_, lp, repo::Page{1, 20}, &total);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(total, 1);
  EXPECT_EQ((*list)[0].community_id, community2_.id);
  f = children_->Get(district_, (*list)[0].id);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->family.size(), 1u);
  EXPECT_EQ(f->child.guardian_member_id, f->family[0].id);
}

TEST_P(ChildImportTest, GbkCsvIsDecoded) {
  auto gbk = text::Utf8ToGb18030(GoodCsv());
  ASSERT_TRUE(gbk.ok());
  auto p = transfer_->Preview(district_, *gbk);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->charset, "GB18030");
  EXPECT_EQ(p->mapping.at("name"), "姓名");
  auto r = transfer_->Import(district_, *gbk, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->created, 2);
  EXPECT_EQ(r->charset, "GB18030");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM child WHERE name = '张伟'"), 1);
}

TEST_P(ChildImportTest, XlsxImportsAndBrokenXlsxIsAnError) {
  auto table = io::ParseCsv(GoodCsv());
  ASSERT_TRUE(table.ok());
  auto xlsx = io::WriteXlsx(table->header, table->rows);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().ToString();
  // Broken: truncated in the middle of the zip.
  std::string broken = xlsx->substr(0, xlsx->size() / 2);
  auto bad = transfer_->Import(district_, broken, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "file");
  EXPECT_EQ(bad.status().error_code().rfind("xlsx_", 0), 0u) << bad.status().ToString();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM child"), 0);

  auto p = transfer_->Preview(district_, *xlsx);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->format, "xlsx");
  auto r = transfer_->Import(district_, *xlsx, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, "xlsx");
  EXPECT_EQ(r->created, 2);
}

TEST_P(ChildImportTest, RejectsEachBadRowAndWritesNothing) {
  // Line numbers: header is line 1.
  std::string csv = std::string(kHeader) +
                    "张伟,男,2015-03-02," + boy_ + ",,,布吉社区,,,,,,,,,,\n" +                    // 2 ok
                    "李四,男,2015-03-02," + BreakChecksum(MakeId("44030720150302011")) + ",,,布吉社区,,,,,,,,,,\n" +  // 3 checksum
                    "王五,男,2015-02-30,,,,布吉社区,,,,,,,,,,\n" +                                   // 4 bad date (and no id)
                    "赵六,男,2015-03-02," + MakeId("44030720150302031") + ",,,不存在社区,,,,,,,,,,\n" +  // 5 unknown unit
                    "钱七,男,2015-03-02," + boy_ + ",,,布吉社区,,,,,,,,,,\n" +                    // 6 duplicate of line 2
                    "孙八,男,2015-04-02," + MakeId("44030720150302051") + ",,,布吉社区,,,,,,,,,,\n" +  // 7 id/birth mismatch
                    ",男,2015-03-02," + MakeId("44030720150302071") + ",,,布吉社区,,,,,,,,,,\n" +     // 8 no name
                    "周九,男,2015-03-02," + MakeId("44030720150302091") + ",,,布吉社区,,,坏状态,,,,,,,\n" +  // 9 bad enum
                    "吴十,男,2015-03-02," + MakeId("44030720150302111") + ",,,布吉社区,,,,,,,,,,\n";  // 10 ok
  auto r = transfer_->Import(district_, csv, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->committed);
  EXPECT_EQ(r->created, 0);
  EXPECT_EQ(r->rows, 9);
  EXPECT_EQ(r->valid, 2);
  EXPECT_EQ(r->rejected_rows, 7);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM child"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM family_member"), 0);
  EXPECT_EQ(CountAudit("child.create"), 0);
  EXPECT_EQ(CountAudit("child.import"), 0);
  std::map<std::int64_t, ImportReject> by_line;
  for (const auto& x : r->rejected) by_line.emplace(x.line, x);
  ASSERT_EQ(by_line.count(3), 1u);
  EXPECT_EQ(by_line[3].code, "invalid_id_checksum");
  EXPECT_EQ(by_line[3].column, "身份证号");
  EXPECT_EQ(by_line[4].code, "invalid_date");
  EXPECT_EQ(by_line[4].column, "出生日期");
  EXPECT_EQ(by_line[5].code, "unknown_community");
  EXPECT_EQ(by_line[5].column, "社区");
  EXPECT_EQ(by_line[6].code, "duplicate_row");
  EXPECT_NE(by_line[6].message.find("第2行"), std::string::npos) << by_line[6].message;
  EXPECT_EQ(by_line[7].code, "id_birth_date_mismatch");
  EXPECT_EQ(by_line[8].code, "required");
  EXPECT_EQ(by_line[8].column, "姓名");
  EXPECT_EQ(by_line[9].code, "invalid_enum");
  EXPECT_EQ(by_line[9].column, "父亲状态");
  EXPECT_EQ(by_line.count(2), 0u);
  EXPECT_EQ(by_line.count(10), 0u);
}

TEST_P(ChildImportTest, ScopeDuplicatesOfExistingAndDryRun) {
  // A street supervisor of 布吉 cannot import into 坂田.
  auto r = transfer_->Import(sup_, GoodCsv(), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].line, 3);
  EXPECT_EQ(r->rejected[0].code, "out_of_jurisdiction");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM child"), 0);

  // Dry run: validated, nothing written.
  ChildImportOptions dry;
  dry.dry_run = true;
  r = transfer_->Import(district_, GoodCsv(), dry);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->rejected.empty());
  EXPECT_EQ(r->valid, 2);
  EXPECT_EQ(r->created, 0);
  EXPECT_FALSE(r->committed);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM child"), 0);

  ASSERT_TRUE(transfer_->Import(district_, GoodCsv(), {}).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM child"), 2);
  // The same file again: both rows duplicate existing children.
  r = transfer_->Import(district_, GoodCsv(), {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rejected.size(), 2u);
  EXPECT_EQ(r->rejected[0].code, "duplicate_existing");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM child"), 2);
}

TEST_P(ChildImportTest, ExplicitMappingAndMissingColumns) {
  std::string csv = "child,dob,idno,where\n李雷,2015-03-02," + boy_ + ",布吉社区\n";
  auto r = transfer_->Import(district_, csv, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "missing_columns");
  ChildImportOptions o;
  o.mapping = {{"name", "child"}, {"birth_date", "dob"}, {"id_number", "idno"}, {"community", "where"}};
  r = transfer_->Import(district_, csv, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->created, 1);
  o.mapping = {{"name", "nope"}};
  r = transfer_->Import(district_, csv, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "invalid_mapping");
  // A community director may leave the community out: it is theirs.
  std::string own = "姓名,身份证号\n韩梅梅," + girl_ + "\n";
  r = transfer_->Import(director_, own, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->created, 1) << (r->rejected.empty() ? "" : r->rejected[0].message);
}

TEST_P(ChildImportTest, ExportMasksUnlessRevealedWithPurposeAndAudits) {
  ASSERT_TRUE(transfer_->Import(district_, GoodCsv(), {}).ok());
  ChildExportOptions o;
  auto e = transfer_->Export(district_, {}, o);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_TRUE(e->masked);
  EXPECT_EQ(e->rows, 2);
  auto t = io::ParseXlsx(e->bytes);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  int id_col = t->ColumnIndex("身份证号");
  ASSERT_GE(id_col, 0);
  for (const auto& row : t->rows) EXPECT_NE(row[id_col].find("****"), std::string::npos);
  EXPECT_EQ(CountAudit("child.export"), 1);

  // Plain values need a purpose...
  o.reveal = true;
  e = transfer_->Export(district_, {}, o);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().error_code(), "purpose_required");
  // ...and the permission.
  o.purpose = "年度核查";
  e = transfer_->Export(leader_, {}, o);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), Code::kPermissionDenied);
  o.format = "csv";
  e = transfer_->Export(district_, {}, o);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_FALSE(e->masked);
  EXPECT_NE(e->bytes.find(boy_), std::string::npos);
  EXPECT_NE(e->bytes.find("13800001111"), std::string::npos);
  auto rows = conn().Query("SELECT purpose, after_json FROM audit_log WHERE action = 'child.export' ORDER BY seq DESC");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Text(0), "年度核查");
  EXPECT_NE((*rows)[0].Text(1).find("\"masked\":false"), std::string::npos) << (*rows)[0].Text(1);

  // Scope: the supervisor of 布吉 exports only 布吉's child; filters apply.
  o = ChildExportOptions{};
  e = transfer_->Export(sup_, {}, o);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->rows, 1);
  ChildListParams f;
  f.sex = "female";
  e = transfer_->Export(district_, f, o);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->rows, 1);
}

TH_INSTANTIATE_ENGINE_TEST(ChildImportTest);

}  // namespace
}  // namespace th::service
