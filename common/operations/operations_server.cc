#include "common/operations/operations_server.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <map>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/logging/logger.h"
#include "common/strings.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

#ifndef CARELEDGER_VERSION
#define CARELEDGER_VERSION "unknown"
#endif
#ifndef CARELEDGER_COMMIT_SHA
#define CARELEDGER_COMMIT_SHA "unknown"
#endif

namespace careledger::operations {
namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kPrometheusText = "text/plain; version=0.0.4; charset=utf-8";

std::string TakeOpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "not accepted by OpenSSL";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof(buffer));
  return buffer;
}

// Calls `use` with each certificate of a PEM text, in order. False (and `error` set) if there is none, one is
// malformed, or `use` refuses one.
template <typename Use>
bool ForEachCertificate(const std::string& pem, std::string_view what, std::string* error, Use use) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) {
    *error = absl::StrCat(AsAbsl(what), ": ", TakeOpenSslError());
    return false;
  }
  int count = 0;
  bool ok = true;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    ok = use(cert, count++);
    X509_free(cert);
    if (!ok) break;
  }
  BIO_free(bio);
  if (ok && ERR_GET_REASON(ERR_peek_last_error()) == PEM_R_NO_START_LINE) ERR_clear_error();  // the end
  if (ok && ERR_peek_last_error() != 0) ok = false;
  if (ok && count == 0) {
    *error = absl::StrCat(AsAbsl(what), ": no PEM certificate");
    return false;
  }
  if (!ok) *error = absl::StrCat(AsAbsl(what), ": ", TakeOpenSslError());
  return ok;
}

bool ConfigureTls(SSL_CTX& ctx, const ServerTls& tls, std::string* error) {
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  const bool chain_ok = ForEachCertificate(tls.certificate_chain_pem, "certificate", error, [&ctx](X509* cert, int i) {
    return (i == 0 ? SSL_CTX_use_certificate(&ctx, cert) : SSL_CTX_add1_chain_cert(&ctx, cert)) == 1;
  });
  if (!chain_ok) return false;
  BIO* key_bio = BIO_new_mem_buf(tls.private_key_pem.data(), static_cast<int>(tls.private_key_pem.size()));
  EVP_PKEY* key = key_bio == nullptr ? nullptr : PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
  BIO_free(key_bio);
  const bool key_ok =
      key != nullptr && SSL_CTX_use_PrivateKey(&ctx, key) == 1 && SSL_CTX_check_private_key(&ctx) == 1;
  EVP_PKEY_free(key);
  if (!key_ok) {
    *error = absl::StrCat("private key: ", TakeOpenSslError());
    return false;
  }
  if (tls.client_root_ca_pems.empty()) {
    if (tls.client_auth_required) {
      *error = "client root CAs: none given, but client certificates are required";
      return false;
    }
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_NONE, nullptr);
    return true;
  }
  X509_STORE* store = SSL_CTX_get_cert_store(&ctx);
  for (size_t i = 0; i < tls.client_root_ca_pems.size(); ++i) {
    const bool roots_ok = ForEachCertificate(tls.client_root_ca_pems[i], absl::StrCat("client root CA ", i + 1),
                                             error, [store](X509* cert, int) {
                                               if (X509_STORE_add_cert(store, cert) != 1) ERR_clear_error();
                                               return true;  // a duplicate root is harmless
                                             });
    if (!roots_ok) return false;
  }
  // A presented certificate is always verified (a bad one fails the handshake); its absence only with
  // client_auth_required.
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | (tls.client_auth_required ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
                     nullptr);
  return true;
}

void Answer(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), kJson);
}

void AnswerError(httplib::Response& res, int status, std::string_view message) {
  Answer(res, status, nlohmann::json{{"error", std::string(message)}});
}

}  // namespace

BuildVersion CurrentBuildVersion() { return {CARELEDGER_VERSION, CARELEDGER_COMMIT_SHA}; }

struct OperationsServer::Impl {
  OperationsServerOptions options;
  logging::Logger log{"operations"};
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  int port = 0;
  bool stopped = false;

  mutable absl::Mutex checks_mu;
  std::map<std::string, HealthCheck> checks ABSL_GUARDED_BY(checks_mu);

  // With TLS, /metrics and /logspec need a verified client certificate (the handshake verified any given).
  bool Authorized(const httplib::Request& req) const {
    if (!options.tls.has_value()) return true;
    return req.ssl != nullptr && SSL_get0_peer_certificate(req.ssl) != nullptr;
  }

  // Runs the checks on a copy of the list, so that a slow check never holds up AddHealthCheck.
  std::vector<std::pair<std::string, std::string>> FailedChecks() const {
    std::vector<std::pair<std::string, HealthCheck>> copy;
    {
      absl::MutexLock lock(&checks_mu);
      copy.assign(checks.begin(), checks.end());
    }
    std::vector<std::pair<std::string, std::string>> failed;
    for (const auto& [component, check] : copy) {
      if (absl::Status status = check(); !status.ok()) failed.emplace_back(component, AsStd(status.message()));
    }
    return failed;
  }

  void Handle(const httplib::Request& req, httplib::Response& res);
  void Healthz(httplib::Response& res) const;
  void PutLogSpec(const httplib::Request& req, httplib::Response& res);
};

void OperationsServer::Impl::Healthz(httplib::Response& res) const {
  nlohmann::json failed = nlohmann::json::array();
  for (const auto& [component, reason] : FailedChecks()) failed.push_back({{"component", component}, {"reason", reason}});
  const std::string now = absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", absl::Now(), absl::UTCTimeZone());
  if (failed.empty()) {
    Answer(res, 200, nlohmann::json{{"status", "OK"}, {"time", now}});
    return;
  }
  log.Warn("health check failed", {{"failed_checks", failed.dump()}});
  Answer(res, 503, nlohmann::json{{"status", "Service Unavailable"}, {"time", now}, {"failed_checks", failed}});
}

void OperationsServer::Impl::PutLogSpec(const httplib::Request& req, httplib::Response& res) {
  if (!Authorized(req)) return AnswerError(res, 401, "client certificate required");
  const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("spec") || !body["spec"].is_string()) {
    return AnswerError(res, 400, "request body must be a JSON object {\"spec\": \"<logging spec>\"}");
  }
  const std::string spec = body["spec"].get<std::string>();
  const std::string previous = options.logging->Spec();
  if (absl::Status set = options.logging->SetSpec(spec); !set.ok()) {
    return AnswerError(res, 400, AsStd(set.message()));
  }
  log.Info("log spec changed", {{"from", previous}, {"to", options.logging->Spec()}});
  res.status = 204;
}

void OperationsServer::Impl::Handle(const httplib::Request& req, httplib::Response& res) {
  const std::string& path = req.path;
  const bool get = req.method == "GET";
  if (path == "/healthz") {
    if (!get) return AnswerError(res, 405, absl::StrCat("invalid request method: ", req.method));
    return Healthz(res);
  }
  if (path == "/version") {
    if (!get) return AnswerError(res, 405, absl::StrCat("invalid request method: ", req.method));
    const BuildVersion version = CurrentBuildVersion();
    return Answer(res, 200, nlohmann::json{{"Version", version.version}, {"CommitSHA", version.commit_sha}});
  }
  if (path == "/metrics" && options.metrics != nullptr) {
    if (!get) return AnswerError(res, 405, absl::StrCat("invalid request method: ", req.method));
    if (!Authorized(req)) return AnswerError(res, 401, "client certificate required");
    res.status = 200;
    res.set_content(options.metrics->RenderText(), kPrometheusText);
    return;
  }
  if (path == "/logspec") {
    if (req.method == "PUT") return PutLogSpec(req, res);
    if (!get) return AnswerError(res, 405, absl::StrCat("invalid request method: ", req.method));
    if (!Authorized(req)) return AnswerError(res, 401, "client certificate required");
    return Answer(res, 200, nlohmann::json{{"spec", options.logging->Spec()}});
  }
  AnswerError(res, 404, absl::StrCat("no such endpoint: ", path));
}

OperationsServer::OperationsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OperationsServer::~OperationsServer() { Stop(); }

uint16_t OperationsServer::port() const { return static_cast<uint16_t>(impl_->port); }

void OperationsServer::AddHealthCheck(std::string component, HealthCheck check) {
  absl::MutexLock lock(&impl_->checks_mu);
  impl_->checks[std::move(component)] = std::move(check);
}

std::vector<std::pair<std::string, std::string>> OperationsServer::FailedChecks() const {
  return impl_->FailedChecks();
}

absl::StatusOr<std::unique_ptr<OperationsServer>> OperationsServer::Start(OperationsServerOptions options) {
  if (options.log_module.empty()) return absl::InvalidArgumentError("operations listener: no log module given");
  if (options.logging == nullptr) return absl::InvalidArgumentError("operations listener: no logging registry");
  auto impl = std::make_unique<Impl>();
  impl->log = logging::Logger(options.log_module, *options.logging);
  if (options.tls.has_value()) {
    std::string error;
    const ServerTls& tls = *options.tls;
    impl->server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) { return ConfigureTls(ctx, tls, &error); });
    if (!impl->server->is_valid()) {
      return absl::InvalidArgumentError(
          absl::StrCat("operations listener TLS: ", error.empty() ? "cannot create the TLS context" : error));
    }
  } else {
    impl->server = std::make_unique<httplib::Server>();
  }
  impl->options = std::move(options);

  httplib::Server& server = *impl->server;
  Impl* state = impl.get();
  const int threads = impl->options.threads > 0 ? impl->options.threads : 1;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server.set_keep_alive_max_count(1);
  server.set_payload_max_length(kMaxRequestBodyBytes);
  // As the admin listener (participation_server.cc): no SO_REUSEPORT, so a port in use is an error.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // Everything but a PUT to /logspec is answered from its head; that one needs its (bounded) body read.
  server.set_pre_routing_handler([state](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "PUT" && req.path == "/logspec") return httplib::Server::HandlerResponse::Unhandled;
    state->Handle(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  server.Put("/logspec", [state](const httplib::Request& req, httplib::Response& res) { state->Handle(req, res); });
  server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    AnswerError(res, res.status, absl::StrCat("HTTP status ", res.status));
    return httplib::Server::HandlerResponse::Handled;
  }));

  const nodeconfig::HostPort& listen = impl->options.listen;
  if (listen.port == 0) {
    impl->port = server.bind_to_any_port(listen.host);
  } else {
    impl->port = server.bind_to_port(listen.host, listen.port) ? listen.port : -1;
  }
  if (impl->port <= 0) {
    return absl::UnavailableError(absl::StrCat("operations listener: cannot listen on ", listen.ToString()));
  }
  impl->thread = std::thread([&server] { server.listen_after_bind(); });
  // httplib's stop() does nothing until the accept loop runs; wait for it so that Stop can never be lost.
  while (!server.is_running()) absl::SleepFor(absl::Milliseconds(1));
  return std::unique_ptr<OperationsServer>(new OperationsServer(std::move(impl)));
}

void OperationsServer::Stop() {
  if (impl_ == nullptr || impl_->stopped) return;
  impl_->stopped = true;
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace careledger::operations
