// The healthcare chaincode's value rules: what a valid ID, hash, size, scope or expiry is, and how times are
// written. Pure functions of their arguments (no clock, no ledger), so every endorser decides the same.
// Each Parse/Check function throws shim::ShimError with the stable reason text of docs/healthcare-chaincode.md.
#ifndef CARELEDGER_CHAINCODE_BUILTIN_HEALTHCARE_VALUES_H_
#define CARELEDGER_CHAINCODE_BUILTIN_HEALTHCARE_VALUES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "careledger/shim/query.h"

namespace careledger::chaincode::builtin::healthcare {

// Refuses the proposal: the runtime answers a ShimError with status 500 and exactly `message`.
void Require(bool condition, const std::string& message);

// IDs (patient, person, record, MSP, category): 1 to 64 characters of A-Z a-z 0-9 . _ : - so that they are
// valid composite-key attributes and print unambiguously in reason texts. `what` names the argument
// ("patient ID"): "invalid patient ID 'x y': expected 1 to 64 characters of A-Z a-z 0-9 . _ : -".
void CheckId(std::string_view what, std::string_view id);

// Free text (profile reference, media type, vault location, reason): valid UTF-8, 1 to `max_bytes` bytes,
// no control characters below U+0020. "invalid vault location: must not be empty" / "... is not valid UTF-8"
// / "... is longer than 1024 bytes" / "... contains a control character".
void CheckText(std::string_view what, std::string_view text, size_t max_bytes);

// Whether `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// 64 hexadecimal digits, returned in lower case (so a hash has one spelling on the ledger).
std::string ParseSha256(std::string_view text);

// A decimal integer without sign in [min, max]: "invalid size 'x': expected an integer from 0 to 1099511627776".
int64_t ParseInteger(std::string_view what, std::string_view text, int64_t min, int64_t max);

// "read" | "write" | "readwrite".
struct Scope {
  bool read = false;
  bool write = false;
};
Scope ParseScope(std::string_view text);
std::string ScopeName(Scope scope);

// A comma-separated list of category IDs, sorted and without duplicates; "" or "*" is every category (an
// empty list).
std::vector<std::string> ParseCategories(std::string_view text);

// RFC 3339 in UTC: "2023-11-14T22:13:20Z", with nine fractional digits when nanos is not zero
// ("2023-11-14T22:13:20.000000500Z"). Seconds from year 0001 to 9999.
std::string FormatTime(int64_t seconds, int32_t nanos = 0);
std::string FormatTime(const shim::Timestamp& timestamp);

}  // namespace careledger::chaincode::builtin::healthcare

#endif  // CARELEDGER_CHAINCODE_BUILTIN_HEALTHCARE_VALUES_H_
