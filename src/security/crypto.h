#pragma once
// libsodium-backed primitives: argon2id password hashes, random tokens, field encryption
// (XChaCha20-Poly1305) and keyed BLAKE2b blind indexes for exact lookup of encrypted fields.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace th::security {

// Must be called once before anything else here; returns false if libsodium cannot start.
bool Init();

// Argon2id cost. kInteractive for production logins; kMinimum for tests only.
struct PasswordCost {
  std::uint64_t ops;
  std::size_t mem_bytes;
  static PasswordCost Interactive();  // libsodium INTERACTIVE: 2 passes, 64 MiB
  static PasswordCost Minimum();      // libsodium MIN: fast, for tests
};

// Returns the PHC string ("$argon2id$v=19$m=...") or kInternal on allocation failure.
Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost);
// Constant-time check of `password` against a PHC string from HashPassword.
bool VerifyPassword(std::string_view password, const std::string& phc);

// `bytes` random bytes, base64url without padding.
std::string RandomToken(std::size_t bytes = 32);
// A human-typable password for issuing to new users: 12 chars from an unambiguous alphabet,
// always with upper, lower and digit.
std::string RandomPassword();
// BLAKE2b-256 of `data`, lower-case hex (session token storage, audit chain).
std::string HashHex(std::string_view data);
// SHA-256 of `data`, lower-case hex (the checksum stored with an uploaded file).
std::string Sha256Hex(std::string_view data);
// Constant-time string comparison.
bool SafeEquals(std::string_view a, std::string_view b);

// Keys derived from one 32-byte master key (crypto_kdf): one for field encryption, one for
// blind indexes, so a leaked index key cannot decrypt.
class KeyRing {
 public:
  using Key = std::array<unsigned char, 32>;
  explicit KeyRing(const Key& master);
  // Loads the master key from a file (32 raw bytes or 64 hex chars). If the file does not exist
  // and `create` is true, writes a new random key with mode 0600.
  static Result<KeyRing> FromFile(const std::string& path, bool create);
  static KeyRing ForTesting();

  // Encrypts `plaintext` bound to `context` (e.g. "child.id_number"): nonce || ciphertext.
  std::string Encrypt(std::string_view plaintext, std::string_view context) const;
  // Decrypts; kInternal "decrypt_failed" if tampered, wrong key or wrong context.
  Result<std::string> Decrypt(std::string_view sealed, std::string_view context) const;
  // Keyed BLAKE2b-128 of the normalized value under `context`, hex. Equal inputs → equal index.
  std::string BlindIndex(std::string_view normalized, std::string_view context) const;
  // Keyed BLAKE2b-256 of `data` under the audit key (its own subkey of the master key), hex: the
  // MAC of the audit chain.
  std::string AuditMac(std::string_view data) const;

 private:
  Key enc_key_{};
  Key idx_key_{};
  Key audit_key_{};
};

}  // namespace th::security
