// The parts of `careledger bench gateway` that need no network: its options, the signature bound and the
// report's JSON (load.js's fields). The load itself runs against real peers in tests/peer
// (PeerIntegrationTest.CareledgerBenchGateway).
#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "network/bench/gateway_bench.h"
#include "network/bench/gateway_report.h"
#include "network/bench/signature_bound.h"
#include "nlohmann/json.hpp"

namespace careledger::bench {
namespace {

GatewayBenchOptions Minimal() {
  GatewayBenchOptions options;
  options.gateways = {"127.0.0.1:7051"};
  options.msp_dir = "/some/msp";
  options.msp_id = "Hospital1MSP";
  return options;
}

TEST(GatewayBenchOptionsTest, AcceptsTheDefaultsWithAnEndpointAndAnIdentity) {
  EXPECT_TRUE(ValidateGatewayBenchOptions(Minimal()).ok());
  GatewayBenchOptions pair = Minimal();
  pair.msp_dir.clear();
  pair.cert_file = "cert.pem";
  pair.key_file = "key.pem";
  EXPECT_TRUE(ValidateGatewayBenchOptions(pair).ok());
}

TEST(GatewayBenchOptionsTest, RefusesEachBadOptionByName) {
  auto expect_refused = [](GatewayBenchOptions options, const std::string& naming) {
    absl::Status status = ValidateGatewayBenchOptions(options);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << naming;
    EXPECT_NE(status.message().find(naming), std::string::npos) << status;
  };
  GatewayBenchOptions o = Minimal();
  o.gateways.clear();
  expect_refused(o, "--gateway");
  o = Minimal();
  o.gateways = {"no-port"};
  expect_refused(o, "--gateway");
  o = Minimal();
  o.cert_file = "cert.pem";
  o.key_file = "key.pem";
  expect_refused(o, "--msp-dir");  // both identities
  o = Minimal();
  o.msp_dir.clear();
  o.cert_file = "cert.pem";
  expect_refused(o, "--cert and --key");
  o = Minimal();
  o.server_name = "peer0";
  expect_refused(o, "--server-name");
  o = Minimal();
  o.msp_id.clear();
  expect_refused(o, "--msp-id");
  o = Minimal();
  o.in_flight = 0;
  expect_refused(o, "--in-flight");
  o = Minimal();
  o.in_flight = 1;
  o.threads = 2;
  expect_refused(o, "--threads");
  o = Minimal();
  o.duration_seconds = 0;
  expect_refused(o, "--duration");
  o = Minimal();
  o.processes = {{"peer", 1}, {"peer", 2}};
  expect_refused(o, "peer");
}

TEST(SignatureBoundTest, IsTheCoresOverTheCostOfThirteenVerificationsAndFiveSignatures) {
  const SignatureBound bound = SignatureBoundOf(16000, 50000, 2);
  EXPECT_NEAR(bound.tx_per_second, 2 / (13.0 / 16000 + 5.0 / 50000), 1e-9);  // ~2,192 tx/s
  EXPECT_EQ(SignatureBoundOf(0, 50000, 2).tx_per_second, 0);
}

TEST(SignatureBoundTest, MeasuresThisMachine) {
  absl::StatusOr<SignatureBound> bound = MeasureSignatureBound(absl::Milliseconds(20), 2);
  ASSERT_TRUE(bound.ok()) << bound.status();
  EXPECT_GT(bound->verify_per_second, 0);
  EXPECT_GT(bound->sign_per_second, bound->verify_per_second);  // P-256 signing is cheaper than verifying
  EXPECT_EQ(bound->cores, 2);
  EXPECT_GT(bound->tx_per_second, 0);
}

TEST(GatewayReportTest, JsonHasLoadJsFields) {
  GatewayReport report;
  report.endpoints = {"127.0.0.1:7051", "127.0.0.1:9051"};
  report.function = "put";
  report.concurrency = 256;
  report.window_seconds = 60;
  report.committed_valid = 600;
  report.tps = 10;
  report.latency = {600, 100, 200, 300, 400};
  report.latency_mean_ms = 123.45;
  report.failures_in_window = 2;
  report.failures_by_type = {{"invalid:MVCC_READ_CONFLICT", 2}};
  report.drained = true;
  report.processes = {{"peer0", 42, 50, 80, 100 << 20, false}};
  report.bound = SignatureBoundOf(16000, 50000, 2);

  const nlohmann::json json = nlohmann::json::parse(GatewayReportToJson(report));
  EXPECT_EQ(json["endpoint"], "127.0.0.1:7051");
  EXPECT_EQ(json["fn"], "put");
  EXPECT_EQ(json["keys"], "unique");
  EXPECT_EQ(json["concurrency"], 256);
  EXPECT_EQ(json["committedValid"], 600);
  EXPECT_EQ(json["tps"], 10);
  EXPECT_EQ(json["latencyMs"]["p50"], 100);
  EXPECT_EQ(json["latencyMs"]["p99"], 300);
  EXPECT_EQ(json["latencyMs"]["mean"], 123.5);
  EXPECT_EQ(json["failuresByType"]["invalid:MVCC_READ_CONFLICT"], 2);
  EXPECT_EQ(json["drain"], "ok");
  EXPECT_EQ(json["processes"][0]["name"], "peer0");
  EXPECT_EQ(json["processes"][0]["peakRssMB"], 100);
  EXPECT_TRUE(json["host"].contains("busyPctAllCores"));
  EXPECT_NEAR(json["tpsOverBound"].get<double>(), 10 / report.bound->tx_per_second, 1e-9);

  report.keys = 100;
  report.latency = {};
  const nlohmann::json hot = nlohmann::json::parse(GatewayReportToJson(report));
  EXPECT_EQ(hot["keys"], 100);
  EXPECT_TRUE(hot["latencyMs"]["p50"].is_null());
}

}  // namespace
}  // namespace careledger::bench
