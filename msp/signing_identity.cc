#include "msp/signing_identity.h"

#include "absl/strings/str_cat.h"
#include "msp/msp.h"

namespace careledger::msp {

SigningIdentity::SigningIdentity(std::string msp_id, crypto::Certificate certificate, crypto::PrivateKey key)
    : msp_id_(std::move(msp_id)),
      certificate_(std::move(certificate)),
      key_(std::move(key)),
      serialized_(SerializeIdentity(msp_id_, certificate_)) {}

absl::StatusOr<SigningIdentity> SigningIdentity::Create(std::string msp_id, crypto::Certificate certificate,
                                                        crypto::PrivateKey key) {
  if (msp_id.empty()) return absl::InvalidArgumentError("signing identity needs an MSP ID");
  if (!(certificate.public_key() == key.public_key())) {
    return absl::InvalidArgumentError(
        absl::StrCat("private key does not belong to certificate '", certificate.subject().one_line, "'"));
  }
  return SigningIdentity(std::move(msp_id), std::move(certificate), std::move(key));
}

}  // namespace careledger::msp
