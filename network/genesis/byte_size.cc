#include "network/genesis/byte_size.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace careledger::network {

absl::StatusOr<uint64_t> ParseByteSize(std::string_view text, uint64_t max) {
  const absl::string_view input = AsAbsl(text);
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("size '", input, "' ", AsAbsl(why)));
  };
  size_t digits = 0;
  while (digits < input.size() && absl::ascii_isdigit(static_cast<unsigned char>(input[digits]))) ++digits;
  if (digits == 0) return invalid("must start with a whole number of bytes, e.g. 2MB or 1048576");
  absl::string_view unit = input.substr(digits);
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  const std::string lower = absl::AsciiStrToLower(unit);
  uint64_t multiplier = 0;
  if (lower.empty() || lower == "b") {
    multiplier = 1;
  } else if (lower == "kb" || lower == "kib") {
    multiplier = uint64_t{1} << 10;
  } else if (lower == "mb" || lower == "mib") {
    multiplier = uint64_t{1} << 20;
  } else if (lower == "gb" || lower == "gib") {
    multiplier = uint64_t{1} << 30;
  } else {
    return invalid("has an unknown unit: use B, KB, MB or GB");
  }
  uint64_t number = 0;
  if (!absl::SimpleAtoi(input.substr(0, digits), &number) || number > max / multiplier) {
    return invalid(absl::StrCat("exceeds the largest allowed value, ", max, " bytes"));
  }
  return number * multiplier;
}

}  // namespace careledger::network
