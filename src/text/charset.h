#pragma once
// Charset detection and conversion for files from Chinese offices: Excel on Chinese Windows
// saves CSV as GBK (CP936); newer tools write UTF-8, sometimes with a BOM.
#include <string>
#include <string_view>

#include "base/status.h"

namespace th::text {

enum class Charset { kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be, kGb18030 };

// Name for messages and ICU: "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030".
const char* CharsetName(Charset c);

// Detects the encoding of `bytes`: a BOM decides (UTF-8 / UTF-16); otherwise well-formed
// UTF-8 is UTF-8 (pure ASCII included); anything else is taken as GB18030, the superset of
// GBK and GB2312.
Charset DetectCharset(std::string_view bytes);

// Converts `bytes` in `from` to UTF-8 without a BOM. Fails with invalid_encoding naming the
// byte offset when the input is not valid in that charset.
Result<std::string> ConvertToUtf8(std::string_view bytes, Charset from);

// DetectCharset + ConvertToUtf8. `detected` (optional) receives the charset found.
Result<std::string> DecodeToUtf8(std::string_view bytes, Charset* detected = nullptr);

// Converts UTF-8 to GB18030 (for producing GBK test fixtures and GBK exports).
Result<std::string> Utf8ToGb18030(std::string_view utf8);

}  // namespace th::text
