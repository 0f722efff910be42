// Early-return helpers for absl::Status and absl::StatusOr<T>.
//
// Abseil 20220623 (Debian bookworm) ships no status macros; these are CareLedger's only ones. Use them at
// module boundaries to propagate errors unchanged:
//
//   RETURN_IF_ERROR(store.Append(block));
//   ASSIGN_OR_RETURN(Certificate cert, Certificate::FromPem(pem));
//
// To add context, return a new status instead: `return Annotate(status, "loading MSP Hospital1MSP");`
#ifndef CARELEDGER_COMMON_STATUS_MACROS_H_
#define CARELEDGER_COMMON_STATUS_MACROS_H_

#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace careledger {

// Returns `status` with `context` prepended to its message ("context: message"); the code is kept.
// An OK status stays OK.
inline absl::Status Annotate(const absl::Status& status, std::string_view context) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(AsAbsl(context), ": ", status.message()));
}

}  // namespace careledger

#define CARELEDGER_STATUS_CONCAT_INNER_(a, b) a##b
#define CARELEDGER_STATUS_CONCAT_(a, b) CARELEDGER_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the current function if it is not OK.
#define RETURN_IF_ERROR(expr)                                       \
  do {                                                              \
    const ::absl::Status careledger_status_ = (expr);               \
    if (!careledger_status_.ok()) return careledger_status_;        \
  } while (0)

// Evaluates `expr` (an absl::StatusOr<T>); returns its status if not OK, else moves the value into `lhs`,
// which may be a declaration ("auto x") or an existing variable.
#define ASSIGN_OR_RETURN(lhs, expr) \
  CARELEDGER_ASSIGN_OR_RETURN_IMPL_(CARELEDGER_STATUS_CONCAT_(careledger_statusor_, __LINE__), lhs, expr)

#define CARELEDGER_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                      \
  if (!statusor.ok()) return std::move(statusor).status();     \
  lhs = std::move(statusor).value()

#endif  // CARELEDGER_COMMON_STATUS_MACROS_H_
