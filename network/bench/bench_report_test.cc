#include "network/bench/bench_report.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace careledger::bench {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

BroadcastReport Sample() {
  BroadcastReport r;
  r.orderers = {"127.0.0.1:7050"};
  r.channel = "healthchannel";
  r.payload_bytes = 1024;
  r.streams = 8;
  r.in_flight = 64;
  r.warmup_seconds = 5;
  r.duration_seconds = 30;
  r.deliver = true;
  r.presigned = 20000;
  r.signed_during_run = 130000;
  r.sent = 150000;
  r.acknowledged = 149990;
  r.acknowledged_in_window = 120000;
  r.acknowledged_per_second = 4000;
  r.broadcast_latency = {120000, 10.5, 20.25, 30.126, 80};
  r.blocks = 300;
  r.delivered = 149988;
  r.block_latency = {120000, 12, 22, 32, 90};
  r.acknowledged_not_delivered = 2;
  r.errors = {{"broadcast_status:SERVICE_UNAVAILABLE", 10}, {"acknowledged_not_delivered", 2}};
  r.errors_total = 12;
  r.processes = {{"orderer0", 4242, 150.5, 190.25, 100u << 20, false}};
  r.host_cpu_busy_percent = 85.5;
  return r;
}

TEST(BenchReportTest, JsonCarriesEveryField) {
  const nlohmann::json j = nlohmann::json::parse(ReportToJson(Sample()));
  EXPECT_EQ(j["orderers"][0], "127.0.0.1:7050");
  EXPECT_EQ(j["channel"], "healthchannel");
  EXPECT_EQ(j["payload_bytes"], 1024);
  EXPECT_EQ(j["streams"], 8);
  EXPECT_EQ(j["in_flight"], 64);
  EXPECT_EQ(j["deliver"], true);
  EXPECT_EQ(j["presigned"], 20000);
  EXPECT_EQ(j["signed_during_run"], 130000);
  EXPECT_EQ(j["sent"], 150000);
  EXPECT_EQ(j["acknowledged"], 149990);
  EXPECT_EQ(j["acknowledged_in_window"], 120000);
  EXPECT_DOUBLE_EQ(j["acknowledged_per_second"].get<double>(), 4000);
  EXPECT_EQ(j["broadcast_latency_ms"]["count"], 120000);
  EXPECT_DOUBLE_EQ(j["broadcast_latency_ms"]["p95"].get<double>(), 20.25);
  EXPECT_DOUBLE_EQ(j["broadcast_latency_ms"]["p99"].get<double>(), 30.126);
  EXPECT_DOUBLE_EQ(j["block_latency_ms"]["max"].get<double>(), 90);
  EXPECT_EQ(j["blocks"], 300);
  EXPECT_EQ(j["delivered"], 149988);
  EXPECT_EQ(j["acknowledged_not_delivered"], 2);
  EXPECT_EQ(j["errors"]["broadcast_status:SERVICE_UNAVAILABLE"], 10);
  EXPECT_EQ(j["errors_total"], 12);
  EXPECT_EQ(j["processes"][0]["name"], "orderer0");
  EXPECT_EQ(j["processes"][0]["pid"], 4242);
  EXPECT_DOUBLE_EQ(j["processes"][0]["cpu_peak_percent"].get<double>(), 190.25);
  EXPECT_EQ(j["processes"][0]["rss_peak_bytes"], 100u << 20);
  EXPECT_EQ(j["processes"][0]["exited"], false);
  EXPECT_DOUBLE_EQ(j["host_cpu_busy_percent"].get<double>(), 85.5);
  for (const char* key : {"warmup_seconds", "duration_seconds", "signer_wait_seconds", "reconnects",
                          "delivered_despite_error"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
}

TEST(BenchReportTest, UnsampledHostCpuIsNull) {
  BroadcastReport r = Sample();
  r.host_cpu_busy_percent.reset();
  EXPECT_TRUE(nlohmann::json::parse(ReportToJson(r))["host_cpu_busy_percent"].is_null());
}

TEST(BenchReportTest, TableShowsThroughputLatenciesErrorsAndProcesses) {
  const std::string table = FormatReportTable(Sample());
  EXPECT_THAT(table, HasSubstr("20000 pre-signed"));
  EXPECT_THAT(table, HasSubstr("4000.0 envelopes/s acknowledged"));
  EXPECT_THAT(table, HasSubstr("p50 10.50  p95 20.25  p99 30.13  max 80.00  (120000 samples)"));
  EXPECT_THAT(table, HasSubstr("broadcast-to-block latency (ms)"));
  EXPECT_THAT(table, HasSubstr("acknowledged but not delivered"));
  EXPECT_THAT(table, HasSubstr("broadcast_status:SERVICE_UNAVAILABLE"));
  EXPECT_THAT(table, HasSubstr("orderer0"));
  EXPECT_THAT(table, HasSubstr("190.2"));
  EXPECT_THAT(table, HasSubstr("100.0"));  // MiB
  EXPECT_THAT(table, HasSubstr("host CPU busy"));
}

TEST(BenchReportTest, TableWithoutDeliverLeavesBlockLinesOut) {
  BroadcastReport r = Sample();
  r.deliver = false;
  EXPECT_THAT(FormatReportTable(r), Not(HasSubstr("broadcast-to-block")));
}

}  // namespace
}  // namespace careledger::bench
