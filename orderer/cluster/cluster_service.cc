#include "orderer/cluster/cluster_service.h"

#include "absl/strings/str_cat.h"
#include "common/logging/logger.h"
#include "orderer/cluster/grpc_byte_stream.h"

namespace careledger::orderer::cluster {
namespace {

const logging::Logger& Log() {
  static const logging::Logger log("orderer.cluster");
  return log;
}

grpc::Status Denied(const std::string& why) { return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, why); }

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

grpc::Status ClusterService::RaftStream(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<::careledger::cluster::RaftChunk, ::careledger::cluster::RaftChunk>* stream) {
  ::careledger::cluster::RaftChunk header;
  if (!stream->Read(&header)) return grpc::Status(grpc::StatusCode::CANCELLED, "stream ended before its header");
  std::shared_ptr<ClusterChannel> channel = FindChannel(header.channel_id());
  if (channel == nullptr) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, absl::StrCat("no channel '", header.channel_id(), "' here"));
  }
  absl::StatusOr<crypto::Certificate> peer = PeerCertificate(*context->auth_context());
  if (!peer.ok()) return Denied(std::string(peer.status().message()));
  std::optional<ClusterMember> member = channel->MemberByClientCertificate(*peer);
  if (!member.has_value()) {
    Log().Warn("refused Raft connection: TLS certificate is not a consenter's",
               {{"channel", header.channel_id()}, {"subject", peer->subject().one_line}});
    return Denied(absl::StrCat("'", peer->subject().one_line, "' is not a consenter of channel ", header.channel_id()));
  }
  if (member->raft_id != header.from_raft_id()) {
    Log().Warn("refused Raft connection: claimed Raft ID does not match the TLS certificate",
               {{"channel", header.channel_id()}, {"claimed", header.from_raft_id()}, {"actual", member->raft_id}});
    return Denied(absl::StrCat("TLS certificate belongs to consenter ", member->raft_id, ", not ",
                               header.from_raft_id()));
  }
  context->AddInitialMetadata(kAcceptedMetadataKey, "1");
  stream->SendInitialMetadata();  // tells the dialler it is accepted
  channel->ServeRaftStream(member->raft_id, header.from_address(),
                           std::make_unique<ServerByteStream>(context, stream, std::move(*header.mutable_data())));
  return grpc::Status::OK;
}

}  // namespace careledger::orderer::cluster
