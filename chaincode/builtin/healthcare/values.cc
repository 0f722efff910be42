#include "chaincode/builtin/healthcare/values.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "careledger/shim/shim_error.h"

namespace careledger::chaincode::builtin::healthcare {

void Require(bool condition, const std::string& message) {
  if (!condition) throw shim::ShimError(message);
}

void CheckId(std::string_view what, std::string_view id) {
  const bool valid = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == ':' || c == '-';
  });
  // An invalid ID may hold anything; quote at most its first 64 bytes, and only if they print safely.
  std::string shown(id.substr(0, 64));
  if (!IsValidUtf8(shown) ||
      std::any_of(shown.begin(), shown.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    shown = "(unprintable)";
  }
  Require(valid,
          "invalid " + std::string(what) + " '" + shown + "': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -");
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t code = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

void CheckText(std::string_view what, std::string_view text, size_t max_bytes) {
  const std::string name = "invalid " + std::string(what);
  Require(!text.empty(), name + ": must not be empty");
  Require(text.size() <= max_bytes, name + ": is longer than " + std::to_string(max_bytes) + " bytes");
  Require(IsValidUtf8(text), name + ": is not valid UTF-8");
  Require(std::none_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }),
          name + ": contains a control character");
}

std::string ParseSha256(std::string_view text) {
  std::string hash(text);
  const bool valid = hash.size() == 64 && std::all_of(hash.begin(), hash.end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                     });
  Require(valid, "invalid SHA-256 '" + (IsValidUtf8(hash) && hash.size() <= 128 ? hash : "(unprintable)") +
                     "': expected 64 hexadecimal digits");
  std::transform(hash.begin(), hash.end(), hash.begin(),
                 [](char c) { return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c; });
  return hash;
}

int64_t ParseInteger(std::string_view what, std::string_view text, int64_t min, int64_t max) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool digits_only =
      !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const bool valid =
      digits_only && error == std::errc() && end == text.data() + text.size() && value >= min && value <= max;
  const std::string shown = IsValidUtf8(text) && text.size() <= 32 ? std::string(text) : "(unprintable)";
  Require(valid, "invalid " + std::string(what) + " '" + shown + "': expected an integer from " + std::to_string(min) +
                     " to " + std::to_string(max));
  return value;
}

Scope ParseScope(std::string_view text) {
  if (text == "read") return Scope{true, false};
  if (text == "write") return Scope{false, true};
  if (text == "readwrite") return Scope{true, true};
  const std::string shown = IsValidUtf8(text) && text.size() <= 32 ? std::string(text) : "(unprintable)";
  throw shim::ShimError("invalid scope '" + shown + "': expected read, write or readwrite");
}

std::string ScopeName(Scope scope) {
  if (scope.read && scope.write) return "readwrite";
  return scope.read ? "read" : "write";
}

std::vector<std::string> ParseCategories(std::string_view text) {
  std::vector<std::string> categories;
  if (text.empty() || text == "*") return categories;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view category = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    CheckId("category", category);
    categories.emplace_back(category);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::sort(categories.begin(), categories.end());
  categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
  return categories;
}

std::string FormatTime(int64_t seconds, int32_t nanos) {
  // Howard Hinnant's civil_from_days: exact proleptic Gregorian calendar from days since 1970-01-01.
  int64_t days = seconds / 86400;
  int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  char buffer[64];
  int length =
      std::snprintf(buffer, sizeof(buffer), "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", static_cast<long long>(year),
                    static_cast<long long>(month), static_cast<long long>(day), static_cast<long long>(rest / 3600),
                    static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
  std::string text(buffer, static_cast<size_t>(length));
  if (nanos != 0) {
    length = std::snprintf(buffer, sizeof(buffer), ".%09d", static_cast<int>(nanos));
    text.append(buffer, static_cast<size_t>(length));
  }
  return text + "Z";
}

std::string FormatTime(const shim::Timestamp& timestamp) { return FormatTime(timestamp.seconds, timestamp.nanos); }

}  // namespace careledger::chaincode::builtin::healthcare
