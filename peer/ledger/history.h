// The history of a key, as GetHistoryForKey (chaincode shim, Fabric's qscc) reports it: every committed write
// of the key by a valid transaction, deletes included, newest first.
#ifndef CARELEDGER_PEER_LEDGER_HISTORY_H_
#define CARELEDGER_PEER_LEDGER_HISTORY_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/timestamp.pb.h"
#include "peer/ledger/state/state_snapshot.h"

namespace careledger::ledger {

// One committed write of a key (Fabric's queryresult.KeyModification, plus where it is).
struct HistoryEntry {
  std::string tx_id;
  std::string value;  // empty for a delete
  google::protobuf::Timestamp timestamp;  // the writing transaction's channel-header timestamp
  bool is_delete = false;
  Version version;  // the writing transaction's block and position in it
};

// Walks one key's history, newest write first, over a fixed view: writes committed after the iterator was made
// never appear. Not thread-safe; owned by its caller; must be destroyed before the ledger that made it.
class HistoryIterator {
 public:
  virtual ~HistoryIterator() = default;

  // The next (older) entry, or nullopt once the history is exhausted (and on every call after that). Errors are
  // storage failures (DataLoss for a corrupt entry, Internal for I/O), after which the iterator is done.
  virtual absl::StatusOr<std::optional<HistoryEntry>> Next() = 0;
};

}  // namespace careledger::ledger

#endif  // CARELEDGER_PEER_LEDGER_HISTORY_H_
