#include "orderer/chain/forwarder.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/common.pb.h"
#include "common/status_macros.h"

namespace careledger::orderer {
namespace {

using ::careledger::cluster::ForwardRequest;
using ::careledger::cluster::ForwardResponse;

absl::Status FromBroadcastStatus(int32_t status, const std::string& info) {
  switch (status) {
    case ::common::SUCCESS: return absl::OkStatus();
    case ::common::BAD_REQUEST: return absl::InvalidArgumentError(info);
    case ::common::FORBIDDEN: return absl::PermissionDeniedError(info);
    case ::common::REQUEST_ENTITY_TOO_LARGE: return absl::ResourceExhaustedError(info);
    case ::common::SERVICE_UNAVAILABLE: return absl::UnavailableError(info);
    default: return absl::InternalError(absl::StrCat("leader answered status ", status, ": ", info));
  }
}

// A burst is sent as one request of at most this many envelope bytes (or one envelope, if larger): well
// under any sensible General.MaxRecvMsgSize, and small enough that one request does not hold the stream long.
constexpr size_t kMaxForwardRequestBytes = 4 << 20;

}  // namespace

// One Forward call to one leader, with its receiver thread. Unanswered envelopes are keyed by sequence.
struct Forwarder::Stream {
  uint64_t leader_id = 0;
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReaderWriter<ForwardRequest, ForwardResponse>> call;
  std::mutex mu;
  std::map<uint64_t, Done> pending;  // guarded by mu
  bool broken = false;               // guarded by mu
  std::thread receiver;

  ~Stream() {
    context.TryCancel();
    if (receiver.joinable()) receiver.join();
  }
};

Forwarder::Forwarder(std::string channel_id, std::shared_ptr<cluster::ClusterConnections> connections)
    : channel_id_(std::move(channel_id)),
      connections_(std::move(connections)),
      log_(logging::Logger("orderer.chain").With({{"channel", channel_id_}})),
      sender_([this] { SendLoop(); }) {}

Forwarder::~Forwarder() {
  std::deque<Item> queued;
  std::shared_ptr<Stream> stream;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    queued.swap(queue_);
    stream = std::move(stream_);
  }
  cv_.notify_all();
  sender_.join();
  for (Item& item : queued) item.done(absl::UnavailableError("orderer is stopping"));
  if (stream != nullptr) {
    stream->context.TryCancel();
    if (stream->receiver.joinable()) stream->receiver.join();
  }
}

void Forwarder::Forward(const cluster::ClusterMember& leader, std::string envelope, bool is_config, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!stopping_) {
      queue_.push_back({leader, std::move(envelope), is_config, std::move(done)});
      cv_.notify_all();
      return;
    }
  }
  done(absl::UnavailableError("orderer is stopping"));
}

void Forwarder::FailAll(const absl::Status& status, std::map<uint64_t, Done>* pending) {
  for (auto& [sequence, done] : *pending) done(status);
  pending->clear();
}

void Forwarder::SendLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    // The burst: what queued up for the leader at the front while the previous request was written.
    const cluster::ClusterMember leader = queue_.front().leader;
    std::vector<Item> burst;
    size_t burst_bytes = 0;
    while (!queue_.empty() && queue_.front().leader.raft_id == leader.raft_id &&
           (burst.empty() || burst_bytes + queue_.front().envelope.size() <= kMaxForwardRequestBytes)) {
      burst_bytes += queue_.front().envelope.size();
      burst.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }

    // A stream to another leader, or a broken one, is replaced; its unanswered envelopes fail.
    std::shared_ptr<Stream> stream = stream_;
    bool usable = false;
    if (stream != nullptr) {
      std::lock_guard<std::mutex> stream_lock(stream->mu);
      usable = stream->leader_id == leader.raft_id && !stream->broken;
    }
    if (!usable) {
      stream_.reset();
      lock.unlock();
      if (stream != nullptr) {
        stream->context.TryCancel();
        if (stream->receiver.joinable()) stream->receiver.join();  // fails what it still held
      }
      stream = std::make_shared<Stream>();
      stream->leader_id = leader.raft_id;
      auto stub = ::careledger::cluster::Cluster::NewStub(connections_->ChannelTo(leader.address));
      stream->call = stub->Forward(&stream->context);
      Stream* raw = stream.get();
      stream->receiver = std::thread([this, raw] {
        ForwardResponse response;
        while (raw->call->Read(&response)) {
          for (const ::careledger::cluster::ForwardResult& result : response.results()) {
            Done done;
            {
              std::lock_guard<std::mutex> l(raw->mu);
              auto it = raw->pending.find(result.sequence());
              if (it == raw->pending.end()) continue;  // an answer we no longer wait for
              done = std::move(it->second);
              raw->pending.erase(it);
            }
            done(FromBroadcastStatus(result.status(), result.info()));
          }
        }
        std::map<uint64_t, Done> left;
        {
          std::lock_guard<std::mutex> l(raw->mu);
          raw->broken = true;
          left.swap(raw->pending);
        }
        FailAll(absl::UnavailableError("connection to the Raft leader was lost; resubmit"), &left);
        raw->call->Finish().ok();
      });
      lock.lock();
      stream_ = stream;
    }

    ForwardRequest request;
    request.set_channel_id(channel_id_);
    std::vector<uint64_t> sequences;
    sequences.reserve(burst.size());
    {
      std::lock_guard<std::mutex> stream_lock(stream->mu);
      for (Item& item : burst) {
        const uint64_t sequence = next_sequence_++;
        ::careledger::cluster::ForwardedEnvelope* forwarded = request.add_envelopes();
        forwarded->set_envelope(std::move(item.envelope));
        forwarded->set_is_config(item.is_config);
        forwarded->set_sequence(sequence);
        stream->pending.emplace(sequence, std::move(item.done));
        sequences.push_back(sequence);
      }
    }
    lock.unlock();
    const bool written = stream->call->Write(request);  // blocking: never on the Raft loop
    if (!written) {
      std::vector<Done> failed;
      {
        std::lock_guard<std::mutex> stream_lock(stream->mu);
        stream->broken = true;
        for (uint64_t sequence : sequences) {
          auto it = stream->pending.find(sequence);
          if (it == stream->pending.end()) continue;
          failed.push_back(std::move(it->second));
          stream->pending.erase(it);
        }
      }
      for (Done& done : failed) {
        done(absl::UnavailableError(absl::StrCat("cannot reach the Raft leader at ", leader.address)));
      }
    }
    lock.lock();
  }
}

absl::Status PullBlocksFromMembers(cluster::ClusterConnections& connections, const std::string& channel_id,
                                   const std::vector<cluster::ClusterMember>& members, uint64_t from, uint64_t to,
                                   const std::function<absl::Status(std::string)>& sink) {
  uint64_t next = from;
  absl::Status last_error = absl::UnavailableError("no consenter to pull blocks from");
  for (const cluster::ClusterMember& member : members) {
    if (next >= to) break;
    auto stub = ::careledger::cluster::Cluster::NewStub(connections.ChannelTo(member.address));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(5)));
    ::careledger::cluster::PullBlocksRequest request;
    request.set_channel_id(channel_id);
    request.set_start(next);
    request.set_end(to - 1);
    auto reader = stub->PullBlocks(&context, request);
    ::careledger::cluster::PulledBlock block;
    while (next < to && reader->Read(&block)) {
      absl::Status st = sink(std::move(*block.mutable_block()));
      if (!st.ok()) {
        context.TryCancel();
        reader->Finish().ok();
        return st;
      }
      ++next;
    }
    grpc::Status finished = reader->Finish();
    if (!finished.ok() && next < to) {
      last_error = absl::UnavailableError(
          absl::StrCat("consenter ", member.raft_id, " at ", member.address, ": ", finished.error_message()));
    }
  }
  if (next >= to) return absl::OkStatus();
  return Annotate(last_error, absl::StrCat("blocks ", next, " to ", to - 1, " of ", channel_id));
}

}  // namespace careledger::orderer
