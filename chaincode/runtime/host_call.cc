#include "chaincode/runtime/host_call.h"

#include <deque>
#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "careledger/shim/composite_key.h"
#include "chaincode/runtime/text.h"
#include "common/status_macros.h"
#include "common/strings.h"

namespace careledger::chaincode {
namespace {

careledger_bytes Bytes(std::string_view text) { return careledger_bytes{text.data(), text.size()}; }

std::string_view View(careledger_bytes bytes) {
  return bytes.len == 0 ? std::string_view() : std::string_view(bytes.data, bytes.len);
}

careledger_timestamp ToTimestamp(absl::Time time) {
  const int64_t seconds = absl::ToUnixSeconds(time);  // rounds down, so nanos is never negative
  const int64_t nanos = absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds));
  return careledger_timestamp{seconds, static_cast<int32_t>(nanos)};
}

// Fabric's rule for simple-key range bounds: a key starting with 0x00 is a composite key.
bool StartsWithNull(std::string_view key) { return !key.empty() && key.front() == '\x00'; }

}  // namespace

struct HostCall::OpenIterator {
  bool is_history = false;
  std::unique_ptr<ResultIterator<KeyValue>> range;           // an unpaginated range; null once exhausted
  std::deque<KeyValue> page;                                 // a paginated range: the page, fetched when opened
  std::unique_ptr<ResultIterator<KeyModification>> history;  // null once exhausted
};

// The C entry points of careledger_host_v1. Each turns the opaque call back into its HostCall and keeps
// C++ exceptions (only std::bad_alloc is expected) from unwinding into the chaincode's frames.
struct HostCallbacks {
  static HostCall* Self(careledger_call* call) { return reinterpret_cast<HostCall*>(call); }

  template <typename F>
  static careledger_status Guarded(careledger_call* call, careledger_bytes* error, F&& body) noexcept {
    try {
      return body(Self(call));
    } catch (...) {
    }
    static constexpr std::string_view kMessage = "the peer failed while answering the chaincode (out of memory)";
    try {
      HostCall* self = Self(call);
      std::lock_guard<std::mutex> lock(self->mu_);
      if (self->answer_.ledger_error.ok()) self->answer_.ledger_error = absl::InternalError(AsAbsl(kMessage));
    } catch (...) {
    }
    *error = Bytes(kMessage);
    return CARELEDGER_STATUS_FAILED;
  }

  static careledger_status GetState(careledger_call* call, careledger_bytes key, int32_t* found,
                                    careledger_bytes* value, careledger_bytes* error) {
    return Guarded(call, error, [&](HostCall* self) { return self->GetState(View(key), found, value, error); });
  }
  static careledger_status PutState(careledger_call* call, careledger_bytes key, careledger_bytes value,
                                    careledger_bytes* error) {
    return Guarded(call, error, [&](HostCall* self) { return self->PutState(View(key), View(value), error); });
  }
  static careledger_status DelState(careledger_call* call, careledger_bytes key, careledger_bytes* error) {
    return Guarded(call, error, [&](HostCall* self) { return self->DelState(View(key), error); });
  }
  static careledger_status OpenRange(careledger_call* call, careledger_range_kind kind, careledger_bytes start,
                                     careledger_bytes end, int32_t page_size, careledger_bytes bookmark,
                                     careledger_iterator* iterator, int32_t* fetched, careledger_bytes* next_bookmark,
                                     careledger_bytes* error) {
    return Guarded(call, error, [&](HostCall* self) {
      return self->OpenRange(kind, View(start), View(end), page_size, View(bookmark), iterator, fetched, next_bookmark,
                             error);
    });
  }
  static careledger_status NextEntry(careledger_call* call, careledger_iterator iterator, int32_t* has,
                                     careledger_entry* entry, careledger_bytes* error) {
    return Guarded(call, error, [&](HostCall* self) { return self->NextEntry(iterator, has, entry, error); });
  }
  static careledger_status OpenHistory(careledger_call* call, careledger_bytes key, careledger_iterator* iterator,
                                       careledger_bytes* error) {
    return Guarded(call, error, [&](HostCall* self) { return self->OpenHistory(View(key), iterator, error); });
  }
  static careledger_status NextModification(careledger_call* call, careledger_iterator iterator, int32_t* has,
                                            careledger_key_modification* modification, careledger_bytes* error) {
    return Guarded(call, error,
                   [&](HostCall* self) { return self->NextModification(iterator, has, modification, error); });
  }
  static void CloseIterator(careledger_call* call, careledger_iterator iterator) {
    careledger_bytes ignored{};
    Guarded(call, &ignored, [&](HostCall* self) {
      self->CloseIterator(iterator);
      return CARELEDGER_STATUS_OK;
    });
  }
  static careledger_status SetEvent(careledger_call* call, careledger_bytes name, careledger_bytes payload,
                                    careledger_bytes* error) {
    return Guarded(call, error, [&](HostCall* self) { return self->SetEvent(View(name), View(payload), error); });
  }
  static void SetResponse(careledger_call* call, int32_t status, careledger_bytes message, careledger_bytes payload) {
    careledger_bytes ignored{};
    Guarded(call, &ignored, [&](HostCall* self) {
      self->SetResponse(status, View(message), View(payload));
      return CARELEDGER_STATUS_OK;
    });
  }
};

const careledger_host_v1& HostCall::Callbacks() {
  static constexpr careledger_host_v1 kCallbacks = {
      sizeof(careledger_host_v1),    CARELEDGER_CHAINCODE_ABI_MINOR, &HostCallbacks::GetState,
      &HostCallbacks::PutState,      &HostCallbacks::DelState,       &HostCallbacks::OpenRange,
      &HostCallbacks::NextEntry,     &HostCallbacks::OpenHistory,    &HostCallbacks::NextModification,
      &HostCallbacks::CloseIterator, &HostCallbacks::SetEvent,       &HostCallbacks::SetResponse,
  };
  return kCallbacks;
}

HostCall::HostCall(const InvocationContext& context, bool copy_context, bool is_init, LedgerAccess* ledger)
    : ledger_(ledger) {
  if (copy_context) {
    owned_context_.emplace(context);
    BuildInvocation(*owned_context_, is_init);
  } else {
    BuildInvocation(context, is_init);
  }
}

HostCall::~HostCall() = default;

void HostCall::BuildInvocation(const InvocationContext& context, bool is_init) {
  args_.reserve(context.args.size());
  for (const std::string& arg : context.args) args_.push_back(Bytes(arg));
  transient_.reserve(context.transient.size());
  for (const auto& [key, value] : context.transient) transient_.push_back({Bytes(key), Bytes(value)});
  attributes_.reserve(context.creator.attributes.size());
  for (const auto& [name, value] : context.creator.attributes) attributes_.push_back({Bytes(name), Bytes(value)});

  invocation_.struct_size = sizeof(careledger_invocation_v1);
  invocation_.is_init = is_init ? 1 : 0;
  invocation_.channel_id = Bytes(context.channel_id);
  invocation_.tx_id = Bytes(context.tx_id);
  invocation_.timestamp = ToTimestamp(context.timestamp);
  invocation_.args = args_.data();
  invocation_.arg_count = args_.size();
  invocation_.transient = transient_.data();
  invocation_.transient_count = transient_.size();
  invocation_.creator_msp_id = Bytes(context.creator.msp_id);
  invocation_.creator_serialized_identity = Bytes(context.creator.serialized_identity);
  invocation_.creator_id = Bytes(context.creator.id);
  invocation_.creator_certificate_pem = Bytes(context.creator.certificate_pem);
  invocation_.creator_attributes = attributes_.data();
  invocation_.creator_attribute_count = attributes_.size();
}

void HostCall::Fence(std::string_view reason) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ledger_ == nullptr) return;
  ledger_ = nullptr;
  fence_reason_ = std::string(reason);
  iterators_.clear();  // the ledger's iterators die before the LedgerAccess may
}

HostCall::Answer HostCall::TakeAnswer() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::move(answer_);
}

careledger_status HostCall::Invalid(std::string message, careledger_bytes* error) {
  scratch_error_ = std::move(message);
  *error = Bytes(scratch_error_);
  return CARELEDGER_STATUS_INVALID;
}

careledger_status HostCall::LedgerFailed(std::string_view operation, const absl::Status& status,
                                         careledger_bytes* error) {
  if (answer_.ledger_error.ok()) answer_.ledger_error = Annotate(status, operation);
  scratch_error_ = absl::StrCat("the peer's ledger failed: ", status.ToString());
  *error = Bytes(scratch_error_);
  return CARELEDGER_STATUS_FAILED;
}

careledger_status HostCall::Fenced(careledger_bytes* error) {
  scratch_error_ = absl::StrCat("the peer no longer runs this invocation (", AsAbsl(fence_reason_),
                                "); the ledger cannot be reached");
  *error = Bytes(scratch_error_);
  return CARELEDGER_STATUS_FAILED;
}

careledger_status HostCall::GetState(std::string_view key, int32_t* found, careledger_bytes* value,
                                     careledger_bytes* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ledger_ == nullptr) return Fenced(error);
  absl::StatusOr<std::optional<std::string>> result = ledger_->GetState(key);
  if (!result.ok()) return LedgerFailed("GetState", result.status(), error);
  if (!result->has_value()) {
    *found = 0;
    return CARELEDGER_STATUS_OK;
  }
  scratch_value_ = std::move(**result);
  *found = 1;
  *value = Bytes(scratch_value_);
  return CARELEDGER_STATUS_OK;
}

careledger_status HostCall::ValidateWrite(std::string_view key, careledger_bytes* error) {
  if (key.empty()) return Invalid("key must not be an empty string", error);
  if (paginated_) {
    return Invalid(
        "this transaction ran a paginated query, and paginated queries are supported only in read-only "
        "transactions: no write is allowed after one",
        error);
  }
  return CARELEDGER_STATUS_OK;
}

careledger_status HostCall::PutState(std::string_view key, std::string_view value, careledger_bytes* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ledger_ == nullptr) return Fenced(error);
  if (const careledger_status status = ValidateWrite(key, error); status != CARELEDGER_STATUS_OK) return status;
  if (absl::Status status = ledger_->PutState(key, value); !status.ok()) {
    return LedgerFailed("PutState", status, error);
  }
  wrote_ = true;
  return CARELEDGER_STATUS_OK;
}

careledger_status HostCall::DelState(std::string_view key, careledger_bytes* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ledger_ == nullptr) return Fenced(error);
  if (const careledger_status status = ValidateWrite(key, error); status != CARELEDGER_STATUS_OK) return status;
  if (absl::Status status = ledger_->DelState(key); !status.ok()) return LedgerFailed("DelState", status, error);
  wrote_ = true;
  return CARELEDGER_STATUS_OK;
}

careledger_status HostCall::OpenRange(careledger_range_kind kind, std::string_view start, std::string_view end,
                                      int32_t page_size, std::string_view bookmark, careledger_iterator* iterator,
                                      int32_t* fetched, careledger_bytes* next_bookmark, careledger_bytes* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ledger_ == nullptr) return Fenced(error);
  std::string start_key(start);
  const std::string end_key(end);
  if (kind == CARELEDGER_RANGE_SIMPLE) {
    if (start_key.empty()) start_key = std::string(shim::kEmptyKeySubstitute);
    for (const std::string_view key : {std::string_view(start_key), std::string_view(end_key)}) {
      if (StartsWithNull(key)) {
        return Invalid(absl::StrCat("first character of the key [", PrintableKey(key),
                                    "] contains a null character which is not allowed"),
                       error);
      }
    }
  } else if (kind == CARELEDGER_RANGE_COMPOSITE) {
    if (!StartsWithNull(start_key)) {
      return Invalid(absl::StrCat("a composite-key range starts with a partial composite key (0x00 ...), not [",
                                  PrintableKey(start_key), "]"),
                     error);
    }
  } else {
    return Invalid(absl::StrCat("unknown range kind ", kind), error);
  }
  if (page_size < 0) return Invalid(absl::StrCat("page size must not be negative, got ", page_size), error);
  const bool paginated = page_size > 0;
  if (paginated) {
    if (wrote_) {
      return Invalid("paginated queries are supported only in read-only transactions, and this transaction has written",
                     error);
    }
    if (!bookmark.empty()) {
      if (bookmark < start_key || (!end_key.empty() && bookmark >= end_key)) {
        return Invalid(absl::StrCat("bookmark [", PrintableKey(bookmark), "] is outside the range [",
                                    PrintableKey(start_key), ", ", PrintableKey(end_key), ")"),
                       error);
      }
      start_key = std::string(bookmark);
    }
  }

  absl::StatusOr<std::unique_ptr<ResultIterator<KeyValue>>> range = ledger_->GetStateByRange(start_key, end_key);
  if (!range.ok()) return LedgerFailed("GetStateByRange", range.status(), error);
  auto open = std::make_unique<OpenIterator>();
  if (paginated) {
    paginated_ = true;
    // One result past the page names the next page's first key: Fabric's bookmark.
    std::optional<KeyValue> next;
    while (true) {
      absl::StatusOr<std::optional<KeyValue>> result = (*range)->Next();
      if (!result.ok()) return LedgerFailed("GetStateByRange", result.status(), error);
      if (!result->has_value()) break;
      if (open->page.size() == static_cast<size_t>(page_size)) {
        next = std::move(*result);
        break;
      }
      open->page.push_back(std::move(**result));
    }
    *fetched = static_cast<int32_t>(open->page.size());
    scratch_key_ = next.has_value() ? std::move(next->key) : std::string();
    *next_bookmark = Bytes(scratch_key_);
  } else {
    open->range = std::move(*range);
    *fetched = 0;
    *next_bookmark = careledger_bytes{nullptr, 0};
  }
  *iterator = next_iterator_++;
  iterators_.emplace(*iterator, std::move(open));
  return CARELEDGER_STATUS_OK;
}

careledger_status HostCall::NextEntry(careledger_iterator iterator, int32_t* has, careledger_entry* entry,
                                      careledger_bytes* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ledger_ == nullptr) return Fenced(error);
  const auto it = iterators_.find(iterator);
  if (it == iterators_.end() || it->second->is_history) {
    return Invalid(absl::StrCat("no open range query has iterator ", iterator), error);
  }
  OpenIterator& open = *it->second;
  std::optional<KeyValue> next;
  if (open.range != nullptr) {
    absl::StatusOr<std::optional<KeyValue>> result = open.range->Next();
    if (!result.ok()) return LedgerFailed("GetStateByRange", result.status(), error);
    next = std::move(*result);
    if (!next.has_value()) open.range.reset();
  } else if (!open.page.empty()) {
    next = std::move(open.page.front());
    open.page.pop_front();
  }
  if (!next.has_value()) {
    *has = 0;
    return CARELEDGER_STATUS_OK;
  }
  scratch_key_ = std::move(next->key);
  scratch_value_ = std::move(next->value);
  *has = 1;
  *entry = careledger_entry{Bytes(scratch_key_), Bytes(scratch_value_)};
  return CARELEDGER_STATUS_OK;
}

careledger_status HostCall::OpenHistory(std::string_view key, careledger_iterator* iterator, careledger_bytes* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ledger_ == nullptr) return Fenced(error);
  absl::StatusOr<std::unique_ptr<ResultIterator<KeyModification>>> history = ledger_->GetHistoryForKey(key);
  if (!history.ok()) return LedgerFailed("GetHistoryForKey", history.status(), error);
  auto open = std::make_unique<OpenIterator>();
  open->is_history = true;
  open->history = std::move(*history);
  *iterator = next_iterator_++;
  iterators_.emplace(*iterator, std::move(open));
  return CARELEDGER_STATUS_OK;
}

careledger_status HostCall::NextModification(careledger_iterator iterator, int32_t* has,
                                             careledger_key_modification* modification, careledger_bytes* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (ledger_ == nullptr) return Fenced(error);
  const auto it = iterators_.find(iterator);
  if (it == iterators_.end() || !it->second->is_history) {
    return Invalid(absl::StrCat("no open history query has iterator ", iterator), error);
  }
  OpenIterator& open = *it->second;
  if (open.history == nullptr) {
    *has = 0;
    return CARELEDGER_STATUS_OK;
  }
  absl::StatusOr<std::optional<KeyModification>> result = open.history->Next();
  if (!result.ok()) return LedgerFailed("GetHistoryForKey", result.status(), error);
  if (!result->has_value()) {
    open.history.reset();
    *has = 0;
    return CARELEDGER_STATUS_OK;
  }
  KeyModification& next = **result;
  scratch_tx_id_ = std::move(next.tx_id);
  scratch_value_ = std::move(next.value);
  *has = 1;
  *modification = careledger_key_modification{Bytes(scratch_tx_id_), Bytes(scratch_value_), ToTimestamp(next.timestamp),
                                              next.is_delete ? 1 : 0};
  return CARELEDGER_STATUS_OK;
}

void HostCall::CloseIterator(careledger_iterator iterator) {
  std::lock_guard<std::mutex> lock(mu_);
  iterators_.erase(iterator);
}

careledger_status HostCall::SetEvent(std::string_view name, std::string_view payload, careledger_bytes* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (name.empty()) return Invalid("event name can not be empty string", error);
  if (!IsValidUtf8(name)) {
    return Invalid(absl::StrCat("event name [", PrintableKey(name), "] is not valid UTF-8"), error);
  }
  answer_.has_event = true;
  answer_.event_name = std::string(name);
  answer_.event_payload = std::string(payload);
  return CARELEDGER_STATUS_OK;
}

void HostCall::SetResponse(int32_t status, std::string_view message, std::string_view payload) {
  std::lock_guard<std::mutex> lock(mu_);
  answer_.has_response = true;
  answer_.status = status;
  answer_.message = std::string(message);
  answer_.payload = std::string(payload);
}

}  // namespace careledger::chaincode
