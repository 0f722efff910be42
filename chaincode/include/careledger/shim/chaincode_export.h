// Runs a C++ shim::Chaincode behind the C ABI (careledger/chaincode_abi.h), header only.
//
// A shared-library chaincode exports itself with one line at global scope:
//
//   CARELEDGER_EXPORT_CHAINCODE(MyChaincode)
//
// and is compiled with -fvisibility=hidden, so that the entry point is its only exported symbol and its
// copies of these inline classes never mix with the peer's. A built-in chaincode (linked into the peer)
// hands MakeChaincodeDescriptor<MyChaincode>("name") to the runtime's registry instead; both run through
// the same code below, so a chaincode behaves the same built in or loaded.
//
// Boundary rules kept here: InvokeChaincode never lets an exception out (every one becomes an error
// response), copies every buffer the peer lends it before the next callback, and lends the peer only
// buffers that outlive the callback they are passed to.
#ifndef CARELEDGER_SHIM_CHAINCODE_EXPORT_H_
#define CARELEDGER_SHIM_CHAINCODE_EXPORT_H_

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "careledger/chaincode_abi.h"
#include "careledger/shim/chaincode.h"
#include "careledger/shim/chaincode_stub.h"
#include "careledger/shim/client_identity.h"
#include "careledger/shim/composite_key.h"
#include "careledger/shim/query.h"
#include "careledger/shim/response.h"
#include "careledger/shim/shim_error.h"

namespace careledger::shim {
namespace abi_internal {

inline std::string_view View(careledger_bytes bytes) {
  return bytes.len == 0 ? std::string_view() : std::string_view(bytes.data, bytes.len);
}
inline careledger_bytes Bytes(std::string_view text) { return careledger_bytes{text.data(), text.size()}; }
inline Timestamp ToTimestamp(careledger_timestamp t) { return Timestamp{t.seconds, t.nanos}; }

// What a stub shares with the iterators it opened: the call, and whether the invocation still runs (an
// iterator kept past its invocation must not call into a call the peer has finished).
struct CallLink {
  const careledger_host_v1* host;
  careledger_call* call;
  bool live;
};

[[noreturn]] inline void ThrowCallError(std::string_view operation, careledger_bytes error) {
  std::string message(operation);
  message += ": ";
  message += View(error);
  throw ShimError(message);
}

template <typename T>
class HostIterator : public QueryIterator<T> {
 public:
  HostIterator(std::shared_ptr<CallLink> link, careledger_iterator id) : link_(std::move(link)), id_(id) {}
  ~HostIterator() override { Release(); }
  HostIterator(const HostIterator&) = delete;
  HostIterator& operator=(const HostIterator&) = delete;

  bool HasNext() final {
    if (next_.has_value()) return true;
    if (id_ == 0) return false;
    if (!link_->live) throw ShimError("HasNext: the invocation that opened this iterator has ended");
    T value;
    if (!Fetch(*link_, id_, &value)) {
      Release();
      return false;
    }
    next_ = std::move(value);
    return true;
  }

  T Next() final {
    if (!HasNext()) throw ShimError("Next: no more results");
    T value = std::move(*next_);
    next_.reset();
    return value;
  }

  void Close() final {
    next_.reset();
    Release();
  }

 protected:
  // Fetches the next result into *out; false at the end. Throws ShimError when the peer refuses.
  virtual bool Fetch(const CallLink& link, careledger_iterator id, T* out) = 0;

 private:
  void Release() {
    if (id_ != 0 && link_->live) link_->host->close_iterator(link_->call, id_);
    id_ = 0;
  }

  std::shared_ptr<CallLink> link_;
  careledger_iterator id_;  // 0 once released
  std::optional<T> next_;   // fetched by HasNext, not yet returned by Next
};

class HostStateIterator final : public HostIterator<KV> {
 public:
  using HostIterator<KV>::HostIterator;
  ~HostStateIterator() override = default;

 private:
  bool Fetch(const CallLink& link, careledger_iterator id, KV* out) override {
    int32_t has = 0;
    careledger_entry entry{};
    careledger_bytes error{};
    if (link.host->next_entry(link.call, id, &has, &entry, &error) != CARELEDGER_STATUS_OK) {
      ThrowCallError("Next", error);
    }
    if (has == 0) return false;
    out->key.assign(View(entry.key));
    out->value.assign(View(entry.value));
    return true;
  }
};

class HostHistoryIterator final : public HostIterator<KeyModification> {
 public:
  using HostIterator<KeyModification>::HostIterator;
  ~HostHistoryIterator() override = default;

 private:
  bool Fetch(const CallLink& link, careledger_iterator id, KeyModification* out) override {
    int32_t has = 0;
    careledger_key_modification modification{};
    careledger_bytes error{};
    if (link.host->next_modification(link.call, id, &has, &modification, &error) != CARELEDGER_STATUS_OK) {
      ThrowCallError("Next", error);
    }
    if (has == 0) return false;
    out->tx_id.assign(View(modification.tx_id));
    out->value.assign(View(modification.value));
    out->timestamp = ToTimestamp(modification.timestamp);
    out->is_delete = modification.is_delete != 0;
    return true;
  }
};

// The ChaincodeStub of one invocation, over the peer's callbacks.
class HostStub final : public ChaincodeStub {
 public:
  HostStub(const careledger_host_v1* host, careledger_call* call, const careledger_invocation_v1* invocation)
      : link_(std::make_shared<CallLink>(CallLink{host, call, true})),
        invocation_(invocation),
        tx_id_(View(invocation->tx_id)),
        channel_id_(View(invocation->channel_id)) {
    args_.reserve(invocation->arg_count);
    for (size_t i = 0; i < invocation->arg_count; ++i) args_.emplace_back(View(invocation->args[i]));
  }
  ~HostStub() override { link_->live = false; }
  HostStub(const HostStub&) = delete;
  HostStub& operator=(const HostStub&) = delete;

  const std::vector<std::string>& GetArgs() const override { return args_; }
  const std::string& GetTxID() const override { return tx_id_; }
  const std::string& GetChannelID() const override { return channel_id_; }
  Timestamp GetTxTimestamp() const override { return ToTimestamp(invocation_->timestamp); }

  const std::string& GetCreator() const override {
    if (!creator_.has_value()) creator_.emplace(View(invocation_->creator_serialized_identity));
    return *creator_;
  }

  const ClientIdentity& GetClientIdentity() const override {
    if (!identity_.has_value()) {
      std::map<std::string, std::string, std::less<>> attributes;
      for (size_t i = 0; i < invocation_->creator_attribute_count; ++i) {
        const careledger_entry& entry = invocation_->creator_attributes[i];
        attributes.emplace(View(entry.key), View(entry.value));
      }
      identity_.emplace(std::string(View(invocation_->creator_msp_id)), std::string(View(invocation_->creator_id)),
                        std::string(View(invocation_->creator_certificate_pem)), std::move(attributes));
    }
    return *identity_;
  }

  const std::map<std::string, std::string, std::less<>>& GetTransient() const override {
    if (!transient_.has_value()) {
      transient_.emplace();
      for (size_t i = 0; i < invocation_->transient_count; ++i) {
        const careledger_entry& entry = invocation_->transient[i];
        transient_->emplace(View(entry.key), View(entry.value));
      }
    }
    return *transient_;
  }

  std::optional<std::string> GetState(std::string_view key) override {
    int32_t found = 0;
    careledger_bytes value{};
    careledger_bytes error{};
    if (host()->get_state(call(), Bytes(key), &found, &value, &error) != CARELEDGER_STATUS_OK) {
      ThrowCallError("GetState", error);
    }
    if (found == 0) return std::nullopt;
    return std::string(View(value));
  }

  void PutState(std::string_view key, std::string_view value) override {
    careledger_bytes error{};
    if (host()->put_state(call(), Bytes(key), Bytes(value), &error) != CARELEDGER_STATUS_OK) {
      ThrowCallError("PutState", error);
    }
  }

  void DelState(std::string_view key) override {
    careledger_bytes error{};
    if (host()->del_state(call(), Bytes(key), &error) != CARELEDGER_STATUS_OK) ThrowCallError("DelState", error);
  }

  std::unique_ptr<StateQueryIterator> GetStateByRange(std::string_view start_key, std::string_view end_key) override {
    return OpenRange("GetStateByRange", CARELEDGER_RANGE_SIMPLE, start_key, end_key, 0, {}).iterator;
  }

  PaginatedStateQuery GetStateByRangeWithPagination(std::string_view start_key, std::string_view end_key,
                                                    int32_t page_size, std::string_view bookmark) override {
    constexpr std::string_view kOperation = "GetStateByRangeWithPagination";
    CheckPageSize(kOperation, page_size);
    return OpenRange(kOperation, CARELEDGER_RANGE_SIMPLE, start_key, end_key, page_size, bookmark);
  }

  std::unique_ptr<StateQueryIterator> GetStateByPartialCompositeKey(
      std::string_view object_type, const std::vector<std::string>& attributes) override {
    const std::string start = CreateCompositeKey(object_type, attributes);
    const std::string end = start + std::string(kMaxUnicodeRuneUtf8);
    return OpenRange("GetStateByPartialCompositeKey", CARELEDGER_RANGE_COMPOSITE, start, end, 0, {}).iterator;
  }

  PaginatedStateQuery GetStateByPartialCompositeKeyWithPagination(std::string_view object_type,
                                                                  const std::vector<std::string>& attributes,
                                                                  int32_t page_size,
                                                                  std::string_view bookmark) override {
    constexpr std::string_view kOperation = "GetStateByPartialCompositeKeyWithPagination";
    CheckPageSize(kOperation, page_size);
    const std::string start = CreateCompositeKey(object_type, attributes);
    const std::string end = start + std::string(kMaxUnicodeRuneUtf8);
    return OpenRange(kOperation, CARELEDGER_RANGE_COMPOSITE, start, end, page_size, bookmark);
  }

  std::unique_ptr<HistoryQueryIterator> GetHistoryForKey(std::string_view key) override {
    careledger_iterator id = 0;
    careledger_bytes error{};
    if (host()->open_history(call(), Bytes(key), &id, &error) != CARELEDGER_STATUS_OK) {
      ThrowCallError("GetHistoryForKey", error);
    }
    return std::make_unique<HostHistoryIterator>(link_, id);
  }

  void SetEvent(std::string_view name, std::string_view payload) override {
    careledger_bytes error{};
    if (host()->set_event(call(), Bytes(name), Bytes(payload), &error) != CARELEDGER_STATUS_OK) {
      ThrowCallError("SetEvent", error);
    }
  }

 private:
  const careledger_host_v1* host() const { return link_->host; }
  careledger_call* call() const { return link_->call; }

  static void CheckPageSize(std::string_view operation, int32_t page_size) {
    if (page_size <= 0) {
      throw ShimError(std::string(operation) + ": page size must be greater than 0, got " + std::to_string(page_size));
    }
  }

  PaginatedStateQuery OpenRange(std::string_view operation, careledger_range_kind kind, std::string_view start,
                                std::string_view end, int32_t page_size, std::string_view bookmark) {
    careledger_iterator id = 0;
    int32_t fetched = 0;
    careledger_bytes next_bookmark{};
    careledger_bytes error{};
    if (host()->open_range(call(), kind, Bytes(start), Bytes(end), page_size, Bytes(bookmark), &id, &fetched,
                           &next_bookmark, &error) != CARELEDGER_STATUS_OK) {
      ThrowCallError(operation, error);
    }
    PaginatedStateQuery query;
    if (page_size > 0) query.metadata = QueryResponseMetadata{fetched, std::string(View(next_bookmark))};
    query.iterator = std::make_unique<HostStateIterator>(link_, id);
    return query;
  }

  std::shared_ptr<CallLink> link_;
  const careledger_invocation_v1* invocation_;
  std::vector<std::string> args_;
  std::string tx_id_;
  std::string channel_id_;
  // Built on first use: most invocations never look at them.
  mutable std::optional<std::string> creator_;
  mutable std::optional<ClientIdentity> identity_;
  mutable std::optional<std::map<std::string, std::string, std::less<>>> transient_;
};

inline void Answer(const careledger_host_v1* host, careledger_call* call, int32_t status, std::string_view message,
                   std::string_view payload) noexcept {
  host->set_response(call, status, Bytes(message), Bytes(payload));
}

inline void AnswerException(const careledger_host_v1* host, careledger_call* call, const char* what) noexcept {
  try {
    Answer(host, call, kError, std::string("chaincode threw an exception: ") + what, {});
  } catch (...) {  // out of memory while copying the message
    Answer(host, call, kError, "chaincode threw an exception", {});
  }
}

// The descriptor's invoke: one fresh T per invocation, every exception turned into an error response.
template <typename T>
void InvokeChaincode(const careledger_host_v1* host, careledger_call* call,
                     const careledger_invocation_v1* invocation) noexcept {
  try {
    Response response;
    {
      HostStub stub(host, call, invocation);
      T chaincode;
      response = invocation->is_init != 0 ? chaincode.Init(stub) : chaincode.Invoke(stub);
    }
    Answer(host, call, response.status, response.message, response.payload);
  } catch (const ShimError& error) {
    Answer(host, call, kError, error.what(), {});
  } catch (const std::exception& error) {
    AnswerException(host, call, error.what());
  } catch (...) {
    Answer(host, call, kError, "chaincode threw an exception that is not a std::exception", {});
  }
}

}  // namespace abi_internal

// The descriptor that runs chaincode type T (default-constructible, derived from Chaincode). `name` is
// informational (logs) and must outlive the descriptor (a string literal).
template <typename T>
constexpr careledger_chaincode_descriptor MakeChaincodeDescriptor(const char* name) {
  static_assert(std::is_base_of_v<Chaincode, T>, "a chaincode derives from careledger::shim::Chaincode");
  static_assert(std::is_default_constructible_v<T>, "the runtime constructs a chaincode per invocation");
  return careledger_chaincode_descriptor{CARELEDGER_CHAINCODE_ABI_MAJOR, CARELEDGER_CHAINCODE_ABI_MINOR, name,
                                         &abi_internal::InvokeChaincode<T>};
}

}  // namespace careledger::shim

// Exports chaincode type `Type` as this shared library's entry point (careledger_chaincode_v1). Use once
// per library, at global scope.
#define CARELEDGER_EXPORT_CHAINCODE(Type)                                                                           \
  extern "C" __attribute__((visibility("default"))) const careledger_chaincode_descriptor* careledger_chaincode_v1( \
      void) {                                                                                                       \
    static constexpr careledger_chaincode_descriptor kCareLedgerChaincodeDescriptor =                               \
        ::careledger::shim::MakeChaincodeDescriptor<Type>(#Type);                                                   \
    return &kCareLedgerChaincodeDescriptor;                                                                         \
  }

#endif  // CARELEDGER_SHIM_CHAINCODE_EXPORT_H_
