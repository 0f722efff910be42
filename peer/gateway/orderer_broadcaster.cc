#include "peer/gateway/orderer_broadcaster.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/strings.h"
#include "grpcpp/grpcpp.h"
#include "orderer/ab.grpc.pb.h"
#include "peer/gateway/status_mapping.h"

namespace careledger::gateway {
namespace {

std::string StatusLabel(::common::Status status) {
  return ::common::Status_IsValid(status) ? ::common::Status_Name(status) : absl::StrCat(static_cast<int>(status));
}

// Fabric's gateway: a 4xx answer is the client's error, not the orderer's.
bool IsClientError(::common::Status status) { return status >= 400 && status < 500; }

}  // namespace

class OrdererBroadcaster::Connection {
 public:
  Connection(const OrdererEndpoint& endpoint, const TlsClientIdentity& client)
      : stub_(::orderer::AtomicBroadcast::NewStub(NewTlsChannel(endpoint.address, endpoint.tls_roots_pem, client))) {}

  // One envelope on a fresh stream: the orderer's answer, or the failed call's status.
  absl::StatusOr<::orderer::BroadcastResponse> Send(const ::common::Envelope& envelope, absl::Time deadline,
                                                    const std::string& what) const {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(deadline));
    std::unique_ptr<grpc::ClientReaderWriter<::common::Envelope, ::orderer::BroadcastResponse>> stream =
        stub_->Broadcast(&context);
    ::orderer::BroadcastResponse response;
    // Writing the last message half-closes the stream, so the orderer ends it once it has answered.
    const bool answered = stream->Write(envelope, grpc::WriteOptions().set_last_message()) && stream->Read(&response);
    const grpc::Status finished = stream->Finish();
    if (answered) return response;
    return TransportError(
        finished.ok() ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "the stream ended without an answer") : finished,
        what);
  }

 private:
  std::unique_ptr<::orderer::AtomicBroadcast::Stub> stub_;
};

std::vector<OrdererEndpoint> OrdererEndpointsOf(const channelconfig::ChannelConfig& config) {
  std::vector<OrdererEndpoint> endpoints;
  std::string all_roots;
  for (const channelconfig::OrdererOrg& org : config.orderer_orgs()) {
    const std::string roots = TlsRootsOf(org.msp_config);
    all_roots += roots;
    for (const std::string& address : org.endpoints) endpoints.push_back({address, org.msp_id, roots});
  }
  if (!endpoints.empty()) return endpoints;
  for (const std::string& address : config.orderer_addresses()) endpoints.push_back({address, "", all_roots});
  return endpoints;
}

std::vector<OrdererEndpoint> WithAddressOverrides(std::vector<OrdererEndpoint> endpoints,
                                                  std::span<const OrdererAddressOverride> overrides) {
  for (OrdererEndpoint& endpoint : endpoints) {
    for (const OrdererAddressOverride& override_entry : overrides) {
      if (endpoint.address != override_entry.from) continue;
      endpoint.address = override_entry.to;
      if (!override_entry.tls_roots_pem.empty()) endpoint.tls_roots_pem = override_entry.tls_roots_pem;
      break;
    }
  }
  return endpoints;
}

OrdererBroadcaster::OrdererBroadcaster(std::vector<OrdererEndpoint> orderers, const TlsClientIdentity& client)
    : endpoints_(std::move(orderers)) {
  for (const OrdererEndpoint& endpoint : endpoints_)
    connections_.push_back(std::make_unique<Connection>(endpoint, client));
}

OrdererBroadcaster::~OrdererBroadcaster() = default;

absl::Status OrdererBroadcaster::Broadcast(const ::common::Envelope& envelope, absl::Time deadline) const {
  if (endpoints_.empty()) return absl::UnavailableError("no orderer nodes available");
  const size_t count = endpoints_.size();
  const size_t first = next_.fetch_add(1, std::memory_order_relaxed) % count;
  std::vector<::gateway::ErrorDetail> details;
  for (size_t attempt = 0; attempt < count; ++attempt) {
    const size_t index = (first + attempt) % count;
    const OrdererEndpoint& endpoint = endpoints_[index];
    const absl::Time now = absl::Now();
    if (now >= deadline) break;
    const absl::Time attempt_deadline = now + (deadline - now) / static_cast<int64_t>(count - attempt);
    absl::StatusOr<::orderer::BroadcastResponse> response =
        connections_[index]->Send(envelope, attempt_deadline, absl::StrCat("orderer ", endpoint.address));
    if (!response.ok()) {
      details.push_back(MakeErrorDetail(endpoint.address, endpoint.msp_id, AsStd(response.status().message())));
      continue;
    }
    if (response->status() == ::common::SUCCESS) return absl::OkStatus();
    const std::string refusal =
        absl::StrCat("received unsuccessful response from orderer: status=", StatusLabel(response->status()),
                     ", info=", response->info());
    details.push_back(MakeErrorDetail(endpoint.address, endpoint.msp_id, refusal));
    if (IsClientError(response->status())) return WithErrorDetails(absl::AbortedError(refusal), details);
  }
  if (absl::Now() >= deadline) {
    return WithErrorDetails(
        absl::DeadlineExceededError("submit timeout expired while broadcasting to ordering service"), details);
  }
  return WithErrorDetails(absl::UnavailableError("no orderers could successfully process transaction"), details);
}

}  // namespace careledger::gateway
