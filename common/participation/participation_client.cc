#include "common/participation/participation_client.h"

#include <openssl/x509.h>

#include <functional>

#include "absl/strings/str_cat.h"
#include "common/channelconfig/config_keys.h"
#include "common/crypto/pem_file.h"
#include "common/file/file_io.h"
#include "common/nodeconfig/listen_address.h"
#include "common/status_macros.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace careledger::participation {
namespace {

constexpr char kChannels[] = "/participation/v1/channels";

// Checks that `path` is a readable, non-empty file, so that a typo is reported by name rather than as a
// failed handshake.
absl::Status CheckReadable(const std::string& path, std::string_view what) {
  if (path.empty()) return absl::InvalidArgumentError(absl::StrCat(AsAbsl(what), ": no file given"));
  absl::StatusOr<std::string> text = file::ReadFile(path, crypto::kMaxPemFileBytes);
  if (!text.ok()) return Annotate(text.status(), what);
  if (text->empty()) return absl::InvalidArgumentError(absl::StrCat(AsAbsl(what), ": ", path, " is empty"));
  return absl::OkStatus();
}

void SetTimeouts(httplib::SSLClient& client, absl::Duration timeout) {
  const int64_t micros = absl::ToInt64Microseconds(timeout);
  const time_t sec = static_cast<time_t>(micros / 1000000);
  const time_t usec = static_cast<time_t>(micros % 1000000);
  client.set_connection_timeout(sec, usec);
  client.set_read_timeout(sec, usec);
  client.set_write_timeout(sec, usec);
}

ParticipationReply ReplyOf(const httplib::Response& response) {
  ParticipationReply reply;
  reply.status = response.status;
  reply.body = response.body;
  reply.content_type = response.get_header_value("Content-Type");
  reply.allow = response.get_header_value("Allow");
  reply.location = response.get_header_value("Location");
  return reply;
}

// One connection, one request: `request` sends it on a client set up with the options' TLS material.
absl::StatusOr<ParticipationReply> Call(const ParticipationClientOptions& options, const std::string& host, int port,
                                const std::function<httplib::Result(httplib::SSLClient&)>& request) {
  httplib::SSLClient client(host, port, options.client_cert_file, options.client_key_file);
  if (!client.is_valid()) {
    return absl::InvalidArgumentError(absl::StrCat("client certificate ", options.client_cert_file, " and key ",
                                                   options.client_key_file, ": not a matching PEM pair"));
  }
  client.set_ca_cert_path(options.ca_file);
  client.enable_server_certificate_verification(true);
  SetTimeouts(client, options.timeout);
  httplib::Result result = request(client);
  if (!result) {
    std::string why = httplib::to_string(result.error());
    if (result.error() == httplib::Error::SSLServerVerification) {
      why = absl::StrCat(why, ": ", X509_verify_cert_error_string(client.get_openssl_verify_result()));
    }
    return absl::UnavailableError(absl::StrCat(options.server_name, " at ", options.address, ": ", why));
  }
  return ReplyOf(*result);
}

}  // namespace

std::string ParticipationReply::ErrorMessage() const {
  const nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_object() && json.contains("error") && json["error"].is_string()) return json["error"].get<std::string>();
  return body;
}

absl::Status ParticipationReply::ToStatus(std::string_view address) const {
  if (ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(AsAbsl(address), " replied ", status, ": ", ErrorMessage());
  if (status == 404) return absl::NotFoundError(message);
  if (status == 401 || status == 403) return absl::PermissionDeniedError(message);
  if (status >= 400 && status < 500) return absl::FailedPreconditionError(message);
  return absl::InternalError(message);
}

absl::StatusOr<ParticipationClient> ParticipationClient::Create(ParticipationClientOptions options) {
  absl::StatusOr<nodeconfig::HostPort> address = nodeconfig::ParseListenAddress(options.address, uint16_t{0});
  if (!address.ok() || address->port == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("admin address \"", options.address, "\": expected host:port",
                     address.ok() ? "" : absl::StrCat(" (", address.status().message(), ")")));
  }
  RETURN_IF_ERROR(CheckReadable(options.ca_file, "CA file"));
  RETURN_IF_ERROR(CheckReadable(options.client_cert_file, "client certificate"));
  RETURN_IF_ERROR(CheckReadable(options.client_key_file, "client key"));
  std::string host = address->host;
  const int port = address->port;
  return ParticipationClient(std::move(options), std::move(host), port);
}

absl::StatusOr<ParticipationReply> ParticipationClient::Join(std::string block) const {
  httplib::MultipartFormDataItems items = {{"config-block", std::move(block), "config.block", "application/octet-stream"}};
  return Call(options_, host_, port_, [&items](httplib::SSLClient& client) { return client.Post(kChannels, items); });
}

absl::StatusOr<ParticipationReply> ParticipationClient::List() const {
  return Call(options_, host_, port_, [](httplib::SSLClient& client) { return client.Get(kChannels); });
}

absl::StatusOr<ParticipationReply> ParticipationClient::Info(std::string_view channel) const {
  RETURN_IF_ERROR(channelconfig::ValidateChannelId(channel));
  const std::string path = absl::StrCat(kChannels, "/", AsAbsl(channel));
  return Call(options_, host_, port_, [&path](httplib::SSLClient& client) { return client.Get(path); });
}

absl::StatusOr<ParticipationReply> ParticipationClient::Remove(std::string_view channel) const {
  RETURN_IF_ERROR(channelconfig::ValidateChannelId(channel));
  const std::string path = absl::StrCat(kChannels, "/", AsAbsl(channel));
  return Call(options_, host_, port_, [&path](httplib::SSLClient& client) { return client.Delete(path); });
}

}  // namespace careledger::participation
