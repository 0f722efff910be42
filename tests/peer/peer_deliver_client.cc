#include "tests/peer/peer_deliver_client.h"

#include <utility>

#include "absl/time/clock.h"
#include "common/status_macros.h"

namespace careledger::testing {

PeerDeliverClient::PeerDeliverClient(std::string address, std::shared_ptr<grpc::Channel> channel)
    : address_(std::move(address)), channel_(std::move(channel)), stub_(::protos::Deliver::NewStub(channel_)) {}

absl::StatusOr<std::unique_ptr<PeerDeliverClient>> PeerDeliverClient::Connect(const std::string& address,
                                                                             const std::string& tls_ca_file) {
  ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel, DialTestNode(address, tls_ca_file));
  return std::unique_ptr<PeerDeliverClient>(new PeerDeliverClient(address, std::move(channel)));
}

absl::StatusOr<Delivered> PeerDeliverClient::Deliver(const ::common::Envelope& seek_request,
                                                     absl::Duration timeout) const {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  context.set_wait_for_ready(true);  // a peer just restarted may not listen yet
  auto stream = stub_->Deliver(&context);
  return SeekOnStream<::protos::DeliverResponse>(*stream, seek_request, address_);
}

::orderer::SeekInfo SeekNewest() {
  ::orderer::SeekInfo seek;
  seek.mutable_start()->mutable_newest();
  seek.mutable_stop()->mutable_newest();
  seek.set_behavior(::orderer::SeekInfo::FAIL_IF_NOT_READY);
  return seek;
}

}  // namespace careledger::testing
