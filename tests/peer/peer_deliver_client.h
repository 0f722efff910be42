// Test-only: a client of a peer's block event service (protos.Deliver/Deliver) over TLS, for integration
// tests that ask a running careledger-peer which blocks it has committed, as Fabric's SDKs and tools do.
//
//   ASSIGN_OR_RETURN(auto client, PeerDeliverClient::Connect("127.0.0.1:7051", "<org>/tls/ca.crt"));
//   ASSIGN_OR_RETURN(::common::Envelope seek, MakeSeek(admin, "healthchannel", SeekRange(0, 5)));  // ab_client.h
//   ASSIGN_OR_RETURN(Delivered blocks, client->Deliver(seek, absl::Seconds(30)));
//
// Nothing here judges what the peer answers: the caller does.
//
// Thread-safety: a PeerDeliverClient may be used from several threads at once (each call is its own stream).
#ifndef CARELEDGER_TESTS_PEER_PEER_DELIVER_CLIENT_H_
#define CARELEDGER_TESTS_PEER_PEER_DELIVER_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "grpcpp/grpcpp.h"
#include "peer/events.grpc.pb.h"
#include "tests/orderer/ab_client.h"

namespace careledger::testing {

class PeerDeliverClient {
 public:
  // A client of the peer at `address` (host:port) whose TLS certificate chains to `tls_ca_file` and names
  // the host. Connects lazily, and again soon (within half a second) after the peer restarts. Errors reading
  // the CA file.
  static absl::StatusOr<std::unique_ptr<PeerDeliverClient>> Connect(const std::string& address,
                                                                    const std::string& tls_ca_file);

  // Opens one Deliver stream, sends `seek_request` and reads the blocks until the peer's closing status
  // (waiting for the peer to be reachable, up to `timeout`). Unavailable if the stream fails before a
  // status or `timeout` passes, with the number of blocks read.
  absl::StatusOr<Delivered> Deliver(const ::common::Envelope& seek_request, absl::Duration timeout) const;

  const std::string& address() const { return address_; }

 private:
  PeerDeliverClient(std::string address, std::shared_ptr<grpc::Channel> channel);

  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<::protos::Deliver::Stub> stub_;
};

// SeekInfo for the newest block only, FAIL_IF_NOT_READY: what a height query asks.
::orderer::SeekInfo SeekNewest();

}  // namespace careledger::testing

#endif  // CARELEDGER_TESTS_PEER_PEER_DELIVER_CLIENT_H_
