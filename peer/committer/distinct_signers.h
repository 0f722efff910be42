// Evaluating a policy over signed data so that every key holder counts once.
//
// policies::EvaluateSignedData tells signers apart by Identity::serialized(), as the policy contract says
// (common/policies/policy.h). But msp::Msp keeps the serialized bytes it was given, and one certificate has
// many encodings: OpenSSL's PEM reader skips any text before "-----BEGIN", and DER lengths and protobuf fields
// can be written more than one way. So one endorser presenting its certificate twice, differently encoded,
// would count as two signers and satisfy a policy such as OutOf(2, 'Hospital1MSP.peer', 'Hospital1MSP.peer')
// alone. The committer therefore counts signers by MSP and public key.
#ifndef CARELEDGER_PEER_COMMITTER_DISTINCT_SIGNERS_H_
#define CARELEDGER_PEER_COMMITTER_DISTINCT_SIGNERS_H_

#include <span>

#include "absl/status/status.h"
#include "common/policies/policy.h"

namespace careledger::committer {

// policies::VerifiedSigners(signed_data, deserializer), then policy.Evaluate over the signers with every
// (MSP ID, public key) kept once, at its first place. An identity that is not an msp::Identity (the channel's
// msp::MspManager returns nothing else) is told apart by its serialized bytes. Returns Evaluate's verdict:
// OK, or PermissionDenied saying what is missing. Thread-safe if the deserializer and the policy are.
absl::Status EvaluateDistinctSigners(const policies::Policy& policy, std::span<const policies::SignedData> signed_data,
                                     const policies::IdentityDeserializer& deserializer);

}  // namespace careledger::committer

#endif  // CARELEDGER_PEER_COMMITTER_DISTINCT_SIGNERS_H_
