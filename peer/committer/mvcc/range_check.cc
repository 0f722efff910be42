#include "peer/committer/mvcc/range_check.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "common/status_macros.h"

namespace careledger::committer {
namespace {

// A key as the range query would see it now, and its version.
struct KeyVersion {
  std::string key;
  ledger::Version version;
};

// Walks [start_key, end_key) of committed state merged with the in-block updates (an update replaces the
// committed entry of its key; a deleted key is skipped), then, for a query the caller stopped early, the end
// key itself: Fabric's combinedIterator, step for step, so that odd records are judged as Fabric judges them.
class MergedRange {
 public:
  MergedRange(const ledger::StateSnapshot& committed, const NamespaceUpdates* updates, std::string_view ns,
              const ::kvrwset::RangeQueryInfo& query)
      : committed_(committed),
        updates_(updates),
        ns_(ns),
        end_key_(query.end_key()),
        include_end_key_(!query.itr_exhausted()) {
    std::string_view start_key = query.start_key();
    if (updates_ != nullptr) {
      update_ = updates_->lower_bound(start_key);
      update_stop_ = end_key_.empty() ? updates_->end() : updates_->lower_bound(end_key_);
      // An inverted range is empty, as the state's scan of it is.
      if (!end_key_.empty() && start_key >= end_key_) update_ = update_stop_ = updates_->end();
    }
  }

  absl::Status Open(std::string_view start_key) {
    ASSIGN_OR_RETURN(scan_, committed_.Scan(ns_, start_key, end_key_));
    return AdvanceCommitted();
  }

  absl::StatusOr<std::optional<KeyVersion>> Next() {
    while (true) {
      const bool has_committed = committed_head_.has_value();
      const bool has_update = update_ != update_stop_;
      if (!has_committed && !has_update) return EndKey();
      const int order = !has_committed ? 1 : !has_update ? -1 : committed_head_->key.compare(update_->first);
      if (order < 0) {
        KeyVersion next{std::move(committed_head_->key), committed_head_->value.version};
        RETURN_IF_ERROR(AdvanceCommitted());
        return next;
      }
      if (order == 0) RETURN_IF_ERROR(AdvanceCommitted());  // the update replaces the committed entry
      const auto& [key, update] = *update_++;
      if (update.value.has_value()) return KeyVersion{key, update.version};
    }
  }

 private:
  absl::Status AdvanceCommitted() {
    ASSIGN_OR_RETURN(committed_head_, scan_->Next());
    return absl::OkStatus();
  }

  // The end key, once, if the query includes it and it exists now.
  absl::StatusOr<std::optional<KeyVersion>> EndKey() {
    if (!include_end_key_ || end_key_served_) return std::nullopt;
    end_key_served_ = true;
    if (updates_ != nullptr) {
      auto it = updates_->find(end_key_);
      if (it != updates_->end()) {
        if (!it->second.value.has_value()) return std::nullopt;
        return KeyVersion{std::string(end_key_), it->second.version};
      }
    }
    ASSIGN_OR_RETURN(std::optional<ledger::VersionedValue> value, committed_.Get(ns_, end_key_));
    if (!value.has_value()) return std::nullopt;
    return KeyVersion{std::string(end_key_), value->version};
  }

  const ledger::StateSnapshot& committed_;
  const NamespaceUpdates* updates_;
  std::string_view ns_;
  std::string_view end_key_;
  bool include_end_key_;
  bool end_key_served_ = false;
  std::unique_ptr<ledger::StateIterator> scan_;
  std::optional<ledger::StateEntry> committed_head_;
  NamespaceUpdates::const_iterator update_{};
  NamespaceUpdates::const_iterator update_stop_{};
};

}  // namespace

absl::StatusOr<bool> RangeQueryStillHolds(const ledger::StateSnapshot& committed, const NamespaceUpdates* updates,
                                          std::string_view ns, const ::kvrwset::RangeQueryInfo& query) {
  if (query.reads_info_case() == ::kvrwset::RangeQueryInfo::kReadsMerkleHashes) return false;
  MergedRange now(committed, updates, ns, query);
  RETURN_IF_ERROR(now.Open(query.start_key()));
  // raw_reads() is the empty default when the record has no reads_info: nothing was returned.
  for (const ::kvrwset::KVRead& recorded : query.raw_reads().kv_reads()) {
    ASSIGN_OR_RETURN(std::optional<KeyVersion> next, now.Next());
    // A recorded read without a version cannot match: every key a range returns has one.
    if (!next.has_value() || next->key != recorded.key() || !recorded.has_version() ||
        next->version != ledger::Version{recorded.version().block_num(), recorded.version().tx_num()}) {
      return false;
    }
  }
  ASSIGN_OR_RETURN(std::optional<KeyVersion> extra, now.Next());
  return !extra.has_value();
}

}  // namespace careledger::committer
