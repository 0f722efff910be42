#include "peer/gateway/testing/two_peer_network.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/channelconfig/genesis.h"
#include "common/channelconfig/test_network.h"
#include "common/crypto/x509_issuer.h"
#include "common/protoutil/proposal.h"
#include "common/protoutil/timestamp.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "peer/channel/channel_gateway.h"
#include "peer/gateway/local_endorsing_peer.h"
#include "peer/lifecycle/lifecycle.pb.h"

namespace careledger::gateway::testing {
namespace {

// A TLS server identity for 127.0.0.1, issued by a CA made for this network.
struct TlsIdentities {
  std::string ca_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
};

TlsIdentities MakeTlsIdentities() {
  const absl::Time now = absl::Now();
  crypto::PrivateKey ca_key = *crypto::PrivateKey::Generate();
  crypto::CertificateTemplate ca;
  ca.subject.common_name = "tls-ca.example.org";
  ca.not_before = now - absl::Hours(1);
  ca.not_after = now + absl::Hours(24);
  ca.is_ca = true;
  const crypto::Certificate ca_cert = *crypto::IssueCertificate(ca, ca_key.public_key(), ca_key, nullptr);
  crypto::PrivateKey server_key = *crypto::PrivateKey::Generate();
  crypto::CertificateTemplate server;
  server.subject.common_name = "127.0.0.1";
  server.not_before = ca.not_before;
  server.not_after = ca.not_after;
  server.server_auth = true;
  server.ip_addresses = {"127.0.0.1"};
  const crypto::Certificate server_cert = *crypto::IssueCertificate(server, server_key.public_key(), ca_key, &ca_cert);
  return {ca_cert.ToPem(), server_cert.ToPem(), server_key.ToPem()};
}

std::unique_ptr<grpc::Server> StartServer(const std::vector<grpc::Service*>& services,
                                          std::shared_ptr<grpc::ServerCredentials> credentials, int* port) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", std::move(credentials), port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  return builder.BuildAndStart();
}

absl::Status FromGrpc(const grpc::Status& status, std::string_view call) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(AsAbsl(call), ": ", status.error_message()));
}

}  // namespace

// --- RecordingOrderer -------------------------------------------------------------------------------------

grpc::Status RecordingOrderer::Broadcast(
    grpc::ServerContext* /*context*/,
    grpc::ServerReaderWriter<::orderer::BroadcastResponse, ::common::Envelope>* stream) {
  ::common::Envelope envelope;
  while (stream->Read(&envelope)) {
    ::orderer::BroadcastResponse response;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (status_ == ::common::SUCCESS) envelopes_.push_back(envelope.SerializeAsString());
      response.set_status(status_);
      response.set_info(info_);
    }
    if (!stream->Write(response)) break;
  }
  return grpc::Status::OK;
}

grpc::Status RecordingOrderer::Deliver(
    grpc::ServerContext* /*context*/,
    grpc::ServerReaderWriter<::orderer::DeliverResponse, ::common::Envelope>* /*stream*/) {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "the test orderer does not deliver");
}

void RecordingOrderer::Answer(::common::Status status, std::string info) {
  std::lock_guard<std::mutex> lock(mu_);
  status_ = status;
  info_ = std::move(info);
}

std::vector<std::string> RecordingOrderer::TakeEnvelopes() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(envelopes_, {});
}

// --- OnePeerChannel ---------------------------------------------------------------------------------------

std::shared_ptr<const endorser::EndorserChannel> OnePeerChannel::Find(std::string_view channel_id) const {
  if (channel_ == nullptr || channel_id != channel_->id()) return nullptr;
  return std::shared_ptr<const endorser::EndorserChannel>(channel_, [](const endorser::EndorserChannel*) {});
}

std::shared_ptr<GatewayChannel> OnePeerChannel::FindGateway(std::string_view channel_id) const {
  if (channel_ == nullptr || channel_id != channel_->id()) return nullptr;
  return gateway_channel_;
}

// --- TwoPeerNetwork ---------------------------------------------------------------------------------------

TwoPeerNetwork::TwoPeerNetwork(GatewayOptions gateway_options)
    : peer1_identity_(
          channelconfig::testing::Network().hospital1().Issue("peer0.hospital1.example.org", msp::NodeRole::kPeer)),
      peer2_identity_(
          channelconfig::testing::Network().hospital2().Issue("peer0.hospital2.example.org", msp::NodeRole::kPeer)),
      client1_(
          channelconfig::testing::Network().hospital1().Issue("client1.hospital1.example.org", msp::NodeRole::kClient)),
      admin1_(
          channelconfig::testing::Network().hospital1().Issue("admin.hospital1.example.org", msp::NodeRole::kAdmin)),
      admin2_(
          channelconfig::testing::Network().hospital2().Issue("admin.hospital2.example.org", msp::NodeRole::kAdmin)),
      outsider_(
          channelconfig::testing::Network().hospital3().Issue("client.hospital3.example.org", msp::NodeRole::kClient)),
      orderer_(channelconfig::testing::Network().orderer_org().Issue("orderer0.orderer.example.org",
                                                                     msp::NodeRole::kOrderer)) {
  ok_ = Build(std::move(gateway_options));
}

TwoPeerNetwork::~TwoPeerNetwork() {
  const auto soon = absl::ToChronoTime(absl::Now() + absl::Seconds(1));
  for (auto* server : {&peer1_server_, &peer2_server_, &orderer_server_}) {
    if (*server != nullptr) (*server)->Shutdown(soon);
  }
}

bool TwoPeerNetwork::Build(GatewayOptions gateway_options) {
  const TlsIdentities tls = MakeTlsIdentities();
  tls_ca_pem_ = tls.ca_pem;
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  ssl.pem_key_cert_pairs.push_back({tls.server_key_pem, tls.server_cert_pem});

  endorser::RuntimeChaincodeExecutorOptions executor_options;
  executor_options.install_dir = dir_.Path("chaincode");
  auto executor = endorser::RuntimeChaincodeExecutor::Create(std::move(executor_options));
  EXPECT_TRUE(executor.ok()) << executor.status();
  if (!executor.ok()) return false;
  executor_ = *std::move(executor);

  // peer2 and the orderer listen first: their addresses go into the channel configuration.
  endorser2_ = std::make_unique<endorser::Endorser>(directory2_, *executor_, peer2_identity_);
  endorser_service2_ = std::make_unique<EndorserService>(*endorser2_, /*audit=*/false);
  int peer2_port = 0, orderer_port = 0;
  peer2_server_ = StartServer({endorser_service2_.get()}, grpc::SslServerCredentials(ssl), &peer2_port);
  orderer_server_ = StartServer({&orderer_service_}, grpc::SslServerCredentials(ssl), &orderer_port);
  EXPECT_TRUE(peer2_server_ != nullptr && orderer_server_ != nullptr);
  if (peer2_server_ == nullptr || orderer_server_ == nullptr) return false;
  peer2_address_ = absl::StrCat("127.0.0.1:", peer2_port);
  orderer_address_ = absl::StrCat("127.0.0.1:", orderer_port);

  channelconfig::ChannelSpec spec = channelconfig::testing::Network().Spec();
  for (channelconfig::ApplicationOrgSpec& org : spec.application_orgs) org.msp_config.add_tls_root_certs(tls.ca_pem);
  spec.application_orgs.at(1).anchor_peers = {{"127.0.0.1", peer2_port}};
  channelconfig::OrdererOrgSpec& orderer_org = spec.orderer_orgs.at(0);
  orderer_org.msp_config.add_tls_root_certs(tls.ca_pem);
  orderer_org.endpoints = {orderer_address_};
  absl::StatusOr<::common::Block> genesis = channelconfig::CreateGenesisBlock(spec);
  EXPECT_TRUE(genesis.ok()) << genesis.status();
  if (!genesis.ok()) return false;

  node1_.signer = &peer1_identity_;
  node1_.data_dir = dir_.Path("peer1");
  node2_.signer = &peer2_identity_;
  node2_.data_dir = dir_.Path("peer2");
  auto peer1 = peer::PeerChannel::Join(node1_, *genesis);
  auto peer2 = peer::PeerChannel::Join(node2_, *genesis);
  EXPECT_TRUE(peer1.ok()) << peer1.status();
  EXPECT_TRUE(peer2.ok()) << peer2.status();
  if (!peer1.ok() || !peer2.ok()) return false;
  peer1_ = *std::move(peer1);
  peer2_ = *std::move(peer2);
  directory2_.Set(peer2_.get(), nullptr);

  endorser1_ = std::make_unique<endorser::Endorser>(directory1_, *executor_, peer1_identity_);
  if (gateway_options.local_msp_id.empty()) gateway_options.local_msp_id = "Hospital1MSP";
  if (gateway_options.address.empty()) gateway_options.address = kPeer1Address;
  gateway_options.poll = absl::Milliseconds(20);
  directory1_.Set(peer1_.get(), std::make_shared<peer::ChannelGateway>(
                                    *peer1_, std::make_shared<LocalEndorsingPeer>(*endorser1_, gateway_options.local_msp_id),
                                    kPeer1Address, TlsClientIdentity{}));

  endorser_service1_ = std::make_unique<EndorserService>(*endorser1_, gateway_options.audit);
  deliver_service_ =
      std::make_unique<DeliverService>(gateway_directory_, DeliverOptions{.poll = absl::Milliseconds(20)});
  gateway_service_ = std::make_unique<GatewayService>(gateway_directory_, *endorser1_, std::move(gateway_options));
  int peer1_port = 0;
  peer1_server_ = StartServer({gateway_service_.get(), deliver_service_.get(), endorser_service1_.get()},
                              grpc::InsecureServerCredentials(), &peer1_port);
  EXPECT_NE(peer1_server_, nullptr);
  if (peer1_server_ == nullptr) return false;
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", peer1_port), grpc::InsecureChannelCredentials());
  gateway_stub_ = ::gateway::Gateway::NewStub(channel);
  deliver_stub_ = ::protos::Deliver::NewStub(channel);
  peer1_endorser_stub_ = ::protos::Endorser::NewStub(channel);
  chain_.emplace(orderer_, genesis->header());
  return true;
}

ClientProposal TwoPeerNetwork::Propose(const msp::SigningIdentity& client, const std::string& chaincode,
                                       const std::vector<std::string>& args,
                                       const std::map<std::string, std::string>& transient) {
  auto proposal = protoutil::CreateChaincodeProposal(kChannelId, chaincode, args, client.SerializedIdentity(),
                                                     transient, protoutil::ToTimestamp(absl::Now()));
  EXPECT_TRUE(proposal.ok()) << proposal.status();
  auto signed_proposal = protoutil::SignProposal(proposal->proposal, client);
  EXPECT_TRUE(signed_proposal.ok()) << signed_proposal.status();
  return {*signed_proposal, proposal->tx_id};
}

::gateway::EndorseRequest TwoPeerNetwork::EndorseRequestFor(const ClientProposal& proposal) {
  ::gateway::EndorseRequest request;
  request.set_transaction_id(proposal.tx_id);
  request.set_channel_id(kChannelId);
  *request.mutable_proposed_transaction() = proposal.proposal;
  return request;
}

::gateway::EvaluateRequest TwoPeerNetwork::EvaluateRequestFor(const ClientProposal& proposal) {
  ::gateway::EvaluateRequest request;
  request.set_transaction_id(proposal.tx_id);
  request.set_channel_id(kChannelId);
  *request.mutable_proposed_transaction() = proposal.proposal;
  return request;
}

::gateway::SubmitRequest TwoPeerNetwork::Sign(const msp::SigningIdentity& client, const ClientProposal& proposal,
                                              const ::common::Envelope& prepared) {
  ::gateway::SubmitRequest request;
  request.set_transaction_id(proposal.tx_id);
  request.set_channel_id(kChannelId);
  *request.mutable_prepared_transaction() = prepared;
  auto signature = client.Sign(prepared.payload());
  EXPECT_TRUE(signature.ok()) << signature.status();
  request.mutable_prepared_transaction()->set_signature(*signature);
  return request;
}

::gateway::SignedCommitStatusRequest TwoPeerNetwork::CommitStatusRequest(const msp::SigningIdentity& client,
                                                                         const std::string& tx_id) {
  ::gateway::CommitStatusRequest request;
  request.set_transaction_id(tx_id);
  request.set_channel_id(kChannelId);
  request.set_identity(client.SerializedIdentity());
  ::gateway::SignedCommitStatusRequest signed_request;
  signed_request.set_request(request.SerializeAsString());
  auto signature = client.Sign(signed_request.request());
  EXPECT_TRUE(signature.ok()) << signature.status();
  signed_request.set_signature(*signature);
  return signed_request;
}

absl::StatusOr<std::string> TwoPeerNetwork::Transact(const msp::SigningIdentity& client, const std::string& chaincode,
                                                     const std::vector<std::string>& args) {
  const ClientProposal proposal = Propose(client, chaincode, args);
  ::gateway::EndorseResponse endorsed;
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    RETURN_IF_ERROR(FromGrpc(gateway().Endorse(&context, EndorseRequestFor(proposal), &endorsed), "Endorse"));
  }
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  ::gateway::SubmitResponse submitted;
  RETURN_IF_ERROR(FromGrpc(
      gateway().Submit(&context, Sign(client, proposal, endorsed.prepared_transaction()), &submitted), "Submit"));
  return proposal.tx_id;
}

absl::StatusOr<std::string> TwoPeerNetwork::TransactAndCommit(const msp::SigningIdentity& client,
                                                              const std::string& chaincode,
                                                              const std::vector<std::string>& args) {
  ASSIGN_OR_RETURN(std::string tx_id, Transact(client, chaincode, args));
  ASSIGN_OR_RETURN(std::vector<::protos::TxValidationCode> codes, CutBlock());
  if (codes.size() != 1 || codes[0] != ::protos::VALID) {
    return absl::InternalError(absl::StrCat("transaction ", tx_id, " was not committed as the block's only VALID one"));
  }
  return tx_id;
}

absl::Status TwoPeerNetwork::DefineBench() {
  ::lifecycle::ApproveChaincodeDefinitionForMyOrgArgs approve;
  approve.set_name("bench");
  approve.set_sequence(1);
  approve.set_version("1.0");
  approve.mutable_source()->mutable_local_package()->set_package_id("builtin:bench");
  for (const msp::SigningIdentity* admin : {&admin1_, &admin2_}) {
    RETURN_IF_ERROR(
        TransactAndCommit(*admin, "_lifecycle", {"ApproveChaincodeDefinitionForMyOrg", approve.SerializeAsString()})
            .status());
  }
  ::lifecycle::CommitChaincodeDefinitionArgs commit;
  commit.set_name("bench");
  commit.set_sequence(1);
  commit.set_version("1.0");
  return TransactAndCommit(admin1_, "_lifecycle", {"CommitChaincodeDefinition", commit.SerializeAsString()}).status();
}

absl::StatusOr<std::vector<::protos::TxValidationCode>> TwoPeerNetwork::CutBlock(bool peer2_only) {
  std::vector<std::string> envelopes = orderer_service_.TakeEnvelopes();
  if (peer2_only) {
    if (!peer2_chain_.has_value()) peer2_chain_.emplace(orderer_, chain_->last());
    ASSIGN_OR_RETURN(committer::CommittedBlock committed,
                     peer2_->CommitBlock(peer2_chain_->Next(std::move(envelopes))));
    return committed.codes;
  }
  ::common::Block block = chain_->Next(std::move(envelopes));
  ASSIGN_OR_RETURN(committer::CommittedBlock committed, peer1_->CommitBlock(block));
  if (!peer2_chain_.has_value()) RETURN_IF_ERROR(peer2_->CommitBlock(std::move(block)).status());
  return committed.codes;
}

void TwoPeerNetwork::StopPeer2() { peer2_server_->Shutdown(absl::ToChronoTime(absl::Now())); }

}  // namespace careledger::gateway::testing
