#include "orderer/cluster/cluster_dialer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "orderer/cluster/cluster_service.h"
#include "orderer/cluster/grpc_byte_stream.h"

namespace careledger::orderer::cluster {

std::shared_ptr<grpc::Channel> ClusterConnections::ChannelTo(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = channels_.find(address);
  if (it != channels_.end()) return it->second;
  grpc::SslCredentialsOptions ssl;
  for (const std::string& root : tls_.root_ca_pems) ssl.pem_root_certs += root;
  ssl.pem_private_key = tls_.private_key_pem;
  ssl.pem_cert_chain = tls_.certificate_pem;
  grpc::ChannelArguments args;
  // Raft streams live for as long as the nodes do: keep them alive across idle periods and notice dead peers.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 128 << 20);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  auto channel = grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), args);
  channels_[address] = channel;
  return channel;
}

absl::StatusOr<std::unique_ptr<raft::ByteStream>> ClusterDialer::Dial(uint64_t id, const std::string& address) {
  std::optional<ClusterMember> member = options_.member_by_id(id);
  if (!member.has_value()) {
    return absl::UnavailableError(absl::StrCat("Raft ID ", id, " is not a consenter of ", options_.channel_id));
  }
  std::shared_ptr<grpc::Channel> channel = connections_->ChannelTo(member->address);
  // Waits in slices: gRPC's wait cannot be interrupted, and a stopping chain must not wait out the timeout.
  const absl::Time deadline = absl::Now() + options_.dial_timeout;
  while (!channel->WaitForConnected(absl::ToChronoTime(std::min(deadline, absl::Now() + kDialCancelPoll)))) {
    if (cancelled_.load()) {
      return absl::UnavailableError(absl::StrCat("dialling consenter ", id, " cancelled: the chain is stopping"));
    }
    if (absl::Now() >= deadline) {
      return absl::UnavailableError(absl::StrCat("cannot reach consenter ", id, " at ", member->address));
    }
  }
  auto stub = ::careledger::cluster::Cluster::NewStub(channel);
  auto context = std::make_unique<grpc::ClientContext>();
  auto call = stub->RaftStream(context.get());
  ::careledger::cluster::RaftChunk header;
  header.set_channel_id(options_.channel_id);
  header.set_from_raft_id(options_.self_id);
  header.set_from_address(options_.self_address);
  if (!call->Write(header)) {
    context->TryCancel();
    call->Finish().ok();
    return absl::UnavailableError(absl::StrCat("consenter ", id, " at ", member->address, " closed the stream"));
  }
  call->WaitForInitialMetadata();
  const auto& metadata = context->GetServerInitialMetadata();
  if (metadata.find(kAcceptedMetadataKey) == metadata.end()) {
    grpc::Status status = call->Finish();
    return absl::PermissionDeniedError(absl::StrCat("consenter ", id, " at ", member->address,
                                                    " refused the Raft stream: ", status.error_message()));
  }
  absl::StatusOr<crypto::Certificate> server = PeerCertificate(*context->auth_context());
  if (!server.ok() || !(*server == member->server_tls_cert)) {
    context->TryCancel();
    call->Finish().ok();
    return absl::PermissionDeniedError(
        absl::StrCat("the server at ", member->address, " is not consenter ", id, " (TLS certificate differs)"));
  }
  return std::unique_ptr<raft::ByteStream>(new ClientByteStream(std::move(context), std::move(call)));
}

}  // namespace careledger::orderer::cluster
