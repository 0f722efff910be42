// The contract between policy evaluation and the membership service.
//
// Policies are pure: they decide whether a set of *already verified* signers satisfies a rule. Verifying
// signatures and validating identities belongs to the membership service (msp/), which implements
// Identity and IdentityDeserializer; common/ never depends on msp/.
//
//   signed data ──(IdentityDeserializer + Identity::Verify: VerifiedSigners)──► signers ──(Policy::Evaluate)──► OK?
//
// Everything here is deterministic: the same inputs give the same answer on every node, forever.
#ifndef CARELEDGER_COMMON_POLICIES_POLICY_H_
#define CARELEDGER_COMMON_POLICIES_POLICY_H_

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "msp/msp_principal.pb.h"

namespace careledger::policies {

// A signer as policy evaluation sees it. Implemented by msp::Identity. Implementations are immutable and
// thread-safe.
class Identity {
 public:
  virtual ~Identity() = default;

  // The MSP ID of the organisation that vouches for this identity, e.g. "Hospital1MSP".
  virtual std::string_view msp_id() const = 0;

  // The serialized msp.SerializedIdentity, as presented. Not a name of the signer: one certificate has many
  // encodings (PEM readers skip text before "-----BEGIN", line endings vary), so one signer can present many
  // different byte strings. Tell signers apart by signer_key().
  virtual std::string_view serialized() const = 0;

  // Names the signer canonically: two identities are the same signer iff these bytes are equal, whatever
  // bytes each was deserialized from. Policies count each signer once by it, so that one key holder cannot
  // satisfy OutOf(2, 'A.peer', 'A.peer') alone by presenting its certificate twice, encoded differently.
  // Computed when the identity is built: evaluation calls it often. Opaque: compare it, never parse or store
  // it.
  virtual std::string_view signer_key() const = 0;

  // OK if this identity satisfies `principal` (e.g. the ROLE principal Hospital1MSP.peer). Otherwise
  // PermissionDenied saying why not, or InvalidArgument if the principal itself is malformed.
  virtual absl::Status SatisfiesPrincipal(const ::common::MSPPrincipal& principal) const = 0;

  // OK if `signature` is this identity's valid signature over `message`; otherwise an error saying why
  // (malformed signature, high-S signature, signature mismatch).
  virtual absl::Status Verify(std::string_view message, std::string_view signature) const = 0;
};

// Turns serialized identities into validated Identity objects. Implemented by the MSP manager of a channel.
class IdentityDeserializer {
 public:
  virtual ~IdentityDeserializer() = default;

  // Parses `serialized` (msp.SerializedIdentity bytes) and validates the identity against its MSP.
  // InvalidArgument for malformed bytes, NotFound for an unknown MSP, PermissionDenied for an identity its
  // MSP does not accept (untrusted chain, revoked, no known OU).
  virtual absl::StatusOr<std::shared_ptr<const Identity>> DeserializeIdentity(std::string_view serialized) const = 0;
};

// One signature claimed by one identity over some data, as it appears in an envelope, an endorsement or a
// block's metadata. Views only: the caller keeps the bytes alive.
struct SignedData {
  std::string_view data;
  std::string_view identity;   // serialized msp.SerializedIdentity
  std::string_view signature;  // ASN.1 DER ECDSA signature
};

// A rule over signers.
class Policy {
 public:
  virtual ~Policy() = default;

  // OK if `signers` satisfy the policy. Each signer counts at most once, even if it satisfies several
  // principals or appears twice (the same Identity::signer_key(), whatever its serialized() bytes). Otherwise
  // PermissionDenied with a message that says what was missing. `signers` must already be verified (see
  // VerifiedSigners).
  virtual absl::Status Evaluate(std::span<const Identity* const> signers) const = 0;
};

// Deserializes each SignedData's identity and verifies its signature; returns the distinct identities whose
// signatures are valid, in first-seen order. Signatures that fail are dropped rather than reported, as in
// Fabric: an extra bad signature must not spoil a set that is otherwise sufficient.
//
// Precisely, like Fabric's SignatureSetToValidIdentities: signers are told apart by Identity::signer_key()
// (Fabric: by IdentityIdentifier, computed from the certificate), never by the bytes they were presented as;
// a signer counts from its first entry whose signature verifies (which fixes its place in the result), and
// its later entries, in whichever encoding, are skipped unverified; an entry with a bad signature does not
// stop a later, valid entry of the same signer from counting. Each distinct identity byte string is
// deserialized at most once, failures included. Thread-safe if `deserializer` and the identities it returns
// are.
std::vector<std::shared_ptr<const Identity>> VerifiedSigners(std::span<const SignedData> signed_data,
                                                             const IdentityDeserializer& deserializer);

// VerifiedSigners followed by policy.Evaluate.
absl::Status EvaluateSignedData(const Policy& policy, std::span<const SignedData> signed_data,
                                const IdentityDeserializer& deserializer);

}  // namespace careledger::policies

#endif  // CARELEDGER_COMMON_POLICIES_POLICY_H_
