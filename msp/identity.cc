#include "msp/identity.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "msp/msp.h"

namespace careledger::msp {

std::string_view NodeRoleName(NodeRole role) {
  switch (role) {
    case NodeRole::kUnclassified: return "unclassified";
    case NodeRole::kClient: return "client";
    case NodeRole::kPeer: return "peer";
    case NodeRole::kAdmin: return "admin";
    case NodeRole::kOrderer: return "orderer";
  }
  return "unknown";
}

std::string_view Identity::msp_id() const { return msp_->name(); }

absl::Status Identity::SatisfiesPrincipal(const ::common::MSPPrincipal& principal) const {
  return msp_->SatisfiesPrincipal(*this, principal);
}

absl::Status Identity::Verify(std::string_view message, std::string_view signature) const {
  return certificate().public_key().Verify(message, signature);
}

std::optional<std::string> Identity::Attribute(std::string_view name) const {
  auto it = attributes_.find(name);
  if (it == attributes_.end()) return std::nullopt;
  return it->second;
}

absl::Status Identity::CheckValidAt(absl::Time now) const {
  const crypto::Certificate& cert = certificate();
  if (now < cert.not_before()) {
    return absl::PermissionDeniedError(absl::StrCat("certificate of '", cert.subject().one_line,
                                                    "' is not valid before ", absl::FormatTime(cert.not_before())));
  }
  if (now >= cert.not_after()) {
    return absl::PermissionDeniedError(absl::StrCat("certificate of '", cert.subject().one_line, "' expired at ",
                                                    absl::FormatTime(cert.not_after())));
  }
  return absl::OkStatus();
}

std::string Identity::ClientId() const {
  return absl::StrCat("x509::", certificate().subject().one_line, "::", certificate().issuer().one_line);
}

}  // namespace careledger::msp
