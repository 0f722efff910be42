// Test-only: connected in-memory ByteStream pairs and a network that links StreamTransports in one process,
// so Raft groups run for real (real libraft, real disk) without sockets or TLS.
#ifndef CARELEDGER_ORDERER_RAFT_TESTING_IN_MEMORY_STREAM_H_
#define CARELEDGER_ORDERER_RAFT_TESTING_IN_MEMORY_STREAM_H_

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "orderer/raft/stream_transport.h"

namespace careledger::orderer::raft::testing {

// One direction of a connection: a queue of chunks with an end marker.
class Pipe {
 public:
  bool Push(std::string_view data) {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return false;
    chunks_.emplace_back(data);
    cv_.notify_all();
    return true;
  }
  bool Pop(std::string* out) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !chunks_.empty() || closed_; });
    if (chunks_.empty()) return false;
    *out = std::move(chunks_.front());
    chunks_.pop_front();
    return true;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> chunks_;
  bool closed_ = false;
};

class InMemoryStream : public ByteStream {
 public:
  InMemoryStream(std::shared_ptr<Pipe> in, std::shared_ptr<Pipe> out) : in_(std::move(in)), out_(std::move(out)) {}
  bool Read(std::string* chunk) override { return in_->Pop(chunk); }
  bool Write(std::string_view data) override { return out_->Push(data); }
  void CloseWrite() override { out_->Close(); }
  void Cancel() override {
    in_->Close();
    out_->Close();
  }

  // Two connected ends.
  static std::pair<std::unique_ptr<ByteStream>, std::unique_ptr<ByteStream>> Pair() {
    auto a = std::make_shared<Pipe>(), b = std::make_shared<Pipe>();
    return {std::make_unique<InMemoryStream>(a, b), std::make_unique<InMemoryStream>(b, a)};
  }

 private:
  std::shared_ptr<Pipe> in_, out_;
};

// Routes a member's Dial(id) to the StreamTransport registered under id. Transports are held weakly, so a
// member that stopped is simply unreachable.
class InMemoryNetwork {
 public:
  ~InMemoryNetwork() {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
  }

  void Register(uint64_t id, std::string address, std::weak_ptr<StreamTransport> transport) {
    std::lock_guard<std::mutex> lock(mu_);
    members_[id] = {std::move(address), std::move(transport)};
  }

  class Dialer : public ByteStreamDialer {
   public:
    Dialer(InMemoryNetwork* net, uint64_t self) : net_(net), self_(self) {}
    absl::StatusOr<std::unique_ptr<ByteStream>> Dial(uint64_t id, const std::string&) override {
      return net_->Connect(self_, id);
    }

   private:
    InMemoryNetwork* net_;
    uint64_t self_;
  };

 private:
  absl::StatusOr<std::unique_ptr<ByteStream>> Connect(uint64_t from, uint64_t to) {
    std::lock_guard<std::mutex> lock(mu_);
    auto target = members_.find(to);
    auto source = members_.find(from);
    if (target == members_.end() || source == members_.end()) return absl::UnavailableError("no such member");
    std::shared_ptr<StreamTransport> transport = target->second.second.lock();
    if (transport == nullptr) return absl::UnavailableError("member is down");
    auto [client, server] = InMemoryStream::Pair();
    threads_.emplace_back([transport, from, address = source->second.first, s = std::move(server)]() mutable {
      transport->ServeIncoming(from, address, std::move(s));
    });
    return std::move(client);
  }

  std::mutex mu_;
  std::map<uint64_t, std::pair<std::string, std::weak_ptr<StreamTransport>>> members_;
  std::vector<std::thread> threads_;
};

}  // namespace careledger::orderer::raft::testing

#endif  // CARELEDGER_ORDERER_RAFT_TESTING_IN_MEMORY_STREAM_H_
