// A channel configuration as an operator reads it: what `careledger channel inspect` prints.
#ifndef CARELEDGER_NETWORK_GENESIS_CHANNEL_SUMMARY_H_
#define CARELEDGER_NETWORK_GENESIS_CHANNEL_SUMMARY_H_

#include <string>

#include "common/channelconfig/channel_config.h"

namespace careledger::network {

// Several lines: the channel ID and config sequence, capabilities, application organisations (MSP ID, root
// and intermediate CA subjects, anchor peers), orderer organisations (MSP ID, endpoints), the consenters
// (ID, MSP ID, host:port, TLS certificate subject and expiry), the batch settings, the Raft options, the
// ACLs if any, and every policy by path with its rule ("Signature OR('Hospital1MSP.admin')",
// "ImplicitMeta MAJORITY Admins"). Pure; never fails: anything it cannot decode is printed as such.
std::string DescribeChannelConfig(const channelconfig::ChannelConfig& config);

}  // namespace careledger::network

#endif  // CARELEDGER_NETWORK_GENESIS_CHANNEL_SUMMARY_H_
