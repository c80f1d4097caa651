#include "security/crypto.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <set>

namespace th::security {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Init()); }
};

TEST_F(CryptoTest, PasswordHashVerifies) {
  auto phc = HashPassword("正确的密码Abc123", PasswordCost::Minimum());
  ASSERT_TRUE(phc.ok());
  EXPECT_EQ(phc->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("正确的密码Abc123", *phc));
  EXPECT_FALSE(VerifyPassword("正确的密码Abc124", *phc));
  EXPECT_FALSE(VerifyPassword("", *phc));
  EXPECT_FALSE(VerifyPassword("x", ""));
  EXPECT_FALSE(VerifyPassword("x", "not-a-hash"));
}

TEST_F(CryptoTest, TokensAreRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string t = RandomToken();
    EXPECT_EQ(t.size(), 43u);
    for (char c : t) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST_F(CryptoTest, IssuedPasswordsHaveEveryClass) {
  for (int i = 0; i < 50; ++i) {
    std::string p = RandomPassword();
    ASSERT_EQ(p.size(), 12u);
    bool up = false, lo = false, dg = false;
    for (char c : p) {
      up |= std::isupper(static_cast<unsigned char>(c)) != 0;
      lo |= std::islower(static_cast<unsigned char>(c)) != 0;
      dg |= std::isdigit(static_cast<unsigned char>(c)) != 0;
    }
    EXPECT_TRUE(up && lo && dg) << p;
  }
}

TEST_F(CryptoTest, FieldCipherRoundTripsAndBindsContext) {
  KeyRing k = KeyRing::ForTesting();
  std::string sealed = k.Encrypt("44030720150307123X", "child.id_number");
  EXPECT_EQ(sealed.find("44030720150307123X"), std::string::npos);
  auto back = k.Decrypt(sealed, "child.id_number");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "44030720150307123X");
  EXPECT_FALSE(k.Decrypt(sealed, "user.phone").ok());
  std::string tampered = sealed;
  tampered.back() ^= 1;
  EXPECT_FALSE(k.Decrypt(tampered, "child.id_number").ok());
  EXPECT_FALSE(k.Decrypt("short", "child.id_number").ok());
  // Same plaintext encrypts differently (random nonce).
  EXPECT_NE(sealed, k.Encrypt("44030720150307123X", "child.id_number"));
}

TEST_F(CryptoTest, BlindIndexIsDeterministicPerContext) {
  KeyRing k = KeyRing::ForTesting();
  EXPECT_EQ(k.BlindIndex("13800138000", "phone"), k.BlindIndex("13800138000", "phone"));
  EXPECT_NE(k.BlindIndex("13800138000", "phone"), k.BlindIndex("13800138001", "phone"));
  EXPECT_NE(k.BlindIndex("13800138000", "phone"), k.BlindIndex("13800138000", "id"));
  EXPECT_EQ(k.BlindIndex("x", "c").size(), 32u);
}

TEST_F(CryptoTest, KeyFileIsCreatedOnceAndReloaded) {
  auto dir = std::filesystem::temp_directory_path() / ("th_key_" + RandomToken(6));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "tonghu.key").string();
  EXPECT_FALSE(KeyRing::FromFile(path, false).ok());
  auto a = KeyRing::FromFile(path, true);
  ASSERT_TRUE(a.ok());
  auto perms = std::filesystem::status(path).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::group_read, std::filesystem::perms::none);
  auto b = KeyRing::FromFile(path, false);
  ASSERT_TRUE(b.ok());
  auto back = b->Decrypt(a->Encrypt("秘密", "t"), "t");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "秘密");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace th::security
