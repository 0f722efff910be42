#include "network/audit/audit_events.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/timestamp.h"
#include "common/protoutil/transaction.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "peer/ledger/block_metadata.h"
#include "peer/chaincode_event.pb.h"
#include "peer/proposal.pb.h"
#include "peer/transaction.pb.h"

namespace careledger::audit {

absl::StatusOr<std::vector<ChainEvent>> EventsOfBlock(const ::common::Block& block, std::string_view chaincode) {
  const uint64_t number = block.header().number();
  absl::StatusOr<std::string_view> filter = ledger::TransactionsFilter(block);
  if (!filter.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "block ", number, " carries no usable validation codes (", filter.status().message(),
        "): a report needs a peer's copy of the chain"));
  }
  std::vector<ChainEvent> events;
  for (int i = 0; i < block.data().data_size(); ++i) {
    if (static_cast<uint8_t>((*filter)[static_cast<size_t>(i)]) != ::protos::VALID) continue;
    const std::string where = absl::StrCat("block ", number, " tx ", i);
    ::common::Envelope envelope;
    if (!envelope.ParseFromString(block.data().data(i))) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": recorded VALID but not an envelope"));
    }
    absl::StatusOr<protoutil::ParsedEnvelope> parsed = protoutil::ParseEnvelope(envelope);
    if (!parsed.ok()) {
      // Genesis blocks may carry a config envelope without a creator; it has no event anyway.
      if (number == 0) continue;
      return Annotate(parsed.status(), where);
    }
    if (parsed->channel_header.type() != ::common::ENDORSER_TRANSACTION) continue;
    absl::StatusOr<protoutil::ParsedEndorserTransaction> transaction =
        protoutil::ParseEndorserTransaction(parsed->payload);
    if (!transaction.ok()) return Annotate(transaction.status(), where);
    for (const protoutil::ParsedTransactionAction& action : transaction->actions) {
      if (action.chaincode_action.chaincode_id().name() != chaincode || action.chaincode_action.events().empty()) {
        continue;
      }
      ::protos::ChaincodeEvent event;
      if (!event.ParseFromString(action.chaincode_action.events())) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": its chaincode event does not parse"));
      }
      ChainEvent found;
      found.block_number = number;
      found.tx_index = static_cast<uint32_t>(i);
      found.tx_id = parsed->channel_header.tx_id();
      found.channel_id = parsed->channel_header.channel_id();
      found.timestamp = protoutil::FromTimestamp(parsed->channel_header.timestamp());
      found.chaincode = std::string(chaincode);
      found.name = event.event_name();
      found.payload = event.payload();
      events.push_back(std::move(found));
    }
  }
  return events;
}

absl::StatusOr<std::vector<ChainEvent>> CollectEvents(BlockSource& source, std::string_view chaincode) {
  std::vector<ChainEvent> events;
  for (uint64_t number = 0;; ++number) {
    absl::StatusOr<std::optional<::common::Block>> block = source.Next();
    if (!block.ok()) {
      return Annotate(block.status(), absl::StrCat("reading block ", number, " from ", source.Describe()));
    }
    if (!block->has_value()) return events;
    ASSIGN_OR_RETURN(std::vector<ChainEvent> found, EventsOfBlock(**block, chaincode));
    for (ChainEvent& event : found) events.push_back(std::move(event));
  }
}

}  // namespace careledger::audit
