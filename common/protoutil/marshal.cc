#include "common/protoutil/marshal.h"

#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace careledger::protoutil {

absl::StatusOr<std::string> Marshal(const google::protobuf::MessageLite& message, std::string_view what) {
  const size_t size = message.ByteSizeLong();
  if (size > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(what), " (", message.GetTypeName(), ") would be ", size,
                                                   " bytes, over protobuf's 2 GiB limit"));
  }
  std::string out;
  out.reserve(size);
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    // ByteSizeLong above cached the sizes this call relies on.
    message.SerializeWithCachedSizes(&coded);
    if (coded.HadError()) {
      return absl::InternalError(
          absl::StrCat("could not serialize ", std::string(what), " (", message.GetTypeName(), ")"));
    }
  }
  return out;
}

}  // namespace careledger::protoutil
