#include "peer/ledger/testing/ledger_contents.h"

#include <memory>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/encoding/hex.h"
#include "common/status_macros.h"

namespace careledger::ledger::testing {
namespace {

std::string Escaped(std::string_view bytes) { return absl::CHexEscape(AsAbsl(bytes)); }

template <typename Entry, typename Iterator>
absl::StatusOr<std::vector<Entry>> ReadAllOf(Iterator& it) {
  std::vector<Entry> entries;
  while (true) {
    ASSIGN_OR_RETURN(std::optional<Entry> entry, it.Next());
    if (!entry) return entries;
    entries.push_back(*std::move(entry));
  }
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const LedgerContents& contents) {
  return out << "height " << contents.height << ", " << contents.blocks.size() << " blocks, commit hashes ["
             << absl::StrJoin(contents.commit_hashes, ", ") << "], state [" << absl::StrJoin(contents.state, "; ")
             << "], history [" << absl::StrJoin(contents.history, "; ") << "]";
}

absl::StatusOr<std::vector<StateEntry>> ReadAll(StateIterator& it) { return ReadAllOf<StateEntry>(it); }
absl::StatusOr<std::vector<HistoryEntry>> ReadAll(HistoryIterator& it) { return ReadAllOf<HistoryEntry>(it); }

absl::StatusOr<LedgerContents> ReadLedgerContents(const Ledger& ledger, std::span<const std::string> namespaces,
                                                  std::span<const NamespacedKey> keys) {
  LedgerContents contents;
  // One snapshot first: its height is the height everything else is read at (no commit runs meanwhile).
  const std::unique_ptr<StateSnapshot> snapshot = ledger.NewSnapshot();
  contents.height = snapshot->height();
  contents.blockchain_info = ledger.GetBlockchainInfo().SerializeAsString();
  for (uint64_t n = 0; n < contents.height; ++n) {
    ASSIGN_OR_RETURN(std::string block, ledger.GetBlockBytes(n));
    contents.blocks.push_back(std::move(block));
    ASSIGN_OR_RETURN(const std::string hash, ledger.CommitHash(n));
    contents.commit_hashes.push_back(HexEncode(hash));
  }
  for (const std::string& ns : namespaces) {
    ASSIGN_OR_RETURN(std::unique_ptr<StateIterator> it, snapshot->Scan(ns, "", ""));
    ASSIGN_OR_RETURN(const std::vector<StateEntry> entries, ReadAll(*it));
    for (const StateEntry& entry : entries) {
      contents.state.push_back(absl::StrCat(Escaped(ns), " ", Escaped(entry.key), " = ", Escaped(entry.value.value),
                                            " @", entry.value.version.block_num, ".", entry.value.version.tx_num));
    }
  }
  for (const auto& [ns, key] : keys) {
    ASSIGN_OR_RETURN(const std::vector<HistoryEntry> entries, ReadAll(*ledger.GetHistoryForKey(ns, key)));
    for (const HistoryEntry& entry : entries) {
      contents.history.push_back(absl::StrCat(
          Escaped(ns), " ", Escaped(key), " ", entry.is_delete ? "deleted" : "= ", Escaped(entry.value), " by ",
          entry.tx_id, " at ", entry.timestamp.seconds(), ".", entry.timestamp.nanos(), " @",
          entry.version.block_num, ".", entry.version.tx_num));
    }
  }
  return contents;
}

}  // namespace careledger::ledger::testing
