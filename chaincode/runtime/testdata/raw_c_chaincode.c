/* Test-only chaincode written in C against careledger/chaincode_abi.h alone, to show that the ABI is plain
 * C and to reach what the C++ adapter never does:
 *   silent          returns without calling set_response
 *   twice           answers twice (200 "first", then 201 "second")
 *   bad_utf8        answers 400 with a message that is not UTF-8
 *   bad_event       sets an event whose name is not UTF-8 and answers 200 with the host's error message
 *   bad_iterator    calls next_entry on an iterator it never opened and answers 200 with the error
 */
#include <string.h>

#include "careledger/chaincode_abi.h"

static int Equals(careledger_bytes bytes, const char* text) {
  return bytes.len == strlen(text) && memcmp(bytes.data, text, bytes.len) == 0;
}

static careledger_bytes Text(const char* text) {
  careledger_bytes bytes = {text, strlen(text)};
  return bytes;
}

static void Invoke(const careledger_host_v1* host, careledger_call* call, const careledger_invocation_v1* invocation) {
  careledger_bytes empty = {0, 0};
  careledger_bytes function = invocation->arg_count > 0 ? invocation->args[0] : empty;
  careledger_bytes error = {0, 0};
  if (Equals(function, "silent")) return;
  if (Equals(function, "twice")) {
    host->set_response(call, 200, Text("first"), empty);
    host->set_response(call, 201, Text("second"), empty);
    return;
  }
  if (Equals(function, "bad_utf8")) {
    host->set_response(call, 400, Text("bad \xff byte"), empty);
    return;
  }
  if (Equals(function, "bad_event")) {
    careledger_status status = host->set_event(call, Text("\xc3"), empty, &error);
    host->set_response(call, status == CARELEDGER_STATUS_INVALID ? 200 : 500, error, empty);
    return;
  }
  if (Equals(function, "bad_iterator")) {
    int32_t has = 0;
    careledger_entry entry;
    careledger_status status = host->next_entry(call, 77, &has, &entry, &error);
    host->set_response(call, status == CARELEDGER_STATUS_INVALID ? 200 : 500, error, empty);
    return;
  }
  host->set_response(call, 500, Text("unknown function"), empty);
}

static const careledger_chaincode_descriptor kDescriptor = {CARELEDGER_CHAINCODE_ABI_MAJOR,
                                                            CARELEDGER_CHAINCODE_ABI_MINOR, "raw_c", Invoke};

__attribute__((visibility("default"))) const careledger_chaincode_descriptor* careledger_chaincode_v1(void) {
  return &kDescriptor;
}
