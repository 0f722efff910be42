// Taking a validated block apart into what the ledger commits: the writes of its VALID endorser transactions.
//
// Which transactions count is decided by the block's TRANSACTIONS_FILTER (block_metadata.h), which the
// committer set; this code does not validate anything itself. A VALID entry is read down to its channel header;
// only ENDORSER_TRANSACTION entries carry state writes (a CONFIG transaction changes the channel, not the world
// state), and those are parsed with protoutil::ParseEnvelope and protoutil::ParseEndorserTransaction. Private
// data (collection hashed read-write sets) and key metadata writes are not committed: the state database
// holds public key-value data only.
//
// Pure; thread-safe.
#ifndef CARELEDGER_PEER_LEDGER_VALID_WRITE_SETS_H_
#define CARELEDGER_PEER_LEDGER_VALID_WRITE_SETS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "peer/ledger/block_update.h"

namespace careledger::ledger {

// One TxWriteSet per VALID endorser transaction of `block`, ascending by transaction number, each with its
// writes in read-write-set order (deletes with an empty value). Transactions with another code contribute
// nothing, however well-formed their writes.
//
// Errors, all InvalidArgument naming the block and transaction: the filter is missing, of the wrong length or
// holds an unknown code (TransactionsFilter); a VALID entry is not an envelope whose payload and channel header
// parse; a VALID endorser transaction fails ParseEnvelope or ParseEndorserTransaction or does not have exactly
// one action. Each is a committer that marked VALID what no validator can accept.
absl::StatusOr<std::vector<TxWriteSet>> ValidWriteSets(const ::common::Block& block);

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_VALID_WRITE_SETS_H_
