#include "common/nodeconfig/grpc_listener.h"

#include <algorithm>
#include <climits>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::nodeconfig {
namespace {

int ClampToInt(uint64_t value) { return static_cast<int>(std::min<uint64_t>(value, INT_MAX)); }

int Milliseconds(absl::Duration duration) {
  return static_cast<int>(std::clamp<int64_t>(absl::ToInt64Milliseconds(duration), 0, INT_MAX));
}

std::string Concatenated(const std::vector<std::string>& pems) {
  std::string all;
  for (const std::string& pem : pems) all += pem;
  return all;
}

}  // namespace

namespace {

std::shared_ptr<grpc::ServerCredentials> TlsCredentials(grpc_ssl_client_certificate_request_type client_certificates,
                                                        const std::string& certificate_chain_pem,
                                                        const std::string& private_key_pem,
                                                        const std::vector<std::string>& client_roots) {
  grpc::SslServerCredentialsOptions options(client_certificates);
  options.pem_root_certs = Concatenated(client_roots);
  options.pem_key_cert_pairs.push_back({private_key_pem, certificate_chain_pem});
  return grpc::SslServerCredentials(options);
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(const TlsConfig& tls,
                                                                              const TlsFileKeys& keys) {
  ASSIGN_OR_RETURN(const std::optional<TlsServerFiles> files, ReadTlsServerFiles(tls, keys));
  if (!files.has_value()) return grpc::InsecureServerCredentials();
  return TlsCredentials(files->client_auth_required ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                                    : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_BUT_DONT_VERIFY,
                        files->certificate_chain_pem, files->private_key_pem, files->client_root_ca_pems);
}

std::shared_ptr<grpc::ServerCredentials> MutualTlsCredentials(const std::string& certificate_chain_pem,
                                                              const std::string& private_key_pem,
                                                              const std::vector<std::string>& client_roots) {
  return TlsCredentials(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY, certificate_chain_pem,
                        private_key_pem, client_roots);
}

void ApplyMessageLimits(grpc::ServerBuilder& builder, uint64_t max_recv_bytes, uint64_t max_send_bytes) {
  builder.SetMaxReceiveMessageSize(ClampToInt(max_recv_bytes));
  builder.SetMaxSendMessageSize(ClampToInt(max_send_bytes));
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
}

void ApplyServerKeepalive(grpc::ServerBuilder& builder, const KeepaliveConfig& keepalive) {
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Milliseconds(keepalive.server_interval));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, Milliseconds(keepalive.server_timeout));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             Milliseconds(keepalive.server_min_interval));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
}

absl::StatusOr<std::unique_ptr<grpc::Server>> BuildAndStart(grpc::ServerBuilder& builder, const HostPort& listen,
                                                            std::shared_ptr<grpc::ServerCredentials> credentials,
                                                            std::string_view what, int* port) {
  builder.AddListeningPort(listen.ToString(), std::move(credentials), port);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || *port == 0) {
    if (server != nullptr) server->Shutdown();
    return absl::UnavailableError(absl::StrCat(AsAbsl(what), ": cannot listen on ", listen.ToString()));
  }
  return server;
}

}  // namespace careledger::nodeconfig
