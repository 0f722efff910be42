// Times as the vault writes them: RFC 3339 in UTC with "Z", fractional seconds only when there are some (the
// form the healthcare chaincode gives its times).
#ifndef CARELEDGER_PEER_VAULT_UTC_TIME_H_
#define CARELEDGER_PEER_VAULT_UTC_TIME_H_

#include <string>

#include "absl/time/time.h"

namespace careledger::vault {

inline std::string FormatUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

}  // namespace careledger::vault

#endif  // CARELEDGER_PEER_VAULT_UTC_TIME_H_
