#include "peer/deliverclient/block_puller.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/test_signer.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "orderer/ab.grpc.pb.h"

namespace careledger::deliverclient {
namespace {

using ::testing::ElementsAreArray;

constexpr absl::Duration kWait = absl::Seconds(20);

::common::Block NumberedBlock(uint64_t number) {
  ::common::Block block;
  block.mutable_header()->set_number(number);
  return block;
}

// An orderer's Deliver over real gRPC on loopback, serving blocks [0, height) from the requested start; it
// ends the stream with SERVICE_UNAVAILABLE after `fail_after` blocks if set, else holds the stream open as
// BLOCK_UNTIL_READY does until the client goes away.
class TestDeliverServer final : public ::orderer::AtomicBroadcast::Service {
 public:
  TestDeliverServer(uint64_t height, std::optional<int> fail_after) : height_(height), fail_after_(fail_after) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
  }
  ~TestDeliverServer() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      shutting_down_ = true;
      changed_.notify_all();
    }
    server_->Shutdown(std::chrono::system_clock::now());
  }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  int streams() const { return streams_; }

  grpc::Status Deliver(grpc::ServerContext* context,
                       grpc::ServerReaderWriter<::orderer::DeliverResponse, ::common::Envelope>* stream) override {
    streams_++;
    ::common::Envelope request;
    if (!stream->Read(&request)) return grpc::Status::OK;
    auto parsed = protoutil::ParseEnvelope(request);
    ::orderer::SeekInfo seek;
    if (!parsed.ok() || !seek.ParseFromString(parsed->payload.data())) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad seek");
    }
    int sent = 0;
    for (uint64_t n = seek.start().specified().number(); n < height_; ++n) {
      if (fail_after_ && sent == *fail_after_) {
        ::orderer::DeliverResponse unavailable;
        unavailable.set_status(::common::SERVICE_UNAVAILABLE);
        stream->Write(unavailable);
        return grpc::Status::OK;
      }
      ::orderer::DeliverResponse response;
      *response.mutable_block() = NumberedBlock(n);
      if (!stream->Write(response)) return grpc::Status::OK;
      sent++;
    }
    // Nothing more to send: hold the stream until the client cancels or the server shuts down.
    std::unique_lock<std::mutex> lock(mu_);
    while (!shutting_down_ && !context->IsCancelled()) changed_.wait_for(lock, std::chrono::milliseconds(20));
    return grpc::Status::OK;
  }

 private:
  const uint64_t height_;
  const std::optional<int> fail_after_;
  int port_ = 0;
  std::atomic<int> streams_{0};
  std::mutex mu_;
  std::condition_variable changed_;
  bool shutting_down_ = false;
  std::unique_ptr<grpc::Server> server_;
};

// The committer's side: accepts the next block in order, records it, and lets a test refuse some.
class RecordingSink {
 public:
  explicit RecordingSink(uint64_t first) : next_(first) {}

  uint64_t Next() {
    std::lock_guard<std::mutex> lock(mu_);
    return next_;
  }

  absl::Status Take(::common::Block block) {
    std::lock_guard<std::mutex> lock(mu_);
    const uint64_t number = block.header().number();
    if (number != next_) return absl::FailedPreconditionError(absl::StrCat("expected ", next_, ", got ", number));
    if (refuse_once_ == number) {
      refuse_once_.reset();
      return absl::PermissionDeniedError("forged block");
    }
    received_.push_back(number);
    next_++;
    changed_.notify_all();
    return absl::OkStatus();
  }

  void RefuseOnce(uint64_t number) {
    std::lock_guard<std::mutex> lock(mu_);
    refuse_once_ = number;
  }

  bool WaitFor(uint64_t next) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, absl::ToChronoNanoseconds(kWait), [&] { return next_ >= next; });
  }

  std::vector<uint64_t> received() {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  uint64_t next_;
  std::optional<uint64_t> refuse_once_;
  std::vector<uint64_t> received_;
};

class BlockPullerTest : public ::testing::Test {
 protected:
  std::unique_ptr<BlockPuller> Puller(std::vector<std::string> addresses, RecordingSink& sink) {
    BlockPullerOptions options;
    options.channel_id = "healthchannel";
    for (std::string& address : addresses) options.orderers.push_back({std::move(address), ""});
    options.initial_backoff = absl::Milliseconds(10);
    options.max_backoff = absl::Milliseconds(100);
    return std::make_unique<BlockPuller>(
        options, signer_, [&sink] { return sink.Next(); },
        [&sink](::common::Block block) { return sink.Take(std::move(block)); });
  }

  protoutil::testing::FakeSigner signer_{"peer0"};
};

std::vector<uint64_t> Range(uint64_t first, uint64_t end) {
  std::vector<uint64_t> numbers;
  for (uint64_t n = first; n < end; ++n) numbers.push_back(n);
  return numbers;
}

TEST_F(BlockPullerTest, PullsEveryBlockFromTheLedgerHeightInOrder) {
  TestDeliverServer orderer(8, std::nullopt);
  RecordingSink sink(3);
  auto puller = Puller({orderer.address()}, sink);
  puller->Start();
  ASSERT_TRUE(sink.WaitFor(8));
  puller->Stop();
  EXPECT_THAT(sink.received(), ElementsAreArray(Range(3, 8)));
  EXPECT_EQ(orderer.streams(), 1);
}

TEST_F(BlockPullerTest, MovesToTheNextOrdererAndResumesAfterTheLastAcceptedBlock) {
  TestDeliverServer failing(10, /*fail_after=*/2);
  TestDeliverServer healthy(10, std::nullopt);
  RecordingSink sink(1);
  auto puller = Puller({failing.address(), healthy.address()}, sink);
  puller->Start();
  ASSERT_TRUE(sink.WaitFor(10));
  puller->Stop();
  EXPECT_THAT(sink.received(), ElementsAreArray(Range(1, 10)));
  EXPECT_GE(puller->failures(), 1u);
  EXPECT_THAT(std::string(puller->last_error().message()), ::testing::HasSubstr("SERVICE_UNAVAILABLE"));
}

TEST_F(BlockPullerTest, ABlockTheSinkRefusesIsFetchedAgainFromAnotherOrderer) {
  TestDeliverServer first(6, std::nullopt);
  TestDeliverServer second(6, std::nullopt);
  RecordingSink sink(1);
  sink.RefuseOnce(3);
  auto puller = Puller({first.address(), second.address()}, sink);
  puller->Start();
  ASSERT_TRUE(sink.WaitFor(6));
  puller->Stop();
  EXPECT_THAT(sink.received(), ElementsAreArray(Range(1, 6)));
  EXPECT_EQ(second.streams(), 1);
  EXPECT_THAT(std::string(puller->last_error().message()), ::testing::HasSubstr("block 3: forged block"));
}

TEST_F(BlockPullerTest, SkipsAnUnreachableOrderer) {
  // A port nothing listens on: the server is built and shut down at once.
  std::string unreachable;
  { unreachable = TestDeliverServer(0, std::nullopt).address(); }
  TestDeliverServer healthy(4, std::nullopt);
  RecordingSink sink(0);
  auto puller = Puller({unreachable, healthy.address()}, sink);
  puller->Start();
  ASSERT_TRUE(sink.WaitFor(4));
  puller->Stop();
  EXPECT_THAT(sink.received(), ElementsAreArray(Range(0, 4)));
}

TEST_F(BlockPullerTest, StopEndsAStreamWaitingForBlocks) {
  TestDeliverServer orderer(2, std::nullopt);
  RecordingSink sink(0);
  auto puller = Puller({orderer.address()}, sink);
  puller->Start();
  ASSERT_TRUE(sink.WaitFor(2));
  const absl::Time before = absl::Now();
  puller->Stop();
  EXPECT_LT(absl::Now() - before, absl::Seconds(5));
  EXPECT_EQ(puller->failures(), 0u);
}

}  // namespace
}  // namespace careledger::deliverclient
