#include "common/participation/participation_server.h"

#include "common/crypto/testing/test_tls.h"
#include "common/file/file_io.h"
#include "common/participation/participation_client.h"
#include "common/participation/testing/test_registry.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace careledger::participation {
namespace {

using ::testing::HasSubstr;
using testing::GenesisBlock;

constexpr uint64_t kMaxBody = 64 << 10;

class ParticipationServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::testing::TlsKeyPair server = crypto::testing::IssueLoopbackTls(tls_ca_, "peer0-admin");
    ParticipationServerOptions options;
    options.listen = {"127.0.0.1", 0};
    options.tls = ServerTls{server.certificate_pem, server.private_key_pem, {tls_ca_.cert.ToPem()}};
    options.max_request_body_bytes = kMaxBody;
    options.log_module = "test.admin";
    auto started = ParticipationServer::Start(options, &registry_);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = *std::move(started);
    address_ = "127.0.0.1:" + std::to_string(server_->port());
    admin_ = WriteIdentity("admin", tls_ca_);
  }

  // A TLS client identity issued by `ca`, written to files, as ParticipationClientOptions.
  ParticipationClientOptions WriteIdentity(const std::string& name, const crypto::testing::TlsCa& ca) {
    crypto::testing::TlsKeyPair tls = crypto::testing::IssueLoopbackTls(ca, name);
    ParticipationClientOptions options;
    options.address = address_;
    options.ca_file = dir_.Path(name + "-ca.crt");
    options.client_cert_file = dir_.Path(name + ".crt");
    options.client_key_file = dir_.Path(name + ".key");
    EXPECT_TRUE(file::WriteFileAtomic(options.ca_file, tls_ca_.cert.ToPem()).ok());
    EXPECT_TRUE(file::WriteFileAtomic(options.client_cert_file, tls.certificate_pem).ok());
    EXPECT_TRUE(file::WriteFileAtomic(options.client_key_file, tls.private_key_pem, 0600).ok());
    return options;
  }

  ParticipationClient Client(const ParticipationClientOptions& options) {
    absl::StatusOr<ParticipationClient> client = ParticipationClient::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return *std::move(client);
  }

  // A raw HTTPS client presenting the administrator's certificate, for requests ParticipationClient never
  // makes.
  std::unique_ptr<httplib::SSLClient> Raw() {
    auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", server_->port(), admin_.client_cert_file,
                                                       admin_.client_key_file);
    client->set_ca_cert_path(admin_.ca_file);
    client->enable_server_certificate_verification(true);
    return client;
  }

  static std::string ErrorOf(const std::string& body) {
    return nlohmann::json::parse(body).at("error").get<std::string>();
  }

  careledger::testing::ScopedTempDir dir_;
  crypto::testing::TlsCa tls_ca_ = crypto::testing::MakeTlsCa("tlsca.hospital1");
  testing::TestRegistry registry_;
  std::unique_ptr<ParticipationServer> server_;  // after registry_: stopped before the registry goes
  std::string address_;
  ParticipationClientOptions admin_;
};

TEST_F(ParticipationServerTest, ServesTheParticipationApiToTrustedAdministrators) {
  ParticipationClient client = Client(admin_);
  absl::StatusOr<ParticipationReply> joined = client.Join(GenesisBlock("healthchannel"));
  ASSERT_TRUE(joined.ok()) << joined.status();
  EXPECT_EQ(joined->status, 201) << joined->body;
  EXPECT_EQ(joined->location, "/participation/v1/channels/healthchannel");
  const nlohmann::json info = nlohmann::json::parse(joined->body);
  EXPECT_EQ(info.at("name"), "healthchannel");
  EXPECT_EQ(info.at("consensusRelation"), "other");
  EXPECT_EQ(info.at("height"), 1);

  absl::StatusOr<ParticipationReply> list = client.List();
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->status, 200);
  EXPECT_EQ(nlohmann::json::parse(list->body).at("channels").at(0).at("url"),
            "/participation/v1/channels/healthchannel");

  absl::StatusOr<ParticipationReply> again = client.Join(GenesisBlock("healthchannel"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 405);
  EXPECT_EQ(again->allow, "GET, DELETE");
  EXPECT_EQ(again->ErrorMessage(), "cannot join: channel already exists");
  EXPECT_EQ(again->ToStatus(address_).code(), absl::StatusCode::kFailedPrecondition);

  absl::StatusOr<ParticipationReply> removed = client.Remove("healthchannel");
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->status, 204);
  absl::StatusOr<ParticipationReply> gone = client.Info("healthchannel");
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->status, 404);
  EXPECT_EQ(gone->ToStatus(address_).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(client.Info("Not/A Channel").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ParticipationServerTest, RefusesClientsWithoutACertificateFromTheClientRootCas) {
  crypto::testing::TlsCa other_ca = crypto::testing::MakeTlsCa("tlsca.elsewhere");
  absl::StatusOr<ParticipationReply> intruder = Client(WriteIdentity("intruder", other_ca)).List();
  EXPECT_EQ(intruder.status().code(), absl::StatusCode::kUnavailable) << intruder.status();

  httplib::SSLClient anonymous("127.0.0.1", server_->port());
  anonymous.set_ca_cert_path(admin_.ca_file);
  EXPECT_FALSE(anonymous.Get("/participation/v1/channels"));
}

TEST_F(ParticipationServerTest, ClientRefusesAServerItDoesNotTrust) {
  crypto::testing::TlsCa other_ca = crypto::testing::MakeTlsCa("tlsca.elsewhere");
  ParticipationClientOptions options = admin_;
  options.server_name = "peer admin";
  options.ca_file = dir_.Path("other-ca.crt");
  ASSERT_TRUE(file::WriteFileAtomic(options.ca_file, other_ca.cert.ToPem()).ok());
  absl::StatusOr<ParticipationReply> reply = Client(options).List();
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(reply.status().message(), HasSubstr("certificate"));
  EXPECT_THAT(reply.status().message(), HasSubstr("peer admin at " + address_ + ": "));
}

TEST_F(ParticipationServerTest, RefusesMalformedAndOversizedBodiesWithJsonErrors) {
  auto raw = Raw();
  httplib::Result large = raw->Post("/participation/v1/channels", std::string(kMaxBody + 1, 'x'),
                                    "multipart/form-data; boundary=abc");
  ASSERT_TRUE(large) << large.error();
  EXPECT_EQ(large->status, 400);
  EXPECT_THAT(ErrorOf(large->body), HasSubstr("request body too large"));

  httplib::Result garbage =
      Raw()->Post("/participation/v1/channels", "this is not a form", "multipart/form-data; boundary=abc");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
  EXPECT_THAT(ErrorOf(garbage->body), HasSubstr("cannot read form from request body"));

  httplib::Result no_boundary = Raw()->Post("/participation/v1/channels", "--abc\r\n", "multipart/form-data");
  ASSERT_TRUE(no_boundary);
  EXPECT_EQ(no_boundary->status, 400);

  httplib::MultipartFormDataItems two = {{"config-block", GenesisBlock("healthchannel"), "a.block", ""},
                                         {"config-block", GenesisBlock("healthchannel"), "b.block", ""}};
  httplib::Result two_parts = Raw()->Post("/participation/v1/channels", two);
  ASSERT_TRUE(two_parts);
  EXPECT_EQ(two_parts->status, 400);
  EXPECT_EQ(ErrorOf(two_parts->body), "form contains too many parts");

  httplib::Result json = Raw()->Post("/participation/v1/channels", "{}", "application/json");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 400);
  EXPECT_EQ(ErrorOf(json->body), "unsupported Content-Type: [application/json]");
  EXPECT_TRUE(registry_.List().empty());
}

TEST_F(ParticipationServerTest, AnswersUnknownPathsAndMethodsAsFabric) {
  httplib::Result unknown = Raw()->Get("/metrics");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(unknown->get_header_value("Content-Type"), "application/json");

  httplib::Result put = Raw()->Put("/participation/v1/channels", "", "text/plain");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);
  EXPECT_EQ(put->get_header_value("Allow"), "GET, POST");

  httplib::Request trace;
  trace.method = "TRACE";
  trace.path = "/participation/v1/channels/healthchannel";
  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  ASSERT_TRUE(Raw()->send(trace, response, error)) << error;
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.get_header_value("Allow"), "GET, DELETE");
  EXPECT_EQ(ErrorOf(response.body), "invalid request method: TRACE");
}

TEST_F(ParticipationServerTest, RefusesToStartWithoutClientRootCasOrALogModule) {
  crypto::testing::TlsKeyPair tls = crypto::testing::IssueLoopbackTls(tls_ca_, "peer1-admin");
  ParticipationServerOptions options;
  options.listen = {"127.0.0.1", 0};
  options.tls = ServerTls{tls.certificate_pem, tls.private_key_pem, {}};
  options.log_module = "test.admin";
  absl::StatusOr<std::unique_ptr<ParticipationServer>> no_roots = ParticipationServer::Start(options, &registry_);
  EXPECT_EQ(no_roots.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(no_roots.status().message(), HasSubstr("client root CAs"));

  options.tls->client_root_ca_pems = {tls_ca_.cert.ToPem()};
  options.log_module.clear();
  EXPECT_EQ(ParticipationServer::Start(options, &registry_).status().code(), absl::StatusCode::kInvalidArgument);
}

// Regression: cpp-httplib sets SO_REUSEPORT on its listening sockets by default, so a second server (say, a
// second peer started with the same configuration) bound the same port and silently took half of the
// administrators' connections.
TEST_F(ParticipationServerTest, RefusesToStartOnAPortAnotherServerListensOn) {
  crypto::testing::TlsKeyPair tls = crypto::testing::IssueLoopbackTls(tls_ca_, "peer1-admin");
  ParticipationServerOptions options;
  options.listen = {"127.0.0.1", server_->port()};
  options.tls = ServerTls{tls.certificate_pem, tls.private_key_pem, {tls_ca_.cert.ToPem()}};
  options.log_module = "test.admin";
  absl::StatusOr<std::unique_ptr<ParticipationServer>> taken = ParticipationServer::Start(options, &registry_);
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(taken.status().message(), HasSubstr("cannot listen on " + address_));
}

TEST_F(ParticipationServerTest, StopsWhileIdleAndRefusesConnectionsAfterwards) {
  server_->Stop();
  EXPECT_FALSE(Raw()->Get("/participation/v1/channels"));
  server_->Stop();  // idempotent
}

}  // namespace
}  // namespace careledger::participation
