#include "text/charset.h"

#include <unicode/ucnv.h>

#include <memory>

#include "text/utf8.h"

namespace th::text {
namespace {

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

Status EncodingError(const char* charset, std::string detail) {
  return Status::Invalid("file", "invalid_encoding",
                         std::string("文件编码无法识别（按 ") + charset + " 解码失败）: " + detail,
                         std::string("cannot decode the file as ") + charset + ": " + detail);
}

// Converts with the STOP callback so a bad byte is an error, not a silent U+FFFD.
Result<std::string> Convert(const char* to, const char* from, std::string_view in) {
  UErrorCode st = U_ZERO_ERROR;
  ConverterPtr src(ucnv_open(from, &st));
  if (U_FAILURE(st)) return EncodingError(from, u_errorName(st));
  ConverterPtr dst(ucnv_open(to, &st));
  if (U_FAILURE(st)) return EncodingError(to, u_errorName(st));
  ucnv_setToUCallBack(src.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &st);
  ucnv_setFromUCallBack(dst.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &st);
  std::string out;
  out.resize(in.size() * 2 + 16);
  const char* sp = in.data();
  const char* se = in.data() + in.size();
  char* tp = out.data();
  char* te = out.data() + out.size();
  UChar pivot[1024];
  UChar* ps = pivot;
  UChar* pt = pivot;
  for (;;) {
    st = U_ZERO_ERROR;
    ucnv_convertEx(dst.get(), src.get(), &tp, te, &sp, se, pivot, &ps, &pt, pivot + 1024, false, true, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
      std::size_t used = static_cast<std::size_t>(tp - out.data());
      out.resize(out.size() * 2);
      tp = out.data() + used;
      te = out.data() + out.size();
      continue;
    }
    break;
  }
  if (U_FAILURE(st)) {
    return EncodingError(from, "byte offset " + std::to_string(sp - in.data()) + " (" + u_errorName(st) + ")");
  }
  out.resize(static_cast<std::size_t>(tp - out.data()));
  return out;
}

}  // namespace

const char* CharsetName(Charset c) {
  switch (c) {
    case Charset::kUtf8:
    case Charset::kUtf8Bom: return "UTF-8";
    case Charset::kUtf16Le: return "UTF-16LE";
    case Charset::kUtf16Be: return "UTF-16BE";
    case Charset::kGb18030: return "GB18030";
  }
  return "UTF-8";
}

Charset DetectCharset(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == "\xEF\xBB\xBF") return Charset::kUtf8Bom;
  if (b.size() >= 2 && b.substr(0, 2) == "\xFF\xFE") return Charset::kUtf16Le;
  if (b.size() >= 2 && b.substr(0, 2) == "\xFE\xFF") return Charset::kUtf16Be;
  if (IsValidUtf8(b)) return Charset::kUtf8;
  return Charset::kGb18030;
}

Result<std::string> ConvertToUtf8(std::string_view bytes, Charset from) {
  switch (from) {
    case Charset::kUtf8Bom:
      if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
      [[fallthrough]];
    case Charset::kUtf8:
      if (!IsValidUtf8(bytes)) return EncodingError("UTF-8", "malformed sequence");
      return std::string(bytes);
    case Charset::kUtf16Le:
    case Charset::kUtf16Be:
      if (bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")) {
        bytes.remove_prefix(2);
      }
      return Convert("UTF-8", CharsetName(from), bytes);
    case Charset::kGb18030:
      return Convert("UTF-8", "GB18030", bytes);
  }
  return std::string(bytes);
}

Result<std::string> DecodeToUtf8(std::string_view bytes, Charset* detected) {
  Charset c = DetectCharset(bytes);
  if (detected) *detected = c;
  return ConvertToUtf8(bytes, c);
}

Result<std::string> Utf8ToGb18030(std::string_view utf8) { return Convert("GB18030", "UTF-8", utf8); }

}  // namespace th::text
