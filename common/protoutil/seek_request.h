// A Deliver request taken apart: the DELIVER_SEEK_INFO envelope a client sends, its orderer.SeekInfo, and the
// range of blocks that SeekInfo designates on a chain of a given height (Fabric's common/deliver rules, which
// Fabric's orderers and peers share: the orderer's AtomicBroadcast.Deliver and the peer's Deliver service both
// use these functions).
//
// Pure functions; thread-safe.
#ifndef CARELEDGER_COMMON_PROTOUTIL_SEEK_REQUEST_H_
#define CARELEDGER_COMMON_PROTOUTIL_SEEK_REQUEST_H_

#include <cstdint>
#include <limits>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "common/protoutil/envelope.h"
#include "orderer/ab.pb.h"

namespace careledger::protoutil {

// How far a request's timestamp may be from the serving node's clock (the default of Fabric's orderer
// General.Authentication.TimeWindow and peer peer.authentication.timewindow): a captured request cannot be
// replayed later than this.
inline constexpr absl::Duration kDeliverTimeWindow = absl::Minutes(15);

// A stop block of this number means "stream forever" (what Fabric's peers ask for).
inline constexpr uint64_t kStreamForever = std::numeric_limits<uint64_t>::max();

struct SeekRequest {
  ParsedEnvelope envelope;  // its payload's data is the SeekInfo below
  ::orderer::SeekInfo seek_info;
};

// Parses a Deliver request envelope. InvalidArgument saying which layer is wrong when: the envelope fails
// protoutil::ParseEnvelope (no payload, no header, malformed headers, no creator or nonce, no channel ID); the
// header type is not DELIVER_SEEK_INFO; the channel header has no timestamp, or one more than
// kDeliverTimeWindow away from `now`; the payload data is not a SeekInfo; the SeekInfo lacks a start or a
// stop, or either names no position. Signatures and policies are not checked here (envelope_filter.h).
absl::StatusOr<SeekRequest> ParseSeekRequest(const ::common::Envelope& envelope, absl::Time now);

// The blocks [start, stop] a SeekInfo asks for, both inclusive; stop == kStreamForever never ends.
struct SeekRange {
  uint64_t start = 0;
  uint64_t stop = 0;

  friend bool operator==(const SeekRange&, const SeekRange&) = default;
};

// Resolves `seek` against a chain of `height` blocks (height >= 1: every channel has its genesis block), as
// Fabric's deliver handler does:
//   start: oldest = 0; newest = height - 1; specified = its number; next_commit = height (the next block);
//   stop:  oldest = start (Fabric's rule: "from start, one block"); newest = height - 1 at request time, or
//          start when start is newest too (only the newest block, even if another arrives meanwhile);
//          specified = its number (kStreamForever streams forever).
// InvalidArgument if the start lies after the stop (Fabric accepts that for stop = newest and then streams
// forever by accident; CareLedger refuses it), if the stop is next_commit (which names no fixed block), if
// the start is block kStreamForever, or if a position has no type.
absl::StatusOr<SeekRange> ResolveSeekRange(const ::orderer::SeekInfo& seek, uint64_t height);

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_SEEK_REQUEST_H_
