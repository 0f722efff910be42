// Identity attributes carried in certificates, in Fabric CA's format: an X.509 extension with OID
// 1.2.3.4.5.6.7.8.1 whose value is the JSON text {"attrs":{"role":"doctor","hc.person_id":"D-1001"}}.
// Chaincode authorises with these (e.g. role=doctor) instead of trusting IDs passed as arguments.
#ifndef CARELEDGER_MSP_ATTRIBUTES_H_
#define CARELEDGER_MSP_ATTRIBUTES_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace careledger::msp {

inline constexpr char kAttributesOid[] = "1.2.3.4.5.6.7.8.1";

// Attribute name to value; ordered, so that anything derived from it is deterministic.
using Attributes = std::map<std::string, std::string, std::less<>>;

// Parses the extension value. InvalidArgument if it is not a JSON object with an "attrs" object whose values
// are all strings, or if it is larger than 64 KiB.
absl::StatusOr<Attributes> ParseAttributes(std::string_view extension_value);

// The extension value for `attrs` (what a CA puts in the certificate).
std::string EncodeAttributes(const Attributes& attrs);

}  // namespace careledger::msp

#endif  // CARELEDGER_MSP_ATTRIBUTES_H_
