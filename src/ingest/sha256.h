// SHA-256 of prefix + body for short messages (a record's content hash is
// SHA-256 of dataset + "\n" + raw), one or two at a time. Uses the x86 SHA
// extensions when the CPU has them, OpenSSL otherwise; `use_extensions` =
// false forces OpenSSL (tests compare the two). Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace truce::ingest::internal {

bool HaveShaExtensions();
void Sha256Prefixed(std::string_view prefix, std::string_view body, unsigned char* out, bool use_extensions = true);
// Two messages with the same prefix, hashed together (faster than one by one).
void Sha256PrefixedPair(std::string_view prefix, std::string_view a, std::string_view b, unsigned char* out_a,
                        unsigned char* out_b, bool use_extensions = true);
// OpenSSL's SHA-256 of prefix + body.
void ContentDigestOpenSsl(std::string_view prefix, std::string_view body, unsigned char* out);

// OpenSSL's SHA256_CTX, opaque here (sized generously; checked in util.cc).
struct OpenSslSha256 {
  alignas(8) unsigned char bytes[128];
};
void OpenSslInit(OpenSslSha256* ctx);
void OpenSslUpdate(OpenSslSha256* ctx, std::string_view bytes);
void OpenSslFinal(OpenSslSha256* ctx, unsigned char* out);

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

// Hex SHA-256 of a whole buffer (as Sha256Hex, faster on CPUs with the extensions).
std::string Sha256HexOf(std::string_view bytes);

}  // namespace truce::ingest::internal
