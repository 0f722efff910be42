// Internal to careledger_config: how untrusted text is shown inside error messages and `config show`.
//
// Keys and values come from operator-supplied files and the environment. Shown raw, a value could carry a
// newline that forges a second error line in a log, or a megabyte that buries the real message.
#ifndef CARELEDGER_COMMON_CONFIG_MESSAGE_TEXT_H_
#define CARELEDGER_COMMON_CONFIG_MESSAGE_TEXT_H_

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "common/strings.h"

namespace careledger::config::internal {

// `text` in double quotes with '"', '\\' and control bytes escaped (\n, \t, \xHH), cut after `max_bytes`
// bytes with "..." appended. Bytes >= 0x80 (UTF-8) are kept so names in other scripts stay readable.
std::string QuoteForMessage(std::string_view text, size_t max_bytes = 64);

// `text` with control bytes escaped as above but without quotes; for key paths, which are usually plain.
std::string EscapeControlBytes(std::string_view text);

}  // namespace careledger::config::internal

#endif  // CARELEDGER_COMMON_CONFIG_MESSAGE_TEXT_H_
