// Bridging std::string_view to Abseil.
//
// Debian bookworm's Abseil (20220623) is built with ABSL_OPTION_USE_STD_STRING_VIEW 0: absl::string_view is
// its own class and does not convert from std::string_view. CareLedger's APIs take std::string_view; use
// AsAbsl where one is handed to Abseil (absl::StrCat, absl::StrSplit, ...), AsStd for the way back
// (absl::Status::message()).
#ifndef CARELEDGER_COMMON_STRINGS_H_
#define CARELEDGER_COMMON_STRINGS_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace careledger {

inline absl::string_view AsAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view AsStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace careledger

#endif  // CARELEDGER_COMMON_STRINGS_H_
