// Field: one key=value pair of a structured log line.
//
//   log.Info("block committed", {{"channel", channel}, {"block", number}, {"txs", count}, {"valid", ok}});
//   log.Warn("deliver failed", {{"peer", endpoint}, {"error", status}, {"retry_in", absl::Seconds(2)}});
//
// Values may be strings (std::string, std::string_view, absl::string_view, const char*), integers of any width, bool,
// float and double, absl::Status (written as Status::ToString(), "OK" when ok) and absl::Duration ("1m30s"). char is
// refused on purpose: a char field is far more often a bug than a one-letter string.
//
// A Field only refers to its key and value, so building one never allocates and a disabled log statement
// costs no more than the calls that compute its arguments. The price: a Field must not outlive the statement
// it is written in (which is how initializer lists of Fields are used anyway).
#ifndef CARELEDGER_COMMON_LOGGING_FIELD_H_
#define CARELEDGER_COMMON_LOGGING_FIELD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace careledger::logging {

class Field {
 public:
  Field(std::string_view key, std::string_view value) : key_(key), value_(value) {}
  Field(std::string_view key, const std::string& value) : key_(key), value_(std::string_view(value)) {}
  Field(std::string_view key, const char* value)
      : key_(key), value_(value == nullptr ? std::string_view("(null)") : std::string_view(value)) {}
#ifndef ABSL_USES_STD_STRING_VIEW
  // Debian's Abseil has its own string_view type (what absl::Status::message() returns).
  Field(std::string_view key, absl::string_view value)
      : key_(key), value_(std::string_view(value.data(), value.size())) {}
#endif
  Field(std::string_view key, bool value) : key_(key), value_(value) {}
  Field(std::string_view key, const absl::Status& value) : key_(key), value_(&value) {}
  Field(std::string_view key, absl::Duration value) : key_(key), value_(value) {}

  template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                             !std::is_same_v<T, char> && std::is_signed_v<T>,
                                         int> = 0>
  Field(std::string_view key, T value) : key_(key), value_(static_cast<int64_t>(value)) {}

  template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                             !std::is_same_v<T, char> && std::is_unsigned_v<T>,
                                         int> = 0>
  Field(std::string_view key, T value) : key_(key), value_(static_cast<uint64_t>(value)) {}

  template <typename T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  Field(std::string_view key, T value) : key_(key), value_(static_cast<double>(value)) {}

  // A char would otherwise convert to an integer; refuse it instead.
  Field(std::string_view key, char value) = delete;

  // Appends " key=value" to `out`, the key sanitized and the value quoted and escaped when it needs to be
  // (see text_escaping.h).
  void AppendTo(std::string& out) const;

 private:
  std::string_view key_;
  std::variant<std::string_view, int64_t, uint64_t, bool, double, const absl::Status*, absl::Duration> value_;
};

}  // namespace careledger::logging

#endif  // CARELEDGER_COMMON_LOGGING_FIELD_H_
