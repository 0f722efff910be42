// CRC32C (Castagnoli, polynomial 0x1EDC6F41, reflected; the checksum of iSCSI, ext4 and LevelDB's logs), the
// checksum of every block file record (see block_store.h). Internal to the block store.
//
// Uses the SSE4.2 crc32 instruction when the CPU has it (about 8 GB/s: a 0.5 MB block costs tens of
// microseconds) and a portable slicing-by-8 table otherwise; both give the same values.
#ifndef CARELEDGER_COMMON_BLOCKSTORE_CRC32C_H_
#define CARELEDGER_COMMON_BLOCKSTORE_CRC32C_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace careledger::blockstore {

// Returns the CRC32C of `data` continued from `crc`, the CRC32C of the bytes before it (0 for none):
// Crc32cExtend(Crc32c(a), b) == Crc32c(a + b). Thread-safe.
uint32_t Crc32cExtend(uint32_t crc, std::string_view data);

inline uint32_t Crc32c(std::string_view data) { return Crc32cExtend(0, data); }

namespace internal {
// The two implementations, exposed so that tests compare them on the same input.
uint32_t Crc32cPortable(uint32_t crc, const char* data, size_t size);
// Only valid when Crc32cHardwareAvailable().
uint32_t Crc32cHardware(uint32_t crc, const char* data, size_t size);
bool Crc32cHardwareAvailable();
}  // namespace internal

}  // namespace careledger::blockstore

#endif  // CARELEDGER_COMMON_BLOCKSTORE_CRC32C_H_
