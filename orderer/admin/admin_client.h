// A client of an orderer's channel participation API (participation_api.h) over HTTPS with a client
// certificate: what `careledger orderer channel ...` and the integration tests use, and what Fabric's
// osnadmin does. Each call is one connection, one request.
//
// Thread-safety: calls may run concurrently; the object is immutable after Create.
#ifndef CARELEDGER_ORDERER_ADMIN_ADMIN_CLIENT_H_
#define CARELEDGER_ORDERER_ADMIN_ADMIN_CLIENT_H_

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace careledger::orderer::admin {

struct AdminClientOptions {
  std::string address;           // host:port of the Admin listener
  std::string ca_file;           // PEM: CAs the server's TLS certificate must chain to (its host must match)
  std::string client_cert_file;  // PEM: the administrator's TLS client certificate
  std::string client_key_file;   // PEM: its private key
  absl::Duration timeout = absl::Seconds(30);  // to connect, and for each read and write
};

// The server's answer, whatever its status.
struct AdminReply {
  int status = 0;
  std::string body;          // as received (JSON, or empty for 204)
  std::string content_type;  // empty if absent
  std::string allow;         // the Allow header of a 405; empty otherwise
  std::string location;      // the Location header of a 201 or 302; empty otherwise

  bool ok() const { return status >= 200 && status < 300; }
  // The "error" member of a JSON error body, else the body itself.
  std::string ErrorMessage() const;
  // OK for 2xx; otherwise "<address> replied <status>: <error>" with a code that says what happened:
  // NotFound (404), PermissionDenied (401, 403), FailedPrecondition (other 4xx: the server refused the
  // request as it stands), Internal (5xx and anything else).
  absl::Status ToStatus(std::string_view address) const;
};

class AdminClient {
 public:
  // Checks the options: InvalidArgument for an address that is not host:port, NotFound (or the read error)
  // for a file that cannot be read.
  static absl::StatusOr<AdminClient> Create(AdminClientOptions options);

  // POST /participation/v1/channels with `block` (a serialized common.Block) as the "config-block" part.
  absl::StatusOr<AdminReply> Join(std::string block) const;
  // GET /participation/v1/channels
  absl::StatusOr<AdminReply> List() const;
  // GET /participation/v1/channels/<channel>; InvalidArgument for an invalid channel ID (nothing is sent).
  absl::StatusOr<AdminReply> Info(std::string_view channel) const;
  // DELETE /participation/v1/channels/<channel>; InvalidArgument as Info.
  absl::StatusOr<AdminReply> Remove(std::string_view channel) const;

  // Every call: Unavailable if the server cannot be reached or the TLS handshake fails (the message says
  // whether the server's certificate was not trusted); InvalidArgument if the client certificate and key do
  // not load; the reply otherwise, whatever its status.

  const AdminClientOptions& options() const { return options_; }

 private:
  AdminClient(AdminClientOptions options, std::string host, int port)
      : options_(std::move(options)), host_(std::move(host)), port_(port) {}

  AdminClientOptions options_;
  std::string host_;
  int port_ = 0;
};

}  // namespace careledger::orderer::admin

#endif  // CARELEDGER_ORDERER_ADMIN_ADMIN_CLIENT_H_
