#include "common/config/scalars.h"

#include <array>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/config/message_text.h"

namespace careledger::config {
namespace {


absl::Status Expected(std::string_view what, std::string_view got) {
  return absl::InvalidArgumentError(
      absl::StrCat("expected ", AsAbsl(what), ", got ", internal::QuoteForMessage(got)));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// "an integer", "an integer between 1 and 1000", ... The bounds that are the type's own limits are omitted.
template <typename T, typename Format>
std::string WithBounds(std::string_view noun, T min, T max, T lowest, T highest, Format format) {
  const bool has_min = min != lowest;
  const bool has_max = max != highest;
  if (has_min && has_max) return absl::StrCat(AsAbsl(noun), " between ", format(min), " and ", format(max));
  if (has_min) return absl::StrCat(AsAbsl(noun), " of at least ", format(min));
  if (has_max) return absl::StrCat(AsAbsl(noun), " of at most ", format(max));
  return std::string(noun);
}

std::string IntExpectation(IntRange range) {
  return WithBounds<int64_t>("an integer", range.min, range.max, IntRange{}.min, IntRange{}.max,
                             [](int64_t v) { return absl::StrCat(v); });
}

std::string DoubleExpectation(DoubleRange range) {
  return WithBounds<double>("a number", range.min, range.max, DoubleRange{}.min, DoubleRange{}.max,
                            [](double v) { return absl::StrCat(v); });
}

std::string DurationExpectation(DurationRange range) {
  return WithBounds<absl::Duration>(R"(a duration like "250ms", "2s" or "1m30s")", range.min, range.max,
                                    DurationRange{}.min, DurationRange{}.max,
                                    [](absl::Duration d) { return absl::FormatDuration(d); });
}

std::string ByteSizeExpectation(ByteSizeRange range) {
  return WithBounds<uint64_t>(R"(a byte size like "98304", "512 KB" or "2 MB" (units are powers of 1024))", range.min,
                              range.max, ByteSizeRange{}.min, ByteSizeRange{}.max,
                              [](uint64_t v) { return FormatByteSize(v); });
}

struct ByteUnit {
  std::string_view name;  // upper case
  int shift;
};

constexpr std::array<ByteUnit, 14> kByteUnits = {{
    {"", 0},
    {"B", 0},
    {"K", 10},
    {"KB", 10},
    {"KIB", 10},
    {"M", 20},
    {"MB", 20},
    {"MIB", 20},
    {"G", 30},
    {"GB", 30},
    {"GIB", 30},
    {"T", 40},
    {"TB", 40},
    {"TIB", 40},
}};

}  // namespace

absl::StatusOr<bool> ParseBool(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return Expected("true or false", text);
}

absl::StatusOr<int64_t> ParseInt(std::string_view text, IntRange range) {
  const std::string_view digits = (!text.empty() && text[0] == '-') ? text.substr(1) : text;
  int64_t value = 0;
  // SimpleAtoi alone would also take blanks and '+'; the digit check keeps the spelling strict.
  if (!AllDigits(digits) || !absl::SimpleAtoi(AsAbsl(text), &value) || value < range.min || value > range.max) {
    return Expected(IntExpectation(range), text);
  }
  return value;
}

absl::StatusOr<double> ParseDouble(std::string_view text, DoubleRange range) {
  bool has_digit = false;
  for (const char c : text) {
    if (IsDigit(c)) {
      has_digit = true;
    } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
      has_digit = false;
      break;
    }
  }
  double value = 0;
  if (!has_digit || !absl::SimpleAtod(AsAbsl(text), &value) || !std::isfinite(value) || value < range.min ||
      value > range.max) {
    return Expected(DoubleExpectation(range), text);
  }
  return value;
}

absl::StatusOr<absl::Duration> ParseDuration(std::string_view text, DurationRange range) {
  absl::Duration value;
  // absl::ParseDuration also takes signs, "inf" and ".5s"; requiring a leading digit refuses all three.
  if (text.empty() || !IsDigit(text[0]) || !absl::ParseDuration(AsAbsl(text), &value) ||
      value == absl::InfiniteDuration() || value < range.min || value > range.max) {
    return Expected(DurationExpectation(range), text);
  }
  return value;
}

absl::StatusOr<uint64_t> ParseByteSize(std::string_view text, ByteSizeRange range) {
  size_t i = 0;
  uint64_t number = 0;
  bool overflow = false;
  while (i < text.size() && IsDigit(text[i])) {
    const uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (number > (std::numeric_limits<uint64_t>::max() - digit) / 10) overflow = true;
    number = number * 10 + digit;
    ++i;
  }
  if (i == 0 || overflow) return Expected(ByteSizeExpectation(range), text);
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  const std::string unit = absl::AsciiStrToUpper(AsAbsl(text.substr(i)));
  for (const ByteUnit& candidate : kByteUnits) {
    if (unit != candidate.name) continue;
    if (candidate.shift > 0 && number > (std::numeric_limits<uint64_t>::max() >> candidate.shift)) break;
    const uint64_t value = number << candidate.shift;
    if (value < range.min || value > range.max) break;
    return value;
  }
  return Expected(ByteSizeExpectation(range), text);
}

std::string FormatByteSize(uint64_t bytes) {
  static constexpr std::array<std::pair<int, std::string_view>, 4> kUnits = {
      {{40, "TiB"}, {30, "GiB"}, {20, "MiB"}, {10, "KiB"}}};
  if (bytes != 0) {
    for (const auto& [shift, name] : kUnits) {
      const uint64_t unit = uint64_t{1} << shift;
      if (bytes % unit == 0) return absl::StrCat(bytes >> shift, " ", AsAbsl(name));
    }
  }
  return absl::StrCat(bytes, " B");
}

}  // namespace careledger::config
