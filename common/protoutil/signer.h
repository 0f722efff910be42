// What protoutil needs from a signing identity.
//
// protoutil builds the messages a client, an endorser or an orderer signs, but it must not depend on the
// membership service (common/ never uses msp/). The membership service's signing identity implements this
// interface; tests use a deterministic fake.
#ifndef CARELEDGER_COMMON_PROTOUTIL_SIGNER_H_
#define CARELEDGER_COMMON_PROTOUTIL_SIGNER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace careledger::protoutil {

// A signing identity. Implementations must be thread-safe: one identity signs for many concurrent requests.
class Signer {
 public:
  virtual ~Signer() = default;

  // The serialized msp.SerializedIdentity (MSP ID and certificate) that verifiers use to check this signer's
  // signatures. It becomes the `creator` of the headers protoutil builds, and the `endorser` of endorsements.
  // Must be non-empty and the same on every call.
  virtual std::string SerializedIdentity() const = 0;

  // Returns the signature over `message` (for Fabric's X.509 identities: ECDSA over SHA-256(message), DER
  // encoded, low-S). The signer hashes; callers pass the whole message. An error (e.g. an HSM that is not
  // reachable) is passed on unchanged by protoutil, with context.
  virtual absl::StatusOr<std::string> Sign(std::string_view message) const = 0;
};

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_SIGNER_H_
