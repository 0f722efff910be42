// Durations in the text form Go's time package uses, because Fabric's channel configuration stores them that
// way: BatchTimeout.timeout ("2s") and the Raft options' tick_interval ("500ms") are written by Go's
// Duration.String and read by Go's time.ParseDuration. Config values must parse identically on a CareLedger
// node and on a Fabric node, so both directions follow Go exactly, including its edge cases.
#ifndef CARELEDGER_COMMON_CHANNELCONFIG_GO_DURATION_H_
#define CARELEDGER_COMMON_CHANNELCONFIG_GO_DURATION_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace careledger::channelconfig {

// Parses `text` as Go's time.ParseDuration does: an optional sign, then one or more decimal numbers, each
// with an optional fraction and a unit ("ns", "us", "µs" (U+00B5 or U+03BC), "ms", "s", "m", "h"), e.g.
// "250ms", "1.5h", "2h45m", "-1m". A bare "0" (or "+0", "-0") is zero; any other number needs a unit.
// The result is a whole number of nanoseconds within Go's int64 range, as Go computes it (fractions are
// scaled in double precision, exactly like Go).
//
// InvalidArgument, quoting the text, when it is empty, a number is missing, a unit is missing or unknown, or
// the value overflows int64 nanoseconds (about 292 years). Thread-safe.
absl::StatusOr<absl::Duration> ParseGoDuration(std::string_view text);

// Formats `duration` as Go's Duration.String does: "2s", "500ms", "1.5s", "1m0s", "1h0m0s", "1µs", "0s".
// The duration is truncated to whole nanoseconds and clamped to Go's int64 range (infinite durations print
// as the largest Go duration), so that ParseGoDuration(FormatGoDuration(d)) == d for every duration Go can
// represent. Thread-safe.
std::string FormatGoDuration(absl::Duration duration);

}  // namespace careledger::channelconfig

#endif  // CARELEDGER_COMMON_CHANNELCONFIG_GO_DURATION_H_
