#include "common/crypto/openssl_util.h"

#include <openssl/err.h>
#include <openssl/core_names.h>

#include <climits>

#include "absl/strings/str_cat.h"
#include "common/strings.h"

namespace careledger::crypto::internal {

absl::Status OpenSslError(absl::StatusCode code, std::string_view context) {
  std::string reasons;
  unsigned long e;
  while ((e = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    absl::StrAppend(&reasons, reasons.empty() ? "" : "; ", buf);
  }
  if (reasons.empty()) return absl::Status(code, std::string(context));
  return absl::Status(code, absl::StrCat(AsAbsl(context), " (", reasons, ")"));
}

void ClearOpenSslErrors() { ERR_clear_error(); }

BioPtr MemoryBio(std::string_view data) {
  // BIO_new_mem_buf takes an int length; larger inputs are not certificates or keys.
  if (data.size() > INT_MAX) return nullptr;
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<size_t>(len)) : std::string();
}

absl::Status ToAbslTime(const ASN1_TIME* t, absl::Time* out) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "unreadable ASN.1 time");
  }
  *out = absl::FromTM(tm, absl::UTCTimeZone());
  return absl::OkStatus();
}

absl::Status SetAsn1Time(ASN1_TIME* t, absl::Time when) {
  const int64_t seconds = absl::ToUnixSeconds(when);
  if (ASN1_TIME_set(t, static_cast<time_t>(seconds)) == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, absl::StrCat("cannot express time ", seconds));
  }
  return absl::OkStatus();
}

bool IsP256Key(const EVP_PKEY* pkey) {
  if (pkey == nullptr || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC) return false;
  char group[64];
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &len) != 1) {
    ClearOpenSslErrors();
    return false;
  }
  return std::string_view(group, len) == "prime256v1";
}

}  // namespace careledger::crypto::internal
