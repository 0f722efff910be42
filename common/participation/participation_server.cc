#include "common/participation/participation_server.h"

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>


#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/httpserver/http_server.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "httplib.h"
#include "common/participation/participation_api.h"

namespace careledger::participation {
namespace {

// A join is one file part; a few more are read only to tell the client it sent too many.
constexpr size_t kMaxFormParts = 8;

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

// "<subject> at <address>:<port>", or just the address without a client certificate (plain HTTP).
std::string DescribeClient(const httplib::Request& req) {
  std::string who;
  if (req.ssl != nullptr) {
    if (X509* cert = SSL_get0_peer_certificate(req.ssl); cert != nullptr) {
      BioPtr bio(BIO_new(BIO_s_mem()));
      if (bio != nullptr && X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) >= 0) {
        char* data = nullptr;
        const long size = BIO_get_mem_data(bio.get(), &data);
        if (size > 0) who.assign(data, static_cast<size_t>(size));
      }
    }
  }
  const std::string address = absl::StrCat(req.remote_addr, ":", req.remote_port);
  return who.empty() ? address : absl::StrCat(who, " at ", address);
}

// For the errors httplib produces by itself, before any handler runs.
std::string ReasonPhrase(int status) {
  switch (status) {
    case 400: return "bad request";
    case 404: return "not found";
    case 413: return "request body too large";
    case 414: return "request URI too long";
    case 415: return "unsupported content encoding";
    case 416: return "range not satisfiable";
    default: return absl::StrCat("HTTP status ", status);
  }
}

RequestHead HeadOf(const httplib::Request& req) {
  RequestHead head;
  head.method = req.method;
  head.path = req.path;
  head.accept = req.get_header_value("Accept");
  head.content_type = req.get_header_value("Content-Type");
  head.content_encoding = req.get_header_value("Content-Encoding");
  if (req.has_header("Content-Length")) {
    uint64_t length = 0;
    if (absl::SimpleAtoi(req.get_header_value("Content-Length"), &length)) head.content_length = length;
  }
  head.chunked = req.has_header("Transfer-Encoding");
  head.client = DescribeClient(req);
  return head;
}

// Methods httplib reads a body for (and hands to content handlers).
bool MayCarryBody(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Reads and discards the body of a request answered without it, so that closing the connection does not
// reset it under the client before it has read the answer. A body larger than the limit httplib enforces is
// skipped by httplib itself; a chunked one is read up to `limit`; a malformed multipart body stops early.
void Drain(const httplib::Request& req, const httplib::ContentReader& read, uint64_t limit) {
  uint64_t seen = 0;
  auto discard = [&seen, limit](const char*, size_t size) {
    seen += size;
    return seen <= limit;
  };
  if (req.is_multipart_form_data()) {
    read([](const httplib::MultipartFormData&) { return true; }, discard);
  } else {
    read(discard);
  }
}

void Write(const Response& response, httplib::Response& res) {
  res.status = response.status;
  for (const auto& [name, value] : response.headers) res.set_header(name.c_str(), value);
  if (!response.content_type.empty()) res.set_content(response.body, response.content_type.c_str());
}

}  // namespace

struct ParticipationServer::Impl {
  std::unique_ptr<ParticipationApi> api;
  std::unique_ptr<httpserver::HttpServer> http;
};

ParticipationServer::ParticipationServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ParticipationServer::~ParticipationServer() { Stop(); }

uint16_t ParticipationServer::port() const { return impl_->http->port(); }

absl::StatusOr<std::unique_ptr<ParticipationServer>> ParticipationServer::Start(ParticipationServerOptions options,
                                                                                ChannelParticipation* node) {
  if (options.log_module.empty()) return absl::InvalidArgumentError("admin listener: no log module given");
  httpserver::HttpServerOptions http_options;
  http_options.name = "admin listener";
  http_options.listen = options.listen;
  if (options.tls.has_value()) {
    http_options.tls = httpserver::HttpServerTls{options.tls->certificate_chain_pem, options.tls->private_key_pem,
                                                 options.tls->client_root_ca_pems, /*client_auth_required=*/true};
  }
  http_options.threads = options.threads;
  http_options.max_request_body_bytes = options.max_request_body_bytes;
  auto impl = std::make_unique<Impl>();
  ASSIGN_OR_RETURN(impl->http, httpserver::HttpServer::Create(std::move(http_options)));
  impl->api = std::make_unique<ParticipationApi>(node, options.max_request_body_bytes, options.log_module);

  httplib::Server& server = impl->http->routes();
  ParticipationApi* api = impl->api.get();
  const uint64_t max_body = options.max_request_body_bytes;
  // Requests that may carry a body go to the content handler below, which reads (or drains) it; the others
  // are answered here, from their head.
  server.set_pre_routing_handler([api](const httplib::Request& req, httplib::Response& res) {
    if (MayCarryBody(req.method)) return httplib::Server::HandlerResponse::Unhandled;
    Write(api->HandleHead(HeadOf(req)).value_or(ParticipationApi::Error(500, "request not routed")), res);
    return httplib::Server::HandlerResponse::Handled;
  });
  const httplib::Server::HandlerWithContentReader handle_with_body =
      [api, max_body](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
        if (std::optional<Response> answer = api->HandleHead(HeadOf(req)); answer.has_value()) {
          Drain(req, read, max_body);
          Write(*answer, res);
          return;
        }
        // A join that may go ahead: read its form, bounded, and join.
        std::vector<FormPart> parts;
        uint64_t total = 0;
        bool too_many = false;
        const bool complete = read(
            [&](const httplib::MultipartFormData& header) {
              if (parts.size() >= kMaxFormParts) {
                too_many = true;
                return false;
              }
              parts.push_back({header.name, header.filename, {}});
              return true;
            },
            [&](const char* data, size_t size) {
              total += size;
              if (total > max_body || parts.empty()) return false;
              parts.back().content.append(data, size);
              return true;
            });
        if (too_many) {
          Write(ParticipationApi::Error(400, "form contains too many parts"), res);
        } else if (!complete) {
          Write(ParticipationApi::FormError(res.status == 413 || total > max_body ? "request body too large"
                                                                                   : "malformed multipart/form-data body"),
                res);
        } else {
          Write(api->Join(parts, DescribeClient(req)), res);
        }
      };
  server.Post(".*", handle_with_body);
  server.Put(".*", handle_with_body);
  server.Patch(".*", handle_with_body);
  server.Delete(".*", handle_with_body);
  // Whatever httplib answers by itself (a malformed request line, ...) is JSON too.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        Write(ParticipationApi::Error(res.status, ReasonPhrase(res.status)), res);
        return httplib::Server::HandlerResponse::Handled;
      }));

  RETURN_IF_ERROR(impl->http->Listen());
  return std::unique_ptr<ParticipationServer>(new ParticipationServer(std::move(impl)));
}

void ParticipationServer::Stop() {
  if (impl_ != nullptr) impl_->http->Stop();
}

}  // namespace careledger::participation
