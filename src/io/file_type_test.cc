#include "io/file_type.h"

#include <gtest/gtest.h>

#include <string>

namespace th::io {
namespace {

TEST(FileTypeTest, SniffsOnlyTheAcceptedKinds) {
  const std::string jpeg("\xFF\xD8\xFF\xE0rest", 8);
  const std::string png("\x89PNG\r\n\x1a\nIHDR", 12);
  const std::string webp("RIFF\x10\0\0\0WEBPVP8 ", 16);
  const std::string pdf("%PDF-1.7\n");
  struct Case {
    const std::string* bytes;
    unsigned accepted;
    const char* want;
  } cases[] = {
      {&jpeg, kImages, "image/jpeg"},   {&png, kImages, "image/png"},
      {&webp, kImages, ""},             {&webp, kImages | kWebp, "image/webp"},
      {&pdf, kImages, ""},              {&pdf, kImagesAndPdf, "application/pdf"},
      {&png, kPdf, ""},                 {&jpeg, kJpeg, "image/jpeg"},
  };
  for (const auto& c : cases) EXPECT_EQ(SniffFileType(*c.bytes, c.accepted), c.want) << *c.bytes;
  // Too short, empty, or a text file pretending by name: nothing.
  EXPECT_EQ(SniffFileType(std::string("\xFF\xD8", 2), kImages), "");
  EXPECT_EQ(SniffFileType("", kImagesAndPdf), "");
  EXPECT_EQ(SniffFileType("not an image", kImagesAndPdf), "");
  EXPECT_EQ(SniffFileType("RIFF....WAVE", kWebp), "");
}

}  // namespace
}  // namespace th::io
