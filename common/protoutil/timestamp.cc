#include "common/protoutil/timestamp.h"

#include <cstdint>

namespace careledger::protoutil {

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  // Floor to whole seconds so that the nanoseconds are never negative, also before 1970.
  const int64_t seconds = absl::ToUnixSeconds(time);
  const absl::Time whole = absl::FromUnixSeconds(seconds);
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(time - whole)));
  return timestamp;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

}  // namespace careledger::protoutil
