// Parsing of single configuration values from text: booleans, integers, doubles, durations and byte sizes.
//
// These are the only spellings CareLedger accepts in configuration files and in environment overrides, so a
// value means the same wherever it is written. The functions are pure (no I/O, no globals) and thread-safe.
//
// Every error is InvalidArgument and its message says what was expected and what was found, without a
// position, e.g. `expected an integer between 1 and 1000, got "lots"`; ConfigNode prefixes the file, line,
// column and key path. The text found is quoted, escaped and cut to a few dozen characters, because it comes
// from untrusted input and ends up in logs.
//
// Accepted spellings:
//   bool      true, false (also True/TRUE/False/FALSE, as in YAML 1.2). Not yes/no/on/off: YAML 1.1 readers
//             treat "no" as false and newer ones as a string, so we refuse to guess.
//   integer   optional '-', then decimal digits. No '+', hex, '_' separators, exponents or fractions.
//   double    decimal with optional fraction and exponent ("0.75", "-2", "1e-3"); no inf or nan.
//   duration  a sequence of <number><unit>, units ns, us, ms, s, m, h: "250ms", "2s", "1m30s", "1.5h", or
//             "0". No sign, no days, no spaces; a bare number other than 0 is refused because its unit
//             would be a guess.
//   byte size a whole number, optional blanks, optional unit: B, K/KB/KiB, M/MB/MiB, G/GB/GiB, T/TB/TiB,
//             case-insensitive. EVERY unit is a power of 1024 ("2 MB" == "2 MiB" == 2097152): this is what
//             Hyperledger Fabric's orderer.yaml means by "99 MB", and a Fabric configuration copied into a
//             CareLedger node must cut the same blocks. No fractions ("1.5 MB"): write "1536 KB".
#ifndef CARELEDGER_COMMON_CONFIG_SCALARS_H_
#define CARELEDGER_COMMON_CONFIG_SCALARS_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace careledger::config {

// Inclusive bounds. The defaults accept every value of the type.
struct IntRange {
  int64_t min = std::numeric_limits<int64_t>::min();
  int64_t max = std::numeric_limits<int64_t>::max();
};
struct DoubleRange {
  double min = std::numeric_limits<double>::lowest();
  double max = std::numeric_limits<double>::max();
};
// Durations are never negative; absl::InfiniteDuration() is never accepted, whatever `max` says.
struct DurationRange {
  absl::Duration min = absl::ZeroDuration();
  absl::Duration max = absl::InfiniteDuration();
};
struct ByteSizeRange {
  uint64_t min = 0;
  uint64_t max = std::numeric_limits<uint64_t>::max();
};

absl::StatusOr<bool> ParseBool(std::string_view text);
absl::StatusOr<int64_t> ParseInt(std::string_view text, IntRange range = {});
absl::StatusOr<double> ParseDouble(std::string_view text, DoubleRange range = {});
absl::StatusOr<absl::Duration> ParseDuration(std::string_view text, DurationRange range = {});
absl::StatusOr<uint64_t> ParseByteSize(std::string_view text, ByteSizeRange range = {});

// "2 MiB" for an exact multiple of a binary unit, else "1000 B". Used in messages and by `config show`.
std::string FormatByteSize(uint64_t bytes);

}  // namespace careledger::config

#endif  // CARELEDGER_COMMON_CONFIG_SCALARS_H_
