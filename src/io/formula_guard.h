#pragma once
// Formula injection (CSV/DDE injection) guard for every spreadsheet we write. A cell whose text
// starts with '=', '+', '-', '@', tab, carriage return or line feed can be read by Excel,
// LibreOffice or WPS as a formula ("-2+3+cmd|' /C calc'!A0", "=HYPERLINK(...)", "@SUM(...)"),
// whatever follows. Such a cell gets a leading apostrophe, the spreadsheet convention for
// "this is text". The rule has no exceptions: a leading '-' is neutralised even on a number
// ("-5" is written "'-5"), because a number test is exactly what payloads like "-2+3+cmd|..."
// slip past. CsvWriter and WriteXlsx apply it to every cell; the import readers undo it
// (StripFormulaGuard), so an exported file imports back unchanged.
#include <string>
#include <string_view>

namespace th::io {

// True when a spreadsheet could read `cell` as a formula (see the file comment). Full-width
// forms (＝ ＋ － ＠, which WPS accepts as formula starts) count too.
bool LooksLikeFormula(std::string_view cell);

// `cell` with a leading apostrophe when LooksLikeFormula, else unchanged.
std::string NeutralizeFormula(std::string_view cell);

// Inverse for imported cells: "'=x" -> "=x"; any other text unchanged.
std::string_view StripFormulaGuard(std::string_view cell);

}  // namespace th::io
