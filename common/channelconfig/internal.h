// Internal to channelconfig: small helpers its .cc files share.
#ifndef CARELEDGER_COMMON_CHANNELCONFIG_INTERNAL_H_
#define CARELEDGER_COMMON_CHANNELCONFIG_INTERNAL_H_

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace careledger::channelconfig::internal {

// Returns `text` (untrusted: a name, a duration, a host from a config block) in double quotes with non-printable bytes
// and quotes C-escaped, cut after `max_bytes` (marked by "..."), so a hostile config cannot flood a log line or forge
// its structure.
inline std::string Quote(std::string_view text, size_t max_bytes = 64) {
  const bool shortened = text.size() > max_bytes;
  return absl::StrCat("\"", absl::CHexEscape(AsAbsl(text.substr(0, max_bytes))), shortened ? "...\"" : "\"");
}

// The keys of a protobuf map, sorted. Protobuf maps iterate in an unspecified order; walking a config in key
// order makes the result, and the first error reported, the same on every node.
template <typename Map>
std::vector<std::string> SortedKeys(const Map& map) {
  std::vector<std::string> keys;
  keys.reserve(map.size());
  for (const auto& [key, unused] : map) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace careledger::channelconfig::internal

#endif  // CARELEDGER_COMMON_CHANNELCONFIG_INTERNAL_H_
