// A node's or a user's own identity: certificate plus private key, able to sign.
#ifndef CARELEDGER_MSP_SIGNING_IDENTITY_H_
#define CARELEDGER_MSP_SIGNING_IDENTITY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/x509.h"
#include "common/protoutil/signer.h"

namespace careledger::msp {

// Immutable and thread-safe: one identity signs for many concurrent requests.
class SigningIdentity final : public protoutil::Signer {
 public:
  // InvalidArgument if `msp_id` is empty or `key` is not the private key of `certificate`.
  static absl::StatusOr<SigningIdentity> Create(std::string msp_id, crypto::Certificate certificate,
                                                crypto::PrivateKey key);

  std::string SerializedIdentity() const override { return serialized_; }
  absl::StatusOr<std::string> Sign(std::string_view message) const override { return key_.Sign(message); }

  const std::string& msp_id() const { return msp_id_; }
  const crypto::Certificate& certificate() const { return certificate_; }

 private:
  SigningIdentity(std::string msp_id, crypto::Certificate certificate, crypto::PrivateKey key);

  std::string msp_id_;
  crypto::Certificate certificate_;
  crypto::PrivateKey key_;
  std::string serialized_;
};

}  // namespace careledger::msp

#endif  // CARELEDGER_MSP_SIGNING_IDENTITY_H_
