// A committed block read as the client-facing event services see it: its transactions' IDs, header types,
// validation codes and chaincode events. ChaincodeEvents streams the events of the VALID ones; DeliverFiltered
// sends all of them as a FilteredBlock.
//
// Blocks come from this peer's ledger, so they were validated and committed here; but a transaction the
// committer marked invalid may be any bytes at all. Reading is therefore lenient, as Fabric's is
// (core/peer/deliverevents.go toFilteredBlock, internal/pkg/gateway/event): an entry that is not an envelope
// with a payload and a channel header is skipped, an endorser transaction whose actions do not parse has no
// events, and a missing or short TRANSACTIONS_FILTER reads as INVALID_OTHER_REASON. Nothing here fails.
//
// Pure functions; thread-safe.
#ifndef CARELEDGER_PEER_GATEWAY_BLOCK_TRANSACTIONS_H_
#define CARELEDGER_PEER_GATEWAY_BLOCK_TRANSACTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/common.pb.h"
#include "peer/chaincode_event.pb.h"
#include "peer/events.pb.h"
#include "peer/transaction.pb.h"

namespace careledger::gateway {

struct BlockTransaction {
  std::string channel_id;
  std::string tx_id;
  int32_t type = 0;  // ChannelHeader.type: an int32 from the block, not necessarily a known HeaderType
  ::protos::TxValidationCode code = ::protos::INVALID_OTHER_REASON;
  // For endorser transactions, the event of each action that set one, in action order, as the chaincode
  // emitted it (Fabric keeps only events with a chaincode ID, an event name and a transaction ID).
  std::vector<::protos::ChaincodeEvent> events;
};

// The readable transactions of `block`, in block order.
std::vector<BlockTransaction> ReadBlockTransactions(const ::common::Block& block);

// Fabric's filtered block (peer.DeliverFiltered): channel ID, number, and for each readable transaction its ID,
// type and validation code, with, for endorser transactions, each chaincode event without its payload.
::protos::FilteredBlock ToFilteredBlock(const ::common::Block& block);

}  // namespace careledger::gateway

#endif  // CARELEDGER_PEER_GATEWAY_BLOCK_TRANSACTIONS_H_
