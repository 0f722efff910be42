#include "common/operations/operations_server.h"

#include <memory>
#include <string>

#include "common/crypto/testing/test_tls.h"
#include "common/file/file_io.h"
#include "common/logging/registry.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace careledger::operations {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class OperationsServerTest : public ::testing::Test {
 protected:
  void StartPlain() {
    OperationsServerOptions options;
    options.listen = {"127.0.0.1", 0};
    options.metrics = &metrics_;
    options.logging = &logging_;
    options.log_module = "test.operations";
    absl::StatusOr<std::unique_ptr<OperationsServer>> server = OperationsServer::Start(std::move(options));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  metrics::Registry metrics_;
  logging::Registry logging_;
  std::unique_ptr<OperationsServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(OperationsServerTest, HealthzIsOkWithoutFailingChecks) {
  StartPlain();
  server_->AddHealthCheck("ledger", [] { return absl::OkStatus(); });
  httplib::Result res = client_->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->get_header_value("Content-Type"), StartsWith("application/json"));
  const nlohmann::json body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["status"], "OK");
  EXPECT_THAT(body["time"].get<std::string>(), HasSubstr("T"));
  EXPECT_FALSE(body.contains("failed_checks"));
}

TEST_F(OperationsServerTest, HealthzListsFailedChecksWith503) {
  StartPlain();
  server_->AddHealthCheck("ledger", [] { return absl::OkStatus(); });
  server_->AddHealthCheck("raft", [] { return absl::UnavailableError("channel ch1 has no leader"); });
  server_->AddHealthCheck("deliver", [] { return absl::UnavailableError("no orderer connected"); });
  httplib::Result res = client_->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  const nlohmann::json body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["status"], "Service Unavailable");
  ASSERT_EQ(body["failed_checks"].size(), 2u);
  EXPECT_EQ(body["failed_checks"][0]["component"], "deliver");
  EXPECT_EQ(body["failed_checks"][0]["reason"], "no orderer connected");
  EXPECT_EQ(body["failed_checks"][1]["component"], "raft");
  EXPECT_EQ(server_->FailedChecks().size(), 2u);

  // A check registered again under the same name replaces the old one.
  server_->AddHealthCheck("raft", [] { return absl::OkStatus(); });
  server_->AddHealthCheck("deliver", [] { return absl::OkStatus(); });
  res = client_->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(OperationsServerTest, MetricsServesPrometheusText) {
  metrics::CounterFamily* family = *metrics_.AddCounter("requests_total", "Requests.", {"channel"});
  metrics::Counter* counter = family->WithLabels({"ch1"});
  StartPlain();
  counter->Add(2);
  httplib::Result res = client_->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->get_header_value("Content-Type"), StartsWith("text/plain; version=0.0.4"));
  EXPECT_THAT(res->body, HasSubstr("# TYPE requests_total counter\nrequests_total{channel=\"ch1\"} 2\n"));
  counter->Increment();
  res = client_->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_THAT(res->body, HasSubstr("requests_total{channel=\"ch1\"} 3\n"));
}

TEST_F(OperationsServerTest, NoMetricsRegistryMeansNoMetricsEndpoint) {
  OperationsServerOptions options;
  options.listen = {"127.0.0.1", 0};
  options.logging = &logging_;
  options.log_module = "test.operations";
  std::unique_ptr<OperationsServer> server = *OperationsServer::Start(std::move(options));
  httplib::Client client("127.0.0.1", server->port());
  httplib::Result res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST_F(OperationsServerTest, VersionReportsTheBuild) {
  StartPlain();
  httplib::Result res = client_->Get("/version");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const nlohmann::json body = nlohmann::json::parse(res->body);
  EXPECT_EQ(body["Version"], CurrentBuildVersion().version);
  EXPECT_EQ(body["CommitSHA"], CurrentBuildVersion().commit_sha);
  EXPECT_NE(CurrentBuildVersion().version, "unknown");
}

TEST_F(OperationsServerTest, LogSpecReadsAndChangesTheLevels) {
  StartPlain();
  httplib::Result res = client_->Get("/logspec");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(nlohmann::json::parse(res->body), (nlohmann::json{{"spec", "info"}}));

  res = client_->Put("/logspec", R"({"spec":"warn:peer.committer=debug"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_EQ(logging_.LevelOf("peer.committer"), logging::Level::kDebug);
  EXPECT_EQ(logging_.LevelOf("peer.endorser"), logging::Level::kWarn);
  res = client_->Get("/logspec");
  ASSERT_TRUE(res);
  EXPECT_EQ(nlohmann::json::parse(res->body)["spec"], logging_.Spec());
}

TEST_F(OperationsServerTest, BadLogSpecIs400AndChangesNothing) {
  StartPlain();
  for (const char* body : {R"({"spec":"verbose"})", "not json", R"({"spec":7})", R"(["info"])", ""}) {
    httplib::Result res = client_->Put("/logspec", body, "application/json");
    ASSERT_TRUE(res) << body;
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_TRUE(nlohmann::json::parse(res->body).contains("error")) << body;
  }
  EXPECT_EQ(logging_.Spec(), "info");
}

TEST_F(OperationsServerTest, UnknownPathsAndMethodsAreRefused) {
  StartPlain();
  httplib::Result res = client_->Get("/nope");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_TRUE(nlohmann::json::parse(res->body).contains("error"));
  res = client_->Post("/healthz", "x", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  res = client_->Delete("/logspec");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
}

TEST_F(OperationsServerTest, OversizedBodyIsRefused) {
  StartPlain();
  httplib::Result res =
      client_->Put("/logspec", std::string(kMaxRequestBodyBytes + 1, ' '), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(logging_.Spec(), "info");
}

TEST_F(OperationsServerTest, PortInUseFailsStart) {
  StartPlain();
  OperationsServerOptions options;
  options.listen = {"127.0.0.1", server_->port()};
  options.logging = &logging_;
  options.log_module = "test.operations";
  absl::StatusOr<std::unique_ptr<OperationsServer>> second = OperationsServer::Start(std::move(options));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(second.status().message()), HasSubstr(absl::StrCat("127.0.0.1:", server_->port())));
}

TEST_F(OperationsServerTest, RequiresALogModule) {
  OperationsServerOptions options;
  options.listen = {"127.0.0.1", 0};
  EXPECT_EQ(OperationsServer::Start(std::move(options)).status().code(), absl::StatusCode::kInvalidArgument);
}

class OperationsServerTlsTest : public ::testing::Test {
 protected:
  void Start(bool client_auth_required) {
    crypto::testing::TlsKeyPair server_tls = crypto::testing::IssueLoopbackTls(ca_, "peer0-operations");
    OperationsServerOptions options;
    options.listen = {"127.0.0.1", 0};
    options.metrics = &metrics_;
    options.logging = &logging_;
    options.log_module = "test.operations";
    options.tls = ServerTls{server_tls.certificate_pem, server_tls.private_key_pem, {ca_.cert.ToPem()},
                            client_auth_required};
    absl::StatusOr<std::unique_ptr<OperationsServer>> server = OperationsServer::Start(std::move(options));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    crypto::testing::TlsKeyPair client_tls = crypto::testing::IssueLoopbackTls(ca_, "operator");
    ASSERT_TRUE(file::WriteFileAtomic(dir_.Path("ca.pem"), ca_.cert.ToPem()).ok());
    ASSERT_TRUE(file::WriteFileAtomic(dir_.Path("client.pem"), client_tls.certificate_pem).ok());
    ASSERT_TRUE(file::WriteFileAtomic(dir_.Path("client.key"), client_tls.private_key_pem, 0600).ok());
  }

  std::unique_ptr<httplib::SSLClient> Client(bool with_certificate) {
    auto client = with_certificate ? std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port(),
                                                                          dir_.Path("client.pem"),
                                                                          dir_.Path("client.key"))
                                   : std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port());
    client->set_ca_cert_path(dir_.Path("ca.pem"));
    client->enable_server_certificate_verification(true);
    return client;
  }

  careledger::testing::ScopedTempDir dir_;
  crypto::testing::TlsCa ca_ = crypto::testing::MakeTlsCa("tlsca.hospital1");
  metrics::Registry metrics_;
  logging::Registry logging_;
  std::unique_ptr<OperationsServer> server_;
};

TEST_F(OperationsServerTlsTest, WithoutRequiredClientAuthHealthIsOpenButMetricsAndLogSpecNeedACertificate) {
  Start(/*client_auth_required=*/false);
  std::unique_ptr<httplib::SSLClient> anonymous = Client(false);
  httplib::Result res = anonymous->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  res = anonymous->Get("/version");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  res = anonymous->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  res = anonymous->Put("/logspec", R"({"spec":"debug"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(logging_.Spec(), "info");

  std::unique_ptr<httplib::SSLClient> operator_client = Client(true);
  res = operator_client->Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  res = operator_client->Put("/logspec", R"({"spec":"debug"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_EQ(logging_.Spec(), "debug");
}

TEST_F(OperationsServerTlsTest, RequiredClientAuthRefusesAnonymousConnections) {
  Start(/*client_auth_required=*/true);
  EXPECT_FALSE(Client(false)->Get("/healthz"));
  httplib::Result res = Client(true)->Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(OperationsServerTlsTest, CertificateFromAnotherCaFailsTheHandshake) {
  Start(/*client_auth_required=*/false);
  crypto::testing::TlsCa other = crypto::testing::MakeTlsCa("tlsca.elsewhere");
  crypto::testing::TlsKeyPair stranger = crypto::testing::IssueLoopbackTls(other, "stranger");
  ASSERT_TRUE(file::WriteFileAtomic(dir_.Path("stranger.pem"), stranger.certificate_pem).ok());
  ASSERT_TRUE(file::WriteFileAtomic(dir_.Path("stranger.key"), stranger.private_key_pem, 0600).ok());
  httplib::SSLClient client("127.0.0.1", server_->port(), dir_.Path("stranger.pem"), dir_.Path("stranger.key"));
  client.set_ca_cert_path(dir_.Path("ca.pem"));
  EXPECT_FALSE(client.Get("/metrics"));
}

TEST(OperationsServerTlsConfigTest, RefusesBadMaterial) {
  crypto::testing::TlsCa ca = crypto::testing::MakeTlsCa("tlsca");
  crypto::testing::TlsKeyPair tls = crypto::testing::IssueLoopbackTls(ca, "node");
  OperationsServerOptions options;
  options.listen = {"127.0.0.1", 0};
  options.log_module = "test.operations";
  options.tls = ServerTls{"not a certificate", tls.private_key_pem, {}, false};
  absl::StatusOr<std::unique_ptr<OperationsServer>> server = OperationsServer::Start(options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("certificate"));

  options.tls = ServerTls{tls.certificate_pem, tls.private_key_pem, {}, /*client_auth_required=*/true};
  server = OperationsServer::Start(options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("client root CAs"));
}

}  // namespace
}  // namespace careledger::operations
