// orderer.AtomicBroadcast end to end: a real gRPC server on 127.0.0.1 with TLS, a real single-consenter
// channel (Raft, block store, MSPs from the genesis block) and real identities of a hospital's PKI.
#include "orderer/services/atomic_broadcast_service.h"

#include <future>
#include <mutex>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/channelconfig/genesis.h"
#include "common/protoutil/seek_request.h"
#include "common/protoutil/test_seek.h"
#include "common/protoutil/timestamp.h"
#include "common/protoutil/txid.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "msp/testing/test_org.h"
#include "orderer/cluster/testing/test_tls.h"

namespace careledger::orderer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using careledger::protoutil::ToTimestamp;
using careledger::protoutil::testing::NextCommit;
using careledger::protoutil::testing::Newest;
using careledger::protoutil::testing::Oldest;
using careledger::protoutil::testing::Seek;
using careledger::protoutil::testing::Specified;

constexpr char kChannel[] = "healthchannel";
constexpr uint32_t kAbsoluteMaxBytes = 32 * 1024;
constexpr absl::Duration kCallDeadline = absl::Seconds(60);

// What one Deliver request brought back.
struct Delivered {
  std::vector<::common::Block> blocks;
  std::optional<::common::Status> status;  // none if the stream ended without one
};

std::vector<uint64_t> Numbers(const std::vector<::common::Block>& blocks) {
  std::vector<uint64_t> numbers;
  for (const ::common::Block& b : blocks) numbers.push_back(b.header().number());
  return numbers;
}

grpc::ByteBuffer Bytes(const std::string& s) {
  grpc::Slice slice(s);
  return grpc::ByteBuffer(&slice, 1);
}

std::string String(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string s;
  for (const grpc::Slice& slice : slices) s.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return s;
}

class AtomicBroadcastServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::Certificate tls_cert(nullptr);
    tls_ = cluster::testing::IssueTls(tls_ca_, "orderer0", &tls_cert);
    OrdererNode node;
    node.signer = std::make_shared<msp::SigningIdentity>(orderer_org_.Issue("orderer0", msp::NodeRole::kOrderer));
    node.cluster_tls_certificate = tls_cert;
    node.connections = std::make_shared<cluster::ClusterConnections>(tls_);
    node.data_dir = dir_.path();
    node.election_timeout = absl::Milliseconds(300);
    auto registry = ChannelRegistry::Open(node, /*service=*/nullptr);
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = *std::move(registry);
    auto joined = registry_->Join(Genesis(tls_cert.ToPem()));
    ASSERT_TRUE(joined.ok()) << joined.status();
    channel_ = registry_->Find(kChannel);
    ASSERT_TRUE(WaitForLeader());

    AtomicBroadcastOptions options;
    options.deliver_poll = absl::Milliseconds(20);
    options.clock = [this] { return Now(); };
    service_ = std::make_unique<AtomicBroadcastService>(registry_.get(), std::move(options));
    grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
    ssl.pem_key_cert_pairs.push_back({tls_.private_key_pem, tls_.certificate_pem});
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(ssl), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    grpc::SslCredentialsOptions client_ssl;
    client_ssl.pem_root_certs = tls_ca_.cert.ToPem();
    grpc_channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::SslCredentials(client_ssl));
    stub_ = ::orderer::AtomicBroadcast::NewStub(grpc_channel_);
  }

  void TearDown() override {
    if (server_ != nullptr && !shut_down_) server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    if (registry_ != nullptr) registry_->StopAll();
  }

  ::common::Block Genesis(const std::string& consenter_cert_pem) {
    channelconfig::ChannelSpec spec;
    spec.channel_id = kChannel;
    spec.application_orgs.push_back({"Hospital1", "Hospital1MSP", hospital_.MspConfig(), {}, {}});
    spec.orderer_orgs.push_back({"Orderer", "OrdererMSP", orderer_org_.MspConfig(), {"127.0.0.1:7050"}, {}});
    // Nobody dials the only consenter: its cluster address is never used.
    spec.consenters.push_back({"127.0.0.1", 7051, consenter_cert_pem, consenter_cert_pem, "OrdererMSP"});
    spec.batch.timeout = absl::Milliseconds(200);
    spec.batch.absolute_max_bytes = kAbsoluteMaxBytes;
    spec.batch.preferred_max_bytes = kAbsoluteMaxBytes / 2;
    auto block = channelconfig::CreateGenesisBlock(spec);
    EXPECT_TRUE(block.ok()) << block.status();
    return *block;
  }

  bool WaitForLeader() {
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (!channel_->chain().status().is_leader) {
      if (absl::Now() > deadline) return false;
      absl::SleepFor(absl::Milliseconds(20));  // polling a condition with a deadline
    }
    return true;
  }

  // The service's clock: real time unless a test fixes it.
  absl::Time Now() {
    std::lock_guard<std::mutex> lock(clock_mu_);
    return fixed_now_.has_value() ? *fixed_now_ : absl::Now();
  }
  void SetNow(absl::Time t) {
    std::lock_guard<std::mutex> lock(clock_mu_);
    fixed_now_ = t;
  }

  // A transaction envelope as a Fabric client makes one, with `data` as its payload data.
  ::common::Envelope Tx(const msp::SigningIdentity& who, ::common::HeaderType type = ::common::ENDORSER_TRANSACTION,
                        const std::string& channel = kChannel, std::string data = "a transaction") {
    const std::string nonce = *protoutil::CreateNonce();
    const std::string creator = who.SerializedIdentity();
    ::common::Payload payload;
    *payload.mutable_header() = *protoutil::MakePayloadHeader(
        protoutil::MakeChannelHeader(type, channel, protoutil::ComputeTxId(nonce, creator), ToTimestamp(Now()), 0, ""),
        protoutil::MakeSignatureHeader(creator, nonce));
    payload.set_data(std::move(data));
    ::common::Envelope envelope;
    envelope.set_payload(payload.SerializeAsString());
    envelope.set_signature(*who.Sign(envelope.payload()));
    return envelope;
  }

  // A Deliver request as Fabric's peers and clients make one.
  ::common::Envelope SeekRequest(const msp::SigningIdentity& who, const ::orderer::SeekInfo& seek,
                                 const std::string& channel = kChannel) {
    auto envelope = protoutil::CreateSignedEnvelope(::common::DELIVER_SEEK_INFO, channel, who, seek, 0, ToTimestamp(Now()));
    EXPECT_TRUE(envelope.ok()) << envelope.status();
    return *envelope;
  }

  // Sends `envelopes` on one Broadcast stream, all before reading any response, then reads every response.
  std::vector<::orderer::BroadcastResponse> BroadcastAll(const std::vector<::common::Envelope>& envelopes) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
    auto stream = stub_->Broadcast(&context);
    for (const ::common::Envelope& e : envelopes) EXPECT_TRUE(stream->Write(e));
    EXPECT_TRUE(stream->WritesDone());
    std::vector<::orderer::BroadcastResponse> responses;
    ::orderer::BroadcastResponse response;
    while (stream->Read(&response)) responses.push_back(response);
    const grpc::Status status = stream->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    return responses;
  }

  ::orderer::BroadcastResponse BroadcastOne(const ::common::Envelope& envelope) {
    std::vector<::orderer::BroadcastResponse> responses = BroadcastAll({envelope});
    EXPECT_EQ(responses.size(), 1u);
    return responses.empty() ? ::orderer::BroadcastResponse() : responses[0];
  }

  // Reads one request's answer: blocks up to a status.
  static Delivered ReadAnswer(grpc::ClientReaderWriter<::common::Envelope, ::orderer::DeliverResponse>& stream) {
    Delivered delivered;
    ::orderer::DeliverResponse response;
    while (stream.Read(&response)) {
      if (response.has_block()) {
        delivered.blocks.push_back(response.block());
        continue;
      }
      delivered.status = response.status();
      break;
    }
    return delivered;
  }

  // Sends `requests` one after the other on one Deliver stream, each once the previous one is answered.
  std::vector<Delivered> DeliverOnOneStream(const std::vector<::common::Envelope>& requests) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
    auto stream = stub_->Deliver(&context);
    std::vector<Delivered> answers;
    for (const ::common::Envelope& request : requests) {
      if (!stream->Write(request)) break;
      answers.push_back(ReadAnswer(*stream));
      if (answers.back().status != ::common::SUCCESS) break;
    }
    stream->WritesDone();
    ::orderer::DeliverResponse extra;
    EXPECT_FALSE(stream->Read(&extra)) << "the stream goes on after its last answer";
    const grpc::Status status = stream->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    return answers;
  }

  Delivered Deliver(const ::common::Envelope& request) { return DeliverOnOneStream({request})[0]; }

  // A Deliver stream whose handler has answered a first request (so it certainly runs) and now waits for a
  // block that never comes. Null (with a failure recorded) if the first answer is not SUCCESS.
  std::unique_ptr<grpc::ClientReaderWriter<::common::Envelope, ::orderer::DeliverResponse>> StartWaitingDeliver(
      grpc::ClientContext* context) {
    auto stream = stub_->Deliver(context);
    EXPECT_TRUE(stream->Write(SeekRequest(client_, Seek(Oldest(), Oldest()))));
    const Delivered first = ReadAnswer(*stream);
    EXPECT_EQ(first.status, ::common::SUCCESS);
    EXPECT_TRUE(stream->Write(SeekRequest(client_, Seek(Specified(100), Specified(100)))));
    return first.status == ::common::SUCCESS ? std::move(stream) : nullptr;
  }

  // A bidirectional stream of raw bytes to `method`: what a client that sends garbage, or reads the exact
  // bytes on the wire, sees.
  std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>> RawStream(grpc::ClientContext* context,
                                                                                         const char* method) {
    return std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>>(
        grpc::internal::ClientReaderWriterFactory<grpc::ByteBuffer, grpc::ByteBuffer>::Create(
            grpc_channel_.get(), grpc::internal::RpcMethod(method, grpc::internal::RpcMethod::BIDI_STREAMING),
            context));
  }

  // The transactions in blocks 1 .. height-1 as stored, in chain order.
  std::vector<std::string> StoredTransactions() {
    std::vector<std::string> txs;
    for (uint64_t n = 1; n < channel_->store().Height(); ++n) {
      auto block = channel_->store().GetBlock(n);
      EXPECT_TRUE(block.ok()) << block.status();
      for (const std::string& tx : block->data().data()) txs.push_back(tx);
    }
    return txs;
  }

  careledger::testing::ScopedTempDir dir_;
  cluster::testing::TlsCa tls_ca_ = cluster::testing::MakeTlsCa("tlsca.orderer");
  cluster::ClusterTls tls_;
  msp::testing::TestOrg hospital_{"Hospital1MSP"};
  msp::testing::TestOrg orderer_org_{"OrdererMSP"};
  msp::testing::TestOrg unknown_org_{"UnknownMSP"};
  msp::testing::TestOrg impostor_ca_{"Hospital1MSP"};  // claims Hospital1's MSP ID with another root CA
  msp::SigningIdentity client_ = hospital_.Issue("client1", msp::NodeRole::kClient);
  msp::SigningIdentity peer_ = hospital_.Issue("peer0", msp::NodeRole::kPeer);
  msp::SigningIdentity hospital_orderer_ = hospital_.Issue("orderer-ou", msp::NodeRole::kOrderer);
  msp::SigningIdentity stranger_ = unknown_org_.Issue("client1", msp::NodeRole::kClient);
  msp::SigningIdentity impostor_ = impostor_ca_.Issue("client1", msp::NodeRole::kClient);
  // Valid for one hour from the test epoch.
  msp::SigningIdentity short_lived_ = hospital_.Issue("temp", {"client"}, {}, msp::testing::kTestEpoch,
                                                      msp::testing::kTestEpoch + absl::Hours(1));

  std::mutex clock_mu_;
  std::optional<absl::Time> fixed_now_;  // guarded by clock_mu_

  std::unique_ptr<ChannelRegistry> registry_;
  std::shared_ptr<OrdererChannel> channel_;
  std::unique_ptr<AtomicBroadcastService> service_;
  std::unique_ptr<grpc::Server> server_;
  bool shut_down_ = false;
  std::shared_ptr<grpc::Channel> grpc_channel_;
  std::unique_ptr<::orderer::AtomicBroadcast::Stub> stub_;
};

// ---- Broadcast -------------------------------------------------------------------------------------------

TEST_F(AtomicBroadcastServiceTest, BroadcastOrdersAnEnvelopeIntoTheNextBlock) {
  const ::common::Envelope tx = Tx(client_);
  const ::orderer::BroadcastResponse response = BroadcastOne(tx);
  EXPECT_EQ(response.status(), ::common::SUCCESS) << response.info();
  EXPECT_EQ(channel_->store().Height(), 2u) << "SUCCESS comes once the block is committed";

  Delivered delivered = Deliver(SeekRequest(client_, Seek(Specified(1), Specified(1))));
  EXPECT_EQ(delivered.status, ::common::SUCCESS);
  ASSERT_EQ(delivered.blocks.size(), 1u);
  ASSERT_EQ(delivered.blocks[0].data().data_size(), 1);
  EXPECT_EQ(delivered.blocks[0].data().data(0), tx.SerializeAsString());
}

TEST_F(AtomicBroadcastServiceTest, BroadcastAcceptsMessagesAsWellAsTransactions) {
  EXPECT_EQ(BroadcastOne(Tx(client_, ::common::MESSAGE)).status(), ::common::SUCCESS);
}

TEST_F(AtomicBroadcastServiceTest, BroadcastRefusesEachBrokenRuleWithItsStatusAndGoesOn) {
  struct Case {
    std::string what;
    ::common::Envelope envelope;
    ::common::Status status;
    std::string info;
  };
  std::vector<Case> cases;
  cases.push_back({"no payload", ::common::Envelope(), ::common::BAD_REQUEST, "payload"});
  {
    ::common::Payload headless;
    headless.set_data("data");
    ::common::Envelope e;
    e.set_payload(headless.SerializeAsString());
    cases.push_back({"payload without header", e, ::common::BAD_REQUEST, "header"});
  }
  {
    ::common::Envelope e;
    e.set_payload("\xff\xff\xff garbage");
    cases.push_back({"payload of garbage", e, ::common::BAD_REQUEST, "malformed"});
  }
  {
    ::common::Payload payload;
    payload.mutable_header()->set_channel_header("\xff\x01");
    payload.mutable_header()->set_signature_header("\xff\x01");
    ::common::Envelope e;
    e.set_payload(payload.SerializeAsString());
    cases.push_back({"malformed channel header", e, ::common::BAD_REQUEST, "channel header"});
  }
  cases.push_back({"channel not served", Tx(client_, ::common::ENDORSER_TRANSACTION, "otherchannel"),
                   ::common::NOT_FOUND, "otherchannel"});
  cases.push_back({"larger than absolute_max_bytes",
                   Tx(client_, ::common::ENDORSER_TRANSACTION, kChannel, std::string(kAbsoluteMaxBytes, 'x')),
                   ::common::BAD_REQUEST, "absolute_max_bytes of 32768"});
  cases.push_back({"config update", Tx(client_, ::common::CONFIG_UPDATE), ::common::NOT_IMPLEMENTED, "CONFIG_UPDATE"});
  cases.push_back({"raw config", Tx(client_, ::common::CONFIG), ::common::BAD_REQUEST, "CONFIG envelopes"});
  cases.push_back({"deliver request", Tx(client_, ::common::DELIVER_SEEK_INFO), ::common::BAD_REQUEST,
                   "DELIVER_SEEK_INFO (5)"});
  cases.push_back({"unknown MSP", Tx(stranger_), ::common::FORBIDDEN, "UnknownMSP"});
  cases.push_back({"untrusted chain", Tx(impostor_), ::common::FORBIDDEN, "not a valid identity"});
  {
    ::common::Envelope e = Tx(client_);
    e.set_signature(*client_.Sign("other bytes"));
    cases.push_back({"signature over other bytes", e, ::common::FORBIDDEN, "signature is not valid"});
  }
  {
    ::common::Envelope e = Tx(client_);
    e.set_signature("\x30\x02 not DER");
    cases.push_back({"malformed signature", e, ::common::FORBIDDEN, "signature is not valid"});
  }
  // Under the default policies a Hospital1 peer reads the channel but does not write to it.
  cases.push_back({"peer is no writer", Tx(peer_), ::common::FORBIDDEN, "does not satisfy /Channel/Writers"});
  cases.push_back({"client", Tx(client_), ::common::SUCCESS, ""});

  std::vector<::common::Envelope> envelopes;
  for (const Case& c : cases) envelopes.push_back(c.envelope);
  std::vector<::orderer::BroadcastResponse> responses = BroadcastAll(envelopes);
  ASSERT_EQ(responses.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].what);
    EXPECT_EQ(responses[i].status(), cases[i].status) << ::common::Status_Name(responses[i].status()) << ": "
                                                      << responses[i].info();
    EXPECT_THAT(responses[i].info(), HasSubstr(cases[i].info));
  }
  EXPECT_THAT(StoredTransactions(), ElementsAre(cases.back().envelope.SerializeAsString()));
}

TEST_F(AtomicBroadcastServiceTest, BroadcastChecksCertificateExpiryAtTheServiceClock) {
  SetNow(msp::testing::kTestEpoch + absl::Minutes(30));
  EXPECT_EQ(BroadcastOne(Tx(short_lived_)).status(), ::common::SUCCESS);
  SetNow(msp::testing::kTestEpoch + absl::Hours(2));
  const ::orderer::BroadcastResponse late = BroadcastOne(Tx(short_lived_));
  EXPECT_EQ(late.status(), ::common::FORBIDDEN);
  EXPECT_THAT(late.info(), HasSubstr("expired"));
}

TEST_F(AtomicBroadcastServiceTest, BroadcastAnswersManyEnvelopesInFlightInTheirOrder) {
  constexpr int kEnvelopes = 200;
  std::vector<::common::Envelope> envelopes;
  std::vector<::common::Status> expected;
  std::vector<std::string> ordered;
  for (int i = 0; i < kEnvelopes; ++i) {
    ::common::Envelope e = Tx(client_, ::common::ENDORSER_TRANSACTION, kChannel, absl::StrCat("tx ", i));
    if (i % 7 == 3) {
      e.set_signature(*client_.Sign("not the payload"));
      expected.push_back(::common::FORBIDDEN);
    } else {
      expected.push_back(::common::SUCCESS);
      ordered.push_back(e.SerializeAsString());
    }
    envelopes.push_back(std::move(e));
  }
  std::vector<::orderer::BroadcastResponse> responses = BroadcastAll(envelopes);
  ASSERT_EQ(responses.size(), envelopes.size());
  for (size_t i = 0; i < responses.size(); ++i) {
    EXPECT_EQ(responses[i].status(), expected[i]) << "envelope " << i << ": " << responses[i].info();
  }
  EXPECT_EQ(StoredTransactions(), ordered);
}

TEST_F(AtomicBroadcastServiceTest, BroadcastBytesThatAreNoEnvelopeEndOnlyTheirStream) {
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
    auto stream = RawStream(&context, "/orderer.AtomicBroadcast/Broadcast");
    ASSERT_TRUE(stream->Write(Bytes(Tx(client_).SerializeAsString())));
    ASSERT_TRUE(stream->Write(Bytes("\xff\xff\xff\xff\xff")));  // a truncated varint: no message at all
    grpc::ByteBuffer reply;
    ASSERT_TRUE(stream->Read(&reply)) << "the envelope before the garbage is still answered";
    ::orderer::BroadcastResponse response;
    ASSERT_TRUE(response.ParseFromString(String(reply)));
    EXPECT_EQ(response.status(), ::common::SUCCESS) << response.info();
    EXPECT_FALSE(stream->Read(&reply));
    stream->Finish();
  }
  EXPECT_EQ(BroadcastOne(Tx(client_)).status(), ::common::SUCCESS) << "the server goes on serving";
}

// ---- Deliver ---------------------------------------------------------------------------------------------

TEST_F(AtomicBroadcastServiceTest, DeliverStreamsOldestToNewestAsStored) {
  ASSERT_EQ(BroadcastOne(Tx(client_)).status(), ::common::SUCCESS);
  ASSERT_EQ(BroadcastOne(Tx(client_)).status(), ::common::SUCCESS);
  ASSERT_EQ(channel_->store().Height(), 3u);
  Delivered delivered = Deliver(SeekRequest(client_, Seek(Oldest(), Newest())));
  EXPECT_EQ(delivered.status, ::common::SUCCESS);
  EXPECT_THAT(Numbers(delivered.blocks), ElementsAre(0, 1, 2));
  for (const ::common::Block& block : delivered.blocks) {
    EXPECT_EQ(block.SerializeAsString(), *channel_->store().GetBlockBytes(block.header().number()));
  }
}

TEST_F(AtomicBroadcastServiceTest, DeliverSendsTheStoredBytesUnchanged) {
  ASSERT_EQ(BroadcastOne(Tx(client_)).status(), ::common::SUCCESS);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  auto stream = RawStream(&context, "/orderer.AtomicBroadcast/Deliver");
  ASSERT_TRUE(stream->Write(Bytes(SeekRequest(client_, Seek(Oldest(), Newest())).SerializeAsString())));
  for (uint64_t n = 0; n < 2; ++n) {
    grpc::ByteBuffer raw;
    ASSERT_TRUE(stream->Read(&raw));
    // DeliverResponse{block = 2}: the tag, the length, then the block's bytes as the store holds them.
    const std::string stored = *channel_->store().GetBlockBytes(n);
    const std::string wire = String(raw);
    ASSERT_GT(wire.size(), stored.size());
    EXPECT_EQ(wire[0], '\x12');
    EXPECT_EQ(wire.substr(wire.size() - stored.size()), stored);
  }
  stream->WritesDone();
  grpc::ByteBuffer status;
  ASSERT_TRUE(stream->Read(&status));
  ::orderer::DeliverResponse response;
  ASSERT_TRUE(response.ParseFromString(String(status)));
  EXPECT_EQ(response.status(), ::common::SUCCESS);
  EXPECT_FALSE(stream->Read(&status));
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(AtomicBroadcastServiceTest, DeliverServesSeveralRequestsOnOneStreamWithFabricsRangeRules) {
  ASSERT_EQ(BroadcastOne(Tx(client_)).status(), ::common::SUCCESS);
  ASSERT_EQ(BroadcastOne(Tx(client_)).status(), ::common::SUCCESS);
  std::vector<Delivered> answers = DeliverOnOneStream({
      SeekRequest(client_, Seek(Specified(1), Specified(2))),
      SeekRequest(client_, Seek(Newest(), Newest())),
      SeekRequest(client_, Seek(Specified(1), Oldest())),  // Fabric: the start block alone
      SeekRequest(client_, Seek(Specified(0), Specified(0))),
      SeekRequest(client_, Seek(Specified(2), Specified(1))),  // start after stop: ends the stream
      SeekRequest(client_, Seek(Oldest(), Newest())),          // never sent
  });
  ASSERT_EQ(answers.size(), 5u);
  EXPECT_THAT(Numbers(answers[0].blocks), ElementsAre(1, 2));
  EXPECT_THAT(Numbers(answers[1].blocks), ElementsAre(2));
  EXPECT_THAT(Numbers(answers[2].blocks), ElementsAre(1));
  EXPECT_THAT(Numbers(answers[3].blocks), ElementsAre(0));
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(answers[i].status, ::common::SUCCESS) << i;
  EXPECT_TRUE(answers[4].blocks.empty());
  EXPECT_EQ(answers[4].status, ::common::BAD_REQUEST);
}

TEST_F(AtomicBroadcastServiceTest, DeliverFailIfNotReadyBeyondTheHeightIsNotFound) {
  Delivered beyond =
      Deliver(SeekRequest(client_, Seek(Specified(5), Specified(6), ::orderer::SeekInfo::FAIL_IF_NOT_READY)));
  EXPECT_TRUE(beyond.blocks.empty());
  EXPECT_EQ(beyond.status, ::common::NOT_FOUND);
  // A range that runs past the height gets the blocks that exist, then NOT_FOUND (as Fabric).
  Delivered partly =
      Deliver(SeekRequest(client_, Seek(Oldest(), Specified(3), ::orderer::SeekInfo::FAIL_IF_NOT_READY)));
  EXPECT_THAT(Numbers(partly.blocks), ElementsAre(0));
  EXPECT_EQ(partly.status, ::common::NOT_FOUND);
}

TEST_F(AtomicBroadcastServiceTest, DeliverBlockUntilReadyReceivesTheBlockOnceItIsOrdered) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  auto stream = stub_->Deliver(&context);
  ASSERT_TRUE(stream->Write(SeekRequest(client_, Seek(Specified(1), Specified(2)))));
  const ::common::Envelope first = Tx(client_);
  ASSERT_EQ(BroadcastOne(first).status(), ::common::SUCCESS);
  ::orderer::DeliverResponse response;
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(response.has_block());
  EXPECT_EQ(response.block().header().number(), 1u);
  EXPECT_EQ(response.block().data().data(0), first.SerializeAsString());
  // Block 2 does not exist until now: the stream has been waiting for it.
  const ::common::Envelope second = Tx(client_);
  ASSERT_EQ(BroadcastOne(second).status(), ::common::SUCCESS);
  Delivered rest = ReadAnswer(*stream);
  EXPECT_EQ(rest.status, ::common::SUCCESS);
  ASSERT_THAT(Numbers(rest.blocks), ElementsAre(2));
  EXPECT_EQ(rest.blocks[0].data().data(0), second.SerializeAsString());
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(AtomicBroadcastServiceTest, DeliverNeedsAReaderWithAValidSignature) {
  const ::orderer::SeekInfo seek = Seek(Oldest(), Oldest());
  // Under the default policies a Hospital1 peer is a reader; an identity of Hospital1 with the orderer OU is
  // not (Readers = admin, peer or client), nor is anyone outside the channel's MSPs.
  EXPECT_EQ(Deliver(SeekRequest(peer_, seek)).status, ::common::SUCCESS);
  EXPECT_EQ(Deliver(SeekRequest(hospital_orderer_, seek)).status, ::common::FORBIDDEN);
  EXPECT_EQ(Deliver(SeekRequest(stranger_, seek)).status, ::common::FORBIDDEN);
  EXPECT_EQ(Deliver(SeekRequest(impostor_, seek)).status, ::common::FORBIDDEN);
  ::common::Envelope forged = SeekRequest(client_, seek);
  forged.set_signature(*client_.Sign("other bytes"));
  Delivered refused = Deliver(forged);
  EXPECT_TRUE(refused.blocks.empty());
  EXPECT_EQ(refused.status, ::common::FORBIDDEN);

  SetNow(msp::testing::kTestEpoch + absl::Hours(2));
  EXPECT_EQ(Deliver(SeekRequest(short_lived_, seek)).status, ::common::FORBIDDEN);
}

TEST_F(AtomicBroadcastServiceTest, DeliverEndsWithForbiddenWhenTheCertificateExpiresMidStream) {
  SetNow(msp::testing::kTestEpoch + absl::Minutes(30));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  auto stream = stub_->Deliver(&context);
  ASSERT_TRUE(stream->Write(SeekRequest(short_lived_, Seek(Oldest(), Specified(protoutil::kStreamForever)))));
  ::orderer::DeliverResponse genesis;
  ASSERT_TRUE(stream->Read(&genesis));
  EXPECT_EQ(genesis.block().header().number(), 0u);
  SetNow(msp::testing::kTestEpoch + absl::Hours(2));
  ASSERT_EQ(BroadcastOne(Tx(client_)).status(), ::common::SUCCESS);
  Delivered rest = ReadAnswer(*stream);
  EXPECT_TRUE(rest.blocks.empty());
  EXPECT_EQ(rest.status, ::common::FORBIDDEN);
  EXPECT_TRUE(stream->Finish().ok());
}

TEST_F(AtomicBroadcastServiceTest, DeliverRefusesMalformedRequests) {
  {
    ::common::Envelope garbage_seek_info = SeekRequest(client_, Seek(Oldest(), Newest()));
    ::common::Payload payload;
    ASSERT_TRUE(payload.ParseFromString(garbage_seek_info.payload()));
    payload.set_data("\x0a\x02\xff\xff");  // field 1 (start) holding bytes that are no SeekPosition
    garbage_seek_info.set_payload(payload.SerializeAsString());
    garbage_seek_info.set_signature(*client_.Sign(garbage_seek_info.payload()));
    EXPECT_EQ(Deliver(garbage_seek_info).status, ::common::BAD_REQUEST);
  }
  ::orderer::SeekInfo no_stop;
  *no_stop.mutable_start() = Oldest();
  EXPECT_EQ(Deliver(SeekRequest(client_, no_stop)).status, ::common::BAD_REQUEST);
  EXPECT_EQ(Deliver(::common::Envelope()).status, ::common::BAD_REQUEST);
  EXPECT_EQ(Deliver(Tx(client_)).status, ::common::BAD_REQUEST) << "not a DELIVER_SEEK_INFO envelope";
  EXPECT_EQ(Deliver(SeekRequest(client_, Seek(Oldest(), NextCommit()))).status, ::common::BAD_REQUEST);
  EXPECT_EQ(Deliver(SeekRequest(client_, Seek(Oldest(), Newest()), "otherchannel")).status, ::common::NOT_FOUND);

  // A request stamped outside the time window cannot be replayed.
  const ::common::Envelope old = SeekRequest(client_, Seek(Oldest(), Newest()));
  SetNow(absl::Now() + absl::Minutes(20));
  EXPECT_EQ(Deliver(old).status, ::common::BAD_REQUEST);
}

TEST_F(AtomicBroadcastServiceTest, DeliverHeaderWithSigLeavesOutTheDataOfAllButConfigBlocks) {
  ASSERT_EQ(BroadcastOne(Tx(client_)).status(), ::common::SUCCESS);
  ::orderer::SeekInfo seek = Seek(Oldest(), Newest());
  seek.set_content_type(::orderer::SeekInfo::HEADER_WITH_SIG);
  Delivered delivered = Deliver(SeekRequest(client_, seek));
  ASSERT_THAT(Numbers(delivered.blocks), ElementsAre(0, 1));
  EXPECT_EQ(delivered.blocks[0].SerializeAsString(), *channel_->store().GetBlockBytes(0)) << "config block whole";
  EXPECT_FALSE(delivered.blocks[1].has_data());
  const ::common::Block stored = *channel_->store().GetBlock(1);
  EXPECT_EQ(delivered.blocks[1].header().SerializeAsString(), stored.header().SerializeAsString());
  EXPECT_EQ(delivered.blocks[1].metadata().SerializeAsString(), stored.metadata().SerializeAsString());
}

TEST_F(AtomicBroadcastServiceTest, DeliverReleasesItsThreadWhenTheClientCancels) {
  grpc::ClientContext context;
  auto stream = StartWaitingDeliver(&context);
  ASSERT_NE(stream, nullptr);
  context.TryCancel();
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // Shutdown without a deadline waits for every handler to return: it ends only if the server let go.
  std::future<void> shutdown = std::async(std::launch::async, [this] { server_->Shutdown(); });
  shut_down_ = true;
  EXPECT_EQ(shutdown.wait_for(std::chrono::seconds(20)), std::future_status::ready);
}

TEST_F(AtomicBroadcastServiceTest, DeliverReleasesItsThreadWhenTheServerShutsDown) {
  grpc::ClientContext context;
  auto stream = StartWaitingDeliver(&context);
  ASSERT_NE(stream, nullptr);
  std::future<void> shutdown = std::async(std::launch::async, [this] {
    server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Milliseconds(100)));
  });
  shut_down_ = true;
  EXPECT_EQ(shutdown.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  ::orderer::DeliverResponse response;
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_FALSE(stream->Finish().ok());
}

}  // namespace
}  // namespace careledger::orderer
