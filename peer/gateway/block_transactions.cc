#include "peer/gateway/block_transactions.h"

#include <utility>

#include "common/protoutil/unmarshal.h"
#include "peer/proposal.pb.h"
#include "peer/proposal_response.pb.h"

namespace careledger::gateway {
namespace {

using protoutil::Unmarshal;

::protos::TxValidationCode CodeAt(const ::common::Block& block, int index) {
  const auto& metadata = block.metadata().metadata();
  if (metadata.size() <= ::common::TRANSACTIONS_FILTER) return ::protos::INVALID_OTHER_REASON;
  const std::string& filter = metadata.Get(::common::TRANSACTIONS_FILTER);
  if (static_cast<size_t>(index) >= filter.size()) return ::protos::INVALID_OTHER_REASON;
  const int code = static_cast<unsigned char>(filter[static_cast<size_t>(index)]);
  return ::protos::TxValidationCode_IsValid(code) ? static_cast<::protos::TxValidationCode>(code)
                                                  : ::protos::INVALID_OTHER_REASON;
}

bool UsableEvent(const ::protos::ChaincodeEvent& event) {
  return !event.chaincode_id().empty() && !event.event_name().empty() && !event.tx_id().empty();
}

// The events of an endorser transaction's actions; actions that do not parse contribute none.
std::vector<::protos::ChaincodeEvent> EventsOf(const std::string& transaction_bytes) {
  std::vector<::protos::ChaincodeEvent> events;
  auto transaction = Unmarshal<::protos::Transaction>(transaction_bytes, "transaction");
  if (!transaction.ok()) return events;
  for (const ::protos::TransactionAction& action : transaction->actions()) {
    auto payload = Unmarshal<::protos::ChaincodeActionPayload>(action.payload(), "chaincode action payload");
    if (!payload.ok()) continue;
    auto response_payload = Unmarshal<::protos::ProposalResponsePayload>(payload->action().proposal_response_payload(),
                                                                         "proposal response payload");
    if (!response_payload.ok()) continue;
    auto chaincode_action = Unmarshal<::protos::ChaincodeAction>(response_payload->extension(), "chaincode action");
    if (!chaincode_action.ok() || chaincode_action->events().empty()) continue;
    auto event = Unmarshal<::protos::ChaincodeEvent>(chaincode_action->events(), "chaincode event");
    if (event.ok() && UsableEvent(*event)) events.push_back(*std::move(event));
  }
  return events;
}

}  // namespace

std::vector<BlockTransaction> ReadBlockTransactions(const ::common::Block& block) {
  std::vector<BlockTransaction> transactions;
  const auto& entries = block.data().data();
  for (int i = 0; i < entries.size(); ++i) {
    auto envelope = Unmarshal<::common::Envelope>(entries.Get(i), "block entry");
    if (!envelope.ok()) continue;
    auto payload = Unmarshal<::common::Payload>(envelope->payload(), "envelope payload");
    if (!payload.ok() || !payload->has_header()) continue;
    auto header = Unmarshal<::common::ChannelHeader>(payload->header().channel_header(), "channel header");
    if (!header.ok()) continue;
    BlockTransaction transaction;
    transaction.channel_id = header->channel_id();
    transaction.tx_id = header->tx_id();
    transaction.type = header->type();
    transaction.code = CodeAt(block, i);
    if (header->type() == ::common::ENDORSER_TRANSACTION) transaction.events = EventsOf(payload->data());
    transactions.push_back(std::move(transaction));
  }
  return transactions;
}

::protos::FilteredBlock ToFilteredBlock(const ::common::Block& block) {
  ::protos::FilteredBlock filtered;
  filtered.set_number(block.header().number());
  for (BlockTransaction& transaction : ReadBlockTransactions(block)) {
    filtered.set_channel_id(transaction.channel_id);
    ::protos::FilteredTransaction* out = filtered.add_filtered_transactions();
    out->set_txid(std::move(transaction.tx_id));
    // An unknown type is kept as its number: proto3 enums are open.
    out->set_type(static_cast<::common::HeaderType>(transaction.type));
    out->set_tx_validation_code(transaction.code);
    if (transaction.type != ::common::ENDORSER_TRANSACTION) continue;
    ::protos::FilteredTransactionActions* actions = out->mutable_transaction_actions();
    for (::protos::ChaincodeEvent& event : transaction.events) {
      event.clear_payload();
      *actions->add_chaincode_actions()->mutable_chaincode_event() = std::move(event);
    }
  }
  return filtered;
}

}  // namespace careledger::gateway
