// Test-only: the blocks an orderer would cut after a given block, chained and signed, and the simplest
// implementations of the validator's two sources.
#ifndef CARELEDGER_PEER_COMMITTER_TESTING_TEST_CHAIN_H_
#define CARELEDGER_PEER_COMMITTER_TESTING_TEST_CHAIN_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "common/policies/policy.h"
#include "common/protoutil/signer.h"
#include "peer/committer/tx_validator.h"

namespace careledger::committer::testing {

// Extends a chain block by block. Not thread-safe.
class TestChain {
 public:
  // The next block follows `last`; `orderer` (not owned) signs every block.
  TestChain(const protoutil::Signer& orderer, ::common::BlockHeader last) : orderer_(orderer), last_(std::move(last)) {}

  // The next block, holding `entries` (serialized envelopes), signed as protoutil::SignBlock signs.
  ::common::Block Next(std::vector<std::string> entries);

  const ::common::BlockHeader& last() const { return last_; }

 private:
  const protoutil::Signer& orderer_;
  ::common::BlockHeader last_;
};

// Endorsement policies by chaincode name; NotFound for any other name.
class FixedEndorsementPolicies final : public EndorsementPolicySource {
 public:
  void Add(std::string chaincode, std::unique_ptr<policies::Policy> policy) {
    policies_[std::move(chaincode)] = std::move(policy);
  }
  absl::StatusOr<const policies::Policy*> ForChaincode(std::string_view name) const override;

 private:
  std::map<std::string, std::unique_ptr<policies::Policy>, std::less<>> policies_;
};

// Committed transaction IDs held in memory.
class FixedTxIds final : public CommittedTxIds {
 public:
  void Add(std::string tx_id) { ids_.insert(std::move(tx_id)); }
  absl::StatusOr<bool> Contains(std::string_view tx_id) const override { return ids_.find(tx_id) != ids_.end(); }

 private:
  std::set<std::string, std::less<>> ids_;
};

}  // namespace careledger::committer::testing

#endif  // CARELEDGER_PEER_COMMITTER_TESTING_TEST_CHAIN_H_
