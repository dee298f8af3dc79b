// SHA-256, the one implementation in Truce: content hashes of files and
// source records, token hashes, the evidence log's chain. The x86 SHA
// extensions when the CPU has them (several short messages hashed together:
// the round instruction's latency, not its throughput, bounds one message),
// OpenSSL otherwise; the two are checked against each other in
// sha256_test.cc. Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace truce {

// Hex SHA-256 (lower case) of `bytes`.
std::string Sha256Hex(std::string_view bytes);

// The 64 hex digits of a 32-byte digest into *out, reusing its capacity.
void Sha256DigestHex(const unsigned char* digest, std::string* out);

// SHA-256 of prefix + body into out[32], for short messages (a source
// record's content hash is that of dataset + "\n" + raw). `use_extensions`
// false forces OpenSSL (tests compare the two).
void Sha256Prefixed(std::string_view prefix, std::string_view body, unsigned char* out, bool use_extensions = true);
// Two messages with the same prefix, hashed together (faster than one by one).
void Sha256PrefixedPair(std::string_view prefix, std::string_view a, std::string_view b, unsigned char* out_a,
                        unsigned char* out_b, bool use_extensions = true);
// OpenSSL's SHA-256 of prefix + body, whatever the CPU.
void Sha256PrefixedOpenSsl(std::string_view prefix, std::string_view body, unsigned char* out);
// Whether the CPU has the SHA extensions (and the SSE levels they need).
bool HaveShaExtensions();

// OpenSSL's SHA256_CTX, opaque here (sized generously; checked in sha256.cc).
struct OpenSslSha256 {
  alignas(8) unsigned char bytes[128];
};

// SHA-256 of one long message fed in order: whole 64-byte blocks, then the
// rest (any length) to finish.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Blocks(const char* p, std::size_t n_blocks);
  void Finish(std::string_view tail, unsigned char* out);

 private:
  bool use_extensions_;
  std::uint64_t length_ = 0;
  std::uint32_t state_[8] = {};
  OpenSslSha256 openssl_;
};

// SHA-256 of a message given in pieces of any length.
class Sha256Hasher {
 public:
  void Update(std::string_view bytes);
  // The digest as hex; ends the message (Update no more).
  std::string Hex();

 private:
  Sha256Stream stream_;
  std::string pending_;  // the bytes after the last whole block, fewer than 64
};

}  // namespace truce
