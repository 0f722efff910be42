// Three careledger-orderer processes on 127.0.0.1 ordering one channel, driven through Broadcast and Deliver
// as Fabric's clients and peers drive them: one chain on every node, acknowledged envelopes never lost
// when the leader is killed or a node restarts, and refusals (unauthorised, malformed) that change nothing.
//
// Each test gets its own network (identities, data folders, ports), joined to the channel from one genesis
// block; TearDown checks that every orderer is still running, then stops each with SIGTERM and expects a
// clean exit.
#include <signal.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/protoutil/block.h"
#include "common/protoutil/block_hash.h"
#include "common/protoutil/envelope.h"
#include "common/status_macros.h"
#include "common/testing/temp_dir.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "msp/testing/test_org.h"
#include "tests/orderer/ab_client.h"
#include "tests/orderer/broadcast_load.h"
#include "tests/orderer/orderer_network.h"
#include "tests/testing/process.h"

namespace careledger::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kChannel[] = "healthchannel";
constexpr uint32_t kAbsoluteMaxBytes = 256 * 1024;
// Generous for a loaded CI machine running the sanitizer build; conditions end the waits early.
constexpr absl::Duration kTimeout = absl::Seconds(60);

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// The transaction IDs of every envelope in blocks 1.. (block 0 is the genesis config), in chain order.
std::vector<std::string> TxIdsIn(const std::vector<::common::Block>& blocks) {
  std::vector<std::string> ids;
  for (size_t n = 1; n < blocks.size(); ++n) {
    for (const std::string& data : blocks[n].data().data()) {
      ::common::Envelope envelope;
      ids.push_back(envelope.ParseFromString(data) ? TxIdOf(envelope) : std::string("<unparsable>"));
    }
  }
  return ids;
}

class OrdererConsensusIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OrdererNetworkOptions options;
    options.orderer_binary = CARELEDGER_ORDERER_BINARY;
    options.absolute_max_bytes = kAbsoluteMaxBytes;
    auto net = OrdererNetwork::Create(dir_.path(), options);
    ASSERT_TRUE(net.ok()) << net.status();
    net_ = *std::move(net);
    ASSERT_TRUE(net_->StartAll().ok()) << net_->LogTails();
    absl::StatusOr<::common::Block> genesis = net_->GenesisBlock(kChannel);
    ASSERT_TRUE(genesis.ok()) << genesis.status();
    ASSERT_TRUE(net_->JoinAll(*genesis).ok()) << net_->LogTails();
    absl::StatusOr<int> leader = net_->WaitForLeader(kChannel, kTimeout);
    ASSERT_TRUE(leader.ok()) << leader.status() << "\n" << net_->LogTails();

    auto alice = net_->LoadIdentity("Hospital1", network::IdentityKind::kUser, "dr.alice");
    ASSERT_TRUE(alice.ok()) << alice.status();
    alice_ = std::make_unique<msp::SigningIdentity>(*std::move(alice));
    for (int i = 0; i < net_->size(); ++i) {
      auto client = AbClient::Connect(net_->public_address(i), net_->tls_ca_file());
      ASSERT_TRUE(client.ok()) << client.status();
      clients_.push_back(*std::move(client));
      auto orderer = net_->LoadIdentity("Orderer", network::IdentityKind::kOrderer, absl::StrCat("orderer", i));
      ASSERT_TRUE(orderer.ok()) << orderer.status();
      orderer_identities_.push_back(*std::move(orderer));
    }
  }

  void TearDown() override {
    if (net_ == nullptr) return;
    // The clients go away first, as a node's clients do before an operator stops it: a connection still open
    // holds the orderer's graceful shutdown for its whole grace period.
    clients_.clear();
    std::vector<pid_t> pids;
    for (int i = 0; i < net_->size(); ++i) {
      const bool started = net_->orderer(i).process != nullptr;
      EXPECT_TRUE(started && net_->IsRunning(i))
          << net_->orderer(i).name << " is not running at the end of the test (exit code "
          << (started ? net_->orderer(i).process->exit_code().value_or(-1) : -1) << ")";
      pids.push_back(started && net_->IsRunning(i) ? net_->orderer(i).process->pid() : 0);
    }
    const std::vector<int> codes = net_->StopAll();
    for (int i = 0; i < net_->size(); ++i) {
      if (pids[static_cast<size_t>(i)] == 0) continue;
      EXPECT_EQ(codes[static_cast<size_t>(i)], 0) << net_->orderer(i).name << " must stop cleanly on SIGTERM";
      EXPECT_FALSE(net_->IsRunning(i)) << net_->orderer(i).name;
      EXPECT_NE(kill(pids[static_cast<size_t>(i)], 0), 0) << net_->orderer(i).name << " (pid "
                                                          << pids[static_cast<size_t>(i)] << ") is still there";
    }
    if (HasFailure()) std::cerr << net_->LogTails();
    net_.reset();
  }

  // A new client of orderer i, as clients of a restarted orderer have: an idle gRPC channel notices a
  // closed connection only when the next call fails on it.
  void Reconnect(int i) {
    auto client = AbClient::Connect(net_->public_address(i), net_->tls_ca_file());
    ASSERT_TRUE(client.ok()) << client.status();
    clients_[i] = *std::move(client);
  }

  absl::StatusOr<::common::Envelope> Tx(std::string_view data) { return MakeTransaction(*alice_, kChannel, data); }

  // `count` fresh envelopes from dr.alice, labelled `label`.
  std::vector<::common::Envelope> Txs(int count, const std::string& label) {
    std::vector<::common::Envelope> envelopes;
    for (int k = 0; k < count; ++k) {
      absl::StatusOr<::common::Envelope> envelope = Tx(absl::StrCat(label, " #", k));
      EXPECT_TRUE(envelope.ok()) << envelope.status();
      if (envelope.ok()) envelopes.push_back(*std::move(envelope));
    }
    return envelopes;
  }

  // Broadcasts `envelopes` on one stream to orderer i and expects SUCCESS for each; returns their tx IDs.
  std::vector<std::string> BroadcastExpectingSuccess(int i, const std::vector<::common::Envelope>& envelopes) {
    std::vector<std::string> ids;
    absl::StatusOr<std::vector<::orderer::BroadcastResponse>> answers = clients_[i]->Broadcast(envelopes, kTimeout);
    EXPECT_TRUE(answers.ok()) << answers.status();
    if (!answers.ok()) return ids;
    for (size_t k = 0; k < answers->size(); ++k) {
      EXPECT_EQ((*answers)[k].status(), ::common::SUCCESS)
          << "envelope " << k << " to " << net_->orderer(i).name << ": " << (*answers)[k].info();
      ids.push_back(TxIdOf(envelopes[k]));
    }
    return ids;
  }

  // Blocks 0..last as orderer i delivers them (waiting for blocks not written yet).
  absl::StatusOr<std::vector<::common::Block>> DeliverChain(int i, uint64_t last) {
    ASSIGN_OR_RETURN(::common::Envelope seek, MakeSeek(*alice_, kChannel, SeekOldestTo(last)));
    ASSIGN_OR_RETURN(Delivered delivered, clients_[i]->Deliver(seek, kTimeout));
    if (delivered.status != ::common::SUCCESS || delivered.blocks.size() != last + 1) {
      return absl::InternalError(absl::StrCat(net_->orderer(i).name, " delivered ", delivered.blocks.size(),
                                              " blocks and ", ::common::Status_Name(delivered.status),
                                              " for blocks 0..", last));
    }
    return std::move(delivered.blocks);
  }

  // The highest height any running orderer reports.
  uint64_t MaxHeight() {
    uint64_t height = 0;
    for (int i = 0; i < net_->size(); ++i) {
      if (!net_->IsRunning(i)) continue;
      absl::StatusOr<OrdererChannelState> state = net_->ChannelState(i, kChannel);
      EXPECT_TRUE(state.ok()) << state.status();
      if (state.ok()) height = std::max(height, state->height);
    }
    return height;
  }

  // Checks that `blocks` form a chain: numbers 0.., each header's data hash over its data, each previous hash
  // the header hash of the block before, and every block after the genesis block signed by a consenter.
  ::testing::AssertionResult IsValidChain(const std::vector<::common::Block>& blocks) {
    for (size_t n = 0; n < blocks.size(); ++n) {
      const ::common::Block& block = blocks[n];
      if (block.header().number() != n) {
        return ::testing::AssertionFailure() << "block " << n << " is numbered " << block.header().number();
      }
      if (block.header().data_hash() != protoutil::BlockDataHash(block.data())) {
        return ::testing::AssertionFailure() << "block " << n << ": data hash does not match its data";
      }
      if (n == 0) continue;
      if (block.header().previous_hash() != protoutil::BlockHeaderHash(blocks[n - 1].header())) {
        return ::testing::AssertionFailure() << "block " << n << ": previous hash is not block " << n - 1 << "'s";
      }
      absl::StatusOr<std::vector<protoutil::BlockSignature>> signatures = protoutil::BlockSignatures(block);
      if (!signatures.ok() || signatures->size() != 1) {
        return ::testing::AssertionFailure() << "block " << n << ": not one orderer signature";
      }
      const protoutil::BlockSignature& signature = signatures->front();
      bool verified = false;
      for (const msp::SigningIdentity& orderer : orderer_identities_) {
        verified = verified || (signature.identity == orderer.SerializedIdentity() &&
                                orderer.certificate().public_key().Verify(signature.data, signature.signature).ok());
      }
      if (!verified) return ::testing::AssertionFailure() << "block " << n << ": not signed by a consenter";
    }
    return ::testing::AssertionSuccess();
  }

  // Checks that orderers `nodes` deliver the same blocks 0..height-1, byte for byte, forming a valid chain;
  // returns that chain.
  std::vector<::common::Block> ExpectSameChain(const std::vector<int>& nodes, uint64_t height) {
    std::vector<::common::Block> reference;
    for (size_t k = 0; k < nodes.size(); ++k) {
      const int i = nodes[k];
      absl::StatusOr<std::vector<::common::Block>> chain = DeliverChain(i, height - 1);
      EXPECT_TRUE(chain.ok()) << chain.status();
      if (!chain.ok()) return {};
      if (k == 0) {
        EXPECT_TRUE(IsValidChain(*chain)) << net_->orderer(i).name;
        reference = *std::move(chain);
        continue;
      }
      for (uint64_t n = 0; n < height; ++n) {
        const ::common::Block& mine = (*chain)[n];
        const ::common::Block& theirs = reference[n];
        EXPECT_EQ(Hex(protoutil::BlockHeaderHash(mine.header())), Hex(protoutil::BlockHeaderHash(theirs.header())))
            << "block " << n << " of " << net_->orderer(i).name << " and " << net_->orderer(nodes[0]).name;
        EXPECT_TRUE(mine.SerializeAsString() == theirs.SerializeAsString())
            << "block " << n << " of " << net_->orderer(i).name << " differs from "
            << net_->orderer(nodes[0]).name << "'s";
      }
    }
    return reference;
  }

  std::vector<int> AllNodes() const {
    std::vector<int> nodes(static_cast<size_t>(net_->size()));
    for (int i = 0; i < net_->size(); ++i) nodes[static_cast<size_t>(i)] = i;
    return nodes;
  }

  ScopedTempDir dir_;
  std::unique_ptr<OrdererNetwork> net_;
  std::unique_ptr<msp::SigningIdentity> alice_;
  std::vector<msp::SigningIdentity> orderer_identities_;
  std::vector<std::unique_ptr<AbClient>> clients_;
};

TEST_F(OrdererConsensusIntegrationTest, EveryNodeDeliversTheSameChainOfEnvelopesBroadcastToAnyNode) {
  constexpr int kPerNode = 100;
  const int n = net_->size();
  std::vector<std::vector<::common::Envelope>> envelopes;
  for (int i = 0; i < n; ++i) envelopes.push_back(Txs(kPerNode, absl::StrCat("to orderer", i)));
  // Three clients at once, each pipelining its envelopes on one stream to its own orderer.
  std::vector<absl::StatusOr<std::vector<::orderer::BroadcastResponse>>> answers(
      static_cast<size_t>(n), absl::UnknownError("not run"));
  {
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] { answers[static_cast<size_t>(i)] = clients_[i]->Broadcast(envelopes[i], kTimeout); });
    }
    for (std::thread& t : threads) t.join();
  }
  std::multiset<std::string> acknowledged;
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(answers[i].ok()) << answers[i].status();
    ASSERT_EQ(answers[i]->size(), static_cast<size_t>(kPerNode));
    for (int k = 0; k < kPerNode; ++k) {
      ASSERT_EQ((*answers[i])[k].status(), ::common::SUCCESS) << "orderer" << i << " #" << k << ": "
                                                               << (*answers[i])[k].info();
      acknowledged.insert(TxIdOf(envelopes[i][k]));
    }
  }
  ASSERT_EQ(acknowledged.size(), static_cast<size_t>(n * kPerNode));

  // Every answer came after the majority commit: the leader already holds every block; the others deliver
  // up to the same height once they have applied it.
  const uint64_t height = MaxHeight();
  ASSERT_GE(height, 2u);
  const std::vector<::common::Block> chain = ExpectSameChain(AllNodes(), height);
  ASSERT_EQ(chain.size(), height);

  // Each acknowledged envelope exactly once, and nothing else.
  const std::vector<std::string> ordered = TxIdsIn(chain);
  EXPECT_EQ(std::multiset<std::string>(ordered.begin(), ordered.end()), acknowledged);
  EXPECT_EQ(ordered.size(), acknowledged.size());

  // A seek whose stop is a block not cut yet waits for it (BLOCK_UNTIL_READY): a new envelope completes it.
  absl::StatusOr<::common::Envelope> seek = MakeSeek(*alice_, kChannel, SeekRange(height - 1, height));
  ASSERT_TRUE(seek.ok());
  absl::StatusOr<Delivered> waiting = absl::UnknownError("not run");
  std::thread deliver([&] { waiting = clients_[2]->Deliver(*seek, kTimeout); });
  BroadcastExpectingSuccess(0, Txs(1, "the last one"));
  deliver.join();
  ASSERT_TRUE(waiting.ok()) << waiting.status();
  EXPECT_EQ(waiting->status, ::common::SUCCESS);
  ASSERT_EQ(waiting->blocks.size(), 2u);
  EXPECT_EQ(waiting->blocks[1].header().number(), height);
  EXPECT_EQ(waiting->blocks[1].header().previous_hash(), protoutil::BlockHeaderHash(chain.back().header()));
}

TEST_F(OrdererConsensusIntegrationTest, AcknowledgedEnvelopesSurviveTheLeaderBeingKilledMidStream) {
  const int n = net_->size();
  absl::StatusOr<int> leader = net_->WaitForLeader(kChannel, kTimeout);
  ASSERT_TRUE(leader.ok()) << leader.status();

  // One paced, pipelined client per orderer, the leader's included.
  std::vector<std::unique_ptr<BroadcastLoad>> loads;
  for (int i = 0; i < n; ++i) {
    BroadcastLoadOptions options;
    options.channel = kChannel;
    options.label = absl::StrCat("load to orderer", i);
    options.max_envelopes = 150;
    options.window = 8;
    options.interval = absl::Milliseconds(2);
    loads.push_back(std::make_unique<BroadcastLoad>(clients_[i].get(), alice_.get(), options));
    loads.back()->Start();
  }
  ASSERT_TRUE(WaitUntil(
      [&] {
        return std::all_of(loads.begin(), loads.end(), [](const auto& load) { return load->succeeded() >= 15; });
      },
      kTimeout))
      << "the envelopes did not flow before the kill";

  // The leader dies with envelopes in flight (checked below, once the outcomes are known).
  const absl::Time killed_at = absl::Now();
  absl::StatusOr<int> killed = net_->Kill(*leader);
  ASSERT_TRUE(killed.ok()) << killed.status();
  EXPECT_EQ(*killed, 128 + SIGKILL);
  std::vector<int> survivors;
  for (int i = 0; i < n; ++i) {
    if (i != *leader) survivors.push_back(i);
  }

  // A new leader among the survivors takes over: the survivors' clients get SUCCESS again.
  absl::StatusOr<int> new_leader = net_->WaitForLeader(kChannel, kTimeout);
  ASSERT_TRUE(new_leader.ok()) << new_leader.status();
  EXPECT_NE(*new_leader, *leader);
  const bool resumed = WaitUntil(
      [&] {
        return std::all_of(survivors.begin(), survivors.end(),
                           [&](int i) { return loads[i]->SucceededSince(killed_at) >= 10; });
      },
      kTimeout);
  std::map<int, std::vector<EnvelopeOutcome>> outcomes;
  for (int i = 0; i < n; ++i) {
    outcomes[i] = loads[i]->Finish(absl::Seconds(30));
    EXPECT_TRUE(loads[i]->error().ok()) << loads[i]->error();
  }
  ASSERT_TRUE(resumed) << "no envelope was acknowledged after the leader was killed";

  // The survivors' chain: every acknowledged envelope exactly once, none twice, nothing we did not send.
  const uint64_t height = MaxHeight();
  const std::vector<::common::Block> chain = ExpectSameChain(survivors, height);
  ASSERT_EQ(chain.size(), height);
  std::map<std::string, int> in_chain;
  for (const std::string& id : TxIdsIn(chain)) ++in_chain[id];
  size_t acknowledged = 0;
  std::set<std::string> sent;
  for (const auto& [i, list] : outcomes) {
    for (const EnvelopeOutcome& o : list) {
      sent.insert(o.tx_id);
      const int copies = in_chain.count(o.tx_id) == 0 ? 0 : in_chain[o.tx_id];
      if (o.answered && o.status == ::common::SUCCESS) {
        ++acknowledged;
        EXPECT_EQ(copies, 1) << "acknowledged envelope " << o.tx_id << " (to orderer" << i << ")";
      } else {
        EXPECT_LE(copies, 1) << "envelope " << o.tx_id << " (to orderer" << i << ", "
                             << (o.answered ? ::common::Status_Name(o.status) : "unanswered") << ")";
      }
    }
  }
  for (const auto& [id, copies] : in_chain) EXPECT_EQ(sent.count(id), 1u) << "a block holds " << id;
  EXPECT_GE(acknowledged, static_cast<size_t>(3 * 15 + 2 * 10));
  // The premise: the kill caught envelopes between their write and their answer.
  size_t in_flight_at_kill = 0;
  for (const auto& [i, list] : outcomes) {
    for (const EnvelopeOutcome& o : list) {
      if (o.written_at < killed_at && (!o.answered || o.answered_at >= killed_at)) ++in_flight_at_kill;
    }
  }
  EXPECT_GT(in_flight_at_kill, 0u);

  // The killed node restarts from its data folder, catches up and serves the same chain.
  ASSERT_TRUE(net_->Start(*leader).ok()) << net_->LogTails();
  Reconnect(*leader);
  ASSERT_TRUE(net_->WaitForHeight(*leader, kChannel, height, kTimeout).ok());
  ExpectSameChain({survivors[0], *leader}, height);
  // And orders again: through it, and through the others, every node ends on one chain.
  std::vector<std::string> after;
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> ids = BroadcastExpectingSuccess(i, Txs(5, absl::StrCat("after restart to orderer", i)));
    after.insert(after.end(), ids.begin(), ids.end());
  }
  const uint64_t final_height = MaxHeight();
  const std::vector<::common::Block> final_chain = ExpectSameChain(AllNodes(), final_height);
  const std::vector<std::string> final_ids = TxIdsIn(final_chain);
  for (const std::string& id : after) EXPECT_EQ(std::count(final_ids.begin(), final_ids.end(), id), 1) << id;
}

TEST_F(OrdererConsensusIntegrationTest, NodesStoppedAndRestartedFromTheirDataResume) {
  const int n = net_->size();
  for (int i = 0; i < n; ++i) BroadcastExpectingSuccess(i, Txs(20, absl::StrCat("before to orderer", i)));
  const uint64_t h1 = MaxHeight();
  const std::vector<::common::Block> before = ExpectSameChain(AllNodes(), h1);
  ASSERT_EQ(before.size(), h1);

  // A follower stops gracefully; the other two keep ordering.
  absl::StatusOr<int> leader = net_->WaitForLeader(kChannel, kTimeout);
  ASSERT_TRUE(leader.ok()) << leader.status();
  const int follower = (*leader + 1) % n;
  const int other = (*leader + 2) % n;
  absl::StatusOr<int> stopped = net_->Stop(follower);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(*stopped, 0);
  BroadcastExpectingSuccess(*leader, Txs(15, "while one is down, to the leader"));
  BroadcastExpectingSuccess(other, Txs(15, "while one is down, to the other follower"));
  const uint64_t h2 = MaxHeight();
  ASSERT_GT(h2, h1);

  // It restarts with the blocks it had, then catches up with what was ordered without it.
  ASSERT_TRUE(net_->Start(follower).ok()) << net_->LogTails();
  Reconnect(follower);
  absl::StatusOr<std::vector<::common::Block>> kept = DeliverChain(follower, h1 - 1);
  ASSERT_TRUE(kept.ok()) << kept.status();
  for (uint64_t b = 0; b < h1; ++b) {
    EXPECT_TRUE((*kept)[b].SerializeAsString() == before[b].SerializeAsString()) << "block " << b;
  }
  ASSERT_TRUE(net_->WaitForHeight(follower, kChannel, h2, kTimeout).ok());
  ExpectSameChain(AllNodes(), h2);
  BroadcastExpectingSuccess(follower, Txs(10, "to the restarted follower"));

  // The whole cluster stops and restarts: same height, same blocks, a leader again, ordering again.
  const uint64_t h3 = MaxHeight();
  const std::vector<::common::Block> before_restart = ExpectSameChain(AllNodes(), h3);
  const std::vector<int> codes = net_->StopAll();
  for (int i = 0; i < n; ++i) EXPECT_EQ(codes[static_cast<size_t>(i)], 0) << net_->orderer(i).name;
  ASSERT_TRUE(net_->StartAll().ok()) << net_->LogTails();
  for (int i = 0; i < n; ++i) Reconnect(i);
  for (int i = 0; i < n; ++i) {
    absl::StatusOr<OrdererChannelState> state = net_->ChannelState(i, kChannel);
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_EQ(state->height, h3) << net_->orderer(i).name << " after the restart";
  }
  const std::vector<::common::Block> after_restart = ExpectSameChain(AllNodes(), h3);
  ASSERT_EQ(after_restart.size(), before_restart.size());
  for (uint64_t b = 0; b < h3; ++b) {
    EXPECT_TRUE(after_restart[b].SerializeAsString() == before_restart[b].SerializeAsString()) << "block " << b;
  }
  ASSERT_TRUE(net_->WaitForLeader(kChannel, kTimeout).ok());
  std::vector<std::string> resumed;
  for (int i = 0; i < n; ++i) {
    std::vector<std::string> ids = BroadcastExpectingSuccess(i, Txs(5, absl::StrCat("after full restart ", i)));
    resumed.insert(resumed.end(), ids.begin(), ids.end());
  }
  const uint64_t h4 = MaxHeight();
  ASSERT_GT(h4, h3);
  const std::vector<std::string> ids = TxIdsIn(ExpectSameChain(AllNodes(), h4));
  EXPECT_EQ(ids.size(), static_cast<size_t>(3 * 20 + 2 * 15 + 10 + 3 * 5));
  for (const std::string& id : resumed) EXPECT_EQ(std::count(ids.begin(), ids.end(), id), 1) << id;
}

TEST_F(OrdererConsensusIntegrationTest, UnauthorisedRequestsAreForbiddenAndChangeNothing) {
  // A client of an organisation the channel does not know, one claiming Hospital1MSP with a certificate of
  // another CA, and two valid identities of Hospital1MSP that the channel's policies leave out: its peer
  // (a Reader but not a Writer: Writers are admins and clients) and an identity with the orderer node OU
  // (neither: Readers are admins, peers and clients; only OrdererMSP's members are orderers' Readers).
  const msp::testing::TestOrg intruders("IntruderMSP");
  const msp::SigningIdentity intruder = intruders.Issue("mallory", msp::NodeRole::kClient);
  const msp::testing::TestOrg impostors("Hospital1MSP");
  const msp::SigningIdentity impostor = impostors.Issue("dr.eve", msp::NodeRole::kClient);
  auto peer = net_->LoadIdentity("Hospital1", network::IdentityKind::kPeer, "peer0");
  ASSERT_TRUE(peer.ok()) << peer.status();
  network::IdentityRequest odd_request;
  odd_request.name = "not.a.reader";
  odd_request.node_ou = msp::NodeRole::kOrderer;
  auto odd = net_->IssueIdentity("Hospital1", odd_request);
  ASSERT_TRUE(odd.ok()) << odd.status();

  struct Refusal {
    std::string what;
    ::common::Envelope envelope;
    ::common::Status status;
    std::string info;
  };
  std::vector<Refusal> refusals;
  const auto add = [&](std::string what, absl::StatusOr<::common::Envelope> envelope, ::common::Status status,
                       std::string info) {
    ASSERT_TRUE(envelope.ok()) << envelope.status();
    refusals.push_back({std::move(what), *std::move(envelope), status, std::move(info)});
  };
  add("unknown MSP", MakeTransaction(intruder, kChannel, "x"), ::common::FORBIDDEN, "not a valid identity");
  add("foreign CA", MakeTransaction(impostor, kChannel, "x"), ::common::FORBIDDEN, "not a valid identity");
  add("peer, not a writer", MakeTransaction(*peer, kChannel, "x"), ::common::FORBIDDEN,
      "does not satisfy /Channel/Writers");
  add("orderer OU, not a writer", MakeTransaction(*odd, kChannel, "x"), ::common::FORBIDDEN,
      "does not satisfy /Channel/Writers");
  absl::StatusOr<::common::Envelope> tampered = Tx("x");
  ASSERT_TRUE(tampered.ok());
  std::string* signature = tampered->mutable_signature();
  (*signature)[signature->size() / 2] = static_cast<char>((*signature)[signature->size() / 2] ^ 0x01);
  add("bad signature", tampered, ::common::FORBIDDEN, "signature is not valid");
  absl::StatusOr<::common::Envelope> resigned = Tx("x");  // signed over other bytes than it carries
  ASSERT_TRUE(resigned.ok());
  resigned->set_signature(*alice_->Sign("something else"));
  add("signature over other bytes", resigned, ::common::FORBIDDEN, "signature is not valid");
  add("unknown channel", MakeTransaction(*alice_, "nosuchchannel", "x"), ::common::NOT_FOUND, "not served");

  // Each refusal on its own stream, spread over the three nodes; then all of them again on one stream.
  std::vector<::common::Envelope> all;
  for (size_t k = 0; k < refusals.size(); ++k) {
    const Refusal& r = refusals[k];
    all.push_back(r.envelope);
    const int node = static_cast<int>(k % static_cast<size_t>(net_->size()));
    absl::StatusOr<::orderer::BroadcastResponse> answer = clients_[node]->BroadcastOne(r.envelope, kTimeout);
    ASSERT_TRUE(answer.ok()) << r.what << ": " << answer.status();
    EXPECT_EQ(answer->status(), r.status) << r.what << ": " << answer->info();
    EXPECT_THAT(answer->info(), HasSubstr(r.info)) << r.what;
  }
  absl::StatusOr<std::vector<::orderer::BroadcastResponse>> answers = clients_[0]->Broadcast(all, kTimeout);
  ASSERT_TRUE(answers.ok()) << answers.status();
  for (size_t k = 0; k < refusals.size(); ++k) {
    EXPECT_EQ((*answers)[k].status(), refusals[k].status) << refusals[k].what;
  }

  // Deliver: Readers only. The peer reads; the others are refused, before any block is sent.
  struct DeliverCase {
    std::string what;
    absl::StatusOr<::common::Envelope> seek;
    ::common::Status status;
  };
  absl::StatusOr<::common::Envelope> tampered_seek = MakeSeek(*alice_, kChannel, SeekOldestTo(0));
  ASSERT_TRUE(tampered_seek.ok());
  tampered_seek->mutable_signature()->back() ^= 0x01;
  std::vector<DeliverCase> cases;
  cases.push_back({"unknown MSP", MakeSeek(intruder, kChannel, SeekOldestTo(0)), ::common::FORBIDDEN});
  cases.push_back({"foreign CA", MakeSeek(impostor, kChannel, SeekOldestTo(0)), ::common::FORBIDDEN});
  cases.push_back({"orderer OU, not a reader", MakeSeek(*odd, kChannel, SeekOldestTo(0)), ::common::FORBIDDEN});
  cases.push_back({"bad signature", tampered_seek, ::common::FORBIDDEN});
  cases.push_back({"unknown channel", MakeSeek(*alice_, "nosuchchannel", SeekOldestTo(0)), ::common::NOT_FOUND});
  cases.push_back({"the peer, a reader", MakeSeek(*peer, kChannel, SeekOldestTo(0)), ::common::SUCCESS});
  for (size_t k = 0; k < cases.size(); ++k) {
    ASSERT_TRUE(cases[k].seek.ok()) << cases[k].what << ": " << cases[k].seek.status();
    const int node = static_cast<int>(k % static_cast<size_t>(net_->size()));
    absl::StatusOr<Delivered> delivered = clients_[node]->Deliver(*cases[k].seek, kTimeout);
    ASSERT_TRUE(delivered.ok()) << cases[k].what << ": " << delivered.status();
    EXPECT_EQ(delivered->status, cases[k].status) << cases[k].what;
    EXPECT_EQ(delivered->blocks.size(), cases[k].status == ::common::SUCCESS ? 1u : 0u) << cases[k].what;
  }

  // Nothing was ordered: the chain is still the genesis block alone, and the next block holds exactly the
  // next valid envelope.
  for (int i = 0; i < net_->size(); ++i) {
    absl::StatusOr<OrdererChannelState> state = net_->ChannelState(i, kChannel);
    ASSERT_TRUE(state.ok()) << state.status();
    EXPECT_EQ(state->height, 1u) << net_->orderer(i).name;
  }
  const std::vector<std::string> valid = BroadcastExpectingSuccess(1, Txs(1, "valid"));
  const uint64_t height = MaxHeight();
  EXPECT_EQ(height, 2u);
  EXPECT_EQ(TxIdsIn(ExpectSameChain(AllNodes(), height)), valid);
}

TEST_F(OrdererConsensusIntegrationTest, MalformedEnvelopesAreRefusedAndOrderingGoesOn) {
  std::mt19937_64 random(42);
  const auto random_bytes = [&](size_t n) {
    std::string bytes(n, '\0');
    for (char& c : bytes) c = static_cast<char>(random() & 0xff);
    return bytes;
  };
  // Signed by dr.alice, so that only the structure is wrong.
  const auto signed_payload = [&](std::string payload) {
    ::common::Envelope envelope;
    envelope.set_payload(std::move(payload));
    envelope.set_signature(*alice_->Sign(envelope.payload()));
    return envelope;
  };
  ::common::Payload headerless;
  headerless.set_data("a payload without a header");
  ::common::Payload garbled_header;
  garbled_header.mutable_header()->set_channel_header(random_bytes(64));
  garbled_header.mutable_header()->set_signature_header(random_bytes(64));

  struct Malformed {
    std::string what;
    ::common::Envelope envelope;
    ::common::Status status;
  };
  std::vector<Malformed> malformed;
  const auto add = [&](std::string what, absl::StatusOr<::common::Envelope> envelope, ::common::Status status) {
    ASSERT_TRUE(envelope.ok()) << envelope.status();
    malformed.push_back({std::move(what), *std::move(envelope), status});
  };
  add("an empty envelope", ::common::Envelope(), ::common::BAD_REQUEST);
  add("random bytes as payload", signed_payload(random_bytes(300)), ::common::BAD_REQUEST);
  add("a payload without a header", signed_payload(headerless.SerializeAsString()), ::common::BAD_REQUEST);
  add("garbled headers", signed_payload(garbled_header.SerializeAsString()), ::common::BAD_REQUEST);
  add("header type DELIVER_SEEK_INFO",
      MakeTransaction(*alice_, kChannel, "x", ::common::DELIVER_SEEK_INFO), ::common::BAD_REQUEST);
  add("header type 42", MakeTransaction(*alice_, kChannel, "x", static_cast<::common::HeaderType>(42)),
      ::common::BAD_REQUEST);
  add("a CONFIG envelope", MakeTransaction(*alice_, kChannel, "x", ::common::CONFIG), ::common::BAD_REQUEST);
  add("a CONFIG_UPDATE envelope", MakeTransaction(*alice_, kChannel, "x", ::common::CONFIG_UPDATE),
      ::common::NOT_IMPLEMENTED);
  add("an envelope over AbsoluteMaxBytes", Tx(random_bytes(kAbsoluteMaxBytes + 1024)), ::common::BAD_REQUEST);

  // On one stream per node, each malformed envelope between two valid ones: the answers come in order and
  // the valid ones are ordered.
  std::vector<std::string> valid;
  for (int i = 0; i < net_->size(); ++i) {
    std::vector<::common::Envelope> stream;
    std::vector<::common::Status> expected;
    std::vector<std::string> what;
    for (size_t k = 0; k < malformed.size(); ++k) {
      absl::StatusOr<::common::Envelope> good = Tx(absl::StrCat("valid ", i, ".", k));
      ASSERT_TRUE(good.ok());
      valid.push_back(TxIdOf(*good));
      stream.push_back(*good);
      expected.push_back(::common::SUCCESS);
      what.push_back("a valid envelope");
      stream.push_back(malformed[k].envelope);
      expected.push_back(malformed[k].status);
      what.push_back(malformed[k].what);
    }
    absl::StatusOr<::common::Envelope> last = Tx(absl::StrCat("valid ", i, " last"));
    ASSERT_TRUE(last.ok());
    valid.push_back(TxIdOf(*last));
    stream.push_back(*last);
    expected.push_back(::common::SUCCESS);
    what.push_back("the last valid envelope");

    absl::StatusOr<std::vector<::orderer::BroadcastResponse>> answers = clients_[i]->Broadcast(stream, kTimeout);
    ASSERT_TRUE(answers.ok()) << net_->orderer(i).name << ": " << answers.status();
    for (size_t k = 0; k < stream.size(); ++k) {
      EXPECT_EQ((*answers)[k].status(), expected[k])
          << what[k] << " to " << net_->orderer(i).name << ": " << (*answers)[k].info();
    }
  }

  // Deliver requests that are malformed get BAD_REQUEST, and no blocks.
  ::orderer::SeekInfo backwards = SeekRange(1, 0);
  std::vector<std::pair<std::string, absl::StatusOr<::common::Envelope>>> seeks;
  seeks.emplace_back("a seek whose start is after its stop", MakeSeek(*alice_, kChannel, backwards));
  seeks.emplace_back("random bytes as payload", signed_payload(random_bytes(200)));
  seeks.emplace_back("a transaction instead of a seek", Tx("not a seek"));
  for (size_t k = 0; k < seeks.size(); ++k) {
    ASSERT_TRUE(seeks[k].second.ok()) << seeks[k].first;
    absl::StatusOr<Delivered> delivered =
        clients_[k % static_cast<size_t>(net_->size())]->Deliver(*seeks[k].second, kTimeout);
    ASSERT_TRUE(delivered.ok()) << seeks[k].first << ": " << delivered.status();
    EXPECT_EQ(delivered->status, ::common::BAD_REQUEST) << seeks[k].first;
    EXPECT_TRUE(delivered->blocks.empty()) << seeks[k].first;
  }

  // Every node stayed up and keeps ordering; the chain holds the valid envelopes, each once, and nothing else.
  for (int i = 0; i < net_->size(); ++i) EXPECT_TRUE(net_->IsRunning(i)) << net_->orderer(i).name;
  for (int i = 0; i < net_->size(); ++i) {
    std::vector<std::string> ids = BroadcastExpectingSuccess(i, Txs(3, absl::StrCat("afterwards to orderer", i)));
    valid.insert(valid.end(), ids.begin(), ids.end());
  }
  const uint64_t height = MaxHeight();
  const std::vector<std::string> ordered = TxIdsIn(ExpectSameChain(AllNodes(), height));
  EXPECT_EQ(std::multiset<std::string>(ordered.begin(), ordered.end()),
            std::multiset<std::string>(valid.begin(), valid.end()));
}

}  // namespace
}  // namespace careledger::testing
