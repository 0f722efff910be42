// The phantom-read check of one recorded range query (see mvcc_validator.h for the rules): re-runs it over
// committed state merged with the block's earlier valid writes and compares, stopping at the first
// difference. Internal to the MVCC check.
#ifndef CARELEDGER_PEER_COMMITTER_MVCC_RANGE_CHECK_H_
#define CARELEDGER_PEER_COMMITTER_MVCC_RANGE_CHECK_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "peer/committer/mvcc/state_updates.h"
#include "peer/ledger/state/state_snapshot.h"

namespace careledger::committer {

// True if `query` of namespace `ns` would read the same keys at the same versions now. `updates` are the
// namespace's in-block updates (null if none). Errors are the view's storage errors.
absl::StatusOr<bool> RangeQueryStillHolds(const ledger::StateSnapshot& committed, const NamespaceUpdates* updates,
                                          std::string_view ns, const ::kvrwset::RangeQueryInfo& query);

}  // namespace careledger::committer

#endif  // CARELEDGER_PEER_COMMITTER_MVCC_RANGE_CHECK_H_
