// Test-only (includes GoogleTest): peer1's gateway of a TwoPeerNetwork (peer/gateway/testing) served again on
// an address the test knows, so that a GatewayClient can dial it as it dials a real peer — plaintext, over TLS
// with a certificate for peer0.hospital1.example.org (the client connects to 127.0.0.1 and checks that name
// through server_name_override), or with mutual TLS.
//
// The front door counts the transactions its Submit handed to the orderer. The network's orderer stand-in only
// records them, and a test cuts blocks itself; BlockCutter does it from its own thread whenever a transaction
// was submitted, so that a client waiting in Submit for its commit status gets its answer — waiting on the
// count, never sleeping.
#ifndef CARELEDGER_NETWORK_CLIENT_TESTING_GATEWAY_FRONT_DOOR_H_
#define CARELEDGER_NETWORK_CLIENT_TESTING_GATEWAY_FRONT_DOOR_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gateway/gateway.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "network/client/gateway_client.h"
#include "peer/gateway/gateway_service.h"
#include "peer/gateway/testing/two_peer_network.h"

namespace careledger::client::testing {

// The TLS host name of the front door's certificate.
inline constexpr char kPeerHostName[] = "peer0.hospital1.example.org";

enum class Security { kPlaintext, kTls, kMutualTls };

// A client of `endpoint` signing as (a copy of) `identity`; a failure fails the test.
GatewayClient ConnectOrDie(const GatewayEndpoint& endpoint, const msp::SigningIdentity& identity);

// How many transactions were submitted; waitable.
class SubmissionCount {
 public:
  void Add();
  int64_t value() const;
  // Waits until the count exceeds `count` (true) or `stop` is set and Wake called (false).
  bool WaitAbove(int64_t count, const std::atomic<bool>& stop);
  void Wake();

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  int64_t count_ = 0;  // guarded by mu_
};

// gateway.Gateway forwarding to the network's own GatewayService, counting successful Submits.
class CountingGateway final : public ::gateway::Gateway::WithCallbackMethod_CommitStatus<::gateway::Gateway::Service> {
 public:
  CountingGateway(gateway::GatewayService& inner, SubmissionCount& submitted) : inner_(inner), submitted_(submitted) {}

  grpc::Status Endorse(grpc::ServerContext* context, const ::gateway::EndorseRequest* request,
                       ::gateway::EndorseResponse* response) override;
  grpc::Status Submit(grpc::ServerContext* context, const ::gateway::SubmitRequest* request,
                      ::gateway::SubmitResponse* response) override;
  grpc::ServerUnaryReactor* CommitStatus(grpc::CallbackServerContext* context,
                                         const ::gateway::SignedCommitStatusRequest* request,
                                         ::gateway::CommitStatusResponse* response) override;
  grpc::Status Evaluate(grpc::ServerContext* context, const ::gateway::EvaluateRequest* request,
                        ::gateway::EvaluateResponse* response) override;
  grpc::Status ChaincodeEvents(grpc::ServerContext* context, const ::gateway::SignedChaincodeEventsRequest* request,
                               grpc::ServerWriter<::gateway::ChaincodeEventsResponse>* writer) override;

 private:
  gateway::GatewayService& inner_;
  SubmissionCount& submitted_;
};

class GatewayFrontDoor {
 public:
  // Starts serving; failures fail the test (check ok()). `net` must outlive the front door.
  GatewayFrontDoor(gateway::testing::TwoPeerNetwork& net, Security security);
  ~GatewayFrontDoor();

  bool ok() const { return server_ != nullptr; }
  // "127.0.0.1:<port>".
  const std::string& address() const { return address_; }
  // What a client needs to reach it: the address and, for TLS, the CA, kPeerHostName as the server name and,
  // for mutual TLS, a client certificate the server accepts.
  GatewayEndpoint Endpoint() const;
  const std::string& tls_ca_pem() const { return ca_pem_; }
  SubmissionCount& submitted() { return submitted_; }

 private:
  std::string ca_pem_, client_cert_pem_, client_key_pem_;
  SubmissionCount submitted_;
  std::unique_ptr<gateway::GatewayService> service_;
  std::unique_ptr<CountingGateway> counting_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  Security security_;
};

// Cuts a block of everything the orderer recorded each time the front door submitted more transactions, until
// destroyed. The codes of every block cut are kept in order. The network's blocks must not be cut by anyone else
// meanwhile.
class BlockCutter {
 public:
  BlockCutter(gateway::testing::TwoPeerNetwork& net, GatewayFrontDoor& door);
  ~BlockCutter();

  // The validation codes of the blocks cut so far, block after block.
  std::vector<::protos::TxValidationCode> codes() const;
  // Waits (at most 30 s) until every transaction submitted so far is in a block committed on both peers. A
  // client's commit status comes from peer1, which commits first: a test whose next step endorses on peer2 too
  // waits for this, as a real client would see the same lag between peers.
  bool WaitUntilCut();

 private:
  void Run(int64_t already_submitted);

  gateway::testing::TwoPeerNetwork& net_;
  SubmissionCount& submitted_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::condition_variable cut_;
  std::vector<::protos::TxValidationCode> codes_;  // guarded by mu_
  int64_t cut_submissions_ = 0;                    // submissions in blocks committed on both peers; guarded by mu_
  std::thread thread_;
};

}  // namespace careledger::client::testing

#endif  // CARELEDGER_NETWORK_CLIENT_TESTING_GATEWAY_FRONT_DOOR_H_
