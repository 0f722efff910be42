// Fabric's channel participation API (what `osnadmin channel ...` speaks), as HTTP requests in and HTTP
// responses out, with no HTTP library in sight: participation_server.h puts it on the wire. It serves one
// node's ChannelParticipation (channel_participation.h), an orderer's channels or a peer's. Routes, bodies
// and status codes follow Fabric's orderer/common/channelparticipation/restapi.go, so that osnadmin and
// scripts written against Fabric work unchanged:
//
//   GET    /participation/v1/channels         200 {"systemChannel":null,"channels":[{"name","url"}...]}
//                                                 ("channels":null when there is none, as Fabric)
//   POST   /participation/v1/channels         multipart/form-data, one file part "config-block" holding the
//                                             channel's genesis block: 201 ChannelInfo, Location header
//   GET    /participation/v1/channels/<id>    200 ChannelInfo {"name","url","consensusRelation","status","height",
//                                                 "raftId","leaderId"}
//                                             (raftId and leaderId, an orderer's Raft ID and the leader it knows,
//                                             0 while none, are CareLedger's and only there when the node sets
//                                             them: Fabric's clients ignore unknown fields, and operators and
//                                             tests learn who leads)
//   DELETE /participation/v1/channels/<id>    204, no body
//   GET    /participation/v1/                 302 to /participation/v1/channels
//
// Errors are {"error":"<message>"} with Fabric's codes and messages (channel_participation.h says which
// status of the node's gives which):
//   400  malformed request: unsupported Content-Type, unreadable form, missing "config-block", more than one
//        part, a block that does not parse ("cannot unmarshal ..."), an invalid genesis block ("invalid join
//        block: ..."), an invalid channel ID in the path, a channel this node cannot join (an orderer not
//        a consenter of it: "cannot join: ..."), a body larger than the limit
//   404  unknown channel ("channel does not exist", "cannot remove: channel does not exist"), unknown path
//   405  a method the route does not have, with an Allow header; joining a channel already joined:
//        "cannot join: channel already exists", Allow: GET, DELETE
//   406  an Accept header that excludes application/json
//   411  a join without Content-Length (CareLedger only: the body is bounded before it is read)
//   500  a local failure (disk) while joining, showing or removing a channel
// Not implemented (Fabric has them): PUT (config update) and GET .../blocks/<id>; the first is 405 (Allow
// lists GET, POST), the second 404.
//
// Joins and removals are logged (who asked, which channel, the outcome) under the logger module the node
// names: "orderer.admin", "peer.admin".
//
// Thread-safety: thread-safe; the node must outlive the object.
#ifndef CARELEDGER_COMMON_PARTICIPATION_PARTICIPATION_API_H_
#define CARELEDGER_COMMON_PARTICIPATION_PARTICIPATION_API_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/logging/logger.h"
#include "common/participation/channel_participation.h"

namespace careledger::participation {

inline constexpr char kChannelsPath[] = "/participation/v1/channels";
inline constexpr char kConfigBlockField[] = "config-block";

// What the request line and headers say; the body is read only for a join (see ParticipationApi).
struct RequestHead {
  std::string method;        // "GET", "POST", ...
  std::string path;          // URL-decoded, without query
  std::string accept;        // the Accept header; empty if absent
  std::string content_type;  // empty if absent
  std::string content_encoding;             // empty if absent
  std::optional<uint64_t> content_length;   // nullopt if absent
  bool chunked = false;                     // Transfer-Encoding: chunked
  std::string client;                       // who is asking, for the log: the client certificate's subject
};

// One part of a multipart/form-data body.
struct FormPart {
  std::string name;      // the form field name
  std::string filename;  // empty for a plain value (Fabric then counts it as a value, not a file)
  std::string content;
};

struct Response {
  int status = 200;
  std::string content_type;  // empty when there is no body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
};

class ParticipationApi {
 public:
  // Serves `node`, which must outlive the API. `max_body_bytes` bounds a join's body (Content-Length).
  // `log_module` names the logger ("orderer.admin").
  ParticipationApi(ChannelParticipation* node, uint64_t max_body_bytes, std::string_view log_module);

  // Answers every request from its head alone, except a join that may go ahead, for which it returns
  // nullopt: the caller then reads the multipart body (at most max_body_bytes) and calls Join, or
  // FormError if the body cannot be read as a form.
  std::optional<Response> HandleHead(const RequestHead& head) const;

  // Joins the channel whose genesis block is the "config-block" part of `form`. `client` names the caller
  // for the log.
  Response Join(const std::vector<FormPart>& form, std::string_view client) const;

  // 400 "cannot read form from request body: <why>".
  static Response FormError(std::string_view why);

  // {"error": message} with `status`.
  static Response Error(int status, std::string_view message);

  uint64_t max_body_bytes() const { return max_body_bytes_; }

 private:
  Response List() const;
  Response Info(const std::string& channel_id) const;
  Response Remove(const std::string& channel_id, std::string_view client) const;

  ChannelParticipation* node_;
  const uint64_t max_body_bytes_;
  logging::Logger log_;
};

}  // namespace careledger::participation

#endif  // CARELEDGER_COMMON_PARTICIPATION_PARTICIPATION_API_H_
