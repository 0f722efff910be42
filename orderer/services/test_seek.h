// Test-only: SeekInfo positions and timestamps, as Fabric's clients write them.
#ifndef CARELEDGER_ORDERER_SERVICES_TEST_SEEK_H_
#define CARELEDGER_ORDERER_SERVICES_TEST_SEEK_H_

#include <cstdint>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "orderer/ab.pb.h"

namespace careledger::orderer::testing {

inline ::orderer::SeekPosition Oldest() {
  ::orderer::SeekPosition p;
  p.mutable_oldest();
  return p;
}
inline ::orderer::SeekPosition Newest() {
  ::orderer::SeekPosition p;
  p.mutable_newest();
  return p;
}
inline ::orderer::SeekPosition NextCommit() {
  ::orderer::SeekPosition p;
  p.mutable_next_commit();
  return p;
}
inline ::orderer::SeekPosition Specified(uint64_t n) {
  ::orderer::SeekPosition p;
  p.mutable_specified()->set_number(n);
  return p;
}

inline ::orderer::SeekInfo Seek(::orderer::SeekPosition start, ::orderer::SeekPosition stop,
                                ::orderer::SeekInfo::SeekBehavior behavior = ::orderer::SeekInfo::BLOCK_UNTIL_READY) {
  ::orderer::SeekInfo seek;
  *seek.mutable_start() = std::move(start);
  *seek.mutable_stop() = std::move(stop);
  seek.set_behavior(behavior);
  return seek;
}

inline google::protobuf::Timestamp Timestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  ts.set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(ts.seconds())) / absl::Nanoseconds(1)));
  return ts;
}

}  // namespace careledger::orderer::testing

#endif  // CARELEDGER_ORDERER_SERVICES_TEST_SEEK_H_
