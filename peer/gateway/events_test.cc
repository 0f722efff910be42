// The services clients follow blocks with, end to end on loopback (testing/two_peer_network.h):
// gateway.Gateway/ChaincodeEvents and protos.Deliver (Deliver, DeliverFiltered), over blocks that real
// committers committed.
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/test_seek.h"
#include "common/protoutil/timestamp.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "peer/gateway/testing/two_peer_network.h"

namespace careledger::gateway {
namespace {

using protoutil::testing::Newest;
using protoutil::testing::Oldest;
using protoutil::testing::Seek;
using protoutil::testing::Specified;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::TwoPeerNetwork;

constexpr absl::Duration kCallTimeout = absl::Seconds(30);

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(net_.ok());
    absl::Status defined = net_.DefineBench();
    ASSERT_TRUE(defined.ok()) << defined;
  }

  // Commits a block of one bench put (event "put" with the key as payload); its transaction ID.
  std::string Put(const std::string& key) {
    auto tx_id = net_.TransactAndCommit(net_.client1(), "bench", {"put", key, "value of " + key});
    EXPECT_TRUE(tx_id.ok()) << tx_id.status();
    return tx_id.ok() ? *tx_id : "";
  }

  uint64_t Height() { return net_.peer1_channel().ledger().Height(); }

  ::gateway::SignedChaincodeEventsRequest EventsRequest(const msp::SigningIdentity& client,
                                                        std::optional<uint64_t> start_block,
                                                        const std::string& after_tx_id = "") {
    ::gateway::ChaincodeEventsRequest request;
    request.set_channel_id(testing::kChannelId);
    request.set_chaincode_id("bench");
    request.set_identity(client.SerializedIdentity());
    if (start_block.has_value()) *request.mutable_start_position() = Specified(*start_block);
    request.set_after_transaction_id(after_tx_id);
    ::gateway::SignedChaincodeEventsRequest signed_request;
    signed_request.set_request(request.SerializeAsString());
    signed_request.set_signature(*client.Sign(signed_request.request()));
    return signed_request;
  }

  // Reads `count` responses of a ChaincodeEvents stream, then cancels it.
  std::vector<::gateway::ChaincodeEventsResponse> ReadEvents(const ::gateway::SignedChaincodeEventsRequest& request,
                                                             size_t count) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
    auto reader = net_.gateway().ChaincodeEvents(&context, request);
    std::vector<::gateway::ChaincodeEventsResponse> responses;
    ::gateway::ChaincodeEventsResponse response;
    while (responses.size() < count && reader->Read(&response)) responses.push_back(response);
    context.TryCancel();
    reader->Finish();
    return responses;
  }

  static std::vector<std::string> Payloads(const ::gateway::ChaincodeEventsResponse& response) {
    std::vector<std::string> payloads;
    for (const auto& event : response.events()) payloads.push_back(event.payload());
    return payloads;
  }

  ::common::Envelope SeekRequest(const msp::SigningIdentity& client, const ::orderer::SeekInfo& seek) {
    auto envelope = protoutil::CreateSignedEnvelope(::common::DELIVER_SEEK_INFO, testing::kChannelId, client, seek, 0,
                                                    protoutil::ToTimestamp(absl::Now()));
    EXPECT_TRUE(envelope.ok()) << envelope.status();
    return *envelope;
  }

  struct Delivered {
    std::vector<::protos::DeliverResponse> blocks;  // block or filtered_block responses
    std::optional<::common::Status> status;
  };

  Delivered Deliver(const ::common::Envelope& request, bool filtered) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
    auto stream = filtered ? net_.deliver().DeliverFiltered(&context) : net_.deliver().Deliver(&context);
    EXPECT_TRUE(stream->Write(request));
    stream->WritesDone();
    Delivered delivered;
    ::protos::DeliverResponse response;
    while (stream->Read(&response)) {
      if (response.Type_case() == ::protos::DeliverResponse::kStatus) {
        delivered.status = response.status();
        break;
      }
      delivered.blocks.push_back(response);
    }
    context.TryCancel();
    stream->Finish();
    return delivered;
  }

  TwoPeerNetwork net_;
};

TEST_F(EventsTest, ChaincodeEventsStreamsEachBlocksEventsFromAStartBlockAndFollowsNewOnes) {
  const uint64_t first = Height();
  Put("a");
  Put("b");
  std::future<std::vector<::gateway::ChaincodeEventsResponse>> stream =
      std::async(std::launch::async, [&] { return ReadEvents(EventsRequest(net_.client1(), first), 3); });
  Put("c");  // committed while the stream waits, or before it starts: either way it is the third response
  std::vector<::gateway::ChaincodeEventsResponse> responses = stream.get();
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(responses[0].block_number(), first);
  EXPECT_THAT(Payloads(responses[0]), ElementsAre("a"));
  EXPECT_THAT(Payloads(responses[1]), ElementsAre("b"));
  EXPECT_THAT(Payloads(responses[2]), ElementsAre("c"));
  const auto& event = responses[0].events(0);
  EXPECT_EQ(event.chaincode_id(), "bench");
  EXPECT_EQ(event.event_name(), "put");
  EXPECT_FALSE(event.tx_id().empty());
}

TEST_F(EventsTest, ChaincodeEventsResumeAfterATransaction) {
  const uint64_t first = Height();
  Put("a");
  const std::string b = Put("b");
  Put("c");
  // A checkpoint (block of b, b): the stream starts at b's block and skips b itself.
  std::vector<::gateway::ChaincodeEventsResponse> responses = ReadEvents(EventsRequest(net_.client1(), first, b), 1);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_THAT(Payloads(responses[0]), ElementsAre("c"));
  EXPECT_EQ(responses[0].block_number(), first + 2);
}

TEST_F(EventsTest, ChaincodeEventsRefuseAnOutsider) {
  grpc::ClientContext context;
  auto reader = net_.gateway().ChaincodeEvents(&context, EventsRequest(net_.outsider(), 0));
  ::gateway::ChaincodeEventsResponse response;
  EXPECT_FALSE(reader->Read(&response));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(EventsTest, DeliverStreamsWholeBlocksAsCommitted) {
  Put("a");
  Delivered delivered = Deliver(SeekRequest(net_.client1(), Seek(Oldest(), Newest())), /*filtered=*/false);
  ASSERT_EQ(delivered.status, ::common::SUCCESS);
  ASSERT_EQ(delivered.blocks.size(), Height());
  for (uint64_t i = 0; i < Height(); ++i) {
    const ::common::Block& block = delivered.blocks[i].block();
    EXPECT_EQ(block.header().number(), i);
    auto stored = net_.peer1_channel().ledger().GetBlockBytes(i);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(block.SerializeAsString(), *stored);  // with the committer's TRANSACTIONS_FILTER
  }
}

TEST_F(EventsTest, DeliverFilteredSendsTransactionsAndEventsWithoutPayloads) {
  const std::string tx_id = Put("a");
  const uint64_t last = Height() - 1;
  Delivered delivered = Deliver(SeekRequest(net_.client1(), Seek(Specified(last), Specified(last))), /*filtered=*/true);
  ASSERT_EQ(delivered.status, ::common::SUCCESS);
  ASSERT_EQ(delivered.blocks.size(), 1u);
  const ::protos::FilteredBlock& block = delivered.blocks[0].filtered_block();
  EXPECT_EQ(block.channel_id(), testing::kChannelId);
  EXPECT_EQ(block.number(), last);
  ASSERT_EQ(block.filtered_transactions_size(), 1);
  const ::protos::FilteredTransaction& tx = block.filtered_transactions(0);
  EXPECT_EQ(tx.txid(), tx_id);
  EXPECT_EQ(tx.type(), ::common::ENDORSER_TRANSACTION);
  EXPECT_EQ(tx.tx_validation_code(), ::protos::VALID);
  ASSERT_EQ(tx.transaction_actions().chaincode_actions_size(), 1);
  const ::protos::ChaincodeEvent& event = tx.transaction_actions().chaincode_actions(0).chaincode_event();
  EXPECT_EQ(event.event_name(), "put");
  EXPECT_EQ(event.tx_id(), tx_id);
  EXPECT_TRUE(event.payload().empty());
}

TEST_F(EventsTest, DeliverWaitsForABlockNotYetCommitted) {
  const uint64_t next = Height();
  std::future<Delivered> waiting = std::async(std::launch::async, [&] {
    return Deliver(SeekRequest(net_.client1(), Seek(Specified(next), Specified(next))), /*filtered=*/true);
  });
  const std::string tx_id = Put("later");
  Delivered delivered = waiting.get();
  ASSERT_EQ(delivered.status, ::common::SUCCESS);
  ASSERT_EQ(delivered.blocks.size(), 1u);
  EXPECT_EQ(delivered.blocks[0].filtered_block().filtered_transactions(0).txid(), tx_id);

  ::orderer::SeekInfo no_wait = Seek(Specified(next + 5), Specified(next + 5), ::orderer::SeekInfo::FAIL_IF_NOT_READY);
  EXPECT_EQ(Deliver(SeekRequest(net_.client1(), no_wait), false).status, ::common::NOT_FOUND);
}

TEST_F(EventsTest, DeliverRefusesWhoIsNoReaderOfTheChannel) {
  const ::orderer::SeekInfo seek = Seek(Oldest(), Newest());
  Delivered outsider = Deliver(SeekRequest(net_.outsider(), seek), false);
  EXPECT_EQ(outsider.status, ::common::FORBIDDEN);
  EXPECT_THAT(outsider.blocks, IsEmpty());
  EXPECT_EQ(Deliver(SeekRequest(net_.orderer_identity(), seek), true).status, ::common::FORBIDDEN);
  ::common::Envelope forged = SeekRequest(net_.client1(), seek);
  forged.mutable_signature()->back() ^= 1;
  EXPECT_EQ(Deliver(forged, false).status, ::common::FORBIDDEN);
  ::common::Envelope garbage;
  garbage.set_payload("\xff");
  EXPECT_EQ(Deliver(garbage, false).status, ::common::BAD_REQUEST);
}

TEST_F(EventsTest, DeliverWithPrivateDataIsUnimplemented) {
  grpc::ClientContext context;
  auto stream = net_.deliver().DeliverWithPrivateData(&context);
  stream->WritesDone();
  ::protos::DeliverResponse response;
  EXPECT_FALSE(stream->Read(&response));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace careledger::gateway
