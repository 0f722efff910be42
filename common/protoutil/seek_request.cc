#include "common/protoutil/seek_request.h"

#include "absl/strings/str_cat.h"
#include "common/protoutil/header_type.h"
#include "common/protoutil/timestamp.h"
#include "common/protoutil/unmarshal.h"
#include "common/status_macros.h"

namespace careledger::protoutil {
namespace {

absl::Status CheckPosition(const ::orderer::SeekPosition& position, const char* which) {
  if (position.Type_case() == ::orderer::SeekPosition::TYPE_NOT_SET) {
    return absl::InvalidArgumentError(absl::StrCat("SeekInfo ", which, " position has no type"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SeekRequest> ParseSeekRequest(const ::common::Envelope& envelope, absl::Time now) {
  SeekRequest request;
  ASSIGN_OR_RETURN(request.envelope, ParseEnvelope(envelope));
  const ::common::ChannelHeader& header = request.envelope.channel_header;
  if (header.type() != ::common::DELIVER_SEEK_INFO) {
    return absl::InvalidArgumentError(absl::StrCat("a Deliver request must be a DELIVER_SEEK_INFO envelope, not ",
                                                   HeaderTypeLabel(header.type())));
  }
  if (!header.has_timestamp()) return absl::InvalidArgumentError("the channel header has no timestamp");
  const absl::Time sent = FromTimestamp(header.timestamp());
  if (absl::AbsDuration(now - sent) > kDeliverTimeWindow) {
    return absl::InvalidArgumentError(absl::StrCat("the request's timestamp ", absl::FormatTime(sent),
                                                   " is more than ", absl::FormatDuration(kDeliverTimeWindow),
                                                   " away from this node's time ", absl::FormatTime(now)));
  }
  ASSIGN_OR_RETURN(request.seek_info,
                   Unmarshal<::orderer::SeekInfo>(request.envelope.payload.data(), "SeekInfo"));
  if (!request.seek_info.has_start()) return absl::InvalidArgumentError("SeekInfo has no start position");
  if (!request.seek_info.has_stop()) return absl::InvalidArgumentError("SeekInfo has no stop position");
  RETURN_IF_ERROR(CheckPosition(request.seek_info.start(), "start"));
  RETURN_IF_ERROR(CheckPosition(request.seek_info.stop(), "stop"));
  return request;
}

absl::StatusOr<SeekRange> ResolveSeekRange(const ::orderer::SeekInfo& seek, uint64_t height) {
  if (height == 0) return absl::FailedPreconditionError("the chain has no blocks");
  const uint64_t newest = height - 1;
  SeekRange range;
  switch (seek.start().Type_case()) {
    case ::orderer::SeekPosition::kOldest: range.start = 0; break;
    case ::orderer::SeekPosition::kNewest: range.start = newest; break;
    case ::orderer::SeekPosition::kSpecified: range.start = seek.start().specified().number(); break;
    case ::orderer::SeekPosition::kNextCommit: range.start = height; break;
    case ::orderer::SeekPosition::TYPE_NOT_SET: return absl::InvalidArgumentError("SeekInfo start position has no type");
  }
  switch (seek.stop().Type_case()) {
    case ::orderer::SeekPosition::kOldest: range.stop = range.start; break;
    case ::orderer::SeekPosition::kNewest: range.stop = seek.start().has_newest() ? range.start : newest; break;
    case ::orderer::SeekPosition::kSpecified: range.stop = seek.stop().specified().number(); break;
    case ::orderer::SeekPosition::kNextCommit:
      return absl::InvalidArgumentError("SeekInfo stop position next_commit names no block; use specified");
    case ::orderer::SeekPosition::TYPE_NOT_SET: return absl::InvalidArgumentError("SeekInfo stop position has no type");
  }
  if (range.start == kStreamForever) {
    return absl::InvalidArgumentError("SeekInfo start names block 2^64-1, which no chain can reach");
  }
  if (range.start > range.stop) {
    return absl::InvalidArgumentError(
        absl::StrCat("SeekInfo start (block ", range.start, ") lies after its stop (block ", range.stop, ")"));
  }
  return range;
}

}  // namespace careledger::protoutil
