#include "common/nodeconfig/config_key.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::nodeconfig {

std::string ConfigKey::Path() const { return node.path().empty() ? key : absl::StrCat(node.path(), ".", key); }

absl::StatusOr<ConfigKey> LocateKey(const config::ConfigNode& section, std::string_view dotted) {
  config::ConfigNode node = section;
  std::string_view rest = dotted;
  for (size_t dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
    if (dot == 0) break;
    ASSIGN_OR_RETURN(node, node.GetMappingOrEmpty(rest.substr(0, dot)));
    rest.remove_prefix(dot + 1);
  }
  if (rest.empty() || rest.find('.') != std::string_view::npos) {
    return absl::InternalError(absl::StrCat("malformed key \"", AsAbsl(dotted), "\" under ", section.path()));
  }
  return ConfigKey{node, std::string(rest)};
}

}  // namespace careledger::nodeconfig
