// Deterministic signers for protoutil's tests. Real signing (ECDSA over X.509 identities) lives in msp/;
// these only make signatures predictable so tests can check what was signed.
#ifndef CARELEDGER_COMMON_PROTOUTIL_TEST_SIGNER_H_
#define CARELEDGER_COMMON_PROTOUTIL_TEST_SIGNER_H_

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "common/crypto/sha256.h"
#include "common/protoutil/signer.h"

namespace careledger::protoutil::testing {

// "Signs" with SHA-256(identity || message): different identities give different signatures, and a test can
// recompute the signature of the bytes it expects to have been signed.
class FakeSigner : public Signer {
 public:
  explicit FakeSigner(std::string identity) : identity_(std::move(identity)) {}

  static std::string SignatureOf(std::string_view identity, std::string_view message) {
    crypto::Sha256Hasher hasher;
    hasher.Update(identity);
    hasher.Update(message);
    return std::string(crypto::AsBytes(hasher.Finish()));
  }

  std::string SerializedIdentity() const override { return identity_; }
  absl::StatusOr<std::string> Sign(std::string_view message) const override { return SignatureOf(identity_, message); }

 private:
  std::string identity_;
};

// A signer whose key is unreachable.
class FailingSigner : public Signer {
 public:
  explicit FailingSigner(std::string identity) : identity_(std::move(identity)) {}
  std::string SerializedIdentity() const override { return identity_; }
  absl::StatusOr<std::string> Sign(std::string_view) const override {
    return absl::UnavailableError("HSM not reachable");
  }

 private:
  std::string identity_;
};

}  // namespace careledger::protoutil::testing

#endif  // CARELEDGER_COMMON_PROTOUTIL_TEST_SIGNER_H_
