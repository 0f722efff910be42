// The bench end to end against an in-process AtomicBroadcast service over TLS, with identities generated as
// `careledger crypto generate` makes them. The service is a stand-in with knobs for failures (refusals,
// envelopes acknowledged but never put in a block, a stream that breaks, a refused Deliver); the real
// orderer is exercised by the integration tests.
#include "network/bench/broadcast_bench.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "common/file/file_io.h"
#include "common/protoutil/block.h"
#include "common/protoutil/envelope.h"
#include "common/protoutil/unmarshal.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "msp/msp.h"
#include "msp/msp_dir.h"
#include "network/consortium/consortium.h"
#include "network/identity/consortium_identities.h"
#include "orderer/ab.grpc.pb.h"

namespace careledger::bench {
namespace {

using ::testing::HasSubstr;

constexpr char kChannel[] = "healthchannel";

struct FakeBehaviour {
  int refuse_every = 0;         // every Nth envelope received is answered SERVICE_UNAVAILABLE
  int drop_every = 0;           // every Nth envelope answered SUCCESS is never put in a block
  int fail_stream_after = 0;    // the first Broadcast stream fails (UNAVAILABLE) on its Nth envelope
  bool refuse_deliver = false;  // Deliver answers FORBIDDEN
};

// Answers Broadcast at once and cuts what it accepted into a block every few milliseconds. Checks what the
// bench sends: every envelope parses as an endorser transaction of the channel, a sample of signatures is
// verified against the client organisation's MSP, and the Deliver request is the one the bench documents.
class FakeOrderer final : public ::orderer::AtomicBroadcast::Service {
 public:
  FakeOrderer(FakeBehaviour behaviour, std::shared_ptr<const msp::Msp> client_msp)
      : behaviour_(behaviour), client_msp_(std::move(client_msp)) {
    blocks_.push_back(protoutil::NewBlock(0, "", {}));
    cutter_ = std::thread([this] { CutLoop(); });
  }
  ~FakeOrderer() override { Stop(); }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    changed_.notify_all();
    if (cutter_.joinable()) cutter_.join();
  }

  grpc::Status Broadcast(grpc::ServerContext* context,
                         grpc::ServerReaderWriter<::orderer::BroadcastResponse, ::common::Envelope>* stream) override {
    const bool fails = behaviour_.fail_stream_after > 0 && !failed_a_stream_.exchange(true);
    int on_this_stream = 0;
    ::common::Envelope envelope;
    while (stream->Read(&envelope)) {
      ++on_this_stream;
      if (fails && on_this_stream == behaviour_.fail_stream_after) {
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "fake orderer: stream broken");
      }
      ::orderer::BroadcastResponse response;
      response.set_status(Judge(envelope));
      if (!stream->Write(response)) break;
    }
    return grpc::Status::OK;
  }

  grpc::Status Deliver(grpc::ServerContext* context,
                       grpc::ServerReaderWriter<::orderer::DeliverResponse, ::common::Envelope>* stream) override {
    ::common::Envelope request;
    if (!stream->Read(&request)) return grpc::Status::OK;
    ::orderer::DeliverResponse status;
    if (behaviour_.refuse_deliver || !IsBenchSeek(request)) {
      status.set_status(behaviour_.refuse_deliver ? ::common::Status::FORBIDDEN : ::common::Status::BAD_REQUEST);
      stream->Write(status);
      return grpc::Status::OK;
    }
    uint64_t next;
    {
      std::lock_guard<std::mutex> lock(mu_);
      next = blocks_.size() - 1;  // newest
    }
    while (!context->IsCancelled()) {
      std::vector<::common::Block> to_send;
      {
        std::unique_lock<std::mutex> lock(mu_);
        changed_.wait_for(lock, std::chrono::milliseconds(20), [&] { return stopping_ || blocks_.size() > next; });
        if (stopping_) break;
        to_send.assign(blocks_.begin() + static_cast<ptrdiff_t>(next), blocks_.end());
      }
      for (const ::common::Block& block : to_send) {
        ::orderer::DeliverResponse response;
        *response.mutable_block() = block;
        if (!stream->Write(response)) return grpc::Status::OK;
        ++next;
      }
    }
    return grpc::Status::OK;
  }

  uint64_t received() const { return received_.load(); }
  uint64_t refused() const { return refused_.load(); }
  uint64_t dropped() const { return dropped_.load(); }
  uint64_t malformed() const { return malformed_.load(); }
  uint64_t verified() const { return verified_.load(); }

 private:
  ::common::Status Judge(const ::common::Envelope& envelope) {
    const uint64_t n = received_.fetch_add(1) + 1;
    auto parsed = protoutil::ParseEnvelope(envelope);
    if (!parsed.ok() || parsed->channel_header.type() != ::common::HeaderType::ENDORSER_TRANSACTION ||
        parsed->channel_header.channel_id() != kChannel) {
      malformed_.fetch_add(1);
      return ::common::Status::BAD_REQUEST;
    }
    if (n % 100 == 1) {
      ::msp::SerializedIdentity creator;
      creator.ParseFromString(parsed->signature_header.creator());
      auto identity = client_msp_->DeserializeIdentity(creator);
      if (!identity.ok() || !(*identity)->Verify(envelope.payload(), envelope.signature()).ok()) {
        malformed_.fetch_add(1);
        return ::common::Status::FORBIDDEN;
      }
      verified_.fetch_add(1);
    }
    if (behaviour_.refuse_every > 0 && n % behaviour_.refuse_every == 0) {
      refused_.fetch_add(1);
      return ::common::Status::SERVICE_UNAVAILABLE;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (behaviour_.drop_every > 0 && ++accepted_ % behaviour_.drop_every == 0) {
      dropped_.fetch_add(1);
    } else {
      pending_.push_back(envelope.SerializeAsString());
    }
    return ::common::Status::SUCCESS;
  }

  static bool IsBenchSeek(const ::common::Envelope& request) {
    auto parsed = protoutil::ParseEnvelope(request);
    if (!parsed.ok() || parsed->channel_header.type() != ::common::HeaderType::DELIVER_SEEK_INFO) return false;
    auto seek = protoutil::Unmarshal<::orderer::SeekInfo>(parsed->payload.data(), "seek info");
    return seek.ok() && seek->start().has_newest() &&
           seek->stop().specified().number() == std::numeric_limits<uint64_t>::max() &&
           seek->behavior() == ::orderer::SeekInfo::BLOCK_UNTIL_READY;
  }

  void CutLoop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      changed_.wait_for(lock, std::chrono::milliseconds(5));
      if (pending_.empty()) continue;
      blocks_.push_back(protoutil::NewBlock(blocks_.size(), "", std::move(pending_)));
      pending_.clear();
      changed_.notify_all();
    }
  }

  const FakeBehaviour behaviour_;
  const std::shared_ptr<const msp::Msp> client_msp_;
  std::atomic<bool> failed_a_stream_{false};
  std::atomic<uint64_t> received_{0}, refused_{0}, dropped_{0}, malformed_{0}, verified_{0};

  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<::common::Block> blocks_;  // guarded by mu_
  std::vector<std::string> pending_;     // guarded by mu_
  uint64_t accepted_ = 0;                // guarded by mu_
  bool stopping_ = false;                // guarded by mu_
  std::thread cutter_;
};

class BroadcastBenchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto consortium = network::ParseConsortium(R"(organizations:
  - name: Hospital1
    users: [{name: dr.alice, role: doctor, personId: D-1001}]
  - {name: Orderer, type: orderer}
)",
                                               "bench.yaml");
    ASSERT_TRUE(consortium.ok()) << consortium.status();
    ASSERT_TRUE(network::GenerateConsortiumIdentities(*consortium, dir_, absl::Now()).ok());
    auto msp_config = msp::LoadMspConfig(dir_ + "/organizations/hospital1.example.org/msp", "Hospital1MSP");
    ASSERT_TRUE(msp_config.ok()) << msp_config.status();
    auto client_msp = msp::Msp::Create(*msp_config);
    ASSERT_TRUE(client_msp.ok()) << client_msp.status();
    client_msp_ = *client_msp;

    options_.tls_ca_file = dir_ + "/organizations/orderer.example.org/tlsca/tlsca-cert.pem";
    options_.msp_dir = dir_ + "/organizations/hospital1.example.org/users/dr.alice@hospital1.example.org/msp";
    options_.msp_id = "Hospital1MSP";
    options_.channel_id = kChannel;
    options_.payload_bytes = 256;
    options_.streams = 2;
    options_.in_flight = 16;
    options_.warmup_seconds = 0.2;
    options_.duration_seconds = 1.0;
    options_.drain_seconds = 10;
    options_.presign = 2000;
    options_.sign_threads = 1;
    options_.connect_timeout_seconds = 10;
  }

  void TearDown() override {
    if (server_ != nullptr) {
      orderer_->Stop();
      server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    }
  }

  void StartOrderer(FakeBehaviour behaviour) {
    const std::string node = dir_ + "/organizations/orderer.example.org/orderers/orderer0.orderer.example.org/tls/";
    auto cert = file::ReadFile(node + "server.crt");
    auto key = file::ReadFile(node + "server.key");
    ASSERT_TRUE(cert.ok() && key.ok());
    grpc::SslServerCredentialsOptions tls;
    tls.pem_key_cert_pairs.push_back({*key, *cert});
    orderer_ = std::make_unique<FakeOrderer>(behaviour, client_msp_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(tls), &port);
    builder.RegisterService(orderer_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    options_.orderers = {"127.0.0.1:" + std::to_string(port)};
  }

  careledger::testing::ScopedTempDir temp_;
  const std::string dir_ = temp_.Path("crypto");
  std::shared_ptr<const msp::Msp> client_msp_;
  BroadcastBenchOptions options_;
  std::unique_ptr<FakeOrderer> orderer_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(BroadcastBenchTest, MeasuresAcknowledgementsBlocksAndProcesses) {
  StartOrderer({});
  options_.deliver = true;
  options_.server_name = "orderer0.orderer.example.org";  // a name the certificate holds, not the address
  options_.processes = {{"self", static_cast<int>(::getpid())}};
  std::ostringstream progress;
  auto report = RunBroadcastBench(options_, &progress);
  ASSERT_TRUE(report.ok()) << report.status();

  EXPECT_GT(report->sent, 0u);
  EXPECT_EQ(report->acknowledged, report->sent);
  EXPECT_EQ(orderer_->received(), report->sent);
  EXPECT_EQ(orderer_->malformed(), 0u);
  EXPECT_GT(orderer_->verified(), 0u);
  EXPECT_TRUE(report->errors.empty()) << ReportToJson(*report);
  EXPECT_EQ(report->errors_total, 0u);
  EXPECT_GT(report->acknowledged_in_window, 0u);
  EXPECT_DOUBLE_EQ(report->acknowledged_per_second, static_cast<double>(report->acknowledged_in_window) / 1.0);
  EXPECT_GT(report->broadcast_latency.count, 0u);
  EXPECT_LE(report->broadcast_latency.p50_ms, report->broadcast_latency.p95_ms);
  EXPECT_LE(report->broadcast_latency.p95_ms, report->broadcast_latency.p99_ms);
  EXPECT_LE(report->broadcast_latency.p99_ms, report->broadcast_latency.max_ms);

  EXPECT_EQ(report->delivered, report->acknowledged);
  EXPECT_EQ(report->acknowledged_not_delivered, 0u);
  EXPECT_GT(report->blocks, 1u);
  EXPECT_GT(report->block_latency.count, 0u);
  EXPECT_GE(report->block_latency.max_ms, report->block_latency.p50_ms);

  EXPECT_EQ(report->presigned, 2000u);
  ASSERT_EQ(report->processes.size(), 1u);
  EXPECT_EQ(report->processes[0].name, "self");
  EXPECT_FALSE(report->processes[0].exited);
  EXPECT_GT(report->processes[0].rss_peak_bytes, 0u);
  EXPECT_GT(report->processes[0].cpu_avg_percent, 0.0);
  EXPECT_TRUE(report->host_cpu_busy_percent.has_value());
  EXPECT_TRUE(CheckRunMeasured(*report).ok());

  EXPECT_THAT(progress.str(), HasSubstr("Pre-signed 2000 envelopes"));
  EXPECT_THAT(progress.str(), HasSubstr("measure"));
}

TEST_F(BroadcastBenchTest, CountsRefusalsAndAcknowledgedButUndeliveredEnvelopes) {
  StartOrderer({.refuse_every = 7, .drop_every = 5});
  options_.deliver = true;
  options_.drain_seconds = 1;  // the dropped envelopes never come: the drain runs out
  auto report = RunBroadcastBench(options_, nullptr);
  ASSERT_TRUE(report.ok()) << report.status();

  EXPECT_GT(orderer_->refused(), 0u);
  EXPECT_GT(orderer_->dropped(), 0u);
  EXPECT_EQ(report->errors["broadcast_status:SERVICE_UNAVAILABLE"], orderer_->refused());
  EXPECT_EQ(report->acknowledged + orderer_->refused(), report->sent);
  EXPECT_EQ(report->acknowledged_not_delivered, orderer_->dropped());
  EXPECT_EQ(report->errors["acknowledged_not_delivered"], orderer_->dropped());
  EXPECT_EQ(report->delivered, report->acknowledged - orderer_->dropped());
  EXPECT_EQ(report->errors_total, orderer_->refused() + orderer_->dropped());
}

TEST_F(BroadcastBenchTest, ABrokenStreamIsCountedAndReopened) {
  StartOrderer({.fail_stream_after = 50});
  options_.streams = 1;
  auto report = RunBroadcastBench(options_, nullptr);
  ASSERT_TRUE(report.ok()) << report.status();

  EXPECT_EQ(report->errors["broadcast_stream:UNAVAILABLE"], 1u);
  EXPECT_GE(report->reconnects, 1u);
  EXPECT_GE(report->errors["no_response"], 1u);  // at least the envelope the stream broke on
  EXPECT_EQ(report->acknowledged + report->errors["no_response"], report->sent);
  EXPECT_GT(report->acknowledged, 49u);  // it went on after the reconnect
}

TEST_F(BroadcastBenchTest, NothingAcknowledgedMakesTheRunFail) {
  StartOrderer({.refuse_every = 1});
  options_.duration_seconds = 0.3;
  auto report = RunBroadcastBench(options_, nullptr);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->acknowledged, 0u);
  EXPECT_EQ(report->errors["broadcast_status:SERVICE_UNAVAILABLE"], report->sent);
  const absl::Status measured = CheckRunMeasured(*report);
  EXPECT_EQ(measured.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(measured.message(), HasSubstr("no envelope was acknowledged"));
}

TEST_F(BroadcastBenchTest, RefusedDeliverFailsTheRun) {
  StartOrderer({.refuse_deliver = true});
  options_.deliver = true;
  auto report = RunBroadcastBench(options_, nullptr);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(report.status().message(), HasSubstr("FORBIDDEN"));
}

TEST_F(BroadcastBenchTest, WrongServerNameCannotConnect) {
  StartOrderer({});
  options_.server_name = "orderer9.elsewhere.org";
  options_.connect_timeout_seconds = 2;
  auto report = RunBroadcastBench(options_, nullptr);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(report.status().message(), HasSubstr("cannot connect to orderer 127.0.0.1:"));
}

TEST_F(BroadcastBenchTest, SetupErrorsNameTheFile) {
  options_.orderers = {"127.0.0.1:1"};
  options_.tls_ca_file = temp_.Path("missing-ca.pem");
  auto missing_ca = RunBroadcastBench(options_, nullptr);
  EXPECT_EQ(missing_ca.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing_ca.status().message(), HasSubstr("missing-ca.pem"));

  options_.tls_ca_file = dir_ + "/organizations/orderer.example.org/tlsca/tlsca-cert.pem";
  options_.msp_dir = temp_.Path("no-msp");
  auto missing_msp = RunBroadcastBench(options_, nullptr);
  ASSERT_FALSE(missing_msp.ok());
  EXPECT_THAT(missing_msp.status().message(), HasSubstr("no-msp"));
}

TEST_F(BroadcastBenchTest, UnreachableOrdererFailsWithinTheConnectTimeout) {
  options_.orderers = {"127.0.0.1:1"};
  options_.connect_timeout_seconds = 1;
  auto report = RunBroadcastBench(options_, nullptr);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(report.status().message(), HasSubstr("cannot connect to orderer 127.0.0.1:1"));
}

}  // namespace
}  // namespace careledger::bench
