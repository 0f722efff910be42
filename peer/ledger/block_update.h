// What one block changes in the ledger's databases: the writes of its valid transactions, in transaction
// order, and the block's commit hash. Built from a block by ValidWriteSets (valid_write_sets.h) and
// CommitHash (commit_hash.h); applied by StateStore::ApplyBlock (state/state_store.h). A live commit and the
// replay of a stored block build it with the same code, so replay can never differ from a commit.
#ifndef CARELEDGER_PEER_LEDGER_BLOCK_UPDATE_H_
#define CARELEDGER_PEER_LEDGER_BLOCK_UPDATE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "google/protobuf/timestamp.pb.h"

namespace careledger::ledger {

// One write of a key (kvrwset.KVWrite in its namespace). A delete carries an empty value, whatever the
// transaction's KVWrite held: Fabric ignores the value of a delete, and so do the state, history and hash.
struct KeyWrite {
  std::string ns;
  std::string key;
  bool is_delete = false;
  std::string value;

  friend bool operator==(const KeyWrite&, const KeyWrite&) = default;
};

// The writes of one valid endorser transaction, in the order its read-write set lists them (namespace by
// namespace), with what the history index records about the transaction.
struct TxWriteSet {
  uint64_t tx_num = 0;  // position in BlockData.data
  std::string tx_id;    // ChannelHeader.tx_id
  google::protobuf::Timestamp timestamp;  // ChannelHeader.timestamp
  std::vector<KeyWrite> writes;
};

// A block's effects on the state database. Later writes of a key (in a later transaction, or later in the same
// transaction) overwrite earlier ones.
struct BlockUpdate {
  uint64_t block_number = 0;
  std::vector<TxWriteSet> transactions;  // ascending tx_num; valid endorser transactions only
  std::string commit_hash;               // of this block (commit_hash.h)
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_BLOCK_UPDATE_H_
