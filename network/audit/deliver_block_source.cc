#include "network/audit/deliver_block_source.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/timestamp.h"
#include "common/status_macros.h"
#include "grpcpp/grpcpp.h"
#include "orderer/ab.pb.h"
#include "peer/events.grpc.pb.h"

namespace careledger::audit {
namespace {

absl::StatusOr<::common::Envelope> SeekRequest(const msp::SigningIdentity& signer, const std::string& channel_id,
                                               const ::orderer::SeekInfo& seek) {
  absl::StatusOr<::common::Envelope> envelope = protoutil::CreateSignedEnvelope(
      ::common::DELIVER_SEEK_INFO, channel_id, signer, seek, /*epoch=*/0, protoutil::ToTimestamp(absl::Now()));
  if (!envelope.ok()) {
    return absl::InternalError(absl::StrCat("signing the Deliver request: ", envelope.status().message()));
  }
  return envelope;
}

// The error for a Deliver status other than SUCCESS.
absl::Status StatusError(::common::Status status, const std::string& where) {
  const std::string what = absl::StrCat(where, " answered ", ::common::Status_Name(status));
  switch (status) {
    case ::common::NOT_FOUND:
      return absl::NotFoundError(absl::StrCat(what, ": it does not hold the channel or the block"));
    case ::common::FORBIDDEN:
      return absl::PermissionDeniedError(absl::StrCat(what, ": the identity may not read the channel's blocks"));
    case ::common::SERVICE_UNAVAILABLE:
      return absl::UnavailableError(what);
    default:
      return absl::UnknownError(what);
  }
}

}  // namespace

struct DeliverBlockSource::Stream {
  std::string where;  // "peer0...:7051, channel healthchannel"
  uint64_t height = 0;
  std::unique_ptr<::protos::Deliver::Stub> stub;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<::common::Envelope, ::protos::DeliverResponse>> call;
  bool ended = false;

  // Ends the call; the stream's own error if it failed, otherwise `otherwise`.
  absl::Status Finish(absl::Status otherwise) {
    ended = true;
    const grpc::Status status = call->Finish();
    if (!status.ok()) {
      return absl::UnavailableError(absl::StrCat("Deliver from ", where, " failed: ", status.error_message()));
    }
    return otherwise;
  }
};

DeliverBlockSource::DeliverBlockSource(std::unique_ptr<Stream> stream) : stream_(std::move(stream)) {}

DeliverBlockSource::~DeliverBlockSource() {
  if (stream_ != nullptr && stream_->call != nullptr && !stream_->ended) {
    stream_->context.TryCancel();
    stream_->call->Finish();
  }
}

absl::StatusOr<std::unique_ptr<DeliverBlockSource>> DeliverBlockSource::Open(const client::GatewayEndpoint& peer,
                                                                            const msp::SigningIdentity& signer,
                                                                            const std::string& channel_id,
                                                                            absl::Duration connect_timeout) {
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, client::DialGateway(peer));
  auto stream = std::make_unique<Stream>();
  stream->where = absl::StrCat(peer.address, " (channel ", channel_id, ")");
  stream->stub = ::protos::Deliver::NewStub(channel);

  // The height: the newest block's number + 1.
  {
    ::orderer::SeekInfo newest;
    newest.mutable_start()->mutable_newest();
    newest.mutable_stop()->mutable_newest();
    newest.set_behavior(::orderer::SeekInfo::FAIL_IF_NOT_READY);
    ASSIGN_OR_RETURN(::common::Envelope request, SeekRequest(signer, channel_id, newest));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + connect_timeout));
    context.set_wait_for_ready(true);
    auto call = stream->stub->Deliver(&context);
    absl::Status answer =
        absl::UnavailableError(absl::StrCat("Deliver from ", stream->where, " ended without an answer"));
    bool have_block = false;
    if (call->Write(request)) {
      call->WritesDone();
      ::protos::DeliverResponse response;
      while (call->Read(&response)) {
        if (response.Type_case() == ::protos::DeliverResponse::kBlock) {
          stream->height = response.block().header().number() + 1;
          have_block = true;
        } else if (response.Type_case() == ::protos::DeliverResponse::kStatus) {
          answer = response.status() == ::common::SUCCESS && have_block
                       ? absl::OkStatus()
                       : StatusError(response.status(), stream->where);
          break;
        }
      }
    }
    context.TryCancel();
    const grpc::Status status = call->Finish();
    if (!answer.ok() && !status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
      return absl::UnavailableError(absl::StrCat("Deliver from ", stream->where, " failed: ", status.error_message()));
    }
    RETURN_IF_ERROR(answer);
  }

  // Every block up to that height.
  ::orderer::SeekInfo all;
  all.mutable_start()->mutable_oldest();
  all.mutable_stop()->mutable_specified()->set_number(stream->height - 1);
  all.set_behavior(::orderer::SeekInfo::BLOCK_UNTIL_READY);
  ASSIGN_OR_RETURN(::common::Envelope request, SeekRequest(signer, channel_id, all));
  stream->call = stream->stub->Deliver(&stream->context);
  if (!stream->call->Write(request)) return stream->Finish(absl::UnavailableError("the request could not be sent"));
  stream->call->WritesDone();
  return std::unique_ptr<DeliverBlockSource>(new DeliverBlockSource(std::move(stream)));
}

std::string DeliverBlockSource::Describe() const { return absl::StrCat("the Deliver service of ", stream_->where); }

uint64_t DeliverBlockSource::ExpectedHeight() const { return stream_->height; }

absl::StatusOr<std::optional<::common::Block>> DeliverBlockSource::Next() {
  if (stream_->ended) return std::nullopt;
  ::protos::DeliverResponse response;
  while (stream_->call->Read(&response)) {
    if (response.Type_case() == ::protos::DeliverResponse::kBlock) {
      return std::optional<::common::Block>(std::move(*response.mutable_block()));
    }
    if (response.Type_case() == ::protos::DeliverResponse::kStatus) {
      if (response.status() != ::common::SUCCESS) {
        return stream_->Finish(StatusError(response.status(), stream_->where));
      }
      RETURN_IF_ERROR(stream_->Finish(absl::OkStatus()));
      return std::nullopt;
    }
  }
  return stream_->Finish(
      absl::UnavailableError(absl::StrCat("Deliver from ", stream_->where, " ended before its SUCCESS status")));
}

}  // namespace careledger::audit
