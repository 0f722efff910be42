// The two metadata entries of a block that belong to the peer, as Fabric writes them:
//
//   metadata[TRANSACTIONS_FILTER] (2): the raw filter, one byte per entry of BlockData.data, each a
//                                      protos.TxValidationCode, set by the committer after validation;
//   metadata[COMMIT_HASH] (4):         a serialized common.Metadata whose value is the block's commit hash
//                                      (commit_hash.h), set by the ledger when it commits the block.
//
// Neither is covered by the block's header or data hash, so setting them does not change the block's identity.
// Pure functions; thread-safe.
#ifndef CARELEDGER_PEER_LEDGER_BLOCK_METADATA_H_
#define CARELEDGER_PEER_LEDGER_BLOCK_METADATA_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/common.pb.h"

namespace careledger::ledger {

// The transactions filter of `block`, a view into it. InvalidArgument if the block has no TRANSACTIONS_FILTER
// entry, if the entry's length differs from the number of transactions, or if a byte is not a code a
// committer may leave there (an undefined TxValidationCode, or NOT_VALIDATED); the message names the block and
// the transaction.
absl::StatusOr<std::string_view> TransactionsFilter(const ::common::Block& block);

// Sets metadata[COMMIT_HASH] to a common.Metadata holding `commit_hash`, first adding empty entries if the
// block has fewer than five. InvalidArgument only if the metadata cannot be serialized (never in practice).
absl::Status SetCommitHash(::common::Block& block, std::string_view commit_hash);

// The commit hash stored in `block`'s metadata. InvalidArgument, naming the block, if the entry is absent or
// empty, is not a common.Metadata, or holds an empty value.
absl::StatusOr<std::string> StoredCommitHash(const ::common::Block& block);

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_BLOCK_METADATA_H_
