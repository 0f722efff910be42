#include "peer/committer/mvcc/mvcc_validator.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "ledger/rwset/kvrwset/kv_rwset.pb.h"
#include "peer/committer/mvcc/range_check.h"

namespace careledger::committer {
namespace {

class BlockMvcc {
 public:
  BlockMvcc(const ledger::StateSnapshot& committed, uint64_t block_num)
      : committed_(committed), block_num_(block_num) {}

  // The code of a still-VALID transaction.
  absl::StatusOr<::protos::TxValidationCode> Decide(const MvccTransaction& tx) const {
    for (const NamespaceReadWriteSet& space : tx.namespaces) {
      const NamespaceUpdates* updates = UpdatesOf(space.ns);
      for (const ::kvrwset::KVRead& read : space.rwset->reads()) {
        ASSIGN_OR_RETURN(bool current, ReadIsCurrent(updates, space.ns, read));
        if (!current) return ::protos::MVCC_READ_CONFLICT;
      }
      for (const ::kvrwset::RangeQueryInfo& query : space.rwset->range_queries_info()) {
        absl::StatusOr<bool> holds = RangeQueryStillHolds(committed_, updates, space.ns, query);
        if (!holds.ok()) {
          return Annotate(holds.status(), absl::StrCat("re-running range query from ", Quoted(query.start_key()),
                                                       " to ", Quoted(query.end_key()), " of namespace ",
                                                       Quoted(space.ns)));
        }
        if (!*holds) return ::protos::PHANTOM_READ_CONFLICT;
      }
    }
    return ::protos::VALID;
  }

  // Makes the writes of the valid transaction at `tx_num` visible to the transactions after it.
  void Apply(const MvccTransaction& tx, uint64_t tx_num) {
    const ledger::Version version{block_num_, tx_num};
    for (const NamespaceReadWriteSet& space : tx.namespaces) {
      if (space.rwset->writes().empty()) continue;
      auto found = updates_.find(space.ns);
      if (found == updates_.end()) found = updates_.emplace(std::string(space.ns), NamespaceUpdates{}).first;
      NamespaceUpdates& updates = found->second;
      for (const ::kvrwset::KVWrite& write : space.rwset->writes()) {
        KeyUpdate update{std::nullopt, version};
        if (!write.is_delete() && !write.value().empty()) update.value = write.value();
        updates.insert_or_assign(write.key(), std::move(update));
      }
    }
  }

  StateUpdates TakeUpdates() { return std::move(updates_); }

 private:
  static std::string Quoted(std::string_view bytes) {
    return absl::StrCat("\"", absl::CHexEscape(AsAbsl(bytes)), "\"");
  }

  const NamespaceUpdates* UpdatesOf(std::string_view ns) const {
    auto it = updates_.find(ns);
    return it == updates_.end() ? nullptr : &it->second;
  }

  absl::StatusOr<bool> ReadIsCurrent(const NamespaceUpdates* updates, std::string_view ns,
                                     const ::kvrwset::KVRead& read) const {
    if (updates != nullptr && updates->contains(read.key())) return false;
    absl::StatusOr<std::optional<ledger::VersionedValue>> now = committed_.Get(ns, read.key());
    if (!now.ok()) {
      return Annotate(now.status(), absl::StrCat("reading key ", Quoted(read.key()), " of namespace ", Quoted(ns)));
    }
    if (!read.has_version()) return !now->has_value();
    return now->has_value() &&
           (*now)->version == ledger::Version{read.version().block_num(), read.version().tx_num()};
  }

  const ledger::StateSnapshot& committed_;
  const uint64_t block_num_;
  StateUpdates updates_;
};

}  // namespace

absl::StatusOr<MvccOutcome> ValidateBlockMvcc(const ledger::StateSnapshot& committed, uint64_t block_num,
                                              std::span<const MvccTransaction> txs) {
  if (committed.height() != block_num) {
    return absl::FailedPreconditionError(absl::StrCat("MVCC check of block ", block_num,
                                                      " needs the state at height ", block_num, ", got height ",
                                                      committed.height()));
  }
  for (size_t i = 0; i < txs.size(); ++i) {
    for (const NamespaceReadWriteSet& space : txs[i].namespaces) {
      if (space.rwset == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat("MVCC check of block ", block_num, ": transaction ", i,
                                                       " lists namespace \"", absl::CHexEscape(AsAbsl(space.ns)),
                                                       "\" without its read-write set"));
      }
    }
  }

  BlockMvcc block(committed, block_num);
  MvccOutcome outcome;
  outcome.codes.reserve(txs.size());
  for (size_t i = 0; i < txs.size(); ++i) {
    const MvccTransaction& tx = txs[i];
    if (tx.code != ::protos::VALID) {
      outcome.codes.push_back(tx.code);
      continue;
    }
    absl::StatusOr<::protos::TxValidationCode> code = block.Decide(tx);
    if (!code.ok()) {
      return Annotate(code.status(), absl::StrCat("MVCC check of block ", block_num, ", transaction ", i));
    }
    if (*code == ::protos::VALID) block.Apply(tx, i);
    outcome.codes.push_back(*code);
  }
  outcome.updates = block.TakeUpdates();
  return outcome;
}

}  // namespace careledger::committer
