#include "common/protoutil/header_type.h"

#include "absl/strings/str_cat.h"
#include "common/common.pb.h"

namespace careledger::protoutil {

std::string HeaderTypeLabel(int32_t header_type) {
  if (!::common::HeaderType_IsValid(header_type)) return absl::StrCat("unknown (", header_type, ")");
  return absl::StrCat(::common::HeaderType_Name(static_cast<::common::HeaderType>(header_type)), " (", header_type,
                      ")");
}

}  // namespace careledger::protoutil
