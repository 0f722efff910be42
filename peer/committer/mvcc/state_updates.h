// The writes of a block's valid transactions, as the MVCC check accumulates them: for every key written, its
// last write in block order and the version (block number, transaction index) of the transaction that made
// it. Later transactions of the block are checked against these before committed state; the ledger commit
// can apply them as they are.
//
// Ordered maps with byte-wise key order, so that iteration is deterministic and a range of keys can be
// merged with a state scan.
#ifndef CARELEDGER_PEER_COMMITTER_MVCC_STATE_UPDATES_H_
#define CARELEDGER_PEER_COMMITTER_MVCC_STATE_UPDATES_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "peer/ledger/state/state_snapshot.h"

namespace careledger::committer {

// The final write of one key in the block.
struct KeyUpdate {
  std::optional<std::string> value;  // nullopt: the key is deleted
  ledger::Version version;           // the writing transaction's block number and index in the block

  friend bool operator==(const KeyUpdate&, const KeyUpdate&) = default;
};

// Key -> its update, for one namespace.
using NamespaceUpdates = std::map<std::string, KeyUpdate, std::less<>>;

// Namespace -> its updates.
using StateUpdates = std::map<std::string, NamespaceUpdates, std::less<>>;

}  // namespace careledger::committer

#endif  // CARELEDGER_PEER_COMMITTER_MVCC_STATE_UPDATES_H_
