// Deterministic "fully populated" protobuf messages, built by reflection, for the wire-compatibility test.
//
// Every field gets a distinct non-default value chosen to expose a mismatch with Fabric's definition: signed
// fields hold negative numbers (sign-extended varints), 32-bit unsigned fields values above 2^31, 64-bit fields
// values above 2^32, strings multi-byte UTF-8, bytes invalid UTF-8. Repeated fields get two elements, maps two
// entries, nested messages are populated down to kMaxDepth, and each oneof gets the variant an instance
// number selects, so that PopulatedVariantCount instances set every reachable variant at least once.
#ifndef CARELEDGER_TESTS_WIRE_COMPAT_POPULATE_H_
#define CARELEDGER_TESTS_WIRE_COMPAT_POPULATE_H_

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace careledger::wire_compat {

// Nesting depth down to which message fields are populated; it bounds recursive types such as
// common.ConfigGroup and common.SignaturePolicy.
inline constexpr int kMaxDepth = 4;

// How many instances cover every oneof variant reachable within kMaxDepth (at least 1).
int PopulatedVariantCount(const google::protobuf::Descriptor& descriptor);

// Fills the empty `message`; `variant` picks, in every oneof, case number `variant % case count`.
// Deterministic: the same descriptor and variant always give the same message.
void Populate(int variant, google::protobuf::Message& message);

// True if a map field is reachable from `descriptor` within kMaxDepth: such messages may legitimately be
// serialized with entries in another order.
bool ContainsMap(const google::protobuf::Descriptor& descriptor);

}  // namespace careledger::wire_compat

#endif  // CARELEDGER_TESTS_WIRE_COMPAT_POPULATE_H_
