// The healthcare chaincode's JSON results (docs/healthcare-chaincode.md) as the role commands print them:
// a few labelled lines for one object, an aligned table for a list. `--output json` prints the chaincode's JSON
// as it is instead (one line), for scripts.
//
// Every Format* function takes the chaincode's payload and returns text ending in a newline. A field the
// result lacks or holds as null shows as "-". InvalidArgument ("the chaincode's <what> is not ...") if the
// payload is not JSON of the expected shape (an object, or an array of objects): a result from another
// chaincode or version is reported, never guessed at.
//
// Pure functions; thread-safe.
#ifndef CARELEDGER_NETWORK_HEALTHCARE_RESULT_FORMAT_H_
#define CARELEDGER_NETWORK_HEALTHCARE_RESULT_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace careledger::healthcare {

enum class OutputFormat { kTable, kJson };

// "table" or "json"; InvalidArgument naming `text` otherwise.
absl::StatusOr<OutputFormat> ParseOutputFormat(std::string_view text);

// Columns padded to their widest cell, separated by two spaces, a header row first; no trailing spaces. A row
// shorter than the header is padded with empty cells.
std::string FormatTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// What a write prints after its own line: "transaction <tx_id> committed in block <n>".
std::string DescribeCommit(std::string_view tx_id, uint64_t block_number);

// One object each.
absl::StatusOr<std::string> FormatPatient(std::string_view json);          // RegisterPatient, GetPatient
absl::StatusOr<std::string> FormatConsent(std::string_view json);          // GrantConsent
absl::StatusOr<std::string> FormatRevocation(std::string_view json);       // RevokeConsent
absl::StatusOr<std::string> FormatGuardianEntry(std::string_view json);    // AddGuardian, RemoveGuardian
absl::StatusOr<std::string> FormatRecordVersion(std::string_view json);    // GetRecord
absl::StatusOr<std::string> FormatEmergencyAccess(std::string_view json);  // OpenEmergencyAccess

// Tables.
absl::StatusOr<std::string> FormatConsents(std::string_view json);           // ListConsents
absl::StatusOr<std::string> FormatRecordHistory(std::string_view json);      // RecordHistory
absl::StatusOr<std::string> FormatRecordList(std::string_view json);         // ListRecords
absl::StatusOr<std::string> FormatEmergencyAccesses(std::string_view json);  // ListEmergencyAccesses
// AccessLogByPatient and AccessLogByDoctor: whose log, then a table of accesses and one of emergency accesses.
absl::StatusOr<std::string> FormatAccessLog(std::string_view json);

}  // namespace careledger::healthcare

#endif  // CARELEDGER_NETWORK_HEALTHCARE_RESULT_FORMAT_H_
