#include "common/channelconfig/config_keys.h"

#include "absl/strings/str_cat.h"
#include "common/channelconfig/internal.h"

namespace careledger::channelconfig {
namespace {

using internal::Quote;

bool IsLowerOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerOrDigit(c) || (c >= 'A' && c <= 'Z'); }

}  // namespace

absl::Status ValidateChannelId(std::string_view channel_id) {
  if (channel_id.empty()) return absl::InvalidArgumentError("channel ID is empty");
  if (channel_id.size() > kMaxNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("channel ID ", Quote(channel_id), " is longer than ", kMaxNameLength, " characters"));
  }
  if (!(channel_id[0] >= 'a' && channel_id[0] <= 'z')) {
    return absl::InvalidArgumentError(
        absl::StrCat("channel ID ", Quote(channel_id), " must start with a lower-case letter"));
  }
  for (char c : channel_id) {
    if (!IsLowerOrDigit(c) && c != '.' && c != '-') {
      return absl::InvalidArgumentError(
          absl::StrCat("channel ID ", Quote(channel_id), " may only contain lower-case letters, digits, '.' and '-'"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateConfigName(std::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("name is empty");
  if (name.size() > kMaxNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("name ", Quote(name), " is longer than ", kMaxNameLength, " characters"));
  }
  if (name == "." || name == "..") {
    return absl::InvalidArgumentError(absl::StrCat("name ", Quote(name), " is not allowed"));
  }
  for (char c : name) {
    if (!IsAlnum(c) && c != '.' && c != '-') {
      return absl::InvalidArgumentError(
          absl::StrCat("name ", Quote(name), " may only contain letters, digits, '.' and '-'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace careledger::channelconfig
