// Sizes as operators write them in configtx.yaml and on the command line: "2MB", "512 KB", "98304".
#ifndef CARELEDGER_NETWORK_GENESIS_BYTE_SIZE_H_
#define CARELEDGER_NETWORK_GENESIS_BYTE_SIZE_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

namespace careledger::network {

// Parses a whole number of bytes with an optional unit, case-insensitive, optionally after one space:
// B, KB/KiB, MB/MiB, GB/GiB. As in Fabric's configtx.yaml ("10 MB" is 10485760), KB, MB and GB are powers of
// 1024. InvalidArgument quoting the text if it is empty, not a whole number, has an unknown unit, or the value
// exceeds `max`.
absl::StatusOr<uint64_t> ParseByteSize(std::string_view text, uint64_t max = UINT64_MAX);

}  // namespace careledger::network

#endif  // CARELEDGER_NETWORK_GENESIS_BYTE_SIZE_H_
