#include "network/launcher/node_health.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "httplib.h"
#include "nlohmann/json.hpp"

namespace careledger::launcher {

std::string NodeHealth(const NodeState& node, absl::Duration timeout) {
  httplib::Client client(node.host, node.operations_port);
  const auto seconds = static_cast<time_t>(absl::ToInt64Seconds(timeout));
  const auto micros = static_cast<time_t>(absl::ToInt64Microseconds(timeout % absl::Seconds(1)));
  client.set_connection_timeout(seconds, micros);
  client.set_read_timeout(seconds, micros);
  httplib::Result reply = client.Get("/healthz");
  if (!reply) {
    return absl::StrCat("unreachable: ", node.host, ":", node.operations_port, ": ", httplib::to_string(reply.error()));
  }
  if (reply->status == 200) return "OK";
  if (reply->status != 503) return absl::StrCat("unknown: /healthz answered ", reply->status);
  const nlohmann::json body = nlohmann::json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> failed;
  if (body.is_object() && body.contains("failed_checks") && body["failed_checks"].is_array()) {
    for (const nlohmann::json& check : body["failed_checks"]) {
      if (!check.is_object()) continue;
      failed.push_back(absl::StrCat(check.value("component", "?"), ": ", check.value("reason", "?")));
    }
  }
  return absl::StrCat("failed: ", failed.empty() ? "no reason given" : absl::StrJoin(failed, "; "));
}

}  // namespace careledger::launcher
