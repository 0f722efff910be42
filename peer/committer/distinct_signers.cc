#include "peer/committer/distinct_signers.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"
#include "msp/identity.h"

namespace careledger::committer {
namespace {

// What makes two signers the same: MSP and key for X.509 identities, the serialized bytes otherwise. The
// MSP ID is length-prefixed so that no two (MSP ID, key) pairs give the same string.
std::string SignerKey(const policies::Identity& identity) {
  if (const auto* x509 = dynamic_cast<const msp::Identity*>(&identity); x509 != nullptr) {
    return absl::StrCat("key:", identity.msp_id().size(), ":", AsAbsl(identity.msp_id()),
                        x509->certificate().public_key().raw_point());
  }
  return absl::StrCat("bytes:", AsAbsl(identity.serialized()));
}

}  // namespace

absl::Status EvaluateDistinctSigners(const policies::Policy& policy, std::span<const policies::SignedData> signed_data,
                                     const policies::IdentityDeserializer& deserializer) {
  const std::vector<std::shared_ptr<const policies::Identity>> signers =
      policies::VerifiedSigners(signed_data, deserializer);
  absl::flat_hash_set<std::string> seen;
  std::vector<const policies::Identity*> distinct;
  distinct.reserve(signers.size());
  for (const std::shared_ptr<const policies::Identity>& signer : signers) {
    if (seen.insert(SignerKey(*signer)).second) distinct.push_back(signer.get());
  }
  return policy.Evaluate(distinct);
}

}  // namespace careledger::committer
