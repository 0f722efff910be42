#include "common/logging/level.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/strings.h"
#include "common/logging/text_escaping.h"

namespace careledger::logging {

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "unknown";
}

absl::StatusOr<Level> ParseLevel(std::string_view text) {
  const std::string lower = absl::AsciiStrToLower(AsAbsl(text));
  if (lower == "debug") return Level::kDebug;
  if (lower == "info") return Level::kInfo;
  if (lower == "warn" || lower == "warning") return Level::kWarn;
  if (lower == "error") return Level::kError;
  std::string message =
      absl::StrCat("unknown log level ", internal::Quote(text), " (expected debug, info, warn or error");
  if (lower == "dpanic" || lower == "panic" || lower == "fatal") {
    absl::StrAppend(&message, "; CareLedger logging never stops the process, so there is no ", lower, " level");
  }
  message += ")";
  return absl::InvalidArgumentError(message);
}

}  // namespace careledger::logging
