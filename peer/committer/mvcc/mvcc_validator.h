// The MVCC check of one block: which of its transactions still hold once the transactions ordered before
// them are applied (Fabric's core/ledger/kvledger/txmgmt/validation). Pure: it reads the committed state view
// it is given and nothing else; no disk, no clock, no threads.
//
// Transactions are decided one after another in block order. A transaction that arrives with a code other
// than VALID (the signature and endorsement-policy stage, or the duplicate transaction ID check, already
// invalidated it) keeps its code, is not checked and contributes no writes. A VALID one is checked namespace by
// namespace in the order given, each namespace's reads first and then its range queries; the first failure
// decides its code:
//   - MVCC_READ_CONFLICT if a read key was written by an earlier valid transaction of this block (whatever
//     the versions), or if its recorded version differs from the committed one. A read without a version
//     means "absent", so it conflicts with a key that now exists, and a read with a version conflicts with a
//     key that is now absent.
//   - PHANTOM_READ_CONFLICT if re-running a recorded range query over committed state merged with the writes
//     of the earlier valid transactions of this block (puts add or replace keys, deletes remove them) does
//     not give exactly the recorded keys with the recorded versions, in order. An exhausted query
//     (itr_exhausted) is re-run over [start_key, end_key) (no upper bound if end_key is empty); one the
//     caller stopped early covers only what it saw, start_key through end_key (its last key) inclusive.
//     Fabric's exact procedure is kept even for records no CareLedger simulator writes: a non-exhausted
//     record with an empty end_key covers every key from start_key on.
//   - A range query summarised by reads_merkle_hashes instead of raw_reads is a PHANTOM_READ_CONFLICT
//     without being re-run. Fabric re-builds the Merkle summary and compares; CareLedger's simulator always
//     records raw reads, so such a record comes from an endorser that is not CareLedger's, and failing the
//     transaction is the deterministic, conservative answer every CareLedger peer gives alike.
// Otherwise the transaction stays VALID and its writes join the block's updates at version (block_num,
// index in the block): a KVWrite with is_delete, or with an empty value, is a delete (Fabric's
// IsKVWriteDelete); the last write of a key wins. Metadata writes (key-level endorsement policies) are not
// part of CareLedger's state and are ignored.
//
// A transaction that broke a rule is an invalid code, not an error. Errors are local failures: the view's
// storage errors (DataLoss, Internal), FailedPrecondition if the view is not at height block_num (validating
// against any other state would decide differently from every other peer), and InvalidArgument for a
// namespace entry without a read-write set (a caller bug). Nothing is returned but the error.
#ifndef CARELEDGER_PEER_COMMITTER_MVCC_MVCC_VALIDATOR_H_
#define CARELEDGER_PEER_COMMITTER_MVCC_MVCC_VALIDATOR_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "peer/committer/mvcc/state_updates.h"
#include "peer/ledger/state/state_snapshot.h"
#include "peer/transaction.pb.h"

namespace kvrwset {
class KVRWSet;
}  // namespace kvrwset

namespace careledger::committer {

// One entry of a transaction's TxReadWriteSet.ns_rwset: the namespace and its parsed KVRWSet. Both point into
// the caller's parsed transaction, which must stay alive during ValidateBlockMvcc (and no longer).
struct NamespaceReadWriteSet {
  std::string_view ns;
  const ::kvrwset::KVRWSet* rwset = nullptr;
};

// One transaction of the block (BlockData.data[i]) as the earlier validation stages left it. A transaction
// that is not an endorser transaction (a config transaction) comes with no namespaces.
struct MvccTransaction {
  ::protos::TxValidationCode code = ::protos::VALID;
  std::vector<NamespaceReadWriteSet> namespaces;  // in TxReadWriteSet.ns_rwset order
};

struct MvccOutcome {
  // One code per transaction, in block order: VALID, MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT, or the code
  // the transaction arrived with.
  std::vector<::protos::TxValidationCode> codes;
  // The writes of the transactions that stayed VALID. Owns its data (copies of keys and values).
  StateUpdates updates;
};

// Decides the block's transactions. `committed` is the state after blocks [0, block_num); `txs` are all the
// block's transactions, in order, so that txs[i] writes at version (block_num, i).
absl::StatusOr<MvccOutcome> ValidateBlockMvcc(const ledger::StateSnapshot& committed, uint64_t block_num,
                                              std::span<const MvccTransaction> txs);

}  // namespace careledger::committer

#endif  // CARELEDGER_PEER_COMMITTER_MVCC_MVCC_VALIDATOR_H_
