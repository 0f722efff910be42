// Internal to careledger_crypto: RAII owners for OpenSSL objects and error-queue reporting.
// Not part of the public API; only common/crypto/*.cc include it.
#ifndef CARELEDGER_COMMON_CRYPTO_OPENSSL_UTIL_H_
#define CARELEDGER_COMMON_CRYPTO_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

#include "absl/status/statusor.h"

namespace careledger::crypto {
class Certificate;
class Crl;
class PublicKey;
class PrivateKey;
}  // namespace careledger::crypto

namespace careledger::crypto::internal {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using BioPtr = Owned<BIO, BIO_free_all>;
using BignumPtr = Owned<BIGNUM, BN_free>;
using EcdsaSigPtr = Owned<ECDSA_SIG, ECDSA_SIG_free>;
using PkeyPtr = Owned<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtxPtr = Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using X509Ptr = Owned<X509, X509_free>;
using X509CrlPtr = Owned<X509_CRL, X509_CRL_free>;
using X509NamePtr = Owned<X509_NAME, X509_NAME_free>;
using X509StorePtr = Owned<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = Owned<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509ExtensionPtr = Owned<X509_EXTENSION, X509_EXTENSION_free>;
using Asn1IntegerPtr = Owned<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1OctetStringPtr = Owned<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Asn1ObjectPtr = Owned<ASN1_OBJECT, ASN1_OBJECT_free>;
using Asn1TimePtr = Owned<ASN1_TIME, ASN1_TIME_free>;
using Asn1TypePtr = Owned<ASN1_TYPE, ASN1_TYPE_free>;
using X509RevokedPtr = Owned<X509_REVOKED, X509_REVOKED_free>;

// Drains this thread's OpenSSL error queue into "context: reason; reason" and returns it with `code`.
// Every failing OpenSSL call must be followed by this (or ClearOpenSslErrors) so that stale errors never
// leak into an unrelated later call on the same thread.
absl::Status OpenSslError(absl::StatusCode code, std::string_view context);
void ClearOpenSslErrors();

// A read-only memory BIO over `data` (no copy; `data` must outlive the BIO).
BioPtr MemoryBio(std::string_view data);
// Everything written to a memory BIO so far.
std::string BioContents(BIO* bio);

// Conversions between ASN1_TIME and absl::Time. Returns InvalidArgument for times OpenSSL cannot express.
absl::Status ToAbslTime(const ASN1_TIME* t, absl::Time* out);
absl::Status SetAsn1Time(ASN1_TIME* t, absl::Time when);

// The OpenSSL keys inside our key types (owned by them; valid while the key object lives).
EVP_PKEY* PkeyOf(const PublicKey& key);
EVP_PKEY* PkeyOf(const PrivateKey& key);
X509* X509Of(const Certificate& cert);

// Wrap objects careledger_crypto has just built (the issuer) in our types, reading every field.
absl::StatusOr<Certificate> CertificateFromX509(X509Ptr x509);
absl::StatusOr<Crl> CrlFromX509Crl(X509CrlPtr crl);

// True if `pkey` is an EC key on the NIST P-256 curve.
bool IsP256Key(const EVP_PKEY* pkey);

}  // namespace careledger::crypto::internal

#endif  // CARELEDGER_COMMON_CRYPTO_OPENSSL_UTIL_H_
