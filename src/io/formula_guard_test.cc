#include "io/formula_guard.h"

#include <gtest/gtest.h>

#include "io/csv.h"

namespace th::io {
namespace {

TEST(FormulaGuardTest, EveryFormulaStartIsDefused) {
  const std::pair<const char*, const char*> cases[] = {
      {"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
      {"=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"},
      {"+1", "'+1"},
      {"@SUM(A1)", "'@SUM(A1)"},
      {"\t=1", "'\t=1"},
      {"\r=1", "'\r=1"},
      {"\n=1", "'\n=1"},
      {"-5", "'-5"},  // consistent: a negative number is defused too
      {"-", "'-"},
      {"＝1+1", "'＝1+1"},
      {"＋1", "'＋1"},
      {"－1", "'－1"},
      {"＠x", "'＠x"},
      {"张三", "张三"},
      {"0755-12345678", "0755-12345678"},
      {"a=b", "a=b"},
      {"'=already", "'=already"},
      {"", ""},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(NeutralizeFormula(in), want) << in;
}

TEST(FormulaGuardTest, StripUndoesNeutralize) {
  for (const char* v : {"-2+3+cmd|' /C calc'!A0", "=1", "@x", "张三", "'quoted", "-5", "'"}) {
    EXPECT_EQ(StripFormulaGuard(NeutralizeFormula(v)), v) << v;
  }
}

TEST(FormulaGuardTest, CsvWriterDefusesEveryCell) {
  std::string out;
  CsvWriter w(&out);
  w.WriteRow({"-2+3+cmd|' /C calc'!A0", "=1+1", "ok", "@x"});
  w.Field("+1,2");
  w.EndRow();
  EXPECT_EQ(out, "'-2+3+cmd|' /C calc'!A0,'=1+1,ok,'@x\r\n\"'+1,2\"\r\n");
}

}  // namespace
}  // namespace th::io
