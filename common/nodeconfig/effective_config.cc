#include "common/nodeconfig/effective_config.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace careledger::nodeconfig {

std::string FormatEffectiveConfig(std::string_view source_name, std::string_view config_dir,
                                  const std::vector<config::EffectiveValue>& values) {
  // Values were escaped by common/config; origins hold a file name, escaped here like the folder.
  std::string out = absl::StrCat("# ", absl::CHexEscape(AsAbsl(source_name)), ": relative paths are resolved against ",
                                 absl::CHexEscape(AsAbsl(config_dir)), "\n");
  for (const config::EffectiveValue& value : values) {
    absl::StrAppend(&out, value.path, ": ", value.value, "  # ", absl::CHexEscape(value.origin), "\n");
  }
  return out;
}

}  // namespace careledger::nodeconfig
