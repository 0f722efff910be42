#include "orderer/chain/chain.h"

#include "absl/strings/str_cat.h"
#include "common/protoutil/block.h"
#include "common/protoutil/block_hash.h"
#include "common/status_macros.h"
#include "orderer/etcdraft/metadata.pb.h"

namespace careledger::orderer {
namespace {

absl::Status NotCommitted(const absl::Status& raft_status) {
  if (raft_status.ok()) return raft_status;
  return absl::UnavailableError(absl::StrCat("envelope not ordered (", raft_status.message(), "); resubmit it"));
}

}  // namespace

Chain::Chain(ChainOptions options, std::shared_ptr<blockstore::BlockStore> store,
             std::shared_ptr<const protoutil::Signer> signer, std::shared_ptr<cluster::ClusterConnections> connections,
             BlockCutter cutter)
    : options_(std::move(options)),
      store_(std::move(store)),
      signer_(std::move(signer)),
      connections_(std::move(connections)),
      log_(logging::Logger("orderer.chain").With({{"channel", options_.channel_id}})),
      cutter_(std::move(cutter)),
      last_config_index_(options_.last_config_index) {}

absl::StatusOr<std::shared_ptr<Chain>> Chain::Start(ChainOptions options, std::shared_ptr<blockstore::BlockStore> store,
                                                    std::shared_ptr<const protoutil::Signer> signer,
                                                    std::shared_ptr<cluster::ClusterConnections> connections) {
  const cluster::ClusterMember* self = nullptr;
  for (const cluster::ClusterMember& m : options.consenters) {
    if (m.raft_id == options.self_id) self = &m;
  }
  if (self == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("Raft ID ", options.self_id, " is not a consenter of channel ", options.channel_id));
  }
  if (store->Height() == 0) {
    return absl::FailedPreconditionError(absl::StrCat("channel ", options.channel_id, " has no genesis block"));
  }
  ASSIGN_OR_RETURN(BlockCutter cutter, BlockCutter::Create(options.batch_limits));
  const std::string self_address = self->address;
  std::shared_ptr<Chain> chain(
      new Chain(std::move(options), std::move(store), std::move(signer), std::move(connections), std::move(cutter)));
  Chain* c = chain.get();
  const ChainOptions& o = c->options_;

  cluster::ClusterDialerOptions dialer_options;
  dialer_options.channel_id = o.channel_id;
  dialer_options.self_id = o.self_id;
  dialer_options.self_address = self_address;
  dialer_options.dial_timeout = o.dial_timeout;
  dialer_options.member_by_id = [c](uint64_t id) { return c->MemberById(id); };
  c->dialer_ = std::make_unique<cluster::ClusterDialer>(dialer_options, c->connections_);
  c->transport_ = std::make_unique<raft::StreamTransport>(c->dialer_.get());
  c->forwarder_ = std::make_unique<Forwarder>(o.channel_id, c->connections_);
  std::vector<cluster::ClusterMember> others;
  for (const cluster::ClusterMember& m : o.consenters) {
    if (m.raft_id != o.self_id) others.push_back(m);
  }
  c->applier_ = std::make_unique<BlockApplier>(
      c->store_.get(),
      [c, others](uint64_t from, uint64_t to, const std::function<absl::Status(std::string)>& sink) {
        return PullBlocksFromMembers(*c->connections_, c->options_.channel_id, others, from, to, sink);
      },
      o.channel_id);

  raft::RaftNodeOptions raft_options;
  raft_options.id = o.self_id;
  raft_options.address = self_address;
  for (const cluster::ClusterMember& m : o.consenters) raft_options.initial_members.push_back({m.raft_id, m.address});
  raft_options.data_dir = o.raft_dir;
  raft_options.election_timeout = o.election_timeout;
  raft_options.heartbeat_timeout = o.heartbeat_timeout;
  raft_options.snapshot_threshold = std::max(1u, o.snapshot_interval_blocks);
  raft_options.snapshot_trailing = std::max(1u, o.snapshot_interval_blocks / 2);
  raft_options.on_leader_change = [c](const raft::RaftMember& leader, uint64_t term) {
    c->node_stored_.WaitForNotification();
    c->OnLeaderChange(leader, term);
  };
  raft_options.on_tick = [c] {
    c->node_stored_.WaitForNotification();
    c->OnTick();
  };
  // RaftNode::Start fails only before its loop thread starts, so once the thread runs node_ is stored and the
  // callbacks above stop waiting within microseconds.
  ASSIGN_OR_RETURN(c->node_, raft::RaftNode::Start(raft_options, c->applier_.get(), c->transport_.get()));
  c->node_stored_.Notify();
  return chain;
}

Chain::~Chain() { Stop(); }

void Chain::Stop() {
  if (stopped_.exchange(true)) return;
  if (dialer_ != nullptr) dialer_->Cancel();  // a dial to an unreachable consenter must not hold the stop up
  if (node_ != nullptr) node_->Stop();  // pending proposals complete (Unavailable) on the loop before it ends
  // The loop is gone: its state is ours now.
  FailPending(absl::UnavailableError("orderer is stopping"));
  forwarder_.reset();
  node_.reset();
  applier_.reset();
  transport_.reset();
}

ChainStatus Chain::status() const {
  ChainStatus s;
  s.leader_id = leader_id_.load();
  s.term = term_.load();
  s.is_leader = s.leader_id == options_.self_id;
  s.height = store_->Height();
  return s;
}

std::optional<cluster::ClusterMember> Chain::MemberById(uint64_t id) const {
  for (const cluster::ClusterMember& m : options_.consenters) {
    if (m.raft_id == id) return m;
  }
  return std::nullopt;
}

std::optional<cluster::ClusterMember> Chain::MemberByClientCertificate(const crypto::Certificate& cert) const {
  for (const cluster::ClusterMember& m : options_.consenters) {
    if (m.client_tls_cert == cert) return m;
  }
  return std::nullopt;
}

void Chain::ServeRaftStream(uint64_t from, const std::string& address, std::unique_ptr<raft::ByteStream> stream) {
  if (stopped_.load()) {
    stream->Cancel();
    return;
  }
  transport_->ServeIncoming(from, address, std::move(stream));
}

void Chain::Order(std::string envelope, bool is_config, Done done) {
  auto shared_done = std::make_shared<Done>(std::move(done));
  if (stopped_.load() || !node_->Post([this, envelope = std::move(envelope), is_config, shared_done]() mutable {
        OrderOnLoop(std::move(envelope), is_config, /*forwarded=*/false, std::move(*shared_done));
      })) {
    (*shared_done)(absl::UnavailableError("orderer is stopping"));
  }
}

void Chain::OrderForwarded(std::string envelope, bool is_config, Done done) {
  auto shared_done = std::make_shared<Done>(std::move(done));
  if (stopped_.load() || !node_->Post([this, envelope = std::move(envelope), is_config, shared_done]() mutable {
        OrderOnLoop(std::move(envelope), is_config, /*forwarded=*/true, std::move(*shared_done));
      })) {
    (*shared_done)(absl::UnavailableError("orderer is stopping"));
  }
}

void Chain::OrderOnLoop(std::string envelope, bool is_config, bool forwarded, Done done) {
  if (is_leader_) {
    if (!ready_) {  // a new leader learning the chain tip: this envelope waits for the barrier
      held_.push_back({std::move(envelope), is_config, std::move(done)});
      return;
    }
    EnqueueAsLeader(std::move(envelope), is_config, std::move(done));
    return;
  }
  const raft::RaftMember leader = node_->Leader();
  if (leader.id == 0) {
    done(absl::UnavailableError("no Raft leader is elected yet; resubmit shortly"));
    return;
  }
  if (forwarded) {  // never forward twice: leadership moved between the follower's view and ours
    done(absl::UnavailableError("this node is no longer the Raft leader; resubmit"));
    return;
  }
  std::optional<cluster::ClusterMember> member = MemberById(leader.id);
  if (!member.has_value()) {
    done(absl::UnavailableError(absl::StrCat("the Raft leader ", leader.id, " is not a known consenter")));
    return;
  }
  forwarder_->Forward(*member, std::move(envelope), is_config, std::move(done));
}

void Chain::EnqueueAsLeader(std::string envelope, bool is_config, Done done) {
  if (is_config) {
    absl::StatusOr<std::vector<Batch>> batches = cutter_.OrderedConfig(std::move(envelope));
    if (!batches.ok()) {
      done(batches.status());
      return;
    }
    pending_acks_.push_back(std::move(done));
    for (size_t i = 0; i < batches->size(); ++i) ProposeBatch(std::move((*batches)[i]), i + 1 == batches->size());
    timer_.Stop();
    return;
  }
  absl::StatusOr<OrderedResult> result = cutter_.Ordered(std::move(envelope));
  if (!result.ok()) {
    done(result.status());
    return;
  }
  pending_acks_.push_back(std::move(done));
  for (Batch& batch : result->batches) ProposeBatch(std::move(batch), false);
  timer_.Observe(result->pending, absl::Now());
  MaybeCutWhenIdle();
}

void Chain::ProposeBatch(Batch batch, bool is_config) {
  std::vector<Done> acks;
  acks.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    acks.push_back(std::move(pending_acks_.front()));
    pending_acks_.pop_front();
  }
  ::common::Block block = protoutil::NewBlock(next_number_, previous_hash_, std::move(batch));
  if (is_config) last_config_index_ = next_number_;
  ::etcdraft::BlockMetadata raft_metadata;  // informational: Fabric's consenter metadata shape
  for (const cluster::ClusterMember& m : options_.consenters) raft_metadata.add_consenter_ids(m.raft_id);
  absl::Status signed_ok = protoutil::SignBlock(&block, *signer_, last_config_index_, raft_metadata.SerializeAsString());
  if (!signed_ok.ok()) {
    log_.Error("cannot sign block", {{"block", next_number_}, {"error", signed_ok}});
    for (Done& ack : acks) ack(absl::InternalError(absl::StrCat("orderer cannot sign blocks: ", signed_ok.message())));
    return;
  }
  previous_hash_ = protoutil::BlockHeaderHash(block.header());
  ++next_number_;
  ++in_flight_;
  std::string bytes = block.SerializeAsString();
  auto shared_acks = std::make_shared<std::vector<Done>>(std::move(acks));
  node_->Propose(std::move(bytes), [this, shared_acks](absl::Status st) {
    --in_flight_;
    const absl::Status outcome = NotCommitted(st);
    for (Done& ack : *shared_acks) ack(outcome);
    MaybeCutWhenIdle();
  });
}

void Chain::MaybeCutWhenIdle() {
  if (!options_.cut_when_idle || !is_leader_ || !ready_ || in_flight_ > 0 || cutter_.pending_count() == 0) return;
  timer_.Stop();
  ProposeBatch(cutter_.Cut(), false);
}

void Chain::OnTick() {
  if (!is_leader_ || !ready_ || !timer_.Expired(absl::Now(), options_.batch_timeout)) return;
  timer_.Stop();
  if (cutter_.pending_count() > 0) ProposeBatch(cutter_.Cut(), false);
}

void Chain::OnLeaderChange(const raft::RaftMember& leader, uint64_t term) {
  leader_id_.store(leader.id);
  term_.store(term);
  const bool now_leader = leader.id == options_.self_id;
  if (now_leader && !is_leader_) {
    is_leader_ = true;
    ready_ = false;
    // Everything a previous leader left in the log must be applied before we know the chain tip.
    node_->Barrier([this, term](absl::Status st) {
      if (!is_leader_ || term_.load() != term) return;
      if (!st.ok()) {
        log_.Warn("barrier after election failed", {{"error", st}});
        return;
      }
      absl::StatusOr<::common::BlockHeader> tip = store_->LastBlockHeader();
      if (!tip.ok()) {
        log_.Error("cannot read the chain tip", {{"error", tip.status()}});
        return;
      }
      next_number_ = tip->number() + 1;
      previous_hash_ = protoutil::BlockHeaderHash(*tip);
      if (absl::StatusOr<::common::Block> last = store_->GetBlock(tip->number()); last.ok()) {
        if (absl::StatusOr<uint64_t> index = protoutil::LastConfigIndex(*last); index.ok()) last_config_index_ = *index;
      }
      ready_ = true;
      log_.Info("leading", {{"term", term}, {"next_block", next_number_}});
      std::deque<HeldEnvelope> held;
      held.swap(held_);
      for (HeldEnvelope& h : held) EnqueueAsLeader(std::move(h.envelope), h.is_config, std::move(h.done));
    });
  } else if (!now_leader && is_leader_) {
    is_leader_ = false;
    ready_ = false;
    FailPending(absl::UnavailableError("this node lost Raft leadership; resubmit"));
  }
}

void Chain::FailPending(const absl::Status& status) {
  cutter_.Cut();
  timer_.Stop();
  std::deque<Done> acks;
  acks.swap(pending_acks_);
  for (Done& ack : acks) ack(status);
  std::deque<HeldEnvelope> held;
  held.swap(held_);
  for (HeldEnvelope& h : held) h.done(status);
}

}  // namespace careledger::orderer
