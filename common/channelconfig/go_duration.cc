#include "common/channelconfig/go_duration.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/channelconfig/internal.h"
#include "common/strings.h"

namespace careledger::channelconfig {
namespace {

using internal::Quote;

constexpr uint64_t kTwoPow63 = uint64_t{1} << 63;

absl::Status InvalidDuration(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(AsAbsl(why), " in duration ", Quote(text)));
}

// Go's leadingInt: consumes leading decimal digits; false on overflow past 2^63.
bool LeadingInt(std::string_view& s, uint64_t& value) {
  size_t i = 0;
  uint64_t x = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (x > kTwoPow63 / 10) return false;
    x = x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (x > kTwoPow63) return false;
  }
  value = x;
  s.remove_prefix(i);
  return true;
}

// Go's leadingFraction: consumes leading digits of a fraction; digits that would overflow are skipped, which
// only loses precision below a nanosecond.
void LeadingFraction(std::string_view& s, uint64_t& value, double& scale) {
  size_t i = 0;
  uint64_t x = 0;
  double sc = 1;
  bool overflow = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (overflow) continue;
    if (x > (kTwoPow63 - 1) / 10) {
      overflow = true;
      continue;
    }
    const uint64_t y = x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (y > kTwoPow63) {
      overflow = true;
      continue;
    }
    x = y;
    sc *= 10;
  }
  value = x;
  scale = sc;
  s.remove_prefix(i);
}

// Nanoseconds per unit, or 0 for an unknown unit.
uint64_t UnitNanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") return 1000;
  if (unit == "ms") return 1000 * 1000;
  if (unit == "s") return 1000 * 1000 * 1000;
  if (unit == "m") return uint64_t{60} * 1000 * 1000 * 1000;
  if (unit == "h") return uint64_t{3600} * 1000 * 1000 * 1000;
  return 0;
}

// Go's fmtFrac: writes the fraction of `v` with `precision` digits, omitting trailing zeros (and the point
// when the fraction is zero), in front of `out`; returns v without its fraction digits.
uint64_t PrependFraction(std::string& out, uint64_t v, int precision) {
  std::string digits;
  bool print = false;
  for (int i = 0; i < precision; ++i) {
    const uint64_t digit = v % 10;
    print = print || digit != 0;
    if (print) digits.insert(digits.begin(), static_cast<char>('0' + digit));
    v /= 10;
  }
  if (print) out.insert(0, "." + digits);
  return v;
}

void PrependInt(std::string& out, uint64_t v) { out.insert(0, std::to_string(v)); }

}  // namespace

absl::StatusOr<absl::Duration> ParseGoDuration(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return absl::ZeroDuration();
  if (s.empty()) return InvalidDuration(text, "no number");

  uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return InvalidDuration(text, "expected a number");
    uint64_t value = 0;
    const size_t before_int = s.size();
    if (!LeadingInt(s, value)) return InvalidDuration(text, "overflow");
    const bool has_int = s.size() != before_int;

    uint64_t fraction = 0;
    double scale = 1;
    bool has_fraction = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      const size_t before_fraction = s.size();
      LeadingFraction(s, fraction, scale);
      has_fraction = s.size() != before_fraction;
    }
    if (!has_int && !has_fraction) return InvalidDuration(text, "expected digits around '.'");

    size_t unit_length = 0;
    while (unit_length < s.size() && s[unit_length] != '.' && !(s[unit_length] >= '0' && s[unit_length] <= '9')) {
      ++unit_length;
    }
    if (unit_length == 0) return InvalidDuration(text, "missing unit");
    const std::string_view unit = s.substr(0, unit_length);
    s.remove_prefix(unit_length);
    const uint64_t unit_nanos = UnitNanos(unit);
    if (unit_nanos == 0) return InvalidDuration(text, absl::StrCat("unknown unit ", Quote(unit)));

    if (value > kTwoPow63 / unit_nanos) return InvalidDuration(text, "overflow");
    value *= unit_nanos;
    if (fraction > 0) {
      // Go computes this in float64; doing the same keeps sub-nanosecond rounding identical.
      value += static_cast<uint64_t>(static_cast<double>(fraction) * (static_cast<double>(unit_nanos) / scale));
      if (value > kTwoPow63) return InvalidDuration(text, "overflow");
    }
    total += value;
    if (total > kTwoPow63) return InvalidDuration(text, "overflow");
  }
  if (negative) {
    // -2^63 is representable; build it without overflowing int64.
    if (total == kTwoPow63) return absl::Nanoseconds(std::numeric_limits<int64_t>::min());
    return -absl::Nanoseconds(static_cast<int64_t>(total));
  }
  if (total > kTwoPow63 - 1) return InvalidDuration(text, "overflow");
  return absl::Nanoseconds(static_cast<int64_t>(total));
}

std::string FormatGoDuration(absl::Duration duration) {
  // ToInt64Nanoseconds truncates toward zero and saturates, which is the clamping the contract promises.
  const int64_t nanos = absl::ToInt64Nanoseconds(duration);
  const bool negative = nanos < 0;
  // Two's complement negation in unsigned arithmetic handles INT64_MIN.
  uint64_t u = negative ? uint64_t{0} - static_cast<uint64_t>(nanos) : static_cast<uint64_t>(nanos);

  std::string out;
  constexpr uint64_t kSecond = 1000 * 1000 * 1000;
  if (u < kSecond) {
    if (u == 0) return "0s";
    int precision;
    if (u < 1000) {
      precision = 0;
      out = "ns";
    } else if (u < 1000 * 1000) {
      precision = 3;
      out = "\xc2\xb5s";  // Go writes U+00B5 MICRO SIGN
    } else {
      precision = 6;
      out = "ms";
    }
    u = PrependFraction(out, u, precision);
    PrependInt(out, u);
  } else {
    out = "s";
    u = PrependFraction(out, u, 9);
    PrependInt(out, u % 60);
    u /= 60;
    if (u > 0) {
      out.insert(0, "m");
      PrependInt(out, u % 60);
      u /= 60;
      if (u > 0) {
        out.insert(0, "h");
        PrependInt(out, u);
      }
    }
  }
  if (negative) out.insert(0, "-");
  return out;
}

}  // namespace careledger::channelconfig
