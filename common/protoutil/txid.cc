#include "common/protoutil/txid.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto/random.h"
#include "common/crypto/sha256.h"
#include "common/encoding/hex.h"
#include "common/status_macros.h"

namespace careledger::protoutil {
namespace {

// Enough to show any well-formed ID in full while keeping hostile input out of logs.
constexpr size_t kMaxShownTxIdLength = 80;

std::string ShownTxId(std::string_view tx_id) {
  if (tx_id.size() <= kMaxShownTxIdLength) return absl::CHexEscape(std::string(tx_id));
  return absl::StrCat(absl::CHexEscape(std::string(tx_id.substr(0, kMaxShownTxIdLength))), "... (", tx_id.size(),
                      " bytes)");
}

}  // namespace

std::string ComputeTxId(std::string_view nonce, std::string_view creator) {
  crypto::Sha256Hasher hasher;
  hasher.Update(nonce);
  hasher.Update(creator);
  return HexEncode(crypto::AsBytes(hasher.Finish()));
}

absl::Status CheckTxId(std::string_view tx_id, std::string_view nonce, std::string_view creator) {
  const std::string expected = ComputeTxId(nonce, creator);
  if (tx_id == expected) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("transaction ID \"", ShownTxId(tx_id),
                                                 "\" does not match its signature header: expected \"", expected,
                                                 "\" (hex SHA-256 of nonce || creator)"));
}

absl::StatusOr<std::string> CreateNonce() {
  absl::StatusOr<std::string> nonce = crypto::RandomBytes(kNonceSize);
  if (!nonce.ok()) return Annotate(nonce.status(), "creating a nonce");
  return nonce;
}

}  // namespace careledger::protoutil
