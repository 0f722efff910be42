// Everything a chaincode author includes: the shim API (careledger/shim/*.h) and the export macro for
// shared-library chaincode. Depends on the C++ standard library alone; see docs/chaincode.md.
#ifndef CARELEDGER_SHIM_H_
#define CARELEDGER_SHIM_H_

#include "careledger/shim/chaincode.h"
#include "careledger/shim/chaincode_export.h"
#include "careledger/shim/chaincode_stub.h"
#include "careledger/shim/client_identity.h"
#include "careledger/shim/composite_key.h"
#include "careledger/shim/query.h"
#include "careledger/shim/response.h"
#include "careledger/shim/shim_error.h"

#endif  // CARELEDGER_SHIM_H_
