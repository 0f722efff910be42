#include "common/policies/policy.h"

#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace careledger::policies {

std::vector<std::shared_ptr<const Identity>> VerifiedSigners(std::span<const SignedData> signed_data,
                                                             const IdentityDeserializer& deserializer) {
  std::vector<std::shared_ptr<const Identity>> signers;
  signers.reserve(signed_data.size());

  // Deserialization is deterministic, so each distinct identity byte string is deserialized at most once:
  // a signature set that repeats one identity many times costs one MSP validation, not many. Failures are
  // cached too (as nullptr).
  absl::flat_hash_map<std::string_view, std::shared_ptr<const Identity>> deserialized;
  // Signers already accepted, keyed by Identity::signer_key(), the contract's notion of "same signer": two
  // encodings of one certificate are two entries of `deserialized` but one signer here. The views stay
  // valid: `deserialized` owns every identity until we return.
  absl::flat_hash_set<std::string_view> accepted;

  for (const SignedData& item : signed_data) {
    auto [it, inserted] = deserialized.try_emplace(item.identity);
    if (inserted) {
      absl::StatusOr<std::shared_ptr<const Identity>> identity = deserializer.DeserializeIdentity(item.identity);
      if (identity.ok()) it->second = *std::move(identity);
    }
    const std::shared_ptr<const Identity>& identity = it->second;
    if (identity == nullptr) continue;  // undeserializable, or a deserializer that broke its contract

    // As in Fabric, an identity is only marked as seen once one of its signatures verifies: a later, valid
    // signature by the same identity still counts if an earlier one was bad. Every peer gets the same answer,
    // whatever the order of checks.
    if (accepted.contains(identity->signer_key())) continue;
    if (!identity->Verify(item.data, item.signature).ok()) continue;
    accepted.emplace(identity->signer_key());
    signers.push_back(identity);
  }
  return signers;
}

absl::Status EvaluateSignedData(const Policy& policy, std::span<const SignedData> signed_data,
                                const IdentityDeserializer& deserializer) {
  const std::vector<std::shared_ptr<const Identity>> signers = VerifiedSigners(signed_data, deserializer);
  std::vector<const Identity*> views;
  views.reserve(signers.size());
  for (const auto& signer : signers) views.push_back(signer.get());
  return policy.Evaluate(views);
}

}  // namespace careledger::policies
