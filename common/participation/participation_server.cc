#include "common/participation/participation_server.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
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
struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

std::string OpenSslError() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof(buffer));
  return buffer;
}

// Every certificate of a PEM text, in order; empty (and `error` set) if there is none or one is malformed.
std::vector<X509Ptr> ReadCertificates(const std::string& pem, std::string_view what, std::string* error) {
  std::vector<X509Ptr> certs;
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  while (bio != nullptr) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (cert == nullptr) break;
    certs.push_back(std::move(cert));
  }
  const unsigned long last = ERR_peek_last_error();
  if (ERR_GET_REASON(last) == PEM_R_NO_START_LINE) {
    ERR_clear_error();  // the normal end of the text
  } else if (last != 0) {
    *error = absl::StrCat(AsAbsl(what), ": ", OpenSslError());
    return {};
  }
  if (certs.empty()) *error = absl::StrCat(AsAbsl(what), ": no PEM certificate");
  return certs;
}

bool ConfigureTls(SSL_CTX& ctx, const ServerTls& tls, std::string* error) {
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);

  std::vector<X509Ptr> chain = ReadCertificates(tls.certificate_chain_pem, "certificate", error);
  if (chain.empty()) return false;
  if (SSL_CTX_use_certificate(&ctx, chain[0].get()) != 1) {
    *error = absl::StrCat("certificate: ", OpenSslError());
    return false;
  }
  for (size_t i = 1; i < chain.size(); ++i) {
    if (SSL_CTX_add1_chain_cert(&ctx, chain[i].get()) != 1) {
      *error = absl::StrCat("certificate chain: ", OpenSslError());
      return false;
    }
  }
  BioPtr key_bio(BIO_new_mem_buf(tls.private_key_pem.data(), static_cast<int>(tls.private_key_pem.size())));
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(
      key_bio == nullptr ? nullptr : PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr || SSL_CTX_use_PrivateKey(&ctx, key.get()) != 1 || SSL_CTX_check_private_key(&ctx) != 1) {
    *error = absl::StrCat("private key: ", OpenSslError());
    return false;
  }

  if (tls.client_root_ca_pems.empty()) {
    *error = "client root CAs: none given, but client certificates are required";
    return false;
  }
  X509_STORE* store = SSL_CTX_get_cert_store(&ctx);
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  for (size_t i = 0; i < tls.client_root_ca_pems.size(); ++i) {
    std::vector<X509Ptr> roots =
        ReadCertificates(tls.client_root_ca_pems[i], absl::StrCat("client root CA ", i + 1), error);
    if (roots.empty()) {
      sk_X509_NAME_pop_free(names, X509_NAME_free);
      return false;
    }
    for (const X509Ptr& root : roots) {
      if (X509_STORE_add_cert(store, root.get()) != 1) ERR_clear_error();  // a duplicate root is harmless
      if (names != nullptr) sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(root.get())));
    }
  }
  SSL_CTX_set_client_CA_list(&ctx, names);  // takes ownership
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return true;
}

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
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  int port = 0;
  bool stopped = false;
};

ParticipationServer::ParticipationServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ParticipationServer::~ParticipationServer() { Stop(); }

uint16_t ParticipationServer::port() const { return static_cast<uint16_t>(impl_->port); }

absl::StatusOr<std::unique_ptr<ParticipationServer>> ParticipationServer::Start(ParticipationServerOptions options,
                                                                                ChannelParticipation* node) {
  if (options.log_module.empty()) return absl::InvalidArgumentError("admin listener: no log module given");
  auto impl = std::make_unique<Impl>();
  if (options.tls.has_value()) {
    std::string error;
    const ServerTls& tls = *options.tls;
    impl->server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) { return ConfigureTls(ctx, tls, &error); });
    if (!impl->server->is_valid()) {
      return absl::InvalidArgumentError(
          absl::StrCat("admin listener TLS: ", error.empty() ? "cannot create the TLS context" : error));
    }
  } else {
    impl->server = std::make_unique<httplib::Server>();
  }
  impl->api = std::make_unique<ParticipationApi>(node, options.max_request_body_bytes, options.log_module);

  httplib::Server& server = *impl->server;
  ParticipationApi* api = impl->api.get();
  const uint64_t max_body = options.max_request_body_bytes;
  const int threads = options.threads > 0 ? options.threads : 1;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  // One request per connection: a refused request's body is never read, and must not be parsed as the next.
  server.set_keep_alive_max_count(1);
  server.set_payload_max_length(max_body);
  // httplib's default sets SO_REUSEPORT, which lets a second process bind the same port and silently take
  // half of the connections. A port in use must be an error; SO_REUSEADDR alone still allows a restart
  // while old connections linger in TIME_WAIT.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
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

  const std::string& host = options.listen.host;
  if (options.listen.port == 0) {
    impl->port = server.bind_to_any_port(host);
  } else {
    impl->port = server.bind_to_port(host, options.listen.port) ? options.listen.port : -1;
  }
  if (impl->port <= 0) {
    return absl::UnavailableError(absl::StrCat("admin listener: cannot listen on ", options.listen.ToString()));
  }
  impl->thread = std::thread([&server] { server.listen_after_bind(); });
  // httplib's stop() does nothing until the accept loop runs; wait for it so that Stop can never be lost.
  while (!server.is_running()) absl::SleepFor(absl::Milliseconds(1));
  return std::unique_ptr<ParticipationServer>(new ParticipationServer(std::move(impl)));
}

void ParticipationServer::Stop() {
  if (impl_ == nullptr || impl_->stopped) return;
  impl_->stopped = true;
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace careledger::participation
