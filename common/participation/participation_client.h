// A client of a node's channel participation API (participation_api.h) over HTTPS with a client
// certificate, an orderer's or a peer's: what `careledger orderer|peer channel ...` and the integration tests
// use, and what Fabric's osnadmin does. Each call is one connection, one request.
//
// Thread-safety: calls may run concurrently; the object is immutable after Create.
#ifndef CARELEDGER_COMMON_PARTICIPATION_PARTICIPATION_CLIENT_H_
#define CARELEDGER_COMMON_PARTICIPATION_PARTICIPATION_CLIENT_H_

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace careledger::participation {

struct ParticipationClientOptions {
  std::string address;           // host:port of the node's admin listener
  std::string ca_file;           // PEM: CAs the server's TLS certificate must chain to (its host must match)
  std::string client_cert_file;  // PEM: the administrator's TLS client certificate
  std::string client_key_file;   // PEM: its private key
  absl::Duration timeout = absl::Seconds(30);  // to connect, and for each read and write
  std::string server_name = "admin endpoint";  // how errors name the server: "orderer admin", "peer admin"
};

// The server's answer, whatever its status.
struct ParticipationReply {
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

class ParticipationClient {
 public:
  // Checks the options: InvalidArgument for an address that is not host:port, NotFound (or the read error)
  // for a file that cannot be read.
  static absl::StatusOr<ParticipationClient> Create(ParticipationClientOptions options);

  // POST /participation/v1/channels with `block` (a serialized common.Block) as the "config-block" part.
  absl::StatusOr<ParticipationReply> Join(std::string block) const;
  // GET /participation/v1/channels
  absl::StatusOr<ParticipationReply> List() const;
  // GET /participation/v1/channels/<channel>; InvalidArgument for an invalid channel ID (nothing is sent).
  absl::StatusOr<ParticipationReply> Info(std::string_view channel) const;
  // DELETE /participation/v1/channels/<channel>; InvalidArgument as Info.
  absl::StatusOr<ParticipationReply> Remove(std::string_view channel) const;

  // Every call: Unavailable if the server cannot be reached or the TLS handshake fails ("<server_name> at
  // <address>: ...", saying whether the server's certificate was not trusted); InvalidArgument if the
  // client certificate and key do not load; the reply otherwise, whatever its status.

  const ParticipationClientOptions& options() const { return options_; }

 private:
  ParticipationClient(ParticipationClientOptions options, std::string host, int port)
      : options_(std::move(options)), host_(std::move(host)), port_(port) {}

  ParticipationClientOptions options_;
  std::string host_;
  int port_ = 0;
};

}  // namespace careledger::participation

#endif  // CARELEDGER_COMMON_PARTICIPATION_PARTICIPATION_CLIENT_H_
