#include "common/httpserver/http_server.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/strings.h"
#include "httplib.h"

namespace careledger::httpserver {
namespace {

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
  if (code == 0) return "not accepted by OpenSSL";
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

bool ConfigureTls(SSL_CTX& ctx, const HttpServerTls& tls, std::string* error) {
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
    if (tls.client_auth_required) {
      *error = "client root CAs: none given, but client certificates are required";
      return false;
    }
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_NONE, nullptr);
    return true;
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
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | (tls.client_auth_required ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
                     nullptr);
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Create(HttpServerOptions options) {
  std::unique_ptr<httplib::Server> server;
  if (options.tls.has_value()) {
    std::string error;
    const HttpServerTls& tls = *options.tls;
    server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) { return ConfigureTls(ctx, tls, &error); });
    if (!server->is_valid()) {
      return absl::InvalidArgumentError(
          absl::StrCat(options.name, " TLS: ", error.empty() ? "cannot create the TLS context" : error));
    }
  } else {
    server = std::make_unique<httplib::Server>();
  }
  const int threads = options.threads > 0 ? options.threads : 1;
  server->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  // One request per connection: a refused request's unread body must never be parsed as the next request.
  server->set_keep_alive_max_count(1);
  server->set_payload_max_length(options.max_request_body_bytes);
  server->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(options), std::move(server)));
}

HttpServer::HttpServer(HttpServerOptions options, std::unique_ptr<httplib::Server> server)
    : options_(std::move(options)), server_(std::move(server)) {}

HttpServer::~HttpServer() { Stop(); }

absl::Status HttpServer::Listen() {
  const nodeconfig::HostPort& listen = options_.listen;
  const int port = listen.port == 0 ? server_->bind_to_any_port(listen.host)
                                    : (server_->bind_to_port(listen.host, listen.port) ? listen.port : -1);
  if (port <= 0) {
    return absl::UnavailableError(absl::StrCat(options_.name, ": cannot listen on ", listen.ToString()));
  }
  port_ = static_cast<uint16_t>(port);
  listening_ = true;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib's stop() does nothing until the accept loop runs; wait for it so that Stop can never be lost.
  while (!server_->is_running()) absl::SleepFor(absl::Milliseconds(1));
  return absl::OkStatus();
}

void HttpServer::Stop() {
  if (!listening_) return;
  listening_ = false;
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace careledger::httpserver
