// A chaincode's answer to one proposal: Fabric's peer.Response (status, message, payload).
#ifndef CARELEDGER_SHIM_RESPONSE_H_
#define CARELEDGER_SHIM_RESPONSE_H_

#include <cstdint>
#include <string>
#include <utility>

namespace careledger::shim {

// Fabric's status values. A status below kErrorThreshold is a success the peer endorses; kErrorThreshold
// and above is an error the peer returns to the client without endorsing.
inline constexpr int32_t kOk = 200;
inline constexpr int32_t kErrorThreshold = 400;
inline constexpr int32_t kError = 500;

struct Response {
  int32_t status = kOk;
  std::string message;  // why it failed; should be UTF-8 (invalid bytes reach the client as U+FFFD)
  std::string payload;  // the result bytes
};

// A success (status 200) carrying `payload`.
inline Response Success(std::string payload = {}) { return Response{kOk, {}, std::move(payload)}; }

// An error (status 500) carrying `message`.
inline Response Error(std::string message) { return Response{kError, std::move(message), {}}; }

}  // namespace careledger::shim

#endif  // CARELEDGER_SHIM_RESPONSE_H_
