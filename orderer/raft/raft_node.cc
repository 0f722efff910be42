#include "orderer/raft/raft_node.h"

// libraft 0.15's headers have no extern "C" guards of their own.
extern "C" {
#include <raft.h>
#include <raft/uv.h>
}
#include <uv.h>

#include <csignal>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/logging/logger.h"

namespace careledger::orderer::raft {
namespace {

absl::Status RaftError(int rv, std::string_view what, const char* detail) {
  return absl::InternalError(absl::StrCat(std::string(what), ": ", raft_strerror(rv),
                                          detail != nullptr && detail[0] != '\0' ? absl::StrCat(" (", detail, ")") : ""));
}

// Entry framing. libraft's segment format requires every entry to be a multiple of 8 bytes long (its reader
// skips padding its writer never adds: an unpadded entry reads back as a corrupt segment). So each entry is
// [8-byte little-endian payload length][payload][zero padding to a multiple of 8].
constexpr size_t kEntryLengthBytes = 8;

size_t FramedSize(size_t payload) { return kEntryLengthBytes + (payload + 7) / 8 * 8; }

void FrameEntry(std::string_view payload, char* out) {
  uint64_t len = payload.size();
  for (size_t i = 0; i < kEntryLengthBytes; ++i) out[i] = static_cast<char>((len >> (8 * i)) & 0xff);
  std::memcpy(out + kEntryLengthBytes, payload.data(), payload.size());
  std::memset(out + kEntryLengthBytes + payload.size(), 0, FramedSize(payload.size()) - kEntryLengthBytes - payload.size());
}

absl::StatusOr<std::string_view> UnframeEntry(std::string_view framed) {
  if (framed.size() < kEntryLengthBytes) return absl::DataLossError("Raft entry shorter than its length prefix");
  uint64_t len = 0;
  for (size_t i = 0; i < kEntryLengthBytes; ++i) len |= static_cast<uint64_t>(static_cast<uint8_t>(framed[i])) << (8 * i);
  if (len > framed.size() - kEntryLengthBytes || FramedSize(len) != framed.size()) {
    return absl::DataLossError(absl::StrCat("Raft entry of ", framed.size(), " bytes claims a payload of ", len));
  }
  return framed.substr(kEntryLengthBytes, len);
}

// Maps libraft's completion codes for proposals and barriers.
absl::Status ProposalStatus(int status) {
  switch (status) {
    case 0: return absl::OkStatus();
    case RAFT_NOTLEADER:
    case RAFT_LEADERSHIPLOST:
    case RAFT_SHUTDOWN:
    case RAFT_CANCELED:
      return absl::UnavailableError(absl::StrCat("not committed: ", raft_strerror(status)));
    default:
      return absl::InternalError(absl::StrCat("raft: ", raft_strerror(status)));
  }
}

}  // namespace

struct RaftNode::Impl {
  RaftNodeOptions options;
  StateMachine* fsm = nullptr;
  TransportProvider* transport_provider = nullptr;
  logging::Logger log{"orderer.raft"};

  uv_loop_t loop{};
  uv_async_t wakeup{};
  uv_timer_t poll_timer{};
  struct raft_io io {};
  struct raft_fsm raft_fsm {};
  struct raft raft {};
  bool raft_initialised = false;
  std::thread thread;

  std::mutex mu;
  std::deque<std::function<void()>> tasks;  // guarded by mu
  bool stopping = false;                    // guarded by mu

  // Loop thread only.
  RaftMember known_leader;
  uint64_t known_term = 0;
  bool apply_failed = false;

  // ---- libraft callbacks (loop thread) ----

  static int FsmApply(struct raft_fsm* fsm, const struct raft_buffer* buf, void** result) {
    auto* self = static_cast<Impl*>(fsm->data);
    *result = nullptr;
    if (self->apply_failed) return RAFT_IOERR;
    absl::StatusOr<std::string_view> payload =
        UnframeEntry(std::string_view(static_cast<const char*>(buf->base), buf->len));
    absl::Status st = payload.ok() ? self->fsm->Apply(*payload) : payload.status();
    if (!st.ok()) {
      self->apply_failed = true;
      self->log.Error("cannot apply committed entry; this node stops applying", {{"error", st}});
      return RAFT_IOERR;
    }
    return 0;
  }

  static int FsmSnapshot(struct raft_fsm* fsm, struct raft_buffer* bufs[], unsigned* n_bufs) {
    auto* self = static_cast<Impl*>(fsm->data);
    absl::StatusOr<std::string> snapshot = self->fsm->Snapshot();
    if (!snapshot.ok()) {
      self->log.Error("cannot take snapshot", {{"error", snapshot.status()}});
      return RAFT_IOERR;
    }
    *bufs = static_cast<struct raft_buffer*>(raft_malloc(sizeof(struct raft_buffer)));
    if (*bufs == nullptr) return RAFT_NOMEM;
    (*bufs)[0].len = snapshot->size();
    (*bufs)[0].base = raft_malloc(snapshot->empty() ? 1 : snapshot->size());
    if ((*bufs)[0].base == nullptr) {
      raft_free(*bufs);
      return RAFT_NOMEM;
    }
    std::memcpy((*bufs)[0].base, snapshot->data(), snapshot->size());
    *n_bufs = 1;
    return 0;
  }

  // libraft hands the buffer over: it is ours to free when restore succeeds, libraft's when it fails.
  static int FsmRestore(struct raft_fsm* fsm, struct raft_buffer* buf) {
    auto* self = static_cast<Impl*>(fsm->data);
    absl::Status st = self->fsm->Restore(std::string_view(static_cast<const char*>(buf->base), buf->len));
    if (!st.ok()) {
      self->log.Error("cannot restore snapshot", {{"error", st}});
      return RAFT_IOERR;
    }
    raft_free(buf->base);
    return 0;
  }

  static void OnWakeup(uv_async_t* handle) {
    auto* self = static_cast<Impl*>(handle->data);
    std::deque<std::function<void()>> batch;
    {
      std::lock_guard<std::mutex> lock(self->mu);
      batch.swap(self->tasks);
    }
    for (auto& task : batch) task();
  }

  static void OnPollTimer(uv_timer_t* handle) {
    auto* self = static_cast<Impl*>(handle->data);
    self->CheckLeader();
    if (self->options.on_tick) self->options.on_tick();
  }

  void CheckLeader() {
    raft_id id = 0;
    const char* address = nullptr;
    raft_leader(&raft, &id, &address);
    RaftMember leader{id, address != nullptr ? address : ""};
    const uint64_t term = raft.current_term;
    if (leader.id != known_leader.id || (leader.id != 0 && term != known_term)) {
      known_leader = leader;
      known_term = term;
      log.Info("leader changed", {{"leader", leader.id}, {"term", term}, {"self", options.id}});
      if (options.on_leader_change) options.on_leader_change(leader, term);
    }
  }

  // ---- shutdown (loop thread) ----

  static void OnRaftClosed(struct raft* r) {
    auto* self = static_cast<Impl*>(r->data);
    raft_uv_close(&self->io);
    uv_close(reinterpret_cast<uv_handle_t*>(&self->poll_timer), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&self->wakeup), nullptr);
  }

  void BeginClose() {
    uv_timer_stop(&poll_timer);
    raft.data = this;
    raft_close(&raft, &Impl::OnRaftClosed);
  }
};

RaftNode::RaftNode(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RaftNode::~RaftNode() { Stop(); }

absl::StatusOr<std::unique_ptr<RaftNode>> RaftNode::Start(const RaftNodeOptions& options, StateMachine* fsm,
                                                          TransportProvider* transport) {
  if (options.id == 0) return absl::InvalidArgumentError("Raft ID must be greater than 0");
  if (options.address.empty()) return absl::InvalidArgumentError("Raft address is empty");
  if (options.data_dir.empty()) return absl::InvalidArgumentError("Raft data folder is empty");
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return absl::InternalError(absl::StrCat(options.data_dir, ": cannot create: ", ec.message()));

  // libuv writes to sockets whose peer may have gone; that must surface as EPIPE, not kill the process.
  ::signal(SIGPIPE, SIG_IGN);

  auto impl = std::make_unique<Impl>();
  Impl* s = impl.get();
  s->options = options;
  s->fsm = fsm;
  s->transport_provider = transport;
  if (int rv = uv_loop_init(&s->loop); rv != 0) {
    return absl::InternalError(absl::StrCat("libuv loop: ", uv_strerror(rv)));
  }
  s->wakeup.data = s;
  s->poll_timer.data = s;
  uv_async_init(&s->loop, &s->wakeup, &Impl::OnWakeup);
  uv_timer_init(&s->loop, &s->poll_timer);

  auto fail = [&](absl::Status st) {
    // Nothing has started on the loop yet: close the handles and run the loop until they are closed.
    uv_close(reinterpret_cast<uv_handle_t*>(&s->wakeup), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&s->poll_timer), nullptr);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    uv_loop_close(&s->loop);
    return st;
  };

  raft_uv_transport* t = transport->Attach(&s->loop);
  if (int rv = raft_uv_init(&s->io, &s->loop, options.data_dir.c_str(), t); rv != 0) {
    return fail(RaftError(rv, "raft_uv_init", s->io.errmsg));
  }
  // libraft would otherwise rename a segment it finds corrupt and start without it: silently losing
  // committed entries. A node must rather refuse to start and say why.
  raft_uv_set_auto_recovery(&s->io, false);
  s->raft_fsm.version = 1;
  s->raft_fsm.data = s;
  s->raft_fsm.apply = &Impl::FsmApply;
  s->raft_fsm.snapshot = &Impl::FsmSnapshot;
  s->raft_fsm.restore = &Impl::FsmRestore;
  if (int rv = raft_init(&s->raft, &s->io, &s->raft_fsm, options.id, options.address.c_str()); rv != 0) {
    raft_uv_close(&s->io);
    return fail(RaftError(rv, "raft_init", s->raft.errmsg));
  }
  s->raft_initialised = true;
  s->raft.data = s;
  raft_set_election_timeout(&s->raft, static_cast<unsigned>(absl::ToInt64Milliseconds(options.election_timeout)));
  raft_set_heartbeat_timeout(&s->raft, static_cast<unsigned>(absl::ToInt64Milliseconds(options.heartbeat_timeout)));
  raft_set_install_snapshot_timeout(&s->raft,
                                    static_cast<unsigned>(absl::ToInt64Milliseconds(options.install_snapshot_timeout)));
  raft_set_snapshot_threshold(&s->raft, options.snapshot_threshold);
  raft_set_snapshot_trailing(&s->raft, options.snapshot_trailing);
  raft_set_pre_vote(&s->raft, true);  // a rejoining node must not disrupt a healthy leader

  if (!options.initial_members.empty()) {
    struct raft_configuration conf;
    raft_configuration_init(&conf);
    for (const RaftMember& m : options.initial_members) {
      if (int rv = raft_configuration_add(&conf, m.id, m.address.c_str(), RAFT_VOTER); rv != 0) {
        raft_configuration_close(&conf);
        return absl::InvalidArgumentError(absl::StrCat("Raft member ", m.id, " (", m.address, "): ", raft_strerror(rv)));
      }
    }
    const int rv = raft_bootstrap(&s->raft, &conf);
    raft_configuration_close(&conf);
    if (rv != 0 && rv != RAFT_CANTBOOTSTRAP) {  // CANTBOOTSTRAP: state exists already; the log rules
      RaftNode node(std::move(impl));            // closes libraft properly
      return RaftError(rv, "raft_bootstrap", node.impl_->raft.errmsg);
    }
  }
  if (int rv = raft_start(&s->raft); rv != 0) {
    std::string detail = s->raft.errmsg;
    RaftNode node(std::move(impl));
    return RaftError(rv, "raft_start", detail.c_str());
  }
  const uint64_t poll_ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(options.leadership_poll_interval));
  uv_timer_start(&s->poll_timer, &Impl::OnPollTimer, poll_ms, poll_ms);
  s->thread = std::thread([s] { uv_run(&s->loop, UV_RUN_DEFAULT); });
  return std::unique_ptr<RaftNode>(new RaftNode(std::move(impl)));
}

bool RaftNode::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stopping) return false;
    impl_->tasks.push_back(std::move(task));
  }
  uv_async_send(&impl_->wakeup);
  return true;
}

void RaftNode::Stop() {
  if (impl_ == nullptr) return;
  Impl* s = impl_.get();
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (s->stopping) return;
    s->stopping = true;
    // The close request is the last task the loop runs.
    s->tasks.push_back([s] { s->BeginClose(); });
  }
  if (s->thread.joinable()) {
    uv_async_send(&s->wakeup);
    s->thread.join();
  } else if (s->raft_initialised) {
    // Start failed after raft_init: close on this thread, the loop never ran.
    s->BeginClose();
    uv_run(&s->loop, UV_RUN_DEFAULT);
  }
  uv_loop_close(&s->loop);
}

namespace {

// Heap state of one asynchronous libraft request; freed in its callback.
struct ApplyRequest {
  struct raft_apply req;
  std::function<void(absl::Status)> done;
};

struct BarrierRequest {
  struct raft_barrier req;
  std::function<void(absl::Status)> done;
};

}  // namespace

void RaftNode::Propose(std::string entry, std::function<void(absl::Status)> done) {
  struct raft_buffer buf;
  buf.len = FramedSize(entry.size());
  buf.base = raft_malloc(buf.len);
  if (buf.base == nullptr) {
    done(absl::ResourceExhaustedError("out of memory for a Raft entry"));
    return;
  }
  FrameEntry(entry, static_cast<char*>(buf.base));
  auto* request = new ApplyRequest{{}, std::move(done)};
  request->req.data = request;
  const int rv = raft_apply(&impl_->raft, &request->req, &buf, 1, [](struct raft_apply* req, int status, void*) {
    auto* r = static_cast<ApplyRequest*>(req->data);
    r->done(ProposalStatus(status));
    delete r;
  });
  if (rv != 0) {
    raft_free(buf.base);  // not taken over by libraft when raft_apply fails
    request->done(ProposalStatus(rv));
    delete request;
  }
}

void RaftNode::Barrier(std::function<void(absl::Status)> done) {
  auto* request = new BarrierRequest{{}, std::move(done)};
  request->req.data = request;
  const int rv = raft_barrier(&impl_->raft, &request->req, [](struct raft_barrier* req, int status) {
    auto* r = static_cast<BarrierRequest*>(req->data);
    r->done(ProposalStatus(status));
    delete r;
  });
  if (rv != 0) {
    request->done(ProposalStatus(rv));
    delete request;
  }
}

bool RaftNode::IsLeader() const { return raft_state(&impl_->raft) == RAFT_LEADER; }

RaftMember RaftNode::Leader() const {
  raft_id id = 0;
  const char* address = nullptr;
  raft_leader(&impl_->raft, &id, &address);
  return RaftMember{id, address != nullptr ? address : ""};
}

uint64_t RaftNode::term() const { return impl_->raft.current_term; }

uint64_t RaftNode::id() const { return impl_->options.id; }


}  // namespace careledger::orderer::raft
