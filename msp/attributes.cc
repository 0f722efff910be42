#include "msp/attributes.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace careledger::msp {

absl::StatusOr<Attributes> ParseAttributes(std::string_view extension_value) {
  if (extension_value.size() > 64 * 1024) {
    return absl::InvalidArgumentError("attribute extension is larger than 64 KiB");
  }
  // allow_exceptions=false: malformed JSON yields a discarded value instead of throwing.
  const nlohmann::json doc = nlohmann::json::parse(extension_value, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return absl::InvalidArgumentError("attribute extension is not valid JSON");
  if (!doc.is_object() || !doc.contains("attrs") || !doc["attrs"].is_object()) {
    return absl::InvalidArgumentError("attribute extension has no \"attrs\" object");
  }
  Attributes attrs;
  for (const auto& [name, value] : doc["attrs"].items()) {
    if (!value.is_string()) {
      return absl::InvalidArgumentError(absl::StrCat("attribute '", name, "' is not a string"));
    }
    attrs.emplace(name, value.get<std::string>());
  }
  return attrs;
}

std::string EncodeAttributes(const Attributes& attrs) {
  nlohmann::json inner = nlohmann::json::object();
  for (const auto& [name, value] : attrs) inner[name] = value;
  return nlohmann::json{{"attrs", inner}}.dump();
}

}  // namespace careledger::msp
