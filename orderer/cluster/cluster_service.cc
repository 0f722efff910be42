#include "orderer/cluster/cluster_service.h"

#include <condition_variable>
#include <deque>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/common.pb.h"
#include "common/logging/logger.h"
#include "orderer/cluster/grpc_byte_stream.h"

namespace careledger::orderer::cluster {
namespace {

const logging::Logger& Log() {
  static const logging::Logger log("orderer.cluster");
  return log;
}

grpc::Status Denied(const std::string& why) { return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, why); }

grpc::Status ToGrpc(const absl::Status& st) {
  if (st.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(st.code()), std::string(st.message()));
}

// The common.Status a forwarded envelope's outcome maps to, as Broadcast reports it.
int32_t BroadcastStatusOf(const absl::Status& st) {
  switch (st.code()) {
    case absl::StatusCode::kOk: return ::common::SUCCESS;
    case absl::StatusCode::kInvalidArgument: return ::common::BAD_REQUEST;
    case absl::StatusCode::kPermissionDenied: return ::common::FORBIDDEN;
    case absl::StatusCode::kResourceExhausted: return ::common::REQUEST_ENTITY_TOO_LARGE;
    case absl::StatusCode::kUnavailable: return ::common::SERVICE_UNAVAILABLE;
    default: return ::common::INTERNAL_SERVER_ERROR;
  }
}

// Writes the results of one Forward call from its own thread: completions arrive on the Raft loop, which
// must never block on a slow follower. A block's commit decides hundreds of results at once; whatever is
// queued when the writer is free goes out as one ForwardResponse.
class ResultWriter {
 public:
  explicit ResultWriter(grpc::ServerReaderWriter<::careledger::cluster::ForwardResponse,
                                                 ::careledger::cluster::ForwardRequest>* stream)
      : stream_(stream), thread_([this] { Run(); }) {}
  ~ResultWriter() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Expect(size_t count) {
    std::lock_guard<std::mutex> lock(mu_);
    outstanding_ += count;
  }
  void Push(::careledger::cluster::ForwardResult result) {
    std::lock_guard<std::mutex> lock(mu_);
    *pending_.add_results() = std::move(result);
    cv_.notify_all();
  }
  // Waits until every expected result was written (or the stream broke).
  void Drain() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return outstanding_ == 0 || broken_; });
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [this] { return pending_.results_size() > 0 || closing_; });
      if (pending_.results_size() == 0) return;
      ::careledger::cluster::ForwardResponse response;
      response.Swap(&pending_);
      lock.unlock();
      const bool ok = broken_ || stream_->Write(response);
      lock.lock();
      if (!ok) broken_ = true;
      outstanding_ -= static_cast<size_t>(response.results_size());
      cv_.notify_all();
    }
  }

  grpc::ServerReaderWriter<::careledger::cluster::ForwardResponse, ::careledger::cluster::ForwardRequest>* stream_;
  std::mutex mu_;
  std::condition_variable cv_;
  ::careledger::cluster::ForwardResponse pending_;  // results not yet written; guarded by mu_
  size_t outstanding_ = 0;                           // expected and not yet written; guarded by mu_
  bool closing_ = false;                             // guarded by mu_
  bool broken_ = false;                              // guarded by mu_
  std::thread thread_;
};

}  // namespace

absl::StatusOr<crypto::Certificate> PeerCertificate(const grpc::AuthContext& auth) {
  const std::vector<grpc::string_ref> pems = auth.FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) return absl::PermissionDeniedError("caller presented no TLS client certificate");
  return crypto::Certificate::FromPem(std::string_view(pems.front().data(), pems.front().size()));
}

void ClusterService::AddChannel(const std::string& channel_id, std::shared_ptr<ClusterChannel> channel) {
  std::lock_guard<std::mutex> lock(mu_);
  channels_[channel_id] = std::move(channel);
}

void ClusterService::RemoveChannel(const std::string& channel_id) {
  std::lock_guard<std::mutex> lock(mu_);
  channels_.erase(channel_id);
}

std::shared_ptr<ClusterChannel> ClusterService::FindChannel(const std::string& channel_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = channels_.find(channel_id);
  return it == channels_.end() ? nullptr : it->second;
}

absl::StatusOr<std::pair<std::shared_ptr<ClusterChannel>, ClusterMember>> ClusterService::Authorize(
    grpc::ServerContext* context, const std::string& channel_id) {
  std::shared_ptr<ClusterChannel> channel = FindChannel(channel_id);
  if (channel == nullptr) return absl::NotFoundError(absl::StrCat("no channel '", channel_id, "' here"));
  absl::StatusOr<crypto::Certificate> peer = PeerCertificate(*context->auth_context());
  if (!peer.ok()) return absl::PermissionDeniedError(peer.status().message());
  std::optional<ClusterMember> member = channel->MemberByClientCertificate(*peer);
  if (!member.has_value()) {
    Log().Warn("refused cluster call: TLS certificate is not a consenter's",
               {{"channel", channel_id}, {"subject", peer->subject().one_line}});
    return absl::PermissionDeniedError(
        absl::StrCat("'", peer->subject().one_line, "' is not a consenter of channel ", channel_id));
  }
  return std::pair{std::move(channel), *std::move(member)};
}

grpc::Status ClusterService::Forward(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<::careledger::cluster::ForwardResponse, ::careledger::cluster::ForwardRequest>* stream) {
  ::careledger::cluster::ForwardRequest request;
  if (!stream->Read(&request)) return grpc::Status::OK;
  auto authorized = Authorize(context, request.channel_id());
  if (!authorized.ok()) return ToGrpc(authorized.status());
  const std::string channel_id = request.channel_id();
  ResultWriter writer(stream);
  do {
    if (request.channel_id() != channel_id) {
      writer.Drain();
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "one Forward call serves one channel");
    }
    writer.Expect(static_cast<size_t>(request.envelopes_size()));
    for (::careledger::cluster::ForwardedEnvelope& forwarded : *request.mutable_envelopes()) {
      const uint64_t sequence = forwarded.sequence();
      authorized->first->OrderForwarded(std::move(*forwarded.mutable_envelope()), forwarded.is_config(),
                                        [&writer, sequence](absl::Status st) {
                                          ::careledger::cluster::ForwardResult result;
                                          result.set_sequence(sequence);
                                          result.set_status(BroadcastStatusOf(st));
                                          result.set_info(std::string(st.message()));
                                          writer.Push(std::move(result));
                                        });
    }
  } while (stream->Read(&request));
  writer.Drain();  // every callback has run: nothing refers to `writer` any more
  return grpc::Status::OK;
}

grpc::Status ClusterService::PullBlocks(grpc::ServerContext* context,
                                        const ::careledger::cluster::PullBlocksRequest* request,
                                        grpc::ServerWriter<::careledger::cluster::PulledBlock>* writer) {
  auto authorized = Authorize(context, request->channel_id());
  if (!authorized.ok()) return ToGrpc(authorized.status());
  ClusterChannel& channel = *authorized->first;
  if (request->end() < request->start()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "PullBlocks: end precedes start");
  }
  const uint64_t height = channel.Height();
  if (request->start() >= height) {
    return grpc::Status(grpc::StatusCode::OUT_OF_RANGE,
                        absl::StrCat("block ", request->start(), " is not here yet (height ", height, ")"));
  }
  const uint64_t last = std::min(request->end(), height - 1);
  for (uint64_t n = request->start(); n <= last && !context->IsCancelled(); ++n) {
    absl::StatusOr<std::string> bytes = channel.BlockBytes(n);
    if (!bytes.ok()) return ToGrpc(bytes.status());
    ::careledger::cluster::PulledBlock block;
    block.set_block(*std::move(bytes));
    if (!writer->Write(block)) break;
  }
  return grpc::Status::OK;
}

grpc::Status ClusterService::RaftStream(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<::careledger::cluster::RaftChunk, ::careledger::cluster::RaftChunk>* stream) {
  ::careledger::cluster::RaftChunk header;
  if (!stream->Read(&header)) return grpc::Status(grpc::StatusCode::CANCELLED, "stream ended before its header");
  auto authorized = Authorize(context, header.channel_id());
  if (!authorized.ok()) return ToGrpc(authorized.status());
  auto& [channel, member] = *authorized;
  if (member.raft_id != header.from_raft_id()) {
    Log().Warn("refused Raft connection: claimed Raft ID does not match the TLS certificate",
               {{"channel", header.channel_id()}, {"claimed", header.from_raft_id()}, {"actual", member.raft_id}});
    return Denied(absl::StrCat("TLS certificate belongs to consenter ", member.raft_id, ", not ",
                               header.from_raft_id()));
  }
  context->AddInitialMetadata(kAcceptedMetadataKey, "1");
  stream->SendInitialMetadata();  // tells the dialler it is accepted
  channel->ServeRaftStream(member.raft_id, header.from_address(),
                           std::make_unique<ServerByteStream>(context, stream, std::move(*header.mutable_data())));
  return grpc::Status::OK;
}

}  // namespace careledger::orderer::cluster
