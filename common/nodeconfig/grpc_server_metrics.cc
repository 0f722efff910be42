#include "common/nodeconfig/grpc_server_metrics.h"

#include <array>
#include <atomic>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "common/strings.h"
#include "grpcpp/support/server_interceptor.h"

namespace careledger::nodeconfig {
namespace {

constexpr int kCodes = 17;  // grpc::StatusCode 0..16

std::string_view CodeName(int code) {
  static constexpr std::array<std::string_view, kCodes> kNames = {
      "OK",          "CANCELLED",          "UNKNOWN",           "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL",          "UNAVAILABLE",       "DATA_LOSS",        "UNAUTHENTICATED"};
  return code >= 0 && code < kCodes ? kNames[code] : "UNKNOWN";
}

// "/gateway.Gateway/Submit" → {"gateway.Gateway", "Submit"}.
std::pair<std::string, std::string> SplitMethod(std::string_view full) {
  if (!full.empty() && full.front() == '/') full.remove_prefix(1);
  const size_t slash = full.find('/');
  if (slash == std::string_view::npos) return {"", std::string(full)};
  return {std::string(full.substr(0, slash)), std::string(full.substr(slash + 1))};
}

}  // namespace

namespace grpc_metrics_internal {

struct Families {
  struct Kind {
    metrics::CounterFamily* received = nullptr;
    metrics::CounterFamily* completed = nullptr;
    metrics::HistogramFamily* duration = nullptr;
  };
  Kind unary;
  Kind stream;
  metrics::CounterFamily* messages_received = nullptr;
  metrics::CounterFamily* messages_sent = nullptr;
};

// One method's counters; those by code are created on the code's first use.
class MethodMetrics {
 public:
  MethodMetrics(const Families& families, std::string_view full_method, bool streaming)
      : kind_(streaming ? families.stream : families.unary) {
    std::tie(service_, method_) = SplitMethod(full_method);
    received_ = kind_.received->WithLabels({service_, method_});
    if (streaming) {
      messages_received_ = families.messages_received->WithLabels({service_, method_});
      messages_sent_ = families.messages_sent->WithLabels({service_, method_});
    }
  }

  void Started() { received_->Increment(); }
  void MessageReceived() {
    if (messages_received_ != nullptr) messages_received_->Increment();
  }
  void MessageSent() {
    if (messages_sent_ != nullptr) messages_sent_->Increment();
  }
  void Ended(int code, absl::Duration elapsed) {
    if (code < 0 || code >= kCodes) code = static_cast<int>(grpc::StatusCode::UNKNOWN);
    ByCode& by_code = by_code_[code];
    metrics::Counter* completed = by_code.completed.load(std::memory_order_acquire);
    metrics::Histogram* duration = by_code.duration.load(std::memory_order_acquire);
    if (completed == nullptr || duration == nullptr) {
      // First call ending with this code: the family lookups take their own mutexes and return the same
      // child to every racer, so storing twice is harmless.
      completed = kind_.completed->WithLabels({service_, method_, CodeName(code)});
      duration = kind_.duration->WithLabels({service_, method_, CodeName(code)});
      by_code.completed.store(completed, std::memory_order_release);
      by_code.duration.store(duration, std::memory_order_release);
    }
    completed->Increment();
    duration->Observe(absl::ToDoubleSeconds(elapsed));
  }

 private:
  struct ByCode {
    std::atomic<metrics::Counter*> completed{nullptr};
    std::atomic<metrics::Histogram*> duration{nullptr};
  };
  const Families::Kind kind_;
  std::string service_;
  std::string method_;
  metrics::Counter* received_ = nullptr;
  metrics::Counter* messages_received_ = nullptr;
  metrics::Counter* messages_sent_ = nullptr;
  std::array<ByCode, kCodes> by_code_;
};

}  // namespace grpc_metrics_internal

using grpc_metrics_internal::Families;
using grpc_metrics_internal::MethodMetrics;

class GrpcServerMetrics {
 public:
  explicit GrpcServerMetrics(Families families) : families_(families) {}

  // The counters of `method`, created on its first call. gRPC names a method by the same static string on every
  // call, so the pointer is the key.
  MethodMetrics& ForMethod(const char* method, bool streaming) {
    {
      absl::ReaderMutexLock lock(&mu_);
      if (auto it = methods_.find(method); it != methods_.end()) return *it->second;
    }
    absl::MutexLock lock(&mu_);
    std::unique_ptr<MethodMetrics>& slot = methods_[method];
    if (slot == nullptr) slot = std::make_unique<MethodMetrics>(families_, method == nullptr ? "" : method, streaming);
    return *slot;
  }

 private:
  const Families families_;
  absl::Mutex mu_;
  absl::flat_hash_map<const char*, std::unique_ptr<MethodMetrics>> methods_ ABSL_GUARDED_BY(mu_);
};

namespace {

class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(MethodMetrics& metrics, bool streaming) : metrics_(metrics), streaming_(streaming) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using Hook = grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(Hook::POST_RECV_INITIAL_METADATA)) {
      start_ = absl::Now();
      metrics_.Started();
    }
    if (streaming_ && methods->QueryInterceptionHookPoint(Hook::POST_RECV_MESSAGE)) metrics_.MessageReceived();
    if (streaming_ && methods->QueryInterceptionHookPoint(Hook::PRE_SEND_MESSAGE)) metrics_.MessageSent();
    if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_STATUS)) {
      metrics_.Ended(static_cast<int>(methods->GetSendStatus().error_code()), absl::Now() - start_);
    }
    methods->Proceed();
  }

 private:
  MethodMetrics& metrics_;
  const bool streaming_;
  absl::Time start_ = absl::Now();
};

class MetricsInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(std::shared_ptr<GrpcServerMetrics> metrics) : metrics_(std::move(metrics)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    const bool streaming = info->type() != grpc::experimental::ServerRpcInfo::Type::UNARY;
    return new MetricsInterceptor(metrics_->ForMethod(info->method(), streaming), streaming);
  }

 private:
  const std::shared_ptr<GrpcServerMetrics> metrics_;
};

}  // namespace

namespace {

// The received / completed / duration families of one kind of call: "unary" or "stream".
absl::StatusOr<Families::Kind> RegisterKind(metrics::Registry& registry, std::string_view kind,
                                            std::string_view what) {
  const std::string prefix = absl::StrCat("grpc_server_", AsAbsl(kind));
  Families::Kind families;
  ASSIGN_OR_RETURN(families.received, registry.AddCounter(absl::StrCat(prefix, "_requests_received"),
                                                          absl::StrCat(AsAbsl(what), " gRPC calls started."),
                                                          {"service", "method"}));
  ASSIGN_OR_RETURN(families.completed,
                   registry.AddCounter(absl::StrCat(prefix, "_requests_completed"),
                                       absl::StrCat(AsAbsl(what), " gRPC calls ended, by status code."),
                                       {"service", "method", "code"}));
  ASSIGN_OR_RETURN(families.duration,
                   registry.AddHistogram(absl::StrCat(prefix, "_request_duration"),
                                         absl::StrCat("Seconds from a ", AsAbsl(kind),
                                                      " gRPC call's start to its end."),
                                         {"service", "method", "code"}));
  return families;
}

}  // namespace

absl::StatusOr<std::shared_ptr<GrpcServerMetrics>> RegisterGrpcServerMetrics(metrics::Registry& registry) {
  Families f;
  ASSIGN_OR_RETURN(f.unary, RegisterKind(registry, "unary", "Unary"));
  ASSIGN_OR_RETURN(f.stream, RegisterKind(registry, "stream", "Streaming"));
  ASSIGN_OR_RETURN(f.messages_received, registry.AddCounter("grpc_server_stream_messages_received",
                                                            "Messages read on gRPC streams.", {"service", "method"}));
  ASSIGN_OR_RETURN(f.messages_sent, registry.AddCounter("grpc_server_stream_messages_sent",
                                                        "Messages written on gRPC streams.", {"service", "method"}));
  return std::make_shared<GrpcServerMetrics>(f);
}

void ApplyServerMetrics(grpc::ServerBuilder& builder, std::shared_ptr<GrpcServerMetrics> server_metrics) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(std::make_unique<MetricsInterceptorFactory>(std::move(server_metrics)));
  builder.experimental().SetInterceptorCreators(std::move(creators));
}

}  // namespace careledger::nodeconfig
