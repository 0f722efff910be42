/* The C ABI between a CareLedger peer and a chaincode built as a shared library.
 *
 * A chaincode library exports one function, careledger_chaincode_v1, that returns a pointer to a static
 * careledger_chaincode_descriptor. The peer loads the library (after checking its SHA-256 against the
 * committed chaincode definition), calls that function once, checks abi_major, and from then on calls
 * descriptor->invoke for every proposal, possibly from several threads at once.
 *
 * Only plain C crosses this boundary: integers, pointers to static function tables and (pointer, length)
 * byte buffers. No C++ object, allocator or exception crosses it, so a library built by another compiler
 * version against this header works with any peer of the same ABI major. C++ authors never use this
 * header directly: careledger/shim/chaincode_export.h turns a shim::Chaincode into a descriptor with one
 * macro.
 *
 * Versioning. CARELEDGER_CHAINCODE_ABI_MAJOR changes when anything here changes incompatibly; the entry
 * point's name carries the major (a v2 library exports careledger_chaincode_v2), and the peer refuses a
 * descriptor whose abi_major differs from its own. Minor versions only append: new host callbacks go at the
 * end of careledger_host_v1 and new invocation fields at the end of careledger_invocation_v1; each of those
 * structs starts with its struct_size, so a chaincode checks that a field it needs lies inside struct_size
 * before using it. Existing fields never move or change meaning within a major.
 *
 * Ownership, in both directions: every careledger_bytes is borrowed. Buffers the peer hands to the
 * chaincode (the invocation, and the out-parameters of callbacks) stay valid until the chaincode's next
 * host callback on the same call, or until invoke returns, whichever comes first; invocation fields stay
 * valid for the whole invoke. Buffers the chaincode hands to the peer (keys, values, the response) need
 * only live for the duration of that one callback: the peer copies what it keeps. Nobody ever frees a
 * buffer it did not allocate.
 *
 * Threads. The peer may run invoke on several threads at once, each with its own careledger_call. A
 * chaincode calls the host only from the thread that runs invoke, one callback at a time, and never after
 * invoke returned. After the peer gave up on an invocation (time limit), every callback of that call fails
 * with an error; invoke should then return as soon as it can.
 */
#ifndef CARELEDGER_CHAINCODE_ABI_H_
#define CARELEDGER_CHAINCODE_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CARELEDGER_CHAINCODE_ABI_MAJOR 1
#define CARELEDGER_CHAINCODE_ABI_MINOR 0

/* The name of the symbol a chaincode library exports (see careledger_chaincode_entry_fn). */
#define CARELEDGER_CHAINCODE_ENTRY_SYMBOL "careledger_chaincode_v1"

/* A borrowed byte string; data may be NULL when len is 0. Not NUL-terminated. */
typedef struct careledger_bytes {
  const char* data;
  size_t len;
} careledger_bytes;

/* One key and value (transient map entries, certificate attributes, range query results). */
typedef struct careledger_entry {
  careledger_bytes key;
  careledger_bytes value;
} careledger_entry;

/* Frozen values: the result of every fallible host callback. */
typedef int32_t careledger_status;
#define CARELEDGER_STATUS_OK 0
/* The call failed; *error holds the reason. The chaincode may go on (a refused key, a misuse of the API). */
#define CARELEDGER_STATUS_INVALID 1
/* The peer failed to reach its ledger, or gave up on this invocation. The invocation will be answered
 * with an error whatever the chaincode returns; the chaincode should return promptly. */
#define CARELEDGER_STATUS_FAILED 2

/* Frozen values: what open_range queries. */
typedef int32_t careledger_range_kind;
/* Simple keys: an empty start means the first simple key ("\x01"), an empty end means no upper bound;
 * neither may start with "\x00". */
#define CARELEDGER_RANGE_SIMPLE 0
/* Composite keys: start must begin with "\x00" (a partial composite key), end is start + U+10FFFF. */
#define CARELEDGER_RANGE_COMPOSITE 1

/* The peer's per-invocation state; opaque to the chaincode. */
typedef struct careledger_call careledger_call;

/* An open query on the peer's side of one call; 0 is never a valid iterator. */
typedef uint64_t careledger_iterator;

/* Time as google.protobuf.Timestamp: seconds since the Unix epoch and nanoseconds in [0, 1e9). */
typedef struct careledger_timestamp {
  int64_t seconds;
  int32_t nanos;
} careledger_timestamp;

/* One committed write of a key (Fabric's KeyModification). */
typedef struct careledger_key_modification {
  careledger_bytes tx_id;
  careledger_bytes value; /* empty for a delete */
  careledger_timestamp timestamp;
  int32_t is_delete;
} careledger_key_modification;

/* Everything the peer tells the chaincode about one invocation. Borrowed for the whole invoke. */
typedef struct careledger_invocation_v1 {
  uint32_t struct_size; /* sizeof(careledger_invocation_v1) as the peer was built */
  int32_t is_init;      /* 1: call Init (a Fabric 2 definition with init required), 0: Invoke */
  careledger_bytes channel_id;
  careledger_bytes tx_id;
  careledger_timestamp timestamp; /* the proposal's channel-header timestamp */
  const careledger_bytes* args;   /* args[0] is the function name by convention */
  size_t arg_count;
  const careledger_entry* transient;
  size_t transient_count;
  /* The creator, as the peer's MSP verified it. */
  careledger_bytes creator_msp_id;
  careledger_bytes creator_serialized_identity; /* msp.SerializedIdentity bytes */
  careledger_bytes creator_id;                  /* Fabric's client identity ID */
  careledger_bytes creator_certificate_pem;
  const careledger_entry* creator_attributes; /* sorted by name, names unique */
  size_t creator_attribute_count;
} careledger_invocation_v1;

/* The peer's callbacks. On CARELEDGER_STATUS_OK the out-parameters are set; on any other status *error
 * (never NULL) holds a message and the out-parameters are unspecified. */
typedef struct careledger_host_v1 {
  uint32_t struct_size; /* sizeof(careledger_host_v1) as the peer was built */
  uint32_t abi_minor;   /* CARELEDGER_CHAINCODE_ABI_MINOR of the peer */

  /* The committed value of key: *found is 1 and *value set, or *found is 0. A transaction does not read
   * its own writes. */
  careledger_status (*get_state)(careledger_call* call, careledger_bytes key, int32_t* found, careledger_bytes* value,
                                 careledger_bytes* error);
  /* Records a write of key (not empty). */
  careledger_status (*put_state)(careledger_call* call, careledger_bytes key, careledger_bytes value,
                                 careledger_bytes* error);
  /* Records a delete of key (not empty). */
  careledger_status (*del_state)(careledger_call* call, careledger_bytes key, careledger_bytes* error);

  /* Opens a range query over [start, end) (see careledger_range_kind). page_size 0: every key of the range;
   * page_size > 0: a page of at most page_size keys starting at bookmark (or at start when bookmark is
   * empty), in which case *fetched and *next_bookmark describe the page (next_bookmark empty when the
   * range has no more keys). Paginated queries are allowed only in transactions that write nothing. */
  careledger_status (*open_range)(careledger_call* call, careledger_range_kind kind, careledger_bytes start,
                                  careledger_bytes end, int32_t page_size, careledger_bytes bookmark,
                                  careledger_iterator* iterator, int32_t* fetched, careledger_bytes* next_bookmark,
                                  careledger_bytes* error);
  /* The next key and value of a range query in ascending key order; *has is 0 at the end. */
  careledger_status (*next_entry)(careledger_call* call, careledger_iterator iterator, int32_t* has,
                                  careledger_entry* entry, careledger_bytes* error);
  /* Opens the history of key, newest write first. */
  careledger_status (*open_history)(careledger_call* call, careledger_bytes key, careledger_iterator* iterator,
                                    careledger_bytes* error);
  /* The next write of a history query; *has is 0 at the end. */
  careledger_status (*next_modification)(careledger_call* call, careledger_iterator iterator, int32_t* has,
                                         careledger_key_modification* modification, careledger_bytes* error);
  /* Releases an iterator early; every iterator is released when invoke returns anyway. Unknown iterators
   * are ignored. */
  void (*close_iterator)(careledger_call* call, careledger_iterator iterator);

  /* Sets the transaction's event (one per transaction: a later call replaces it). name must be non-empty
   * UTF-8. */
  careledger_status (*set_event)(careledger_call* call, careledger_bytes name, careledger_bytes payload,
                                 careledger_bytes* error);
  /* The chaincode's answer: status (200 OK, 400 and above an error), message, payload. Exactly one call
   * per invoke; a later one replaces the earlier, none at all is an error response. */
  void (*set_response)(careledger_call* call, int32_t status, careledger_bytes message, careledger_bytes payload);
} careledger_host_v1;

/* What a chaincode library provides. Static: lives as long as the library. */
typedef struct careledger_chaincode_descriptor {
  uint32_t abi_major; /* CARELEDGER_CHAINCODE_ABI_MAJOR the library was built against */
  uint32_t abi_minor;
  const char* name; /* informational (logs); NUL-terminated */
  /* Runs one invocation and answers through host->set_response. Must return normally: never throw,
   * longjmp or exit. Called concurrently from several threads. */
  void (*invoke)(const careledger_host_v1* host, careledger_call* call, const careledger_invocation_v1* invocation);
} careledger_chaincode_descriptor;

/* The type of the exported entry point careledger_chaincode_v1. Returns the library's descriptor. */
typedef const careledger_chaincode_descriptor* (*careledger_chaincode_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CARELEDGER_CHAINCODE_ABI_H_ */
