// The healthcare chaincode's events, read out of a channel's blocks: what `careledger audit report` reports
// on. Every write of the `healthcare` chaincode emits exactly one event whose JSON payload is the full entry it
// wrote (docs/healthcare-chaincode.md, "Events"), so the VALID transactions' events are the complete history of
// registrations, guardians, consents, emergency accesses, record versions and accesses. Invalid transactions
// changed nothing and are skipped, as are other chaincodes' transactions and config transactions.
//
// Pure functions over blocks (no I/O besides the BlockSource given); thread-safe.
#ifndef CARELEDGER_NETWORK_AUDIT_AUDIT_EVENTS_H_
#define CARELEDGER_NETWORK_AUDIT_AUDIT_EVENTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/common.pb.h"
#include "network/audit/block_source.h"

namespace careledger::audit {

inline constexpr char kHealthcareChaincode[] = "healthcare";

// One event of a VALID transaction, where and when it was committed.
struct ChainEvent {
  uint64_t block_number = 0;
  uint32_t tx_index = 0;  // position in the block's data
  std::string tx_id;
  std::string channel_id;
  absl::Time timestamp;  // the transaction's (its channel header's), the time the chaincode used
  std::string chaincode;
  std::string name;     // "ConsentGranted"
  std::string payload;  // as emitted: JSON for the healthcare chaincode
};

// The events of `chaincode` emitted by `block`'s VALID endorser transactions, in block order. Errors, naming
// the block (and transaction): FailedPrecondition if the block carries no validation codes (an orderer's copy
// of the chain: which transactions counted is unknown); InvalidArgument if a transaction recorded VALID does
// not parse as an endorser transaction, or its event does not parse.
absl::StatusOr<std::vector<ChainEvent>> EventsOfBlock(const ::common::Block& block, std::string_view chaincode);

// EventsOfBlock over every block of `source`, in chain order. The source's errors (DataLoss included) are
// returned as they are, annotated with the block number: a report is only as good as the chain it reads, and
// `audit verify` is the tool to say what is wrong with it.
absl::StatusOr<std::vector<ChainEvent>> CollectEvents(BlockSource& source, std::string_view chaincode);

}  // namespace careledger::audit

#endif  // CARELEDGER_NETWORK_AUDIT_AUDIT_EVENTS_H_
