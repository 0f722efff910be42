#include "common/participation/participation_api.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/channelconfig/config_keys.h"
#include "common/common.pb.h"
#include "common/strings.h"
#include "nlohmann/json.hpp"

namespace careledger::participation {
namespace {

using Json = nlohmann::ordered_json;  // members in Fabric's (Go struct) order

constexpr std::string_view kBaseV1Path = "/participation/v1/";

std::string ChannelUrl(std::string_view channel_id) { return absl::StrCat(kChannelsPath, "/", AsAbsl(channel_id)); }

// Go's json.Encoder ends every document with a newline; keep the bytes osnadmin prints the same. Invalid
// UTF-8 (say, in an error quoting a malformed block) is replaced rather than thrown on.
std::string Encode(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n"; }

Response JsonResponse(int status, const Json& json) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = Encode(json);
  return response;
}

Response NotAllowed(std::string_view message, std::string_view allow) {
  Response response = ParticipationApi::Error(405, message);
  response.headers.emplace_back("Allow", std::string(allow));
  return response;
}

Json ChannelInfoJson(const ChannelInfo& info) {
  Json json;
  json["name"] = info.name;
  json["url"] = ChannelUrl(info.name);
  json["consensusRelation"] = info.consensus_relation;
  json["status"] = info.status;
  json["height"] = info.height;
  if (info.raft_id.has_value()) json["raftId"] = *info.raft_id;
  if (info.leader_id.has_value()) json["leaderId"] = *info.leader_id;
  return json;
}

// Fabric's negotiateContentType: any Accept option mentioning application/json, application/* or */*.
bool AcceptsJson(std::string_view accept) {
  if (accept.empty()) return true;
  return absl::StrContains(AsAbsl(accept), "application/json") || absl::StrContains(AsAbsl(accept), "application/*") ||
         absl::StrContains(AsAbsl(accept), "*/*");
}

Response NotAcceptable() { return ParticipationApi::Error(406, "response Content-Type is application/json only"); }

}  // namespace

ParticipationApi::ParticipationApi(ChannelParticipation* node, uint64_t max_body_bytes, std::string_view log_module)
    : node_(node), max_body_bytes_(max_body_bytes), log_(log_module) {}

Response ParticipationApi::Error(int status, std::string_view message) {
  Json json;
  json["error"] = std::string(message);
  return JsonResponse(status, json);
}

Response ParticipationApi::FormError(std::string_view why) {
  return Error(400, absl::StrCat("cannot read form from request body: ", AsAbsl(why)));
}

std::optional<Response> ParticipationApi::HandleHead(const RequestHead& head) const {
  const std::string& path = head.path;
  if (path == kBaseV1Path) {
    if (head.method != "GET") return NotAllowed(absl::StrCat("invalid request method: ", head.method), "GET");
    Response response;
    response.status = 302;
    response.headers.emplace_back("Location", kChannelsPath);
    return response;
  }

  if (path == kChannelsPath) {
    if (head.method == "GET") {
      if (!AcceptsJson(head.accept)) return NotAcceptable();
      return List();
    }
    if (head.method == "POST") {
      // As Fabric's router: a POST that is not multipart/form-data is a bad request, before negotiation.
      // (The prefix test is also what the HTTP layer uses to parse the body as a form.)
      if (!absl::StartsWith(head.content_type, "multipart/form-data")) {
        return Error(400, absl::StrCat("unsupported Content-Type: [", head.content_type, "]"));
      }
      if (!AcceptsJson(head.accept)) return NotAcceptable();
      if (!head.content_encoding.empty() && head.content_encoding != "identity") {
        // Fabric does not decode request bodies either; refusing here also keeps decompression bombs out.
        return FormError(absl::StrCat("unsupported Content-Encoding: ", head.content_encoding));
      }
      if (head.chunked || !head.content_length.has_value()) {
        return Error(411, "a join request needs a Content-Length (chunked bodies are not accepted)");
      }
      if (*head.content_length > max_body_bytes_) {
        return FormError(absl::StrCat("request body too large: ", *head.content_length, " bytes, the limit is ",
                                      max_body_bytes_));
      }
      return std::nullopt;
    }
    return NotAllowed(absl::StrCat("invalid request method: ", head.method), "GET, POST");
  }

  const std::string channels_prefix = absl::StrCat(kChannelsPath, "/");
  if (absl::StartsWith(path, channels_prefix)) {
    const std::string channel_id = path.substr(channels_prefix.size());
    if (!channel_id.empty() && channel_id.find('/') == std::string::npos) {
      if (head.method != "GET" && head.method != "DELETE") {
        return NotAllowed(absl::StrCat("invalid request method: ", head.method), "GET, DELETE");
      }
      if (!AcceptsJson(head.accept)) return NotAcceptable();
      if (absl::Status valid = channelconfig::ValidateChannelId(channel_id); !valid.ok()) {
        return Error(400, absl::StrCat("invalid channel ID: ", valid.message()));
      }
      return head.method == "GET" ? Info(channel_id) : Remove(channel_id, head.client);
    }
  }
  return Error(404, absl::StrCat("no such resource: ", path));
}

Response ParticipationApi::List() const {
  Json channels = nullptr;  // Fabric's nil slice: null, not [], when nothing is joined
  for (const ChannelInfo& info : node_->List()) {
    Json entry;
    entry["name"] = info.name;
    entry["url"] = ChannelUrl(info.name);
    channels.push_back(std::move(entry));
  }
  Json json;
  json["systemChannel"] = nullptr;
  json["channels"] = std::move(channels);
  Response response = JsonResponse(200, json);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Response ParticipationApi::Info(const std::string& channel_id) const {
  absl::StatusOr<ChannelInfo> info = node_->Info(channel_id);
  if (!info.ok()) {
    if (info.status().code() == absl::StatusCode::kNotFound) return Error(404, "channel does not exist");
    return Error(500, AsStd(info.status().message()));
  }
  Response response = JsonResponse(200, ChannelInfoJson(*info));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Response ParticipationApi::Remove(const std::string& channel_id, std::string_view client) const {
  absl::Status removed = node_->Remove(channel_id);
  if (removed.code() == absl::StatusCode::kNotFound) return Error(404, "cannot remove: channel does not exist");
  if (!removed.ok()) {
    log_.Error("channel removal failed", {{"channel", channel_id}, {"client", client}, {"error", removed}});
    return Error(500, absl::StrCat("cannot remove: ", removed.message()));
  }
  log_.Info("channel removed", {{"channel", channel_id}, {"client", client}});
  Response response;
  response.status = 204;
  return response;
}

Response ParticipationApi::Join(const std::vector<FormPart>& form, std::string_view client) const {
  const FormPart* block_part = nullptr;
  for (const FormPart& part : form) {
    if (part.name == kConfigBlockField && !part.filename.empty() && block_part == nullptr) block_part = &part;
  }
  if (block_part == nullptr) {
    return Error(400, absl::StrCat("form does not contains part key: ", kConfigBlockField));  // sic, Fabric's text
  }
  if (form.size() != 1) return Error(400, "form contains too many parts");

  ::common::Block block;
  if (!block.ParseFromString(block_part->content)) {
    return Error(400, absl::StrCat("cannot unmarshal file part ", kConfigBlockField,
                                   " into a block: not a serialized common.Block"));
  }
  absl::StatusOr<ChannelInfo> joined = node_->Join(block);
  if (!joined.ok()) {
    const absl::Status& st = joined.status();
    log_.Warn("join refused", {{"client", client}, {"error", st}});
    switch (st.code()) {
      case absl::StatusCode::kAlreadyExists:
        return NotAllowed("cannot join: channel already exists", "GET, DELETE");
      case absl::StatusCode::kInvalidArgument:
        return Error(400, absl::StrCat("invalid join block: ", st.message()));
      case absl::StatusCode::kFailedPrecondition:
        return Error(400, absl::StrCat("cannot join: ", st.message()));
      default:
        return Error(500, absl::StrCat("cannot join: ", st.message()));
    }
  }
  log_.Info("channel joined", {{"channel", joined->name}, {"client", client}, {"height", joined->height}});
  Response response = JsonResponse(201, ChannelInfoJson(*joined));
  response.headers.emplace_back("Location", ChannelUrl(joined->name));
  return response;
}

}  // namespace careledger::participation
