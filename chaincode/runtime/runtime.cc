#include "chaincode/runtime/runtime.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "chaincode/runtime/host_call.h"
#include "chaincode/runtime/text.h"
#include "common/strings.h"

namespace careledger::chaincode {
namespace {

InvocationResult ErrorResult(std::string message) {
  InvocationResult result;
  result.response.set_status(500);
  result.response.set_message(ToValidUtf8(message));
  return result;
}

InvocationResult ToResult(HostCall::Answer answer, std::string_view chaincode_name, const InvocationContext& context) {
  if (!answer.ledger_error.ok()) {
    InvocationResult result =
        ErrorResult(absl::StrCat("chaincode ", AsAbsl(chaincode_name),
                                 ": the peer's ledger failed during the invocation: ", answer.ledger_error.ToString()));
    result.ledger_error = std::move(answer.ledger_error);
    return result;
  }
  if (!answer.has_response) {
    return ErrorResult(absl::StrCat("chaincode ", AsAbsl(chaincode_name), " returned no response"));
  }
  InvocationResult result;
  result.response.set_status(answer.status);
  result.response.set_message(ToValidUtf8(answer.message));
  result.response.set_payload(std::move(answer.payload));
  if (answer.has_event && answer.status < 400) {
    ::protos::ChaincodeEvent& event = result.event.emplace();
    event.set_chaincode_id(ToValidUtf8(chaincode_name));
    event.set_tx_id(ToValidUtf8(context.tx_id));
    event.set_event_name(std::move(answer.event_name));  // checked UTF-8 by set_event
    event.set_payload(std::move(answer.event_payload));
  }
  return result;
}

}  // namespace

Runtime::Runtime(Options options)
    : workers_(InvocationWorkers::Options{options.max_workers, options.max_stuck_workers}), log_("chaincode.runtime") {}

absl::StatusOr<InvocationResult> Runtime::Invoke(const Executable& code, std::string_view chaincode_name,
                                                 const InvocationContext& context, LedgerAccess& ledger,
                                                 const InvokeOptions& options) {
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("a chaincode time limit must be positive, got ", absl::FormatDuration(options.timeout)));
  }
  const careledger_chaincode_descriptor* descriptor = &code.descriptor();  // static: outlives any worker

  if (options.timeout == absl::InfiniteDuration()) {
    HostCall call(context, /*copy_context=*/false, options.is_init, &ledger);
    descriptor->invoke(&HostCall::Callbacks(), call.handle(), &call.invocation());
    call.Fence("the invocation returned");
    return ToResult(call.TakeAnswer(), chaincode_name, context);
  }

  // The worker may outlive this call (time limit), so it shares the call and its own copy of the context.
  auto call = std::make_shared<HostCall>(context, /*copy_context=*/true, options.is_init, &ledger);
  absl::StatusOr<InvocationWorkers::Outcome> outcome = workers_.Run(
      [call, descriptor] { descriptor->invoke(&HostCall::Callbacks(), call->handle(), &call->invocation()); },
      options.timeout);
  if (!outcome.ok()) {
    call->Fence("the invocation never started");
    return outcome.status();
  }
  const std::string limit = absl::FormatDuration(options.timeout);
  switch (*outcome) {
    case InvocationWorkers::Outcome::kFinished:
      call->Fence("the invocation returned");
      return ToResult(call->TakeAnswer(), chaincode_name, context);
    case InvocationWorkers::Outcome::kExpiredQueued:
      call->Fence("the invocation never started");
      log_.Warn("chaincode invocation expired waiting for a worker",
                {{"chaincode", chaincode_name}, {"tx_id", context.tx_id}, {"timeout", options.timeout}});
      return ErrorResult(absl::StrCat("chaincode ", AsAbsl(chaincode_name), " did not start within its time limit of ",
                                      limit, ": every chaincode worker was busy"));
    case InvocationWorkers::Outcome::kExpiredRunning:
      call->Fence(absl::StrCat("it ran past its time limit of ", limit));
      log_.Warn("chaincode invocation timed out; its worker is stuck until the chaincode returns",
                {{"chaincode", chaincode_name},
                 {"tx_id", context.tx_id},
                 {"timeout", options.timeout},
                 {"stuck_workers", workers_.stuck_workers()}});
      return ErrorResult(absl::StrCat("chaincode ", AsAbsl(chaincode_name), " timed out after ", limit));
  }
  return absl::InternalError("unknown chaincode invocation outcome");
}

}  // namespace careledger::chaincode
