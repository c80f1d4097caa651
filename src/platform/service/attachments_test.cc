// The one attachment check every module's upload goes through (dispatch feedback, conference materials):
// table-driven over the rules the modules use.
#include "platform/service/attachments.h"

#include <gtest/gtest.h>

namespace th::service {
namespace {

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "data";
const std::string kPdf = "%PDF-1.7\n...";

TEST(AttachmentChecks, BytesAgainstTheRule) {
  const AttachmentRule images_and_pdf{io::kImagesAndPdf, 1u << 20, 3, "附件"};
  const AttachmentRule images{io::kImages, 1u << 20, 3, "照片"};
  struct Case {
    const AttachmentRule* rule;
    std::string bytes;
    std::string type, error, message_zh;
  } cases[] = {
      {&images_and_pdf, kPng, "image/png", "", ""},
      {&images_and_pdf, kPdf, "application/pdf", "", ""},
      {&images, kPdf, "", "invalid_file_type", "附件须为JPEG、PNG图片"},
      {&images_and_pdf, "MZ....", "", "invalid_file_type", "附件须为JPEG、PNG图片或PDF"},
      {&images_and_pdf, "", "", "required", ""},
      {&images_and_pdf, kPng + std::string(1u << 20, 'x'), "", "file_too_large", "附件不能超过1MB"},
  };
  for (const auto& c : cases) {
    auto r = CheckUploadBytes(c.bytes, *c.rule);
    if (c.error.empty()) {
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(*r, c.type);
      continue;
    }
    ASSERT_FALSE(r.ok()) << c.error;
    EXPECT_EQ(r.status().error_code(), c.error);
    EXPECT_EQ(r.status().field(), "file");
    if (!c.message_zh.empty()) EXPECT_EQ(r.status().message_zh(), c.message_zh);
  }
}

// The module upload paths that documented their own codes (photos: field "photo", 413
// photo_too_large, invalid_photo_type even for an empty body) share the same checks.
TEST(AttachmentChecks, PhotoWords) {
  const AttachmentRule photo{io::kImages | io::kWebp, 1u << 20, 9, "照片", kPhotoErrors};
  EXPECT_EQ(*CheckUploadBytes(kPng, photo), "image/png");
  auto big = CheckUploadBytes(kPng + std::string(1u << 20, 'x'), photo);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), Code::kPayloadTooLarge);
  EXPECT_EQ(big.status().error_code(), "photo_too_large");
  EXPECT_EQ(big.status().field(), "photo");
  EXPECT_EQ(big.status().message_zh(), "照片不能超过1MB");
  for (const std::string bytes : {std::string(), kPdf, std::string("GIF89a...."), std::string("<svg/>")}) {
    auto r = CheckUploadBytes(bytes, photo);
    ASSERT_FALSE(r.ok()) << bytes;
    EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(r.status().error_code(), "invalid_photo_type");
    EXPECT_EQ(r.status().field(), "photo");
    EXPECT_EQ(r.status().message_zh(), "照片须为JPEG、PNG、WebP图片");
  }
}

}  // namespace
}  // namespace th::service
