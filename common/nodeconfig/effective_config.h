// The text of a node's `config show`: every key as the node uses it, and where its value came from.
#ifndef CARELEDGER_COMMON_NODECONFIG_EFFECTIVE_CONFIG_H_
#define CARELEDGER_COMMON_NODECONFIG_EFFECTIVE_CONFIG_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/config/effective_value.h"

namespace careledger::nodeconfig {

// One line per value, "<key path>: <value>  # <origin>" where the origin is "<file>:<line>:<column>",
// "$VARIABLE" or "default"; preceded by a comment naming the file `source_name` and the folder `config_dir`
// its relative paths are resolved against. Values are shown as written (relative paths stay relative) and
// escaped, and so are the file and folder names, so that no configured text can forge a line. Pure.
std::string FormatEffectiveConfig(std::string_view source_name, std::string_view config_dir,
                                  const std::vector<config::EffectiveValue>& values);

}  // namespace careledger::nodeconfig

#endif  // CARELEDGER_COMMON_NODECONFIG_EFFECTIVE_CONFIG_H_
