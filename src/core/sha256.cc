// SHA-256 (FIPS 180-4) with the x86 SHA extensions, two messages at a time
// where there are several: the round instruction's latency, not its
// throughput, bounds one message, so interleaving two nearly doubles the rate
// at which a file's rows are hashed. CPUs without the extensions use
// OpenSSL. Results are checked against OpenSSL in sha256_test.cc.
#include "truce/core/sha256.h"

// The one-shot SHA-256 functions: OpenSSL 3 deprecates them, but EVP's
// per-call method lookup takes a lock and costs more than hashing a row.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>
#include <memory>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define TRUCE_HAVE_X86 1
#endif

namespace truce {
namespace {

static_assert(sizeof(SHA256_CTX) <= sizeof(OpenSslSha256::bytes) && alignof(SHA256_CTX) <= 8);

void OpenSslInit(OpenSslSha256* ctx) { SHA256_Init(std::construct_at(reinterpret_cast<SHA256_CTX*>(ctx->bytes))); }
void OpenSslUpdate(OpenSslSha256* ctx, std::string_view bytes) {
  SHA256_Update(reinterpret_cast<SHA256_CTX*>(ctx->bytes), bytes.data(), bytes.size());
}
void OpenSslFinal(OpenSslSha256* ctx, unsigned char* out) {
  SHA256_Final(out, reinterpret_cast<SHA256_CTX*>(ctx->bytes));
}

// The padded message prefix + body, block by block: blocks wholly inside the
// body are read in place, the others (first, last) are assembled in buf.
class PaddedMessage {
 public:
  PaddedMessage(std::string_view prefix, std::string_view body) : prefix_(prefix), body_(body) {
    length_ = prefix.size() + body.size();
    blocks_ = (length_ + 9 + 63) / 64;
  }
  std::size_t blocks() const { return blocks_; }

  const unsigned char* Block(std::size_t i) {
    const std::size_t begin = 64 * i, end = begin + 64;
    const std::size_t p = prefix_.size();
    if (begin >= p && end <= length_) {
      return reinterpret_cast<const unsigned char*>(body_.data()) + (begin - p);
    }
    std::memset(buf_, 0, sizeof buf_);
    if (begin < p) std::memcpy(buf_, prefix_.data() + begin, std::min(p, end) - begin);
    const std::size_t from = std::max(begin, p), to = std::min(end, length_);
    if (from < to) std::memcpy(buf_ + (from - begin), body_.data() + (from - p), to - from);
    if (length_ >= begin && length_ < end) buf_[length_ - begin] = 0x80;
    if (i + 1 == blocks_) {
      const std::uint64_t bits = static_cast<std::uint64_t>(length_) * 8;
      for (int k = 0; k < 8; ++k) buf_[56 + k] = static_cast<unsigned char>(bits >> (56 - 8 * k));
    }
    return buf_;
  }

 private:
  std::string_view prefix_, body_;
  std::size_t length_ = 0, blocks_ = 0;
  unsigned char buf_[64];
};

#ifdef TRUCE_HAVE_X86

alignas(16) constexpr std::uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

constexpr std::uint32_t kInit[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

#define TRUCE_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// K streams' states in the instruction's layout: s0 = (A,B,E,F), s1 = (C,D,G,H).
template <int K>
struct ShaState {
  __m128i s0[K], s1[K];
};

template <int K>
TRUCE_SHA_TARGET inline void Init(ShaState<K>* st) {
  // Standard order h0..h7 -> ABEF / CDGH.
  __m128i abcd = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kInit));
  __m128i efgh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kInit + 4));
  __m128i tmp = _mm_shuffle_epi32(abcd, 0xB1);  // CDAB
  efgh = _mm_shuffle_epi32(efgh, 0x1B);        // EFGH
  __m128i s0 = _mm_alignr_epi8(tmp, efgh, 8);  // ABEF
  __m128i s1 = _mm_blend_epi16(efgh, tmp, 0xF0);  // CDGH
  for (int k = 0; k < K; ++k) {
    st->s0[k] = s0;
    st->s1[k] = s1;
  }
}

// One 64-byte block for each of the K streams, their instructions interleaved.
template <int K>
TRUCE_SHA_TARGET inline void Compress(ShaState<K>* st, const unsigned char* const* blocks) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i save0[K], save1[K], m[K][4];
  for (int k = 0; k < K; ++k) {
    save0[k] = st->s0[k];
    save1[k] = st->s1[k];
  }
#pragma GCC unroll 16
  for (int g = 0; g < 16; ++g) {
    const __m128i kg = _mm_load_si128(reinterpret_cast<const __m128i*>(kK + 4 * g));
    for (int k = 0; k < K; ++k) {
      if (g < 4) {
        m[k][g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blocks[k] + 16 * g)), bswap);
      } else {
        // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time.
        __m128i x = _mm_sha256msg1_epu32(m[k][g & 3], m[k][(g - 3) & 3]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(m[k][(g - 1) & 3], m[k][(g - 2) & 3], 4));
        m[k][g & 3] = _mm_sha256msg2_epu32(x, m[k][(g - 1) & 3]);
      }
      __m128i msg = _mm_add_epi32(m[k][g & 3], kg);
      st->s1[k] = _mm_sha256rnds2_epu32(st->s1[k], st->s0[k], msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      st->s0[k] = _mm_sha256rnds2_epu32(st->s0[k], st->s1[k], msg);
    }
  }
  for (int k = 0; k < K; ++k) {
    st->s0[k] = _mm_add_epi32(st->s0[k], save0[k]);
    st->s1[k] = _mm_add_epi32(st->s1[k], save1[k]);
  }
}

template <int K>
TRUCE_SHA_TARGET inline void Finish(const ShaState<K>& st, int k, unsigned char* out) {
  __m128i tmp = _mm_shuffle_epi32(st.s0[k], 0x1B);     // FEBA
  __m128i s1 = _mm_shuffle_epi32(st.s1[k], 0xB1);      // DCHG
  __m128i abcd = _mm_blend_epi16(tmp, s1, 0xF0);       // DCBA
  __m128i efgh = _mm_alignr_epi8(s1, tmp, 8);          // HGFE
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_shuffle_epi8(abcd, bswap));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16), _mm_shuffle_epi8(efgh, bswap));
}

// Standard-order state h0..h7 <-> the instruction's layout, for one stream.
TRUCE_SHA_TARGET inline void LoadState(const std::uint32_t* h, ShaState<1>* st) {
  __m128i abcd = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h));
  __m128i efgh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(h + 4));
  __m128i tmp = _mm_shuffle_epi32(abcd, 0xB1);
  efgh = _mm_shuffle_epi32(efgh, 0x1B);
  st->s0[0] = _mm_alignr_epi8(tmp, efgh, 8);
  st->s1[0] = _mm_blend_epi16(efgh, tmp, 0xF0);
}

TRUCE_SHA_TARGET inline void StoreState(const ShaState<1>& st, std::uint32_t* h) {
  __m128i tmp = _mm_shuffle_epi32(st.s0[0], 0x1B);
  __m128i s1 = _mm_shuffle_epi32(st.s1[0], 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(h), _mm_blend_epi16(tmp, s1, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(h + 4), _mm_alignr_epi8(s1, tmp, 8));
}

TRUCE_SHA_TARGET void BlocksShaNi(std::uint32_t* h, const unsigned char* p, std::size_t n_blocks) {
  ShaState<1> st;
  LoadState(h, &st);
  for (std::size_t i = 0; i < n_blocks; ++i) {
    const unsigned char* b[1] = {p + 64 * i};
    Compress(&st, b);
  }
  StoreState(st, h);
}

TRUCE_SHA_TARGET void HashOneShaNi(std::string_view prefix, std::string_view body, unsigned char* out) {
  PaddedMessage msg(prefix, body);
  ShaState<1> st;
  Init(&st);
  for (std::size_t i = 0; i < msg.blocks(); ++i) {
    const unsigned char* b[1] = {msg.Block(i)};
    Compress(&st, b);
  }
  Finish(st, 0, out);
}

TRUCE_SHA_TARGET void HashTwoShaNi(std::string_view prefix, std::string_view a, std::string_view b,
                                   unsigned char* out_a, unsigned char* out_b) {
  PaddedMessage ma(prefix, a), mb(prefix, b);
  ShaState<2> st;
  Init(&st);
  const std::size_t both = std::min(ma.blocks(), mb.blocks());
  for (std::size_t i = 0; i < both; ++i) {
    const unsigned char* blocks[2] = {ma.Block(i), mb.Block(i)};
    Compress(&st, blocks);
  }
  // The longer message goes on alone, in its own lane's state.
  PaddedMessage& rest = ma.blocks() > both ? ma : mb;
  const int lane = ma.blocks() > both ? 0 : 1;
  if (rest.blocks() > both) {
    ShaState<1> one;
    one.s0[0] = st.s0[lane];
    one.s1[0] = st.s1[lane];
    for (std::size_t i = both; i < rest.blocks(); ++i) {
      const unsigned char* blk[1] = {rest.Block(i)};
      Compress(&one, blk);
    }
    st.s0[lane] = one.s0[0];
    st.s1[lane] = one.s1[0];
  }
  Finish(st, 0, out_a);
  Finish(st, 1, out_b);
}

bool DetectShaNi() {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  const bool ssse3 = (ecx & (1u << 9)) != 0, sse41 = (ecx & (1u << 19)) != 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  const bool sha = (ebx & (1u << 29)) != 0;
  return ssse3 && sse41 && sha;
}

#endif  // TRUCE_HAVE_X86

}  // namespace

bool HaveShaExtensions() {
#ifdef TRUCE_HAVE_X86
  static const bool have = DetectShaNi();
  return have;
#else
  return false;
#endif
}

void Sha256Prefixed(std::string_view prefix, std::string_view body, unsigned char* out, bool use_extensions) {
#ifdef TRUCE_HAVE_X86
  if (use_extensions && HaveShaExtensions()) {
    HashOneShaNi(prefix, body, out);
    return;
  }
#endif
  (void)use_extensions;
  Sha256PrefixedOpenSsl(prefix, body, out);
}

void Sha256PrefixedPair(std::string_view prefix, std::string_view a, std::string_view b, unsigned char* out_a,
                        unsigned char* out_b, bool use_extensions) {
#ifdef TRUCE_HAVE_X86
  if (use_extensions && HaveShaExtensions()) {
    HashTwoShaNi(prefix, a, b, out_a, out_b);
    return;
  }
#endif
  (void)use_extensions;
  Sha256PrefixedOpenSsl(prefix, a, out_a);
  Sha256PrefixedOpenSsl(prefix, b, out_b);
}

Sha256Stream::Sha256Stream() : use_extensions_(HaveShaExtensions()) {
#ifdef TRUCE_HAVE_X86
  std::memcpy(state_, kInit, sizeof state_);
#endif
  if (!use_extensions_) OpenSslInit(&openssl_);
}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::Blocks(const char* p, std::size_t n_blocks) {
  length_ += 64 * n_blocks;
#ifdef TRUCE_HAVE_X86
  if (use_extensions_) {
    BlocksShaNi(state_, reinterpret_cast<const unsigned char*>(p), n_blocks);
    return;
  }
#endif
  OpenSslUpdate(&openssl_, std::string_view(p, 64 * n_blocks));
}

void Sha256Stream::Finish(std::string_view tail, unsigned char* out) {
#ifdef TRUCE_HAVE_X86
  if (use_extensions_) {
    const std::size_t whole = tail.size() / 64;
    Blocks(tail.data(), whole);
    tail.remove_prefix(64 * whole);
    // The rest and the padding: one or two blocks.
    unsigned char last[128] = {};
    std::memcpy(last, tail.data(), tail.size());
    last[tail.size()] = 0x80;
    const std::size_t blocks = tail.size() + 9 <= 64 ? 1 : 2;
    const std::uint64_t bits = (length_ + tail.size()) * 8;
    for (int k = 0; k < 8; ++k) last[64 * blocks - 8 + k] = static_cast<unsigned char>(bits >> (56 - 8 * k));
    BlocksShaNi(state_, last, blocks);
    for (int i = 0; i < 8; ++i) {
      for (int k = 0; k < 4; ++k) out[4 * i + k] = static_cast<unsigned char>(state_[i] >> (24 - 8 * k));
    }
    return;
  }
#endif
  OpenSslUpdate(&openssl_, tail);
  OpenSslFinal(&openssl_, out);
}

void Sha256PrefixedOpenSsl(std::string_view prefix, std::string_view body, unsigned char* out) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, prefix.data(), prefix.size());
  SHA256_Update(&ctx, body.data(), body.size());
  SHA256_Final(out, &ctx);
}

void Sha256DigestHex(const unsigned char* digest, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->resize(64);
  char* o = out->data();
  for (int i = 0; i < 32; ++i) {
    o[2 * i] = kHex[digest[i] >> 4];
    o[2 * i + 1] = kHex[digest[i] & 15];
  }
}

void Sha256Hasher::Update(std::string_view bytes) {
  if (!pending_.empty()) {
    const std::size_t take = std::min<std::size_t>(64 - pending_.size(), bytes.size());
    pending_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (pending_.size() < 64) return;
    stream_.Blocks(pending_.data(), 1);
    pending_.clear();
  }
  const std::size_t whole = bytes.size() / 64;
  if (whole > 0) stream_.Blocks(bytes.data(), whole);
  pending_.assign(bytes.substr(64 * whole));
}

std::string Sha256Hasher::Hex() {
  unsigned char digest[32];
  stream_.Finish(pending_, digest);
  std::string out;
  Sha256DigestHex(digest, &out);
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  Sha256Stream stream;
  unsigned char digest[32];
  stream.Finish(bytes, digest);
  std::string out;
  Sha256DigestHex(digest, &out);
  return out;
}

}  // namespace truce
