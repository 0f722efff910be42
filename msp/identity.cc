#include "msp/identity.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/strings.h"
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

absl::StatusOr<std::string> Identity::SignerKey(std::string_view msp_id, const crypto::PublicKey& key) {
  // SubjectPublicKeyInfo { AlgorithmIdentifier { id-ecPublicKey, prime256v1 }, BIT STRING (65 bytes) }, up to
  // the point: what OpenSSL writes for a P-256 key with a named curve and an uncompressed point (RFC 5480).
  static constexpr unsigned char kP256SpkiPrefix[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                                      0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                                      0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
  const std::string& point = key.raw_point();
  if (point.size() != 65 || point[0] != '\x04') {
    return absl::InternalError(
        absl::StrCat("public key point of ", point.size(), " bytes is not an uncompressed P-256 point"));
  }
  return absl::StrCat(msp_id.size(), ":", AsAbsl(msp_id),
                      absl::string_view(reinterpret_cast<const char*>(kP256SpkiPrefix), sizeof(kP256SpkiPrefix)),
                      point);
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
