// Test-only: SeekInfo positions, as Fabric's clients write them.
#ifndef CARELEDGER_COMMON_PROTOUTIL_TEST_SEEK_H_
#define CARELEDGER_COMMON_PROTOUTIL_TEST_SEEK_H_

#include <cstdint>

#include "orderer/ab.pb.h"

namespace careledger::protoutil::testing {

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

}  // namespace careledger::protoutil::testing

#endif  // CARELEDGER_COMMON_PROTOUTIL_TEST_SEEK_H_
