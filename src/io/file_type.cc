#include "io/file_type.h"

namespace th::io {

std::string SniffFileType(std::string_view b, unsigned accepted) {
  auto u = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  if ((accepted & kJpeg) && b.size() >= 3 && u(0) == 0xFF && u(1) == 0xD8 && u(2) == 0xFF) return "image/jpeg";
  if ((accepted & kPng) && b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) {
    return "image/png";
  }
  if ((accepted & kWebp) && b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return "image/webp";
  if ((accepted & kPdf) && b.size() >= 5 && b.substr(0, 5) == "%PDF-") return "application/pdf";
  return "";
}

}  // namespace th::io
