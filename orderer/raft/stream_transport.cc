#include "orderer/raft/stream_transport.h"

// libraft 0.15's headers have no extern "C" guards of their own.
extern "C" {
#include <raft.h>
#include <raft/uv.h>
}
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/logging/logger.h"

namespace careledger::orderer::raft {
namespace {

constexpr size_t kPumpBufferBytes = 64 * 1024;

// MSG_NOSIGNAL: libraft may close its end at any time; that must end the link, not raise SIGPIPE.
bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// One bridged connection: our end of the socket pair and the stream it is bridged to.
struct Link {
  Link(int fd, std::unique_ptr<ByteStream> stream) : fd(fd), stream(std::move(stream)) {}
  ~Link() { ::close(fd); }

  // Ends the connection in both directions; wakes both pumps. Idempotent, thread-safe.
  void Cancel() {
    if (cancelled.exchange(true)) return;
    stream->Cancel();
    ::shutdown(fd, SHUT_RDWR);
  }

  // libraft -> remote. Ends when libraft closes its pipe (read returns 0) or the stream breaks; either way the
  // connection is over, so it cancels the whole link.
  void PumpOut() {
    std::string buffer(kPumpBufferBytes, '\0');
    while (true) {
      const ssize_t n = ::read(fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || !stream->Write(std::string_view(buffer.data(), static_cast<size_t>(n)))) break;
    }
    stream->CloseWrite();
    Cancel();
  }

  // remote -> libraft. At the end of the stream, libraft reads EOF, closes its pipe and so ends PumpOut.
  void PumpIn() {
    std::string chunk;
    while (stream->Read(&chunk)) {
      if (!WriteAll(fd, chunk)) break;
    }
    ::shutdown(fd, SHUT_WR);
  }

  const int fd;
  std::unique_ptr<ByteStream> stream;
  std::atomic<bool> cancelled{false};
};

}  // namespace

struct StreamTransport::Impl {
  raft_uv_transport transport{};  // the C interface handed to libraft; transport.impl points here
  ByteStreamDialer* dialer = nullptr;
  logging::Logger log{"orderer.raft.transport"};

  // Loop thread only.
  uv_loop_t* loop = nullptr;
  uv_async_t async{};
  raft_uv_accept_cb accept_cb = nullptr;
  raft_uv_transport_close_cb close_cb = nullptr;

  std::mutex mu;
  std::condition_variable threads_done;
  bool attached = false;                          // guarded by mu
  bool closing = false;                           // guarded by mu
  bool async_closed = false;                      // guarded by mu
  int active_threads = 0;                         // guarded by mu
  std::deque<std::function<void()>> completions;  // guarded by mu; run on the loop thread
  std::vector<std::shared_ptr<Link>> links;       // guarded by mu

  // Runs `fn` on the loop thread. Dropped (false) once the transport has closed its async handle.
  bool PostToLoop(std::function<void()> fn) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (async_closed) return false;
      completions.push_back(std::move(fn));
    }
    uv_async_send(&async);
    return true;
  }

  static void OnAsync(uv_async_t* handle) {
    auto* self = static_cast<Impl*>(handle->data);
    std::deque<std::function<void()>> batch;
    {
      std::lock_guard<std::mutex> lock(self->mu);
      batch.swap(self->completions);
    }
    for (auto& fn : batch) fn();
  }

  // Gives libraft its end of a socket pair as a libuv pipe; nullptr on failure (fd closed).
  uv_stream_t* MakePipe(int fd) {
    auto* pipe = static_cast<uv_pipe_t*>(raft_malloc(sizeof(uv_pipe_t)));  // libraft frees it with raft_free
    if (pipe == nullptr || uv_pipe_init(loop, pipe, 0) != 0) {
      raft_free(pipe);
      ::close(fd);
      return nullptr;
    }
    if (uv_pipe_open(pipe, fd) != 0) {
      uv_close(reinterpret_cast<uv_handle_t*>(pipe), [](uv_handle_t* h) { raft_free(h); });
      ::close(fd);
      return nullptr;
    }
    return reinterpret_cast<uv_stream_t*>(pipe);
  }

  void ThreadStarted() {
    std::lock_guard<std::mutex> lock(mu);
    ++active_threads;
  }
  void ThreadFinished() {
    std::lock_guard<std::mutex> lock(mu);
    if (--active_threads == 0) threads_done.notify_all();
  }

  // Runs a link's two pumps (one on this thread) and forgets it when both are done.
  void RunLink(const std::shared_ptr<Link>& link) {
    std::thread out([link] { link->PumpOut(); });
    link->PumpIn();
    out.join();
    std::lock_guard<std::mutex> lock(mu);
    links.erase(std::remove(links.begin(), links.end(), link), links.end());
  }

  // ---- raft_uv_transport callbacks (loop thread) ----

  static Impl* Of(raft_uv_transport* t) { return static_cast<Impl*>(t->impl); }

  static int Init(raft_uv_transport* t, raft_id, const char*) {
    (void)t;
    return 0;
  }

  static int Listen(raft_uv_transport* t, raft_uv_accept_cb cb) {
    Of(t)->accept_cb = cb;
    return 0;
  }

  static int Connect(raft_uv_transport* t, struct raft_uv_connect* req, raft_id id, const char* address,
                     raft_uv_connect_cb cb) {
    Impl* self = Of(t);
    {
      std::lock_guard<std::mutex> lock(self->mu);
      if (self->closing) return RAFT_CANCELED;
      ++self->active_threads;
    }
    std::thread([self, req, id, address = std::string(address), cb] {
      absl::StatusOr<std::unique_ptr<ByteStream>> stream = self->dialer->Dial(id, address);
      if (!stream.ok()) {
        self->log.Debug("cannot reach Raft member", {{"member", id}, {"address", address}, {"error", stream.status()}});
      }
      // The result always completes on the loop thread: libraft's callbacks must run there.
      std::shared_ptr<ByteStream> shared = stream.ok() ? std::shared_ptr<ByteStream>(std::move(*stream)) : nullptr;
      self->PostToLoop([self, req, cb, shared]() mutable {
        bool closing;
        {
          std::lock_guard<std::mutex> lock(self->mu);
          closing = self->closing;
        }
        if (closing) {
          if (shared) shared->Cancel();
          cb(req, nullptr, RAFT_CANCELED);
          return;
        }
        if (!shared) {
          cb(req, nullptr, RAFT_NOCONNECTION);
          return;
        }
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
          shared->Cancel();
          cb(req, nullptr, RAFT_NOCONNECTION);
          return;
        }
        uv_stream_t* pipe = self->MakePipe(fds[0]);
        if (pipe == nullptr) {
          ::close(fds[1]);
          shared->Cancel();
          cb(req, nullptr, RAFT_NOCONNECTION);
          return;
        }
        self->StartOutboundLink(fds[1], std::move(shared));
        cb(req, pipe, 0);
      });
      self->ThreadFinished();
    }).detach();
    return 0;
  }

  // Moves a dialled stream (held in a shared_ptr until now) into a link run by its own thread.
  void StartOutboundLink(int fd, std::shared_ptr<ByteStream> shared) {
    struct Holder : ByteStream {  // adapts the shared stream to the unique ownership Link wants
      explicit Holder(std::shared_ptr<ByteStream> s) : s(std::move(s)) {}
      bool Read(std::string* chunk) override { return s->Read(chunk); }
      bool Write(std::string_view data) override { return s->Write(data); }
      void CloseWrite() override { s->CloseWrite(); }
      void Cancel() override { s->Cancel(); }
      std::shared_ptr<ByteStream> s;
    };
    auto link = std::make_shared<Link>(fd, std::make_unique<Holder>(std::move(shared)));
    {
      std::lock_guard<std::mutex> lock(mu);
      links.push_back(link);
      ++active_threads;
    }
    std::thread([this, link] {
      RunLink(link);
      ThreadFinished();
    }).detach();
  }

  static void Close(raft_uv_transport* t, raft_uv_transport_close_cb cb) {
    Impl* self = Of(t);
    self->close_cb = cb;
    self->accept_cb = nullptr;
    {
      std::lock_guard<std::mutex> lock(self->mu);
      self->closing = true;
      for (const auto& link : self->links) link->Cancel();
    }
    // Waiting for the threads happens off the loop, which must keep running their completions meanwhile.
    std::thread([self] {
      {
        std::unique_lock<std::mutex> lock(self->mu);
        self->threads_done.wait(lock, [self] { return self->active_threads == 0; });
      }
      self->PostToLoop([self] {
        {
          std::lock_guard<std::mutex> lock(self->mu);
          self->async_closed = true;
        }
        uv_close(reinterpret_cast<uv_handle_t*>(&self->async), [](uv_handle_t* h) {
          auto* impl = static_cast<Impl*>(h->data);
          if (impl->close_cb != nullptr) impl->close_cb(&impl->transport);
        });
      });
    }).detach();
  }
};

StreamTransport::StreamTransport(ByteStreamDialer* dialer) : impl_(std::make_unique<Impl>()) {
  impl_->dialer = dialer;
  impl_->transport.impl = impl_.get();
  impl_->transport.init = &Impl::Init;
  impl_->transport.listen = &Impl::Listen;
  impl_->transport.connect = &Impl::Connect;
  impl_->transport.close = &Impl::Close;
}

StreamTransport::~StreamTransport() {
  // After a proper close every thread is gone; without one (never attached), cancel and wait here.
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->closing = true;
  for (const auto& link : impl_->links) link->Cancel();
  impl_->threads_done.wait(lock, [this] { return impl_->active_threads == 0; });
}

raft_uv_transport* StreamTransport::Attach(uv_loop_s* loop) {
  impl_->loop = loop;
  impl_->async.data = impl_.get();
  uv_async_init(loop, &impl_->async, &Impl::OnAsync);
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->attached = true;
  return &impl_->transport;
}

void StreamTransport::ServeIncoming(uint64_t id, const std::string& address, std::unique_ptr<ByteStream> stream) {
  Impl* self = impl_.get();
  int fds[2];
  {
    std::lock_guard<std::mutex> lock(self->mu);
    if (!self->attached || self->closing) {
      stream->Cancel();
      return;
    }
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
      stream->Cancel();
      return;
    }
    ++self->active_threads;
  }
  auto link = std::make_shared<Link>(fds[1], std::move(stream));
  {
    std::lock_guard<std::mutex> lock(self->mu);
    self->links.push_back(link);
  }
  const bool posted = self->PostToLoop([self, link, raft_fd = fds[0], id, address] {
    if (self->accept_cb == nullptr) {  // not listening (yet, or any more)
      ::close(raft_fd);
      link->Cancel();
      return;
    }
    uv_stream_t* pipe = self->MakePipe(raft_fd);
    if (pipe == nullptr) {
      link->Cancel();
      return;
    }
    self->accept_cb(&self->transport, id, address.c_str(), pipe);
  });
  if (!posted) {
    ::close(fds[0]);
    link->Cancel();
  }
  self->RunLink(link);
  self->ThreadFinished();
}

}  // namespace careledger::orderer::raft
