// google.protobuf.Timestamp <-> absl::Time, for the timestamps of channel headers. protoutil reads no clock:
// callers pass absl::Now() (or a test's fixed time) themselves.
#ifndef CARELEDGER_COMMON_PROTOUTIL_TIMESTAMP_H_
#define CARELEDGER_COMMON_PROTOUTIL_TIMESTAMP_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace careledger::protoutil {

// `time` as a Timestamp (seconds since the Unix epoch and nanoseconds in [0, 1e9)).
google::protobuf::Timestamp ToTimestamp(absl::Time time);

// The instant `timestamp` names. Nanoseconds outside [0, 1e9) are taken as they are (a malformed timestamp
// still names some instant; callers that care check the range).
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_TIMESTAMP_H_
