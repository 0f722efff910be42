#include "peer/gateway/deliver_service.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/logging/logger.h"
#include "common/protoutil/seek_request.h"
#include "common/strings.h"
#include "google/protobuf/unknown_field_set.h"
#include "peer/gateway/block_transactions.h"
#include "peer/gateway/call_context.h"
#include "peer/gateway/signed_request.h"

namespace careledger::gateway {
namespace {

const logging::Logger& Log() {
  static const logging::Logger log("peer.deliver");
  return log;
}

// Fabric's protoutil.IsConfigBlock: one transaction, of header type CONFIG.
bool IsConfigBlock(const ::common::Block& block) {
  if (block.data().data_size() != 1) return false;
  const std::vector<BlockTransaction> transactions = ReadBlockTransactions(block);
  return transactions.size() == 1 && transactions[0].type == ::common::CONFIG;
}

// The response carrying block `number`. Whole blocks go out as stored: the stored bytes are placed as the
// response's `block` field in its encoded form (an unknown field of that number and wire type serializes
// exactly as the field would), so a block is never re-encoded.
absl::StatusOr<::protos::DeliverResponse> BlockResponse(const ledger::Ledger& ledger, uint64_t number, bool filtered,
                                                        bool header_only) {
  ::protos::DeliverResponse response;
  if (!filtered && !header_only) {
    absl::StatusOr<std::string> bytes = ledger.GetBlockBytes(number);
    if (!bytes.ok()) return bytes.status();
    *response.GetReflection()->MutableUnknownFields(&response)->AddLengthDelimited(
        ::protos::DeliverResponse::kBlockFieldNumber) = *std::move(bytes);
    return response;
  }
  absl::StatusOr<::common::Block> block = ledger.GetBlock(number);
  if (!block.ok()) return block.status();
  if (header_only && !IsConfigBlock(*block)) block->clear_data();
  if (filtered) {
    *response.mutable_filtered_block() = ToFilteredBlock(*block);
  } else {
    *response.mutable_block() = *std::move(block);
  }
  return response;
}

}  // namespace

DeliverService::DeliverService(const GatewayChannels& channels, DeliverOptions options)
    : channels_(channels), options_(std::move(options)) {}

grpc::Status DeliverService::Deliver(grpc::ServerContext* context, Stream* stream) {
  return Serve(context, stream, Content::kBlocks);
}

grpc::Status DeliverService::DeliverFiltered(grpc::ServerContext* context, Stream* stream) {
  return Serve(context, stream, Content::kFilteredBlocks);
}

grpc::Status DeliverService::DeliverWithPrivateData(grpc::ServerContext* /*context*/, Stream* /*stream*/) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                      "DeliverWithPrivateData is not supported: CareLedger has no private data; use Deliver");
}

grpc::Status DeliverService::Serve(grpc::ServerContext* context, Stream* stream, Content content) const {
  ::common::Envelope request;
  while (stream->Read(&request)) {
    std::optional<::common::Status> status = ServeRequest(context, stream, content, request);
    if (!status.has_value()) return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
    ::protos::DeliverResponse response;
    response.set_status(*status);
    if (!stream->Write(response)) return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
    if (*status != ::common::SUCCESS) return grpc::Status::OK;
  }
  return grpc::Status::OK;
}

std::optional<::common::Status> DeliverService::ServeRequest(grpc::ServerContext* context, Stream* stream,
                                                             Content content, const ::common::Envelope& request) const {
  std::string channel_id;
  auto refuse = [&](::common::Status status, std::string_view why) {
    const logging::Level level = status == ::common::NOT_FOUND ? logging::Level::kDebug : logging::Level::kWarn;
    Log().Log(level, "refused a deliver request",
              {{"client", context->peer()},
               {"channel", channel_id},
               {"status", ::common::Status_Name(status)},
               {"why", why}});
    return status;
  };

  absl::StatusOr<protoutil::SeekRequest> parsed = protoutil::ParseSeekRequest(request, options_.clock());
  if (!parsed.ok()) return refuse(::common::BAD_REQUEST, AsStd(parsed.status().message()));
  channel_id = parsed->envelope.channel_header.channel_id();
  std::shared_ptr<GatewayChannel> channel = channels_.Find(channel_id);
  if (channel == nullptr) {
    return refuse(::common::NOT_FOUND, absl::StrCat("channel '", absl::CHexEscape(channel_id), "' is not joined"));
  }
  const bool filtered = content == Content::kFilteredBlocks;
  absl::StatusOr<std::shared_ptr<const msp::Identity>> creator = AuthorizeSignedRequest(
      channel->view(), {request.payload(), parsed->envelope.signature_header.creator(), request.signature()},
      filtered ? kFilteredBlockEventsResource : kBlockEventsResource, options_.clock());
  if (!creator.ok()) {
    return refuse(absl::IsPermissionDenied(creator.status()) ? ::common::FORBIDDEN : ::common::INTERNAL_SERVER_ERROR,
                  AsStd(creator.status().message()));
  }

  const ledger::Ledger& ledger = channel->ledger();
  const ::orderer::SeekInfo& seek = parsed->seek_info;
  absl::StatusOr<protoutil::SeekRange> range = protoutil::ResolveSeekRange(seek, ledger.Height());
  if (!range.ok()) return refuse(::common::BAD_REQUEST, AsStd(range.status().message()));

  const CallContext call = CallContextOf(*context);
  for (uint64_t number = range->start;; ++number) {
    if (ledger.Height() <= number) {
      if (seek.behavior() == ::orderer::SeekInfo::FAIL_IF_NOT_READY) {
        return refuse(::common::NOT_FOUND, absl::StrCat("block ", number, " is not committed yet (height ",
                                                        ledger.Height(), ") and the request may not wait"));
      }
      switch (WaitForLedgerHeight(ledger, number + 1, call.deadline, call, options_.poll)) {
        case HeightWait::kReached:
          break;
        case HeightWait::kCancelled:
        case HeightWait::kDeadlineExceeded:
          return std::nullopt;
        case HeightWait::kLedgerClosed:
          return refuse(::common::SERVICE_UNAVAILABLE, "the channel's ledger closed while the stream waited");
      }
    }
    if (absl::Status valid = (*creator)->CheckValidAt(options_.clock()); !valid.ok()) {
      return refuse(::common::FORBIDDEN, absl::StrCat("the creator's identity is no longer valid: ", valid.message()));
    }
    absl::StatusOr<::protos::DeliverResponse> response =
        BlockResponse(ledger, number, filtered, seek.content_type() == ::orderer::SeekInfo::HEADER_WITH_SIG);
    if (!response.ok()) {
      Log().Error("cannot read a block to deliver",
                  {{"channel", channel_id}, {"block", number}, {"error", response.status()}});
      return refuse(::common::INTERNAL_SERVER_ERROR, AsStd(response.status().message()));
    }
    if (!stream->Write(*response)) return std::nullopt;
    if (number == range->stop) break;
  }
  return ::common::SUCCESS;
}

}  // namespace careledger::gateway
