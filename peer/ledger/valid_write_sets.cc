#include "peer/ledger/valid_write_sets.h"

#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/transaction.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"
#include "peer/ledger/block_metadata.h"
#include "peer/transaction.pb.h"

namespace careledger::ledger {
namespace {

// The channel header of `envelope`, read without the checks ParseEnvelope makes on the signature header:
// Fabric's configtxgen writes genesis config envelopes without a creator, and those are VALID too.
absl::StatusOr<::common::ChannelHeader> ChannelHeaderOf(const ::common::Envelope& envelope) {
  ASSIGN_OR_RETURN(const ::common::Payload payload,
                   protoutil::Unmarshal<::common::Payload>(envelope.payload(), "envelope payload"));
  if (!payload.has_header() || payload.header().channel_header().empty()) {
    return absl::InvalidArgumentError("the envelope payload has no channel header");
  }
  return protoutil::Unmarshal<::common::ChannelHeader>(payload.header().channel_header(), "channel header");
}

absl::StatusOr<TxWriteSet> EndorserWriteSet(const ::common::Envelope& envelope, uint64_t tx_num) {
  ASSIGN_OR_RETURN(protoutil::ParsedEnvelope parsed, protoutil::ParseEnvelope(envelope));
  ASSIGN_OR_RETURN(protoutil::ParsedEndorserTransaction transaction,
                   protoutil::ParseEndorserTransaction(parsed.payload));
  if (transaction.actions.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("an endorser transaction has exactly one action; this one has ", transaction.actions.size()));
  }
  protoutil::ParsedTransactionAction& action = transaction.actions[0];

  TxWriteSet tx;
  tx.tx_num = tx_num;
  tx.tx_id = std::move(*parsed.channel_header.mutable_tx_id());
  tx.timestamp = parsed.channel_header.timestamp();
  for (size_t i = 0; i < action.kv_read_write_sets.size(); ++i) {
    const std::string& ns = action.read_write_set.ns_rwset(static_cast<int>(i)).namespace_();
    for (::kvrwset::KVWrite& write : *action.kv_read_write_sets[i].mutable_writes()) {
      KeyWrite key_write;
      key_write.ns = ns;
      key_write.key = std::move(*write.mutable_key());
      key_write.is_delete = write.is_delete();
      if (!write.is_delete()) key_write.value = std::move(*write.mutable_value());
      tx.writes.push_back(std::move(key_write));
    }
  }
  return tx;
}

}  // namespace

absl::StatusOr<std::vector<TxWriteSet>> ValidWriteSets(const ::common::Block& block) {
  ASSIGN_OR_RETURN(const std::string_view filter, TransactionsFilter(block));
  std::vector<TxWriteSet> transactions;
  for (int i = 0; i < block.data().data_size(); ++i) {
    if (static_cast<unsigned char>(filter[i]) != ::protos::VALID) continue;
    const std::string where =
        absl::StrCat("block ", block.header().number(), ", transaction ", i, " (marked VALID)");
    absl::StatusOr<::common::Envelope> envelope =
        protoutil::Unmarshal<::common::Envelope>(block.data().data(i), "envelope");
    if (!envelope.ok()) return Annotate(envelope.status(), where);
    absl::StatusOr<::common::ChannelHeader> channel_header = ChannelHeaderOf(*envelope);
    if (!channel_header.ok()) return Annotate(channel_header.status(), where);
    if (channel_header->type() != ::common::ENDORSER_TRANSACTION) continue;
    absl::StatusOr<TxWriteSet> tx = EndorserWriteSet(*envelope, static_cast<uint64_t>(i));
    if (!tx.ok()) return Annotate(tx.status(), where);
    transactions.push_back(*std::move(tx));
  }
  return transactions;
}

}  // namespace careledger::ledger
