// Recording each transaction's verdict in its block, as Fabric does: metadata[TRANSACTIONS_FILTER] holds one
// byte per data entry, the entry's TxValidationCode (VALID is 0). The ledger commits the write sets of the
// transactions marked VALID, and clients read their transaction's fate from this byte.
#ifndef CARELEDGER_PEER_COMMITTER_TRANSACTIONS_FILTER_H_
#define CARELEDGER_PEER_COMMITTER_TRANSACTIONS_FILTER_H_

#include <span>

#include "absl/status/status.h"
#include "common/common.pb.h"
#include "peer/transaction.pb.h"

namespace careledger::committer {

// Sets block->metadata().metadata(TRANSACTIONS_FILTER) to `codes`, one byte each, first growing the metadata
// to Fabric's five entries (SIGNATURES .. COMMIT_HASH) if it has fewer; other entries are left as they are.
// InvalidArgument if there is not exactly one code per data entry or a code does not fit a byte;
// FailedPrecondition if a code is NOT_VALIDATED (a transaction skipped validation, which Fabric refuses to
// commit). The block is unchanged on error. Not thread-safe for the same block.
absl::Status SetTransactionsFilter(std::span<const ::protos::TxValidationCode> codes, ::common::Block* block);

}  // namespace careledger::committer

#endif  // CARELEDGER_PEER_COMMITTER_TRANSACTIONS_FILTER_H_
