// Messages that fabric_roundtrip.js encodes by hand with Fabric's own generated classes and setters, and the
// values CareLedger must read from them. This checks the other direction from the round trip: Fabric's field
// names map to the same numbers and types as ours, for the messages clients send most.
//
// The values are written twice, here and in fabric_roundtrip.js (handmadeMessages); keep them in step.
#ifndef CARELEDGER_TESTS_WIRE_COMPAT_HANDMADE_H_
#define CARELEDGER_TESTS_WIRE_COMPAT_HANDMADE_H_

#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/message.h"

namespace careledger::wire_compat {

struct HandmadeMessage {
  std::string file;  // under <work dir>/handmade/
  std::unique_ptr<google::protobuf::Message> expected;
};

// The expected messages, built with CareLedger's generated setters.
std::vector<HandmadeMessage> HandmadeExpectations();

}  // namespace careledger::wire_compat

#endif  // CARELEDGER_TESTS_WIRE_COMPAT_HANDMADE_H_
