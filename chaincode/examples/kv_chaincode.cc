// A sample chaincode built as a shared library (libkv_chaincode.so) from the public headers alone: no
// CareLedger internals, no absl, no protobuf. The runtime's tests load it; authors can start from it.
//
//   put KEY VALUE            PutState; the event "put" carries KEY
//   get KEY                  the value; an error when absent
//   del KEY                  DelState
//   range START END          "key=value\n" for every key in [START, END)
//   page START END SIZE BOOKMARK   one page of the range: "key=value\n"..., then "#fetched=N bookmark=B"
//   cpage TYPE SIZE BOOKMARK   one page of the composite keys of TYPE: "attr1/attr2\n"..., then "#bookmark=B"
//   history KEY              "txid:value\n" (or "txid:<deleted>\n"), newest first
//   whoami                   "MSPID role=ROLE" (role: the certificate attribute, "-" if none)
//   require_role ROLE        succeeds only if the creator's role attribute equals ROLE
//   transient NAME           the transient map's value for NAME
//   txinfo                   "CHANNEL TXID SECONDS.NANOS"
#include <string>
#include <vector>

#include "careledger/shim.h"

namespace {

using careledger::shim::ChaincodeStub;
using careledger::shim::Error;
using careledger::shim::Response;
using careledger::shim::Success;

class KvChaincode : public careledger::shim::Chaincode {
 public:
  Response Invoke(ChaincodeStub& stub) override {
    const auto [function, args] = stub.GetFunctionAndParameters();
    if (function == "put" && args.size() == 2) {
      stub.PutState(args[0], args[1]);
      stub.SetEvent("put", args[0]);
      return Success();
    }
    if (function == "get" && args.size() == 1) {
      std::optional<std::string> value = stub.GetState(args[0]);
      if (!value.has_value()) return Error("key " + args[0] + " not found");
      return Success(std::move(*value));
    }
    if (function == "del" && args.size() == 1) {
      stub.DelState(args[0]);
      return Success();
    }
    if (function == "range" && args.size() == 2) {
      std::string out;
      auto it = stub.GetStateByRange(args[0], args[1]);
      while (it->HasNext()) {
        const careledger::shim::KV kv = it->Next();
        out += kv.key + "=" + kv.value + "\n";
      }
      return Success(std::move(out));
    }
    if (function == "page" && args.size() == 4) {
      careledger::shim::PaginatedStateQuery page =
          stub.GetStateByRangeWithPagination(args[0], args[1], std::stoi(args[2]), args[3]);
      std::string out;
      while (page.iterator->HasNext()) {
        const careledger::shim::KV kv = page.iterator->Next();
        out += kv.key + "=" + kv.value + "\n";
      }
      out += "#fetched=" + std::to_string(page.metadata.fetched_records_count) + " bookmark=" + page.metadata.bookmark;
      return Success(std::move(out));
    }
    if (function == "cpage" && args.size() == 3) {
      careledger::shim::PaginatedStateQuery page =
          stub.GetStateByPartialCompositeKeyWithPagination(args[0], {}, std::stoi(args[1]), args[2]);
      std::string out;
      while (page.iterator->HasNext()) {
        const careledger::shim::CompositeKeyParts parts = stub.SplitCompositeKey(page.iterator->Next().key);
        for (size_t i = 0; i < parts.attributes.size(); ++i) out += (i == 0 ? "" : "/") + parts.attributes[i];
        out += "\n";
      }
      return Success(out + "#bookmark=" + page.metadata.bookmark);
    }
    if (function == "history" && args.size() == 1) {
      std::string out;
      auto it = stub.GetHistoryForKey(args[0]);
      while (it->HasNext()) {
        const careledger::shim::KeyModification modification = it->Next();
        out += modification.tx_id + ":" + (modification.is_delete ? "<deleted>" : modification.value) + "\n";
      }
      return Success(std::move(out));
    }
    if (function == "whoami" && args.empty()) {
      const careledger::shim::ClientIdentity& identity = stub.GetClientIdentity();
      return Success(identity.GetMSPID() + " role=" + identity.GetAttributeValue("role").value_or("-"));
    }
    if (function == "require_role" && args.size() == 1) {
      stub.GetClientIdentity().AssertAttributeValue("role", args[0]);
      return Success();
    }
    if (function == "transient" && args.size() == 1) {
      const auto& transient = stub.GetTransient();
      const auto it = transient.find(args[0]);
      if (it == transient.end()) return Error("no transient value " + args[0]);
      return Success(it->second);
    }
    if (function == "txinfo" && args.empty()) {
      const careledger::shim::Timestamp timestamp = stub.GetTxTimestamp();
      return Success(stub.GetChannelID() + " " + stub.GetTxID() + " " + std::to_string(timestamp.seconds) + "." +
                     std::to_string(timestamp.nanos));
    }
    return Error("unknown function or wrong argument count: " + function);
  }
};

}  // namespace

CARELEDGER_EXPORT_CHAINCODE(KvChaincode)
