// ChaincodeEvents: a stream of one chaincode's events, block by block, from a chosen block on, resumable after a
// transaction (Fabric's internal/pkg/gateway/chaincodeevents.go). Each response holds the events that VALID
// transactions of one block emitted for the chaincode, in block order; blocks without any are skipped. The
// stream follows new blocks as they commit until the client cancels it (or its deadline passes).
//
// Start: the block of after_transaction_id when this peer has it; otherwise start_position — unset or
// next_commit: the next block to commit; specified: that block; oldest: block 0; newest: the last block (Fabric
// refuses oldest and newest; CareLedger accepts them, as Deliver does). Events are skipped up to and including
// those of after_transaction_id, as Fabric's matcher does, so a client that resumes from a checkpoint (block,
// transaction) sees each event once — also from a peer that has not committed that transaction yet.
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "peer/gateway/block_transactions.h"
#include "peer/gateway/gateway_rpcs.h"
#include "peer/gateway/signed_request.h"

namespace careledger::gateway {
namespace {

uint64_t StartBlock(const ledger::Ledger& ledger, const ::gateway::ChaincodeEventsRequest& request) {
  if (!request.after_transaction_id().empty()) {
    absl::StatusOr<blockstore::TransactionLocation> location = ledger.FindTransaction(request.after_transaction_id());
    if (location.ok()) return location->block_number;
  }
  const uint64_t height = ledger.Height();
  const ::orderer::SeekPosition& start = request.start_position();
  switch (start.Type_case()) {
    case ::orderer::SeekPosition::kSpecified:
      return start.specified().number();
    case ::orderer::SeekPosition::kOldest:
      return 0;
    case ::orderer::SeekPosition::kNewest:
      return height > 0 ? height - 1 : 0;
    case ::orderer::SeekPosition::kNextCommit:
    case ::orderer::SeekPosition::TYPE_NOT_SET:
      break;
  }
  return height;
}

}  // namespace

absl::Status ChaincodeEvents(const GatewayContext& gateway,
                             const ::gateway::SignedChaincodeEventsRequest& signed_request, const CallContext& call,
                             const std::function<bool(const ::gateway::ChaincodeEventsResponse&)>& send) {
  ASSIGN_OR_RETURN(OpenedRequest<::gateway::ChaincodeEventsRequest> opened,
                   OpenSignedRequest<::gateway::ChaincodeEventsRequest>(
                       gateway, signed_request.request(), signed_request.signature(), kChaincodeEventsResource,
                       "chaincode events request"));
  const ::gateway::ChaincodeEventsRequest& request = opened.request;
  if (request.chaincode_id().empty()) {
    return absl::InvalidArgumentError("the chaincode events request names no chaincode");
  }

  const ledger::Ledger& ledger = opened.channel->ledger();
  const std::string& after = request.after_transaction_id();
  bool passed_after = after.empty();
  for (uint64_t number = StartBlock(ledger, request);; ++number) {
    switch (WaitForLedgerHeight(ledger, number + 1, call.deadline, call, gateway.options.poll)) {
      case HeightWait::kReached:
        break;
      case HeightWait::kCancelled:
        return absl::CancelledError("the client cancelled the stream");
      case HeightWait::kLedgerClosed:
        return absl::UnavailableError(absl::StrCat("the ledger of channel '", request.channel_id(), "' closed"));
      case HeightWait::kDeadlineExceeded:
        return absl::DeadlineExceededError("the stream's deadline passed while waiting for the next block");
    }
    absl::StatusOr<::common::Block> block = ledger.GetBlock(number);
    if (!block.ok()) {
      return Annotate(block.status(), absl::StrCat("channel '", request.channel_id(), "': reading block ", number));
    }
    ::gateway::ChaincodeEventsResponse response;
    response.set_block_number(number);
    for (BlockTransaction& transaction : ReadBlockTransactions(*block)) {
      if (!passed_after) {
        passed_after = transaction.tx_id == after;
        continue;
      }
      if (transaction.code != ::protos::VALID) continue;
      for (::protos::ChaincodeEvent& event : transaction.events) {
        if (event.chaincode_id() == request.chaincode_id()) *response.add_events() = std::move(event);
      }
    }
    if (response.events_size() > 0 && !send(response)) return absl::CancelledError("the client went away");
  }
}

}  // namespace careledger::gateway
