#include "network/client/testing/gateway_front_door.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto/ecdsa.h"
#include "common/crypto/testing/test_tls.h"
#include "common/crypto/x509_issuer.h"
#include "gtest/gtest.h"

namespace careledger::client::testing {
namespace {

struct KeyPair {
  std::string cert_pem;
  std::string key_pem;
};

// A certificate issued by `ca`: for a TLS server named `name` (by DNS name, not by address, so that clients
// must check it through server_name_override), or for a TLS client.
KeyPair Issue(const crypto::testing::TlsCa& ca, const std::string& name, bool server) {
  crypto::PrivateKey key = *crypto::PrivateKey::Generate();
  crypto::CertificateTemplate tmpl = crypto::testing::TemplateFor(name);
  tmpl.server_auth = server;
  tmpl.client_auth = !server;
  if (server) tmpl.dns_names = {name};
  absl::StatusOr<crypto::Certificate> cert = crypto::IssueCertificate(tmpl, key.public_key(), ca.key, &ca.cert);
  EXPECT_TRUE(cert.ok()) << cert.status();
  return {cert->ToPem(), key.ToPem()};
}

}  // namespace

GatewayClient ConnectOrDie(const GatewayEndpoint& endpoint, const msp::SigningIdentity& identity) {
  absl::StatusOr<GatewayClient> client =
      GatewayClient::Connect(endpoint, std::make_shared<const msp::SigningIdentity>(identity));
  EXPECT_TRUE(client.ok()) << client.status();
  return *std::move(client);
}

void SubmissionCount::Add() {
  std::lock_guard<std::mutex> lock(mu_);
  ++count_;
  changed_.notify_all();
}

int64_t SubmissionCount::value() const {
  std::lock_guard<std::mutex> lock(mu_);
  return count_;
}

bool SubmissionCount::WaitAbove(int64_t count, const std::atomic<bool>& stop) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return count_ > count || stop.load(); });
  return count_ > count && !stop.load();
}

void SubmissionCount::Wake() {
  std::lock_guard<std::mutex> lock(mu_);
  changed_.notify_all();
}

grpc::Status CountingGateway::Endorse(grpc::ServerContext* context, const ::gateway::EndorseRequest* request,
                                      ::gateway::EndorseResponse* response) {
  return inner_.Endorse(context, request, response);
}

grpc::Status CountingGateway::Submit(grpc::ServerContext* context, const ::gateway::SubmitRequest* request,
                                     ::gateway::SubmitResponse* response) {
  grpc::Status status = inner_.Submit(context, request, response);
  // OK means the orderer answered SUCCESS, which the network's orderer does after recording the envelope.
  if (status.ok()) submitted_.Add();
  return status;
}

grpc::ServerUnaryReactor* CountingGateway::CommitStatus(grpc::CallbackServerContext* context,
                                                        const ::gateway::SignedCommitStatusRequest* request,
                                                        ::gateway::CommitStatusResponse* response) {
  return inner_.CommitStatus(context, request, response);
}

grpc::Status CountingGateway::Evaluate(grpc::ServerContext* context, const ::gateway::EvaluateRequest* request,
                                       ::gateway::EvaluateResponse* response) {
  return inner_.Evaluate(context, request, response);
}

grpc::Status CountingGateway::ChaincodeEvents(grpc::ServerContext* context,
                                              const ::gateway::SignedChaincodeEventsRequest* request,
                                              grpc::ServerWriter<::gateway::ChaincodeEventsResponse>* writer) {
  return inner_.ChaincodeEvents(context, request, writer);
}

GatewayFrontDoor::GatewayFrontDoor(gateway::testing::TwoPeerNetwork& net, Security security) : security_(security) {
  gateway::GatewayOptions options;
  options.local_msp_id = "Hospital1MSP";
  options.address = gateway::testing::kPeer1Address;
  options.poll = absl::Milliseconds(20);
  service_ = std::make_unique<gateway::GatewayService>(net.peer1_gateway_channels(), net.peer1_endorser_object(),
                                                       std::move(options));
  counting_ = std::make_unique<CountingGateway>(*service_, submitted_);

  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (security != Security::kPlaintext) {
    const crypto::testing::TlsCa ca = crypto::testing::MakeTlsCa("tls-ca.hospital1.example.org");
    ca_pem_ = ca.cert.ToPem();
    const KeyPair server = Issue(ca, kPeerHostName, /*server=*/true);
    const KeyPair client = Issue(ca, "admin.hospital1.example.org", /*server=*/false);
    client_cert_pem_ = client.cert_pem;
    client_key_pem_ = client.key_pem;
    grpc::SslServerCredentialsOptions ssl(security == Security::kMutualTls
                                              ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                              : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
    ssl.pem_root_certs = ca_pem_;
    ssl.pem_key_cert_pairs.push_back({server.key_pem, server.cert_pem});
    credentials = grpc::SslServerCredentials(ssl);
  }
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", credentials, &port);
  builder.RegisterService(counting_.get());
  server_ = builder.BuildAndStart();
  EXPECT_NE(server_, nullptr);
  address_ = absl::StrCat("127.0.0.1:", port);
}

GatewayFrontDoor::~GatewayFrontDoor() {
  if (server_ != nullptr) server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
}

GatewayEndpoint GatewayFrontDoor::Endpoint() const {
  GatewayEndpoint endpoint;
  endpoint.address = address_;
  if (security_ == Security::kPlaintext) return endpoint;
  endpoint.tls_root_certs_pem = ca_pem_;
  endpoint.server_name_override = kPeerHostName;
  if (security_ == Security::kMutualTls) {
    endpoint.tls_client_cert_pem = client_cert_pem_;
    endpoint.tls_client_key_pem = client_key_pem_;
  }
  return endpoint;
}

BlockCutter::BlockCutter(gateway::testing::TwoPeerNetwork& net, GatewayFrontDoor& door)
    : net_(net), submitted_(door.submitted()) {
  cut_submissions_ = submitted_.value();
  thread_ = std::thread(&BlockCutter::Run, this, cut_submissions_);
}

BlockCutter::~BlockCutter() {
  stop_ = true;
  submitted_.Wake();
  thread_.join();
}

std::vector<::protos::TxValidationCode> BlockCutter::codes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return codes_;
}

bool BlockCutter::WaitUntilCut() {
  const int64_t submitted = submitted_.value();
  std::unique_lock<std::mutex> lock(mu_);
  return cut_.wait_for(lock, std::chrono::seconds(30), [&] { return cut_submissions_ >= submitted; });
}

void BlockCutter::Run(int64_t already_submitted) {
  int64_t cut = already_submitted;
  while (submitted_.WaitAbove(cut, stop_)) {
    cut = submitted_.value();
    absl::StatusOr<std::vector<::protos::TxValidationCode>> codes = net_.CutBlock();
    EXPECT_TRUE(codes.ok()) << codes.status();
    std::lock_guard<std::mutex> lock(mu_);
    if (codes.ok()) codes_.insert(codes_.end(), codes->begin(), codes->end());
    cut_submissions_ = cut;
    cut_.notify_all();
  }
}

}  // namespace careledger::client::testing
