#include "security/crypto.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace th::security {

bool Init() { return sodium_init() >= 0; }

PasswordCost PasswordCost::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
PasswordCost PasswordCost::Minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("argon2id hashing failed (out of memory?)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& phc) {
  if (phc.empty()) return false;
  return crypto_pwhash_str_verify(phc.c_str(), password.data(), password.size()) == 0;
}

std::string RandomToken(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string RandomPassword() {
  static constexpr std::string_view kUpper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  static constexpr std::string_view kLower = "abcdefghijkmnpqrstuvwxyz";
  static constexpr std::string_view kDigit = "23456789";
  static constexpr std::string_view kAll =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  std::string p;
  p += kUpper[randombytes_uniform(kUpper.size())];
  p += kLower[randombytes_uniform(kLower.size())];
  p += kDigit[randombytes_uniform(kDigit.size())];
  while (p.size() < 12) p += kAll[randombytes_uniform(kAll.size())];
  // Fisher-Yates so the classes are not always at the front.
  for (std::size_t i = p.size() - 1; i > 0; --i) std::swap(p[i], p[randombytes_uniform(i + 1)]);
  return p;
}

std::string HashHex(std::string_view data) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

bool SafeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

KeyRing::KeyRing(const Key& master) {
  crypto_kdf_derive_from_key(enc_key_.data(), enc_key_.size(), 1, "th_field", master.data());
  crypto_kdf_derive_from_key(idx_key_.data(), idx_key_.size(), 2, "th_bidx_", master.data());
  crypto_kdf_derive_from_key(audit_key_.data(), audit_key_.size(), 3, "th_audit", master.data());
}

std::string KeyRing::AuditMac(std::string_view data) const {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                     audit_key_.data(), audit_key_.size());
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

KeyRing KeyRing::ForTesting() {
  Key k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<unsigned char>(i * 7 + 1);
  return KeyRing(k);
}

Result<KeyRing> KeyRing::FromFile(const std::string& path, bool create) {
  std::ifstream in(path, std::ios::binary);
  Key k{};
  if (!in) {
    if (!create) {
      return Status::Error(Code::kInternal, "key_missing", "密钥文件不存在: " + path,
                           "Key file not found: " + path);
    }
    randombytes_buf(k.data(), k.size());
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, k.data(), k.size());
    mode_t old = umask(077);
    std::FILE* f = std::fopen(path.c_str(), "wx");
    umask(old);
    if (!f) {
      return Status::Error(Code::kInternal, "key_write_failed", "无法创建密钥文件: " + path,
                           "Cannot create key file: " + path);
    }
    std::fprintf(f, "%s\n", hex);
    std::fclose(f);
    return KeyRing(k);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  if (s.size() == 32) {
    std::copy(s.begin(), s.end(), k.begin());
  } else if (s.size() == 64) {
    size_t bin_len = 0;
    if (sodium_hex2bin(k.data(), k.size(), s.data(), s.size(), nullptr, &bin_len, nullptr) != 0 ||
        bin_len != 32) {
      return Status::Error(Code::kInternal, "key_invalid", "密钥文件格式错误", "Key file is not valid hex");
    }
  } else {
    return Status::Error(Code::kInternal, "key_invalid", "密钥文件长度错误",
                         "Key file must hold 32 bytes or 64 hex characters");
  }
  return KeyRing(k);
}

std::string KeyRing::Encrypt(std::string_view plaintext, std::string_view context) const {
  std::string out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                      crypto_aead_xchacha20poly1305_ietf_ABYTES,
                  '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
      reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
      reinterpret_cast<const unsigned char*>(context.data()), context.size(), nullptr, nonce,
      enc_key_.data());
  return out;
}

Result<std::string> KeyRing::Decrypt(std::string_view sealed, std::string_view context) const {
  constexpr std::size_t kN = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kA = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kN + kA) {
    return Status::Error(Code::kInternal, "decrypt_failed", "解密失败", "Ciphertext too short");
  }
  std::string out(sealed.size() - kN - kA, '\0');
  unsigned long long mlen = 0;
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &mlen, nullptr, nonce + kN, sealed.size() - kN,
          reinterpret_cast<const unsigned char*>(context.data()), context.size(), nonce,
          enc_key_.data()) != 0) {
    return Status::Error(Code::kInternal, "decrypt_failed", "解密失败",
                         "Decryption failed: wrong key, context or tampered data");
  }
  out.resize(mlen);
  return out;
}

std::string KeyRing::BlindIndex(std::string_view normalized, std::string_view context) const {
  unsigned char h[16];
  crypto_generichash_state st;
  crypto_generichash_init(&st, idx_key_.data(), idx_key_.size(), sizeof h);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(context.data()), context.size());
  const unsigned char sep = 0;
  crypto_generichash_update(&st, &sep, 1);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(normalized.data()),
                            normalized.size());
  crypto_generichash_final(&st, h, sizeof h);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, h, sizeof h);
  return hex;
}

}  // namespace th::security
