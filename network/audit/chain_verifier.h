// Verifying a channel's whole chain, from its genesis block, the way a regulator's audit does it: by replaying
// every block through the peer's own commit pipeline (peer/committer BlockCommitter over a scratch
// peer/ledger Ledger) and comparing what the replay decides with what each block records. There is no second
// validator to drift from the peer's rules: whatever the peer checks when it commits, the audit checks again.
//
// Per block, in this order (the first failure is the chain's inconsistency):
//   1. it is the next block: its number is the position in the chain;
//   2. block 0: a well-formed genesis block carrying a channel configuration (committer::VerifyGenesisBlock,
//      ChannelConfig::FromConfigBlock), whose header hash is VerifyOptions::expected_genesis_hash if given. It is
//      otherwise trusted as every peer trusts it; VerifyResult gives its header hash so the regulator can compare
//      it with the one the consortium published;
//   3. later blocks: previous_hash is the previous block's header hash and data_hash the hash of its data;
//   4. the peer's metadata is present and well formed: the TRANSACTIONS_FILTER (one valid code per
//      transaction) and the COMMIT_HASH (only for a peer's chain, see below);
//   5. the commit pipeline accepts the block: every data entry a well-formed envelope and the orderer
//      signatures satisfying /Channel/Orderer/BlockValidation of the configuration in force at that block
//      (committer::VerifyBlock); then every transaction re-validated (creator signature, endorsements against
//      the chaincode's endorsement policy from the `_lifecycle` definitions committed before the block,
//      duplicate IDs, MVCC) and the block committed to the scratch ledger;
//   6. the recorded validation code of each transaction equals the recomputed one;
//   7. the recorded commit hash equals the one the scratch ledger computed, which summarises every state
//      change up to this block (peer/ledger/commit_hash.h).
// A VALID config transaction changes the configuration (and MSPs) the following blocks are judged under.
//
// A peer's chain or an orderer's: a peer records a TRANSACTIONS_FILTER and a COMMIT_HASH in every block, an
// orderer neither. The kind is decided by block 0 (a COMMIT_HASH there: a peer's chain); steps 4, 6 and 7 then
// apply to every block of a peer's chain and to none of an orderer's, whose transactions are still re-validated
// (their verdicts are counted in VerifyResult). So that stripping block 0's metadata cannot switch those steps
// off, a later block of an orderer's chain carrying a COMMIT_HASH is an inconsistency, and a caller that knows
// the chain is a peer's (it came from a peer's Deliver service) sets VerifyOptions::require_peer_chain.
//
// Thread-safety: VerifyChain may run on several threads at once over different sources and scratch folders.
#ifndef CARELEDGER_NETWORK_AUDIT_CHAIN_VERIFIER_H_
#define CARELEDGER_NETWORK_AUDIT_CHAIN_VERIFIER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/concurrency/thread_pool.h"
#include "network/audit/block_source.h"

namespace careledger::audit {

struct VerifyOptions {
  // The scratch ledger's folder: must not exist yet, or be empty. Left in place afterwards (it holds the
  // re-validated chain, which a regulator may keep). Empty: a fresh folder under the system's temporary
  // folder, removed when VerifyChain returns.
  std::string work_dir;
  // Runs transaction validation in parallel; null: on the calling thread. Must outlive the call.
  ThreadPool* pool = nullptr;
  // The chain comes from a peer: block 0 must carry the peer's metadata (see above).
  bool require_peer_chain = false;
  // The header hash (32 raw bytes) block 0 must have, as the consortium published it; empty: not checked.
  std::string expected_genesis_hash;
  // Called after each block has been checked, with the number of blocks done (for a progress bar).
  std::function<void(uint64_t blocks_done)> on_block;
};

// The first inconsistency found.
struct Inconsistency {
  uint64_t block_number = 0;
  std::optional<uint32_t> tx_index;  // for a transaction's verdict
  std::string tx_id;                 // the transaction's ID, when it could be read
  // The whole finding, one line, starting with the block: "block 17: previous hash 3fa2… does not match block
  // 16's header hash 9c01…", "block 23 tx 4 (txid …): recorded VALID, re-validation says
  // ENDORSEMENT_POLICY_FAILURE: …".
  std::string message;
};

struct VerifyResult {
  std::string channel_id;              // from the genesis block; empty if block 0 itself is wrong
  std::string genesis_hash;            // header hash of block 0 (raw bytes)
  bool peer_chain = false;             // the chain records the peer's metadata (see above)
  uint64_t blocks_checked = 0;         // blocks found consistent, from block 0
  uint64_t transactions = 0;           // in those blocks
  uint64_t valid_transactions = 0;     // of which re-validation found VALID
  uint64_t config_blocks = 0;          // configuration changes applied (block 0 included)
  std::string last_block_hash;         // header hash of the last block checked (raw bytes)
  std::string last_commit_hash;        // the scratch ledger's commit hash of that block (raw bytes)
  std::optional<Inconsistency> inconsistency;  // nullopt: the chain is intact

  bool intact() const { return !inconsistency.has_value(); }
};

// Reads `source` to its end and verifies the chain as described above. Stops at the first inconsistency,
// which it returns in VerifyResult (a DataLoss from the source counts as one, at the block it concerns).
// Errors mean the audit could not run, and say nothing about the chain: FailedPrecondition if the source holds
// no block or `work_dir` is not empty; the source's other errors; local failures of the scratch ledger
// (Internal, ...). Never modifies the source.
absl::StatusOr<VerifyResult> VerifyChain(BlockSource& source, const VerifyOptions& options = {});

}  // namespace careledger::audit

#endif  // CARELEDGER_NETWORK_AUDIT_CHAIN_VERIFIER_H_
