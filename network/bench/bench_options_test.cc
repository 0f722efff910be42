#include "network/bench/bench_options.h"

#include "common/file/file_io.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace careledger::bench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

BroadcastBenchOptions Valid() {
  BroadcastBenchOptions o;
  o.orderers = {"127.0.0.1:7050", "orderer1.orderer.example.org:8050"};
  o.tls_ca_file = "tlsca.pem";
  o.msp_dir = "users/Admin@hospital1.example.org/msp";
  o.msp_id = "Hospital1MSP";
  return o;
}

TEST(BenchOptionsTest, DefaultsAreTheDocumentedOnes) {
  const BroadcastBenchOptions o;
  EXPECT_EQ(o.payload_bytes, 1024u);
  EXPECT_EQ(o.streams, 8);
  EXPECT_EQ(o.in_flight, 64);
  EXPECT_EQ(o.channel_id, "healthchannel");
  EXPECT_FALSE(o.deliver);
  EXPECT_EQ(o.sign_threads, 1);
  EXPECT_EQ(DefaultPresignCount(o), 20000u);  // 8 x 64 x 8 = 4096 < 20000
  BroadcastBenchOptions big;
  big.streams = 64;
  big.in_flight = 100;
  EXPECT_EQ(DefaultPresignCount(big), 8u * 64 * 100);
}

TEST(BenchOptionsTest, ParsesPidLists) {
  auto pids = ParsePidList("orderer0=4242,orderer1=4243");
  ASSERT_TRUE(pids.ok()) << pids.status();
  EXPECT_THAT(*pids, ElementsAre(NamedPid{"orderer0", 4242}, NamedPid{"orderer1", 4243}));
  auto empty = ParsePidList("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(BenchOptionsTest, RejectsMalformedPidLists) {
  for (const char* text : {"orderer0", "=42", "orderer0=", "orderer0=0", "orderer0=-3", "orderer0=4x",
                           "a=1,a=2"}) {
    auto pids = ParsePidList(text);
    ASSERT_FALSE(pids.ok()) << text;
    EXPECT_EQ(pids.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
}

TEST(BenchOptionsTest, ReadsPidFilesOfAFolder) {
  careledger::testing::ScopedTempDir temp;
  ASSERT_TRUE(file::WriteFileAtomic(temp.Path("orderer1.pid"), "4243\n").ok());
  ASSERT_TRUE(file::WriteFileAtomic(temp.Path("orderer0.pid"), " 4242 ").ok());
  ASSERT_TRUE(file::WriteFileAtomic(temp.Path("orderer0.log"), "not a pid").ok());
  auto pids = ReadPidsDir(temp.path());
  ASSERT_TRUE(pids.ok()) << pids.status();
  EXPECT_THAT(*pids, ElementsAre(NamedPid{"orderer0", 4242}, NamedPid{"orderer1", 4243}));

  ASSERT_TRUE(file::WriteFileAtomic(temp.Path("peer0.pid"), "running").ok());
  auto bad = ReadPidsDir(temp.path());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("peer0.pid"));

  EXPECT_EQ(ReadPidsDir(temp.Path("missing")).status().code(), absl::StatusCode::kNotFound);
}

TEST(BenchOptionsTest, ValidOptionsPass) { EXPECT_TRUE(ValidateBroadcastBenchOptions(Valid()).ok()); }

TEST(BenchOptionsTest, EachBadOptionIsNamed) {
  struct Case {
    void (*change)(BroadcastBenchOptions&);
    const char* message;
  };
  const Case cases[] = {
      {[](BroadcastBenchOptions& o) { o.orderers.clear(); }, "--orderer"},
      {[](BroadcastBenchOptions& o) { o.orderers.push_back("127.0.0.1"); }, "--orderer"},
      {[](BroadcastBenchOptions& o) { o.tls_ca_file.clear(); }, "--tls-ca"},
      {[](BroadcastBenchOptions& o) { o.tls_cert_file = "client.crt"; }, "--tls-cert and --tls-key"},
      {[](BroadcastBenchOptions& o) { o.msp_id.clear(); }, "--msp-id"},
      {[](BroadcastBenchOptions& o) { o.channel_id.clear(); }, "--channel"},
      {[](BroadcastBenchOptions& o) { o.payload_bytes = 65 << 20; }, "--size"},
      {[](BroadcastBenchOptions& o) { o.streams = 0; }, "--streams"},
      {[](BroadcastBenchOptions& o) { o.in_flight = 0; }, "--in-flight"},
      {[](BroadcastBenchOptions& o) { o.warmup_seconds = -1; }, "--warmup"},
      {[](BroadcastBenchOptions& o) { o.duration_seconds = 0; }, "--duration"},
      {[](BroadcastBenchOptions& o) { o.drain_seconds = std::numeric_limits<double>::infinity(); }, "--drain"},
      {[](BroadcastBenchOptions& o) { o.sign_threads = -1; }, "--sign-threads"},
      {[](BroadcastBenchOptions& o) { o.processes = {{"orderer0", 1}, {"orderer0", 2}}; }, "given twice"},
  };
  for (const Case& c : cases) {
    BroadcastBenchOptions o = Valid();
    c.change(o);
    const absl::Status status = ValidateBroadcastBenchOptions(o);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_THAT(status.message(), HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace careledger::bench
