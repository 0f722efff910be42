// The read side of the state store over LevelDB: world-state snapshots, range iterators and history iterators,
// each reading through one leveldb::Snapshot. Internal to the state store (state_store.cc); the only peer/ledger
// header besides state_store.cc that sees LevelDB, and no public header includes it.
#ifndef CARELEDGER_PEER_LEDGER_STATE_LEVELDB_VIEWS_H_
#define CARELEDGER_PEER_LEDGER_STATE_LEVELDB_VIEWS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "leveldb/db.h"
#include "peer/ledger/history.h"
#include "peer/ledger/state/state_snapshot.h"

namespace careledger::ledger::internal {

inline leveldb::Slice ToSlice(std::string_view s) { return leveldb::Slice(s.data(), s.size()); }
inline std::string_view ToView(const leveldb::Slice& s) { return std::string_view(s.data(), s.size()); }

// `status` as an absl::Status whose message names `dir` and `action` ("cannot <action>"): DataLoss for
// corruption, FailedPrecondition for a database locked by another process, Internal otherwise.
absl::Status FromLevelDb(const leveldb::Status& status, std::string_view dir, std::string_view action);

// A leveldb::Snapshot of `db`, released on destruction. `db` must outlive it.
class PinnedSnapshot {
 public:
  explicit PinnedSnapshot(leveldb::DB* db) : db_(db), snapshot_(db->GetSnapshot()) {}
  ~PinnedSnapshot() { db_->ReleaseSnapshot(snapshot_); }
  PinnedSnapshot(const PinnedSnapshot&) = delete;
  PinnedSnapshot& operator=(const PinnedSnapshot&) = delete;

  leveldb::ReadOptions ReadOptions() const {
    leveldb::ReadOptions options;
    options.verify_checksums = true;
    options.snapshot = snapshot_;
    return options;
  }

 private:
  leveldb::DB* db_;
  const leveldb::Snapshot* snapshot_;
};

// A view of the state as `db` holds it now, reporting `height` (the caller makes sure the two agree). `db` must
// outlive the view; `dir` names the database in error messages.
std::unique_ptr<StateSnapshot> NewLevelDbStateSnapshot(leveldb::DB* db, std::string dir, uint64_t height);

// The history of (ns, key) as `db` holds it now, newest first. `db` must outlive the iterator.
std::unique_ptr<HistoryIterator> NewLevelDbHistoryIterator(leveldb::DB* db, std::string dir, std::string_view ns,
                                                           std::string_view key);

}  // namespace careledger::ledger::internal

#endif  // CARELEDGER_PEER_LEDGER_STATE_LEVELDB_VIEWS_H_
