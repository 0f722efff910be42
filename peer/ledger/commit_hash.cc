#include "peer/ledger/commit_hash.h"

#include "common/crypto/sha256.h"
#include "peer/ledger/byte_order.h"

namespace careledger::ledger {
namespace {

void AppendLengthPrefixed(std::string& out, std::string_view bytes) {
  AppendBigEndian(out, bytes.size(), 4);
  out.append(bytes);
}

// Appends the record of one write (see commit_hash.h).
void AppendRecord(std::string& out, uint64_t tx_num, const KeyWrite& write) {
  AppendBigEndian(out, tx_num, 8);
  AppendLengthPrefixed(out, write.ns);
  AppendLengthPrefixed(out, write.key);
  out.push_back(write.is_delete ? '\x01' : '\x00');
  AppendLengthPrefixed(out, write.is_delete ? std::string_view() : std::string_view(write.value));
}

}  // namespace

std::string CommitHashInput(std::span<const TxWriteSet> transactions) {
  std::string input;
  for (const TxWriteSet& tx : transactions) {
    for (const KeyWrite& write : tx.writes) AppendRecord(input, tx.tx_num, write);
  }
  return input;
}

std::string CommitHash(std::string_view previous_commit_hash, std::span<const TxWriteSet> transactions) {
  crypto::Sha256Hasher hasher;
  hasher.Update(previous_commit_hash);
  std::string record;
  for (const TxWriteSet& tx : transactions) {
    for (const KeyWrite& write : tx.writes) {
      record.clear();
      AppendRecord(record, tx.tx_num, write);
      hasher.Update(record);
    }
  }
  return std::string(crypto::AsBytes(hasher.Finish()));
}

}  // namespace careledger::ledger
