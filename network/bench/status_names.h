// Names of the statuses the bench counts errors by: Fabric's common.Status values and gRPC codes.
#ifndef CARELEDGER_NETWORK_BENCH_STATUS_NAMES_H_
#define CARELEDGER_NETWORK_BENCH_STATUS_NAMES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/common.pb.h"
#include "grpcpp/support/status.h"

namespace careledger::bench {

// "SERVICE_UNAVAILABLE"; the number for a value this build does not know (an orderer may send anything).
inline std::string StatusName(::common::Status status) {
  const std::string& name = ::common::Status_Name(status);
  return name.empty() ? absl::StrCat(static_cast<int>(status)) : name;
}

// "UNAVAILABLE": gRPC's and Abseil's canonical codes have the same numbers.
inline std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

}  // namespace careledger::bench

#endif  // CARELEDGER_NETWORK_BENCH_STATUS_NAMES_H_
