// Test-only (includes GoogleTest): a small real network for the client-facing services' tests, on loopback.
//
//   peer1  Hospital1MSP, the peer under test: GatewayService, DeliverService and EndorserService on one
//          plaintext gRPC server, its own PeerChannel (ledger in a temporary folder, real committer) and
//          endorser (the chaincode runtime with the built-in `bench` chaincode);
//   peer2  Hospital2MSP: its own PeerChannel and endorser behind an EndorserService on a TLS server, reached by
//          peer1's gateway as the channel configuration says: the anchor peer of Hospital2, trusted with the
//          TLS roots in Hospital2's MSP definition;
//   orderer a tiny AtomicBroadcast server over TLS (the orderer organisation's endpoint in the configuration)
//          that records what it is sent and answers with a status the test chooses. The test cuts blocks
//          itself (CutBlock): the recorded envelopes, chained and signed by an orderer identity, committed on
//          both peers through their real committers.
//
// The channel is channelconfig's test network ("healthchannel", real PKIs) with those addresses and TLS roots
// filled in. Clients sign with identities of the hospitals' PKIs.
#ifndef CARELEDGER_PEER_GATEWAY_TESTING_TWO_PEER_NETWORK_H_
#define CARELEDGER_PEER_GATEWAY_TESTING_TWO_PEER_NETWORK_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/common.pb.h"
#include "common/testing/temp_dir.h"
#include "gateway/gateway.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "msp/signing_identity.h"
#include "orderer/ab.grpc.pb.h"
#include "peer/channel/peer_channel.h"
#include "peer/committer/testing/test_chain.h"
#include "peer/endorser/endorser.h"
#include "peer/endorser/runtime_chaincode_executor.h"
#include "peer/events.grpc.pb.h"
#include "peer/gateway/deliver_service.h"
#include "peer/gateway/endorser_service.h"
#include "peer/gateway/endorsing_peers.h"
#include "peer/gateway/gateway_channel.h"
#include "peer/gateway/gateway_service.h"
#include "peer/gateway/orderer_broadcaster.h"
#include "peer/peer.grpc.pb.h"

namespace careledger::gateway::testing {

inline constexpr char kChannelId[] = "healthchannel";
// peer1's address as its gateway reports it (also its anchor peer entry, which its gateway skips).
inline constexpr char kPeer1Address[] = "peer0.hospital1.example.org:7051";

// The orderer stand-in: records each envelope and answers `status` (SUCCESS unless set).
class RecordingOrderer final : public ::orderer::AtomicBroadcast::Service {
 public:
  grpc::Status Broadcast(grpc::ServerContext* context,
                         grpc::ServerReaderWriter<::orderer::BroadcastResponse, ::common::Envelope>* stream) override;
  grpc::Status Deliver(grpc::ServerContext* context,
                       grpc::ServerReaderWriter<::orderer::DeliverResponse, ::common::Envelope>* stream) override;

  void Answer(::common::Status status, std::string info = "");
  // The envelopes received since the last call, in order.
  std::vector<std::string> TakeEnvelopes();

 private:
  std::mutex mu_;
  ::common::Status status_ = ::common::SUCCESS;  // guarded by mu_
  std::string info_;                             // guarded by mu_
  std::vector<std::string> envelopes_;           // serialized; guarded by mu_
};

// The endorser's ChannelDirectory over one PeerChannel (set once the channel is joined), and the GatewayChannel
// made of it.
class OnePeerChannel final : public endorser::ChannelDirectory {
 public:
  void Set(peer::PeerChannel* channel, std::shared_ptr<GatewayChannel> gateway_channel) {
    channel_ = channel;
    gateway_channel_ = std::move(gateway_channel);
  }
  std::shared_ptr<const endorser::EndorserChannel> Find(std::string_view channel_id) const override;
  std::shared_ptr<GatewayChannel> FindGateway(std::string_view channel_id) const;

 private:
  peer::PeerChannel* channel_ = nullptr;
  std::shared_ptr<GatewayChannel> gateway_channel_;
};

// GatewayChannels over OnePeerChannel (the two interfaces' Find differ only in their result).
class GatewayDirectory final : public GatewayChannels {
 public:
  explicit GatewayDirectory(const OnePeerChannel& channels) : channels_(channels) {}
  std::shared_ptr<GatewayChannel> Find(std::string_view channel_id) const override {
    return channels_.FindGateway(channel_id);
  }

 private:
  const OnePeerChannel& channels_;
};

// A client's transaction on its way through the gateway.
struct ClientProposal {
  ::protos::SignedProposal proposal;
  std::string tx_id;
};

class TwoPeerNetwork {
 public:
  // Builds and starts everything; failures fail the test (check ok()).
  explicit TwoPeerNetwork(GatewayOptions gateway_options = {});
  ~TwoPeerNetwork();

  bool ok() const { return ok_; }

  // --- Clients --------------------------------------------------------------------------------------------
  ::gateway::Gateway::Stub& gateway() { return *gateway_stub_; }
  ::protos::Deliver::Stub& deliver() { return *deliver_stub_; }
  ::protos::Endorser::Stub& peer1_endorser() { return *peer1_endorser_stub_; }
  const msp::SigningIdentity& client1() const { return client1_; }    // Hospital1MSP client
  const msp::SigningIdentity& admin1() const { return admin1_; }      // Hospital1MSP admin
  const msp::SigningIdentity& admin2() const { return admin2_; }      // Hospital2MSP admin
  const msp::SigningIdentity& outsider() const { return outsider_; }  // Hospital3MSP client, not in the channel
  const msp::SigningIdentity& orderer_identity() const { return orderer_; }

  // A signed proposal by `client` for `chaincode` with `args` (transient data if given).
  static ClientProposal Propose(const msp::SigningIdentity& client, const std::string& chaincode,
                                const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& transient = {});
  static ::gateway::EndorseRequest EndorseRequestFor(const ClientProposal& proposal);
  static ::gateway::EvaluateRequest EvaluateRequestFor(const ClientProposal& proposal);
  // The prepared transaction signed by `client`, as a SubmitRequest.
  static ::gateway::SubmitRequest Sign(const msp::SigningIdentity& client, const ClientProposal& proposal,
                                       const ::common::Envelope& prepared);
  static ::gateway::SignedCommitStatusRequest CommitStatusRequest(const msp::SigningIdentity& client,
                                                                  const std::string& tx_id);

  // Endorse, sign and Submit through peer1's gateway; the transaction ID, or the failing call's status.
  absl::StatusOr<std::string> Transact(const msp::SigningIdentity& client, const std::string& chaincode,
                                       const std::vector<std::string>& args);
  // Transact, then CutBlock; the committed transaction's ID.
  absl::StatusOr<std::string> TransactAndCommit(const msp::SigningIdentity& client, const std::string& chaincode,
                                                const std::vector<std::string>& args);

  // Defines chaincode `bench` (built-in package) through `_lifecycle`: both admins approve, admin1 commits, each
  // through the gateway.
  absl::Status DefineBench();

  // --- The orderer and blocks -----------------------------------------------------------------------------
  RecordingOrderer& orderer() { return orderer_service_; }
  // Cuts a block of everything the orderer received and commits it on both peers; the codes the committer
  // gave. With `peer2_only`, on peer2 only: from then on peer2's chain is its own (its state differs from
  // peer1's) and later blocks of peer1 no longer reach it.
  absl::StatusOr<std::vector<::protos::TxValidationCode>> CutBlock(bool peer2_only = false);

  peer::PeerChannel& peer1_channel() { return *peer1_; }
  peer::PeerChannel& peer2_channel() { return *peer2_; }
  const GatewayChannels& peer1_gateway_channels() const { return gateway_directory_; }
  const endorser::Endorser& peer1_endorser_object() const { return *endorser1_; }
  std::string peer2_address() const { return peer2_address_; }
  std::string orderer_address() const { return orderer_address_; }
  // Stops peer2's server (it becomes unreachable).
  void StopPeer2();

 private:
  bool Build(GatewayOptions gateway_options);

  bool ok_ = false;
  careledger::testing::ScopedTempDir dir_;
  msp::SigningIdentity peer1_identity_, peer2_identity_, client1_, admin1_, admin2_, outsider_, orderer_;
  std::string tls_ca_pem_;
  std::unique_ptr<endorser::RuntimeChaincodeExecutor> executor_;
  peer::PeerNode node1_, node2_;
  OnePeerChannel directory1_, directory2_;
  GatewayDirectory gateway_directory_{directory1_};
  std::unique_ptr<peer::PeerChannel> peer1_, peer2_;
  std::unique_ptr<endorser::Endorser> endorser1_, endorser2_;
  std::unique_ptr<EndorserService> endorser_service1_, endorser_service2_;
  std::unique_ptr<GatewayService> gateway_service_;
  std::unique_ptr<DeliverService> deliver_service_;
  RecordingOrderer orderer_service_;
  std::unique_ptr<grpc::Server> peer1_server_, peer2_server_, orderer_server_;
  std::string peer2_address_, orderer_address_;
  std::optional<committer::testing::TestChain> chain_;        // peer1's (and peer2's until it diverges)
  std::optional<committer::testing::TestChain> peer2_chain_;  // peer2's own, once it diverged
  std::unique_ptr<::gateway::Gateway::Stub> gateway_stub_;
  std::unique_ptr<::protos::Deliver::Stub> deliver_stub_;
  std::unique_ptr<::protos::Endorser::Stub> peer1_endorser_stub_;
};

}  // namespace careledger::gateway::testing

#endif  // CARELEDGER_PEER_GATEWAY_TESTING_TWO_PEER_NETWORK_H_
