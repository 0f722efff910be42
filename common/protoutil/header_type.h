// Naming HeaderType values in error messages. Internal to protoutil.
#ifndef CARELEDGER_COMMON_PROTOUTIL_HEADER_TYPE_H_
#define CARELEDGER_COMMON_PROTOUTIL_HEADER_TYPE_H_

#include <cstdint>
#include <string>

namespace careledger::protoutil {

// "ENDORSER_TRANSACTION (3)" for a known type, "unknown (42)" otherwise: ChannelHeader.type is an int32 that
// arrives from the network and need not be a value of the enum.
std::string HeaderTypeLabel(int32_t header_type);

}  // namespace careledger::protoutil

#endif  // CARELEDGER_COMMON_PROTOUTIL_HEADER_TYPE_H_
