// Test-only (includes GoogleTest): a small chain of the committer's test channel ("healthchannel"), cut and
// signed by its orderer and committed by the real BlockCommitter into a real Ledger, so that every block
// carries the metadata a peer records (TRANSACTIONS_FILTER, COMMIT_HASH). What the audit's tests tamper with.
#ifndef CARELEDGER_NETWORK_AUDIT_TESTING_COMMITTED_CHAIN_H_
#define CARELEDGER_NETWORK_AUDIT_TESTING_COMMITTED_CHAIN_H_

#include <string>
#include <vector>

#include "common/common.pb.h"

namespace careledger::audit::testing {

struct CommittedChain {
  // Blocks 0..n-1 as the ledger holds them.
  std::vector<::common::Block> blocks;
  // The ledger's folder (a peer's channel ledger: <dir>/blocks/blocks/blockfile_000000), closed.
  std::string ledger_dir;
};

// Commits into a new ledger at `ledger_dir` the genesis block and, in each following block, the transactions
// `blocks[i]` (serialized envelopes), then reads every block back. Fails the test (ADD_FAILURE) and returns
// what it has if a step fails.
CommittedChain CommitChain(const std::string& ledger_dir, const std::vector<std::vector<std::string>>& blocks);

// A `_lifecycle` transaction (endorsement policy: the channel's LifecycleEndorsement, a MAJORITY of
// Hospital1MSP and Hospital2MSP) writing `key` = `value`, endorsed by both organisations' peers, or only by
// Hospital1MSP's if `both_organisations` is false (then ENDORSEMENT_POLICY_FAILURE).
std::string LifecycleWrite(int nonce, const std::string& key, const std::string& value, bool both_organisations = true);

}  // namespace careledger::audit::testing

#endif  // CARELEDGER_NETWORK_AUDIT_TESTING_COMMITTED_CHAIN_H_
