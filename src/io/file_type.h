#pragma once
// What an uploaded file is, from its first bytes (never from its name or the client's Content-Type): every
// upload of photos and attachments (child photos, report photos, dispatch, plan, visit and conference
// attachments) checks its bytes here and keeps only the kinds it accepts.
#include <string>
#include <string_view>

namespace th::io {

// The kinds an upload may accept (combine with |).
enum FileKinds : unsigned {
  kJpeg = 1u << 0,
  kPng = 1u << 1,
  kWebp = 1u << 2,
  kPdf = 1u << 3,
  kImages = kJpeg | kPng,
  kImagesAndPdf = kJpeg | kPng | kPdf,
};

// The MIME type of `bytes` ("image/jpeg", "image/png", "image/webp", "application/pdf") when it is one of the
// `accepted` kinds; "" otherwise.
std::string SniffFileType(std::string_view bytes, unsigned accepted);

}  // namespace th::io
