#include "orderer/services/deliver_handler.h"

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging/logger.h"
#include "common/protoutil/seek_request.h"
#include "common/protoutil/unmarshal.h"
#include "common/strings.h"
#include "google/protobuf/unknown_field_set.h"
#include "orderer/services/envelope_filter.h"

namespace careledger::orderer {
namespace {

const logging::Logger& Log() {
  static const logging::Logger log("orderer.deliver");
  return log;
}

enum class BlockWait { kReady, kCancelled, kStoreClosed };

// Waits until block `number` is in `store`, checking every `poll` whether the call was cancelled: a sync gRPC
// handler is not woken by a cancellation, so it has to look.
BlockWait WaitForBlock(const blockstore::BlockStore& store, uint64_t number, grpc::ServerContext* context,
                       absl::Duration poll) {
  while (true) {
    if (context->IsCancelled()) return BlockWait::kCancelled;
    const absl::Time deadline = absl::Now() + poll;
    if (store.WaitForHeight(number + 1, deadline)) return BlockWait::kReady;
    // WaitForHeight gives up before its deadline only when the store is closed.
    if (absl::Now() < deadline) return BlockWait::kStoreClosed;
  }
}

// Fabric's protoutil.IsConfigBlock: one envelope, of header type CONFIG.
bool IsConfigBlock(const ::common::Block& block) {
  if (block.data().data_size() != 1) return false;
  auto envelope = protoutil::Unmarshal<::common::Envelope>(block.data().data(0), "block envelope");
  if (!envelope.ok()) return false;
  auto payload = protoutil::Unmarshal<::common::Payload>(envelope->payload(), "envelope payload");
  if (!payload.ok() || !payload->has_header()) return false;
  auto header = protoutil::Unmarshal<::common::ChannelHeader>(payload->header().channel_header(), "channel header");
  return header.ok() && header->type() == ::common::CONFIG;
}

// The response carrying a stored block. For whole blocks the stored bytes go out unchanged: they are placed as
// the response's `block` field in its encoded form (an unknown field of that number and wire type serializes
// exactly as the field would), so no block is ever re-encoded and its hashes hold byte for byte.
absl::StatusOr<::orderer::DeliverResponse> BlockResponse(std::string block_bytes,
                                                         ::orderer::SeekInfo::SeekContentType content_type) {
  ::orderer::DeliverResponse response;
  if (content_type == ::orderer::SeekInfo::HEADER_WITH_SIG) {
    absl::StatusOr<::common::Block> block = protoutil::Unmarshal<::common::Block>(block_bytes, "stored block");
    if (!block.ok()) return block.status();
    if (!IsConfigBlock(*block)) block->clear_data();
    *response.mutable_block() = *std::move(block);
    return response;
  }
  *response.GetReflection()->MutableUnknownFields(&response)->AddLengthDelimited(
      ::orderer::DeliverResponse::kBlockFieldNumber) = std::move(block_bytes);
  return response;
}

// Block `number` of `store`, ready to send.
absl::StatusOr<::orderer::DeliverResponse> ReadBlock(const blockstore::BlockStore& store, uint64_t number,
                                                     ::orderer::SeekInfo::SeekContentType content_type) {
  absl::StatusOr<std::string> bytes = store.GetBlockBytes(number);
  if (!bytes.ok()) return bytes.status();
  return BlockResponse(*std::move(bytes), content_type);
}

}  // namespace

DeliverHandler::DeliverHandler(ChannelRegistry* registry, std::function<absl::Time()> clock, absl::Duration poll)
    : registry_(registry), clock_(std::move(clock)), poll_(poll > absl::ZeroDuration() ? poll : absl::Milliseconds(1)) {}

grpc::Status DeliverHandler::Serve(
    grpc::ServerContext* context, grpc::ServerReaderWriter<::orderer::DeliverResponse, ::common::Envelope>* stream) const {
  ::common::Envelope request;
  while (stream->Read(&request)) {
    std::optional<::common::Status> status = ServeRequest(context, stream, request);
    if (!status.has_value()) return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
    ::orderer::DeliverResponse response;
    response.set_status(*status);
    if (!stream->Write(response)) return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
    if (*status != ::common::SUCCESS) return grpc::Status::OK;
  }
  return grpc::Status::OK;
}

std::optional<::common::Status> DeliverHandler::ServeRequest(
    grpc::ServerContext* context, grpc::ServerReaderWriter<::orderer::DeliverResponse, ::common::Envelope>* stream,
    const ::common::Envelope& request) const {
  std::string channel_id;
  auto refuse = [&](::common::Status status, std::string_view why) {
    // Clients poll for channels and blocks that do not exist yet (Fabric logs those at debug level too).
    const logging::Level level = status == ::common::NOT_FOUND ? logging::Level::kDebug : logging::Level::kWarn;
    Log().Log(level, "refused a deliver request",
              {{"peer", context->peer()}, {"channel", channel_id}, {"status", ::common::Status_Name(status)}, {"why", why}});
    return status;
  };

  absl::StatusOr<protoutil::SeekRequest> parsed = protoutil::ParseSeekRequest(request, clock_());
  if (!parsed.ok()) return refuse(::common::BAD_REQUEST, AsStd(parsed.status().message()));
  channel_id = parsed->envelope.channel_header.channel_id();
  std::shared_ptr<OrdererChannel> channel = registry_->Find(channel_id);
  if (channel == nullptr) {
    return refuse(::common::NOT_FOUND, absl::StrCat("channel '", absl::CHexEscape(channel_id), "' is not served here"));
  }
  std::shared_ptr<const msp::Identity> creator;
  Verdict allowed = CheckCreator(ChannelView{channel->config(), channel->msps()}, request,
                                 parsed->envelope.signature_header.creator(), kChannelReaders, clock_(), &creator);
  if (!allowed.ok()) return refuse(allowed.status, allowed.info);

  const ::orderer::SeekInfo& seek = parsed->seek_info;
  blockstore::BlockStore& store = channel->store();
  absl::StatusOr<protoutil::SeekRange> range = protoutil::ResolveSeekRange(seek, store.Height());
  if (!range.ok()) return refuse(::common::BAD_REQUEST, AsStd(range.status().message()));

  for (uint64_t number = range->start;; ++number) {
    if (store.Height() <= number) {
      if (seek.behavior() == ::orderer::SeekInfo::FAIL_IF_NOT_READY) {
        return refuse(::common::NOT_FOUND, absl::StrCat("block ", number, " is not written yet (height ",
                                                        store.Height(), ") and the request may not wait"));
      }
      switch (WaitForBlock(store, number, context, poll_)) {
        case BlockWait::kReady: break;
        case BlockWait::kCancelled: return std::nullopt;
        case BlockWait::kStoreClosed:
          return refuse(::common::SERVICE_UNAVAILABLE, "the channel's block store closed while the stream waited");
      }
    }
    if (absl::Status valid = creator->CheckValidAt(clock_()); !valid.ok()) {
      return refuse(::common::FORBIDDEN, absl::StrCat("the creator's identity is no longer valid: ", valid.message()));
    }
    absl::StatusOr<::orderer::DeliverResponse> response = ReadBlock(store, number, seek.content_type());
    if (!response.ok()) {
      Log().Error("cannot read a block to deliver", {{"channel", channel_id}, {"block", number}, {"error", response.status()}});
      return refuse(::common::INTERNAL_SERVER_ERROR, AsStd(response.status().message()));
    }
    if (!stream->Write(*response)) return std::nullopt;
    if (number == range->stop) break;
  }
  return ::common::SUCCESS;
}

}  // namespace careledger::orderer
