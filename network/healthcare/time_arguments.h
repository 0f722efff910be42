// The times users type on `careledger patient grant --expires` and `careledger emergency open --duration`, turned
// into what the healthcare chaincode takes (docs/healthcare-chaincode.md): unix seconds for an expiry, whole
// seconds for a duration.
//
// Pure functions of their arguments (the current time is passed in); thread-safe.
#ifndef CARELEDGER_NETWORK_HEALTHCARE_TIME_ARGUMENTS_H_
#define CARELEDGER_NETWORK_HEALTHCARE_TIME_ARGUMENTS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace careledger::healthcare {

// The largest expiry the chaincode accepts: 9999-12-31T23:59:59Z.
inline constexpr int64_t kMaxUnixSeconds = 253402300799;

// A span of time written as one or more <integer><unit> terms, units w (weeks), d, h, m, s: "30d", "2h",
// "1h30m", "90s". InvalidArgument naming `text` if it is empty, has a term without a unit or with another unit,
// a zero total, or more than 100 years.
absl::StatusOr<absl::Duration> ParseSpan(std::string_view text);

// An expiry as the chaincode's GrantConsent takes it, in unix seconds (UTC):
//   "30d", "12h", ...          `now` plus that span (ParseSpan), rounded up to a whole second;
//   "2026-12-31T00:00:00Z"     an RFC 3339 time (any offset, fractions rounded up to a whole second);
//   "1798675200"               unix seconds as they are.
// InvalidArgument naming `text` for anything else, for a time before 1970 or after kMaxUnixSeconds. Whether
// the expiry lies after the transaction's time is the chaincode's to decide (its refusal says so).
absl::StatusOr<int64_t> ParseExpiry(std::string_view text, absl::Time now);

// An emergency access's duration in whole seconds, from 1 to 86400 as the chaincode requires: a span ("2h",
// "30m") or plain seconds ("7200"). InvalidArgument naming `text` otherwise.
absl::StatusOr<int64_t> ParseEmergencyDuration(std::string_view text);

}  // namespace careledger::healthcare

#endif  // CARELEDGER_NETWORK_HEALTHCARE_TIME_ARGUMENTS_H_
