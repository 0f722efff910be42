// The peer network under crashes: real careledger-peer and careledger-orderer processes on 127.0.0.1
// (PeerNetwork) killed with SIGKILL while clients submit transactions through the Gateway (PutLoad).
//
// What must hold whatever crashes, as long as a majority of orderers survives:
//   - every transaction the ordering service acknowledged commits VALID (none is lost);
//   - the network keeps committing: the clients' transactions commit again within the test's bounds;
//   - a restarted node catches up, and every peer then holds the same blocks with the same validation codes
//     and commit hashes (the same state), byte for byte.
#include <cstdint>
#include <iostream>
#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "network/client/gateway_client.h"
#include "tests/peer/peer_network.h"
#include "tests/peer/peer_network_test.h"
#include "tests/peer/put_load.h"

namespace careledger::testing {
namespace {

// Transactions to commit VALID between two steps of a scenario: a few blocks' worth at 500 ms batches.
constexpr int64_t kStep = 40;
constexpr int kWorkersPerClient = 8;

using PeerFaultTest = PeerNetworkTest;

// Every acknowledged transaction of `load` (stopped) committed VALID; returns how many there were, and
// prints how many were refused before the ordering service acknowledged them (while a node was down).
int64_t ExpectEveryAcknowledgedTransactionValid(const PutLoad& load) {
  int64_t acknowledged = 0;
  int64_t refused = 0;
  for (const PutLoad::Transaction& tx : load.transactions()) {
    if (!tx.acknowledged()) {
      ++refused;
      continue;
    }
    ++acknowledged;
    if (!tx.commit.ok()) {
      ADD_FAILURE() << "transaction " << tx.tx_id << " (key " << tx.key << ", via " << tx.gateway
                    << ") was acknowledged but never committed: " << tx.commit.status();
    } else {
      EXPECT_EQ(tx.commit->code, ::protos::VALID) << tx.tx_id << " committed in block " << tx.commit->block_number;
    }
  }
  std::cout << acknowledged << " transactions acknowledged, " << refused << " refused before ordering\n";
  return acknowledged;
}

// Hospital2's peer is SIGKILLed while Hospital1's clients keep submitting (the chaincode needs either
// hospital's endorsement, so the load goes on without it). Restarted with its data folder as the crash left
// it, it recovers its ledger, pulls the blocks it missed from the orderers and serves every committed key.
TEST_F(PeerFaultTest, PeerKilledMidLoadRecoversAndCatchesUp) {
  ASSERT_TRUE(net_->Up().ok());
  absl::Status defined = net_->DefineChaincode("bench", "builtin:bench", "OR('Hospital1MSP.peer','Hospital2MSP.peer')");
  ASSERT_TRUE(defined.ok()) << defined;
  absl::StatusOr<client::GatewayClient> alice = net_->GatewayClientFor(PeerNetwork::kHospital1, "Hospital1", "dr.alice");
  ASSERT_TRUE(alice.ok()) << alice.status();

  PutLoad load(net_->channel(), {&*alice}, kWorkersPerClient);
  load.Start();
  ASSERT_TRUE(load.WaitForValid(kStep, kNetworkTimeout).ok());
  ASSERT_TRUE(net_->Kill(PeerNetwork::kHospital2).ok());
  absl::Status without = load.WaitForValid(load.valid() + kStep, kNetworkTimeout);
  EXPECT_TRUE(without.ok()) << "while Hospital2's peer was down: " << without;
  absl::Status restarted = net_->Start(PeerNetwork::kHospital2);
  ASSERT_TRUE(restarted.ok()) << restarted;
  absl::Status after = load.WaitForValid(load.valid() + kStep, kNetworkTimeout);
  EXPECT_TRUE(after.ok()) << "after Hospital2's peer restarted: " << after;
  load.Stop();

  EXPECT_GE(ExpectEveryAcknowledgedTransactionValid(load), 3 * kStep);
  absl::StatusOr<uint64_t> height = net_->Height(PeerNetwork::kHospital1, net_->channel());
  ASSERT_TRUE(height.ok()) << height.status();
  ExpectIdenticalLedgers(*height);

  // The restarted peer's world state, not only its blocks: it answers every committed key.
  absl::StatusOr<client::GatewayClient> carol = net_->GatewayClientFor(PeerNetwork::kHospital2, "Hospital2", "dr.carol");
  ASSERT_TRUE(carol.ok()) << carol.status();
  for (const PutLoad::Transaction& tx : load.transactions()) {
    if (!tx.acknowledged()) continue;
    absl::StatusOr<std::string> value = carol->Evaluate(net_->channel(), "bench", {"get", tx.key});
    ASSERT_TRUE(value.ok()) << tx.key << ": " << value.status();
    EXPECT_EQ(*value, tx.value) << tx.key;
  }
}

// The channel's Raft leader is SIGKILLed while clients of both hospitals submit through their peers'
// gateways (the chaincode needs both hospitals' endorsements). The two surviving orderers elect a new leader,
// the gateways submit to them and the peers pull blocks from them; no acknowledged transaction is lost. The
// old leader, restarted, catches up as a follower.
TEST_F(PeerFaultTest, OrdererLeaderKilledWhileClientsSubmit) {
  ASSERT_TRUE(net_->Up().ok());
  absl::Status defined = net_->DefineChaincode("bench", "builtin:bench", "AND('Hospital1MSP.peer','Hospital2MSP.peer')");
  ASSERT_TRUE(defined.ok()) << defined;
  absl::StatusOr<client::GatewayClient> alice = net_->GatewayClientFor(PeerNetwork::kHospital1, "Hospital1", "dr.alice");
  ASSERT_TRUE(alice.ok()) << alice.status();
  absl::StatusOr<client::GatewayClient> carol = net_->GatewayClientFor(PeerNetwork::kHospital2, "Hospital2", "dr.carol");
  ASSERT_TRUE(carol.ok()) << carol.status();

  PutLoad load(net_->channel(), {&*alice, &*carol}, kWorkersPerClient / 2);
  load.Start();
  ASSERT_TRUE(load.WaitForValid(kStep, kNetworkTimeout).ok());
  absl::StatusOr<int> leader = net_->orderers().WaitForLeader(net_->channel(), kNetworkTimeout);
  ASSERT_TRUE(leader.ok()) << leader.status();
  ASSERT_TRUE(net_->orderers().Kill(*leader).ok());
  absl::Status without = load.WaitForValid(load.valid() + kStep, kNetworkTimeout);
  EXPECT_TRUE(without.ok()) << "after the leader, orderer " << *leader << ", was killed: " << without;
  absl::StatusOr<int> successor = net_->orderers().WaitForLeader(net_->channel(), kNetworkTimeout);
  ASSERT_TRUE(successor.ok()) << successor.status();
  EXPECT_NE(*successor, *leader);

  absl::Status restarted = net_->orderers().Start(*leader);
  ASSERT_TRUE(restarted.ok()) << restarted;
  absl::Status after = load.WaitForValid(load.valid() + kStep, kNetworkTimeout);
  EXPECT_TRUE(after.ok()) << "after orderer " << *leader << " restarted: " << after;
  load.Stop();

  EXPECT_GE(ExpectEveryAcknowledgedTransactionValid(load), 3 * kStep);
  absl::StatusOr<uint64_t> height = net_->Height(PeerNetwork::kHospital1, net_->channel());
  ASSERT_TRUE(height.ok()) << height.status();
  EXPECT_TRUE(net_->orderers().WaitForHeight(*leader, net_->channel(), *height, kNetworkTimeout).ok())
      << "the restarted orderer did not catch up to height " << *height;
  ExpectIdenticalLedgers(*height);
}

}  // namespace
}  // namespace careledger::testing
