#include "common/operations/operations_server.h"

#include <openssl/ssl.h>

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/logging/logger.h"
#include "common/httpserver/http_server.h"
#include "common/status_macros.h"
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
  std::unique_ptr<httpserver::HttpServer> http;

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

uint16_t OperationsServer::port() const { return impl_->http->port(); }

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
  httpserver::HttpServerOptions http_options;
  http_options.name = "operations listener";
  http_options.listen = options.listen;
  http_options.tls = options.tls;
  http_options.threads = options.threads;
  http_options.max_request_body_bytes = kMaxRequestBodyBytes;
  ASSIGN_OR_RETURN(impl->http, httpserver::HttpServer::Create(std::move(http_options)));
  impl->options = std::move(options);

  httplib::Server& server = impl->http->routes();
  Impl* state = impl.get();
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

  RETURN_IF_ERROR(impl->http->Listen());
  return std::unique_ptr<OperationsServer>(new OperationsServer(std::move(impl)));
}

void OperationsServer::Stop() {
  if (impl_ != nullptr) impl_->http->Stop();
}

}  // namespace careledger::operations
