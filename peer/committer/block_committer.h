// BlockCommitter: the committer of one channel, from a block the ordering service delivered to a block on the
// ledger. It strings the stages together in Fabric's order:
//
//   VerifyBlock (hash chain, orderer signatures against /Channel/Orderer/BlockValidation)
//     -> TxValidator (structure, creators, endorsements, endorsement policies: in parallel)
//     -> MVCC (read conflicts and phantoms, in block order)
//     -> TRANSACTIONS_FILTER metadata -> Ledger::Commit (blocks, state, history, commit hash: atomically)
//
// A block that fails VerifyBlock is refused whole (an error: nothing is committed, the deliverer should fetch
// it again, from another orderer); invalid transactions are marked and the block goes on. Endorsement
// policies come from the chaincode definitions committed before the block (peer/lifecycle), as in Fabric.
//
// The channel's configuration and MSPs are fixed for the committer's life: the peer builds a new committer
// when a configuration block changes them. Commit calls must come one at a time, in block order (one
// deliverer thread per channel); the ledger's readers are never blocked by it.
#ifndef CARELEDGER_PEER_COMMITTER_BLOCK_COMMITTER_H_
#define CARELEDGER_PEER_COMMITTER_BLOCK_COMMITTER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "common/channelconfig/channel_config.h"
#include "common/common.pb.h"
#include "common/concurrency/thread_pool.h"
#include "msp/msp_manager.h"
#include "peer/ledger/ledger.h"
#include "peer/transaction.pb.h"

namespace careledger::committer {

// What committing one block decided.
struct CommittedBlock {
  uint64_t number = 0;
  std::vector<::protos::TxValidationCode> codes;  // one per transaction, in block order
  bool has_config = false;                         // a VALID config transaction: the configuration changed
};

class BlockCommitter {
 public:
  // All references must outlive the committer. `pool` runs transaction validation (null: the calling thread).
  BlockCommitter(const channelconfig::ChannelConfig& config, const msp::MspManager& msps, ledger::Ledger& ledger,
                 ThreadPool* pool);

  // Commits the channel's genesis block (block 0 of an empty ledger), trusted because the administrator
  // provided it: VerifyGenesisBlock, every entry must be a valid config transaction of this channel.
  // FailedPrecondition if the ledger is not empty; InvalidArgument naming the problem otherwise.
  absl::StatusOr<CommittedBlock> CommitGenesis(::common::Block block);

  // Verifies, validates and commits the next block (number Ledger::Height()). Errors, with nothing committed:
  // FailedPrecondition if the block is not the next one; InvalidArgument / PermissionDenied from VerifyBlock
  // (the block is not the ordering service's, or is damaged); local failures (reading state or definitions,
  // the ledger's commit) as they are.
  absl::StatusOr<CommittedBlock> Commit(::common::Block block);

 private:
  const channelconfig::ChannelConfig& config_;
  const msp::MspManager& msps_;
  ledger::Ledger& ledger_;
  ThreadPool* pool_;
  // The last committed block's header, kept so that each block is checked against it without reading the
  // previous block back from disk.
  std::optional<::common::BlockHeader> last_header_;
};

}  // namespace careledger::committer

#endif  // CARELEDGER_PEER_COMMITTER_BLOCK_COMMITTER_H_
