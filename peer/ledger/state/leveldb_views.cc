#include "peer/ledger/state/leveldb_views.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "leveldb/iterator.h"
#include "peer/ledger/state/key_layout.h"

namespace careledger::ledger::internal {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Walks the state keys of one namespace in [start, end) (no upper bound if `end` is empty).
class LevelDbStateIterator : public StateIterator {
 public:
  LevelDbStateIterator(leveldb::DB* db, const PinnedSnapshot& snapshot, const std::string& dir, std::string_view ns,
                       std::string_view start_key, std::string_view end_key)
      : it_(db->NewIterator(snapshot.ReadOptions())),
        dir_(dir),
        ns_(ns),
        prefix_(key_layout::StatePrefix(ns)),
        end_(end_key.empty() ? std::string() : key_layout::StateKey(ns, end_key)) {
    if (!end_key.empty() && start_key >= end_key) {
      done_ = true;
      return;
    }
    it_->Seek(ToSlice(key_layout::StateKey(ns, start_key)));
  }

  absl::StatusOr<std::optional<StateEntry>> Next() override {
    if (done_) return std::nullopt;
    if (!it_->Valid()) {
      done_ = true;
      RETURN_IF_ERROR(FromLevelDb(it_->status(), dir_, "scan the state"));
      return std::nullopt;
    }
    const std::string_view stored_key = ToView(it_->key());
    if (!StartsWith(stored_key, prefix_) || (!end_.empty() && stored_key >= end_)) {
      done_ = true;
      return std::nullopt;
    }
    const std::string_view key = stored_key.substr(prefix_.size());
    absl::StatusOr<VersionedValue> value = key_layout::DecodeStateValue(ToView(it_->value()));
    if (!value.ok()) {
      done_ = true;
      return Annotate(value.status(), absl::StrCat(dir_, ": ", key_layout::Describe(ns_, key)));
    }
    StateEntry entry{std::string(key), *std::move(value)};
    it_->Next();
    return entry;
  }

 private:
  std::unique_ptr<leveldb::Iterator> it_;
  const std::string dir_;
  const std::string ns_;
  const std::string prefix_;
  const std::string end_;  // empty: no upper bound
  bool done_ = false;
};

class LevelDbStateSnapshot : public StateSnapshot {
 public:
  LevelDbStateSnapshot(leveldb::DB* db, std::string dir, uint64_t height)
      : db_(db), dir_(std::move(dir)), height_(height), snapshot_(db) {}

  uint64_t height() const override { return height_; }

  absl::StatusOr<std::optional<VersionedValue>> Get(std::string_view ns, std::string_view key) const override {
    std::string stored;
    const leveldb::Status status = db_->Get(snapshot_.ReadOptions(), key_layout::StateKey(ns, key), &stored);
    if (status.IsNotFound()) return std::nullopt;
    const std::string where = key_layout::Describe(ns, key);
    RETURN_IF_ERROR(FromLevelDb(status, dir_, absl::StrCat("read ", where)));
    absl::StatusOr<VersionedValue> value = key_layout::DecodeStateValue(stored);
    if (!value.ok()) return Annotate(value.status(), absl::StrCat(dir_, ": ", where));
    return *std::move(value);
  }

  absl::StatusOr<std::unique_ptr<StateIterator>> Scan(std::string_view ns, std::string_view start_key,
                                                      std::string_view end_key) const override {
    return std::make_unique<LevelDbStateIterator>(db_, snapshot_, dir_, ns, start_key, end_key);
  }

 private:
  leveldb::DB* const db_;
  const std::string dir_;
  const uint64_t height_;
  const PinnedSnapshot snapshot_;
};

class LevelDbHistoryIterator : public HistoryIterator {
 public:
  LevelDbHistoryIterator(leveldb::DB* db, std::string dir, std::string_view ns, std::string_view key)
      : snapshot_(db),
        it_(db->NewIterator(snapshot_.ReadOptions())),
        dir_(std::move(dir)),
        prefix_(key_layout::HistoryPrefix(ns, key)),
        where_(key_layout::Describe(ns, key)) {
    it_->Seek(ToSlice(prefix_));
  }

  absl::StatusOr<std::optional<HistoryEntry>> Next() override {
    if (done_) return std::nullopt;
    if (!it_->Valid()) {
      done_ = true;
      RETURN_IF_ERROR(FromLevelDb(it_->status(), dir_, absl::StrCat("read the history of ", where_)));
      return std::nullopt;
    }
    const std::string_view stored_key = ToView(it_->key());
    if (!StartsWith(stored_key, prefix_)) {
      done_ = true;
      return std::nullopt;
    }
    absl::StatusOr<HistoryEntry> entry =
        key_layout::DecodeHistoryEntry(stored_key.substr(prefix_.size()), ToView(it_->value()));
    if (!entry.ok()) {
      done_ = true;
      return Annotate(entry.status(), absl::StrCat(dir_, ": history of ", where_));
    }
    it_->Next();
    return *std::move(entry);
  }

 private:
  const PinnedSnapshot snapshot_;  // declared before it_: the iterator reads through it
  std::unique_ptr<leveldb::Iterator> it_;
  const std::string dir_;
  const std::string prefix_;
  const std::string where_;
  bool done_ = false;
};

}  // namespace

absl::Status FromLevelDb(const leveldb::Status& status, std::string_view dir, std::string_view action) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(AsAbsl(dir), ": cannot ", AsAbsl(action), ": ", status.ToString());
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsIOError() && status.ToString().find("LOCK") != std::string::npos) {
    return absl::FailedPreconditionError(absl::StrCat(message, " (the state database is open in another process)"));
  }
  return absl::InternalError(message);
}

std::unique_ptr<StateSnapshot> NewLevelDbStateSnapshot(leveldb::DB* db, std::string dir, uint64_t height) {
  return std::make_unique<LevelDbStateSnapshot>(db, std::move(dir), height);
}

std::unique_ptr<HistoryIterator> NewLevelDbHistoryIterator(leveldb::DB* db, std::string dir, std::string_view ns,
                                                           std::string_view key) {
  return std::make_unique<LevelDbHistoryIterator>(db, std::move(dir), ns, key);
}

}  // namespace careledger::ledger::internal
