#include "network/healthcare/time_arguments.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace careledger::healthcare {
namespace {

constexpr int64_t kMaxEmergencySeconds = 86400;
constexpr absl::Duration kLongestSpan = absl::Hours(24 * 365 * 100);

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::Status BadSpan(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", AsAbsl(text), "' is not a span of time such as 30d, 12h or 1h30m (", AsAbsl(why), ")"));
}

}  // namespace

absl::StatusOr<absl::Duration> ParseSpan(std::string_view text) {
  if (text.empty()) return BadSpan(text, "empty");
  absl::Duration total = absl::ZeroDuration();
  size_t i = 0;
  while (i < text.size()) {
    size_t digits_end = i;
    while (digits_end < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[digits_end]))) ++digits_end;
    if (digits_end == i) return BadSpan(text, absl::StrCat("expected a number at position ", i + 1));
    // Twelve digits keep the arithmetic below far from overflowing; anything longer exceeds 100 years anyway.
    if (digits_end - i > 12) return BadSpan(text, "number too large");
    int64_t value = 0;
    if (!absl::SimpleAtoi(AsAbsl(text.substr(i, digits_end - i)), &value)) return BadSpan(text, "number too large");
    if (digits_end == text.size()) return BadSpan(text, "the last number has no unit: w, d, h, m or s");
    absl::Duration unit;
    switch (text[digits_end]) {
      case 'w':
        unit = absl::Hours(24 * 7);
        break;
      case 'd':
        unit = absl::Hours(24);
        break;
      case 'h':
        unit = absl::Hours(1);
        break;
      case 'm':
        unit = absl::Minutes(1);
        break;
      case 's':
        unit = absl::Seconds(1);
        break;
      default:
        return BadSpan(text,
                       absl::StrCat("unknown unit '", std::string(1, text[digits_end]), "': use w, d, h, m or s"));
    }
    total += value * unit;
    if (total > kLongestSpan) return BadSpan(text, "more than 100 years");
    i = digits_end + 1;
  }
  if (total == absl::ZeroDuration()) return BadSpan(text, "zero");
  return total;
}

absl::StatusOr<int64_t> ParseExpiry(std::string_view text, absl::Time now) {
  const std::string shown(text);
  int64_t seconds = 0;
  if (AllDigits(text)) {
    if (text.size() > 12 || !absl::SimpleAtoi(AsAbsl(text), &seconds)) seconds = kMaxUnixSeconds + 1;
  } else if (text.find('T') != std::string_view::npos && text.find('-') != std::string_view::npos) {
    absl::Time at;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, AsAbsl(text), &at, &error)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid expiry '", shown, "': not an RFC 3339 time such as 2026-12-31T00:00:00Z (", error, ")"));
    }
    seconds = absl::ToUnixSeconds(absl::Ceil(at - absl::UnixEpoch(), absl::Seconds(1)) + absl::UnixEpoch());
  } else if (!text.empty() && absl::ascii_isdigit(static_cast<unsigned char>(text.back()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid expiry '", shown,
                     "': expected a span such as 30d, an RFC 3339 time such as 2026-12-31T00:00:00Z, "
                     "or unix seconds"));
  } else {
    absl::StatusOr<absl::Duration> span = ParseSpan(text);
    if (!span.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid expiry: ", span.status().message(),
          "; an expiry is a span from now, an RFC 3339 time such as 2026-12-31T00:00:00Z, or unix seconds"));
    }
    seconds = absl::ToUnixSeconds(absl::Ceil(now + *span - absl::UnixEpoch(), absl::Seconds(1)) + absl::UnixEpoch());
  }
  if (seconds < 0 || seconds > kMaxUnixSeconds) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid expiry '", shown, "': must lie from 1970 to 9999-12-31T23:59:59Z"));
  }
  return seconds;
}

absl::StatusOr<int64_t> ParseEmergencyDuration(std::string_view text) {
  const std::string shown(text);
  int64_t seconds = 0;
  if (AllDigits(text)) {
    if (text.size() > 6 || !absl::SimpleAtoi(AsAbsl(text), &seconds)) seconds = kMaxEmergencySeconds + 1;
  } else {
    absl::StatusOr<absl::Duration> span = ParseSpan(text);
    if (!span.ok()) return absl::InvalidArgumentError(absl::StrCat("invalid duration: ", span.status().message()));
    seconds = absl::ToInt64Seconds(*span);
  }
  if (seconds < 1 || seconds > kMaxEmergencySeconds) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid duration '", shown, "': an emergency access lasts from 1s to 24h (86400 seconds)"));
  }
  return seconds;
}

}  // namespace careledger::healthcare
