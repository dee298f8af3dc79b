// API tokens: roles, and tokens created (the secret shown once, its SHA-256
// stored), revoked, and looked up.
#include <openssl/rand.h>

#include "core.h"
#include "truce/core/strings.h"
#include "truce/core/utf8.h"

namespace truce {

const char* RoleName(Role r) {
  switch (r) {
    case Role::kViewer: return "viewer";
    case Role::kAnalyst: return "analyst";
    case Role::kAdmin: return "admin";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kViewer, Role::kAnalyst, Role::kAdmin}) {
    if (name == RoleName(r)) return r;
  }
  return std::nullopt;
}

namespace facade {

Result<TokenGrant> Core::CreateToken(Role role, const std::string& name) {
  // The same rule for the CLI and POST /tokens: one line of printable UTF-8.
  if (!name.empty()) TRUCE_RETURN_IF_ERROR(CheckName(name, "name"));
  unsigned char random[32];
  if (RAND_bytes(random, sizeof random) != 1) return Status::IoError("no random bytes for a token (OpenSSL RAND_bytes)");
  TokenGrant g;
  g.token = "truce_" + HexEncode(std::string_view(reinterpret_cast<const char*>(random), sizeof random));
  store::TokenRecord record;
  record.name = name;
  record.role = RoleName(role);
  record.token_hash = Sha256Hex(g.token);
  record.created_at = time::FormatInstantUtc(clock_.Now());
  TRUCE_ASSIGN_OR_RETURN(record.id, store_->InsertToken(record));
  g.record = ToTokenInfo(record);
  return g;
}

Status Core::RevokeToken(std::int64_t id) { return store_->RevokeToken(id, time::FormatInstantUtc(clock_.Now())); }

Result<std::optional<store::TokenRecord>> Core::Authenticate(const std::string& token) {
  if (token.empty()) return std::optional<store::TokenRecord>();
  TRUCE_ASSIGN_OR_RETURN(std::optional<store::TokenRecord> t, store_->FindToken(Sha256Hex(token)));
  if (!t || t->revoked_at) return std::optional<store::TokenRecord>();
  return t;
}

}  // namespace facade
}  // namespace truce
