#include "common/crypto/x509.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/crypto/openssl_util.h"

namespace careledger::crypto {

using internal::BioPtr;
using internal::OpenSslError;
using internal::X509CrlPtr;
using internal::X509Ptr;

struct Certificate::Impl {
  explicit Impl(PublicKey key) : public_key(std::move(key)) {}
  X509Ptr x509;
  std::string der;
  PublicKey public_key;
  DistinguishedName subject;
  DistinguishedName issuer;
  std::string serial_number;
  absl::Time not_before;
  absl::Time not_after;
  bool is_ca = false;
  std::string subject_key_id;
  std::string authority_key_id;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
};

struct Crl::Impl {
  X509CrlPtr crl;
  std::string der;
  DistinguishedName issuer;
  std::string authority_key_id;
  absl::Time this_update;
  std::optional<absl::Time> next_update;
  std::vector<std::string> revoked_serials;  // sorted
};

struct ChainVerifier::Impl {
  internal::X509StorePtr store;
  STACK_OF(X509) * intermediates = nullptr;
  std::vector<Certificate> roots;  // keep the X509 objects the store refers to alive
  std::vector<Certificate> intermediate_certs;
  ~Impl() { sk_X509_free(intermediates); }  // the X509s are owned by intermediate_certs
};

namespace {

constexpr size_t kMaxPemSize = 1 << 20;  // far above any certificate bundle an MSP holds

std::string Asn1StringBytes(const ASN1_STRING* s) {
  if (s == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
}

std::string SerialBytes(const ASN1_INTEGER* serial) {
  internal::BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (bn == nullptr) return {};
  std::string out(BN_num_bytes(bn.get()), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

absl::StatusOr<DistinguishedName> ReadName(const X509_NAME* name) {
  DistinguishedName dn;
  const int count = X509_NAME_entry_count(name);
  for (int i = 0; i < count; ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
    if (len < 0) return OpenSslError(absl::StatusCode::kInvalidArgument, "unreadable name attribute");
    std::string value(reinterpret_cast<char*>(utf8), len);
    OPENSSL_free(utf8);
    switch (OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))) {
      case NID_commonName: dn.common_name = std::move(value); break;
      case NID_organizationName: dn.organization = std::move(value); break;
      case NID_organizationalUnitName: dn.organizational_units.push_back(std::move(value)); break;
      case NID_countryName: dn.country = std::move(value); break;
      case NID_stateOrProvinceName: dn.state = std::move(value); break;
      case NID_localityName: dn.locality = std::move(value); break;
      default: break;
    }
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "cannot print name");
  }
  dn.one_line = internal::BioContents(bio.get());
  return dn;
}

absl::Status ReadSubjectAltNames(X509* x509, Certificate::Impl* impl) {
  int critical = 0;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x509, NID_subject_alt_name, &critical, nullptr));
  if (names == nullptr) {
    // -1: absent; anything else: present but malformed.
    if (critical != -1) return OpenSslError(absl::StatusCode::kInvalidArgument, "malformed subjectAltName");
    internal::ClearOpenSslErrors();
    return absl::OkStatus();
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
    if (gn->type == GEN_DNS) {
      impl->dns_names.push_back(Asn1StringBytes(gn->d.dNSName));
    } else if (gn->type == GEN_IPADD) {
      const std::string raw = Asn1StringBytes(gn->d.iPAddress);
      char text[INET6_ADDRSTRLEN] = {};
      const int family = raw.size() == 4 ? AF_INET : raw.size() == 16 ? AF_INET6 : -1;
      if (family < 0 || inet_ntop(family, raw.data(), text, sizeof(text)) == nullptr) {
        GENERAL_NAMES_free(names);
        return absl::InvalidArgumentError("subjectAltName has an IP address of invalid length");
      }
      impl->ip_addresses.emplace_back(text);
    }
  }
  GENERAL_NAMES_free(names);
  return absl::OkStatus();
}

}  // namespace

namespace internal {

X509* X509Of(const Certificate& cert) { return cert.impl().x509.get(); }

// Reads every field once, at parse time, so accessors are plain loads.
absl::StatusOr<Certificate> CertificateFromX509(X509Ptr x509) {
  // Forces OpenSSL to parse the extensions now; a malformed extension flags the certificate invalid.
  if (X509_check_purpose(x509.get(), -1, 0) != 1 || (X509_get_extension_flags(x509.get()) & EXFLAG_INVALID)) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "certificate has malformed extensions");
  }

  EVP_PKEY* pkey = X509_get0_pubkey(x509.get());
  if (pkey == nullptr) return OpenSslError(absl::StatusCode::kInvalidArgument, "certificate has no readable key");
  if (!internal::IsP256Key(pkey)) return absl::InvalidArgumentError("certificate key is not ECDSA P-256");
  unsigned char* spki = nullptr;
  const int spki_len = i2d_PUBKEY(pkey, &spki);
  if (spki_len <= 0) return OpenSslError(absl::StatusCode::kInvalidArgument, "cannot encode certificate key");
  auto public_key = PublicKey::FromDer(std::string_view(reinterpret_cast<char*>(spki), spki_len));
  OPENSSL_free(spki);
  if (!public_key.ok()) return public_key.status();
  auto impl = std::make_shared<Certificate::Impl>(*std::move(public_key));

  unsigned char* der = nullptr;
  const int der_len = i2d_X509(x509.get(), &der);
  if (der_len <= 0) return OpenSslError(absl::StatusCode::kInvalidArgument, "cannot encode certificate");
  impl->der.assign(reinterpret_cast<char*>(der), der_len);
  OPENSSL_free(der);

  auto subject = ReadName(X509_get_subject_name(x509.get()));
  if (!subject.ok()) return subject.status();
  auto issuer = ReadName(X509_get_issuer_name(x509.get()));
  if (!issuer.ok()) return issuer.status();
  absl::Status st = internal::ToAbslTime(X509_get0_notBefore(x509.get()), &impl->not_before);
  if (st.ok()) st = internal::ToAbslTime(X509_get0_notAfter(x509.get()), &impl->not_after);
  if (!st.ok()) return absl::InvalidArgumentError(absl::StrCat("certificate validity: ", st.message()));
  st = ReadSubjectAltNames(x509.get(), impl.get());
  if (!st.ok()) return st;

  impl->subject = *std::move(subject);
  impl->issuer = *std::move(issuer);
  impl->serial_number = SerialBytes(X509_get0_serialNumber(x509.get()));
  impl->is_ca = (X509_get_extension_flags(x509.get()) & EXFLAG_CA) != 0;
  impl->subject_key_id = Asn1StringBytes(X509_get0_subject_key_id(x509.get()));
  impl->authority_key_id = Asn1StringBytes(X509_get0_authority_key_id(x509.get()));
  impl->x509 = std::move(x509);
  return Certificate(std::move(impl));
}

}  // namespace internal

namespace {

bool IsNoMorePemError() {
  const unsigned long e = ERR_peek_last_error();
  return ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
}

}  // namespace

// ---- Certificate ----

absl::StatusOr<std::vector<Certificate>> Certificate::ParsePemBundle(std::string_view pem) {
  if (pem.size() > kMaxPemSize) return absl::InvalidArgumentError("certificate PEM is larger than 1 MiB");
  BioPtr bio = internal::MemoryBio(pem);
  std::vector<Certificate> certs;
  while (true) {
    X509Ptr x509(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (x509 == nullptr) {
      if (IsNoMorePemError()) {
        internal::ClearOpenSslErrors();
        break;
      }
      return OpenSslError(absl::StatusCode::kInvalidArgument,
                          absl::StrCat("certificate ", certs.size() + 1, " of the PEM text is malformed"));
    }
    auto cert = internal::CertificateFromX509(std::move(x509));
    if (!cert.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("certificate ", certs.size() + 1, ": ", cert.status().message()));
    }
    certs.push_back(*std::move(cert));
  }
  if (certs.empty()) return absl::InvalidArgumentError("no PEM CERTIFICATE block found");
  return certs;
}

absl::StatusOr<Certificate> Certificate::FromPem(std::string_view pem) {
  auto certs = ParsePemBundle(pem);
  if (!certs.ok()) return certs.status();
  if (certs->size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat("expected one certificate, found ", certs->size()));
  }
  return std::move((*certs)[0]);
}

absl::StatusOr<Certificate> Certificate::FromDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr x509(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (x509 == nullptr) return OpenSslError(absl::StatusCode::kInvalidArgument, "not a DER certificate");
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return absl::InvalidArgumentError("DER certificate has trailing bytes");
  }
  return internal::CertificateFromX509(std::move(x509));
}

const std::string& Certificate::der() const { return impl_->der; }

std::string Certificate::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_X509(bio.get(), impl_->x509.get()) != 1) std::abort();
  return internal::BioContents(bio.get());
}

const PublicKey& Certificate::public_key() const { return impl_->public_key; }
const DistinguishedName& Certificate::subject() const { return impl_->subject; }
const DistinguishedName& Certificate::issuer() const { return impl_->issuer; }
const std::string& Certificate::serial_number() const { return impl_->serial_number; }
absl::Time Certificate::not_before() const { return impl_->not_before; }
absl::Time Certificate::not_after() const { return impl_->not_after; }
bool Certificate::is_ca() const { return impl_->is_ca; }
const std::string& Certificate::subject_key_id() const { return impl_->subject_key_id; }
const std::string& Certificate::authority_key_id() const { return impl_->authority_key_id; }
const std::vector<std::string>& Certificate::dns_names() const { return impl_->dns_names; }
const std::vector<std::string>& Certificate::ip_addresses() const { return impl_->ip_addresses; }

std::optional<std::string> Certificate::ExtensionValue(std::string_view oid) const {
  internal::Asn1ObjectPtr obj(OBJ_txt2obj(std::string(oid).c_str(), /*no_name=*/1));
  if (obj == nullptr) {
    internal::ClearOpenSslErrors();
    return std::nullopt;
  }
  const int index = X509_get_ext_by_OBJ(impl_->x509.get(), obj.get(), -1);
  if (index < 0) return std::nullopt;
  X509_EXTENSION* ext = X509_get_ext(impl_->x509.get(), index);
  return Asn1StringBytes(X509_EXTENSION_get_data(ext));
}

absl::Status Certificate::CheckIssuedBy(const Certificate& issuer) const {
  X509* cert = impl_->x509.get();
  X509* ca = issuer.impl_->x509.get();
  const int name_check = X509_check_issued(ca, cert);
  if (name_check != X509_V_OK) {
    return absl::PermissionDeniedError(absl::StrCat("certificate '", impl_->subject.one_line, "' was not issued by '",
                                                    issuer.subject().one_line,
                                                    "': ", X509_verify_cert_error_string(name_check)));
  }
  if (X509_verify(cert, X509_get0_pubkey(ca)) != 1) {
    internal::ClearOpenSslErrors();
    return absl::PermissionDeniedError(absl::StrCat("certificate '", impl_->subject.one_line,
                                                    "' does not carry a valid signature of '",
                                                    issuer.subject().one_line, "'"));
  }
  return absl::OkStatus();
}

// ---- Crl ----

absl::StatusOr<Crl> internal::CrlFromX509Crl(X509CrlPtr crl) {
  auto impl = std::make_shared<Crl::Impl>();
  unsigned char* der = nullptr;
  const int der_len = i2d_X509_CRL(crl.get(), &der);
  if (der_len <= 0) return OpenSslError(absl::StatusCode::kInvalidArgument, "cannot encode CRL");
  impl->der.assign(reinterpret_cast<char*>(der), der_len);
  OPENSSL_free(der);

  auto issuer = ReadName(X509_CRL_get_issuer(crl.get()));
  if (!issuer.ok()) return issuer.status();
  impl->issuer = *std::move(issuer);
  absl::Status st = internal::ToAbslTime(X509_CRL_get0_lastUpdate(crl.get()), &impl->this_update);
  if (!st.ok()) return absl::InvalidArgumentError(absl::StrCat("CRL thisUpdate: ", st.message()));
  if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get()); next != nullptr) {
    absl::Time t;
    st = internal::ToAbslTime(next, &t);
    if (!st.ok()) return absl::InvalidArgumentError(absl::StrCat("CRL nextUpdate: ", st.message()));
    impl->next_update = t;
  }
  int critical = 0;
  auto* akid = static_cast<AUTHORITY_KEYID*>(X509_CRL_get_ext_d2i(crl.get(), NID_authority_key_identifier,
                                                                  &critical, nullptr));
  if (akid != nullptr) {
    impl->authority_key_id = Asn1StringBytes(akid->keyid);
    AUTHORITY_KEYID_free(akid);
  } else if (critical != -1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "CRL has a malformed authorityKeyIdentifier");
  }
  internal::ClearOpenSslErrors();
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
    impl->revoked_serials.push_back(SerialBytes(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i))));
  }
  std::sort(impl->revoked_serials.begin(), impl->revoked_serials.end());
  impl->crl = std::move(crl);
  return Crl(std::move(impl));
}

absl::StatusOr<Crl> Crl::FromPem(std::string_view pem) {
  if (pem.size() > kMaxPemSize) return absl::InvalidArgumentError("CRL PEM is larger than 1 MiB");
  BioPtr bio = internal::MemoryBio(pem);
  X509CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  if (crl == nullptr) return OpenSslError(absl::StatusCode::kInvalidArgument, "not a PEM X509 CRL");
  return internal::CrlFromX509Crl(std::move(crl));
}

absl::StatusOr<Crl> Crl::FromDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  if (crl == nullptr) return OpenSslError(absl::StatusCode::kInvalidArgument, "not a DER CRL");
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return absl::InvalidArgumentError("DER CRL has trailing bytes");
  }
  return internal::CrlFromX509Crl(std::move(crl));
}

const std::string& Crl::der() const { return impl_->der; }

std::string Crl::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_X509_CRL(bio.get(), impl_->crl.get()) != 1) std::abort();
  return internal::BioContents(bio.get());
}

const DistinguishedName& Crl::issuer() const { return impl_->issuer; }
const std::string& Crl::authority_key_id() const { return impl_->authority_key_id; }
absl::Time Crl::this_update() const { return impl_->this_update; }
std::optional<absl::Time> Crl::next_update() const { return impl_->next_update; }
const std::vector<std::string>& Crl::revoked_serials() const { return impl_->revoked_serials; }

bool Crl::Revokes(const Certificate& cert) const {
  if (X509_NAME_cmp(X509_CRL_get_issuer(impl_->crl.get()), X509_get_issuer_name(cert.impl().x509.get())) != 0) {
    return false;
  }
  return std::binary_search(impl_->revoked_serials.begin(), impl_->revoked_serials.end(), cert.serial_number());
}

absl::Status Crl::CheckIssuedBy(const Certificate& issuer) const {
  X509* ca = issuer.impl().x509.get();
  if (X509_NAME_cmp(X509_CRL_get_issuer(impl_->crl.get()), X509_get_subject_name(ca)) != 0) {
    return absl::PermissionDeniedError(absl::StrCat("CRL issuer '", impl_->issuer.one_line, "' is not '",
                                                    issuer.subject().one_line, "'"));
  }
  if (X509_CRL_verify(impl_->crl.get(), X509_get0_pubkey(ca)) != 1) {
    internal::ClearOpenSslErrors();
    return absl::PermissionDeniedError(
        absl::StrCat("CRL does not carry a valid signature of '", issuer.subject().one_line, "'"));
  }
  return absl::OkStatus();
}

// ---- ChainVerifier ----

absl::StatusOr<ChainVerifier> ChainVerifier::Create(std::span<const Certificate> roots,
                                                    std::span<const Certificate> intermediates) {
  if (roots.empty()) return absl::InvalidArgumentError("a chain verifier needs at least one root certificate");
  auto impl = std::make_shared<Impl>();
  impl->store.reset(X509_STORE_new());
  impl->intermediates = sk_X509_new_null();
  if (impl->store == nullptr || impl->intermediates == nullptr) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot allocate certificate store");
  }
  for (const Certificate& root : roots) {
    if (!root.is_ca()) {
      return absl::InvalidArgumentError(absl::StrCat("root '", root.subject().one_line, "' is not a CA certificate"));
    }
    if (X509_STORE_add_cert(impl->store.get(), root.impl().x509.get()) != 1) {
      return OpenSslError(absl::StatusCode::kInvalidArgument, "cannot add root certificate");
    }
    impl->roots.push_back(root);
  }
  for (const Certificate& ca : intermediates) {
    if (!ca.is_ca()) {
      return absl::InvalidArgumentError(
          absl::StrCat("intermediate '", ca.subject().one_line, "' is not a CA certificate"));
    }
    impl->intermediate_certs.push_back(ca);
    if (sk_X509_push(impl->intermediates, ca.impl().x509.get()) == 0) {
      return OpenSslError(absl::StatusCode::kInternal, "cannot add intermediate certificate");
    }
  }
  return ChainVerifier(std::move(impl));
}

absl::StatusOr<std::vector<Certificate>> ChainVerifier::Verify(const Certificate& leaf,
                                                               std::optional<absl::Time> at) const {
  internal::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (ctx == nullptr ||
      X509_STORE_CTX_init(ctx.get(), impl_->store.get(), leaf.impl().x509.get(), impl_->intermediates) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot set up chain verification");
  }
  if (at.has_value()) {
    X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(absl::ToUnixSeconds(*at)));
  } else {
    X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_NO_CHECK_TIME);
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    const int err = X509_STORE_CTX_get_error(ctx.get());
    const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
    internal::ClearOpenSslErrors();
    return absl::PermissionDeniedError(absl::StrCat("certificate '", leaf.subject().one_line,
                                                    "' does not chain to a trusted root: ",
                                                    X509_verify_cert_error_string(err), " (at depth ", depth, ")"));
  }
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  std::vector<Certificate> out;
  out.reserve(sk_X509_num(chain));
  out.push_back(leaf);
  for (int i = 1; i < sk_X509_num(chain); ++i) {
    X509* x = sk_X509_value(chain, i);
    // The chain's members are our roots and intermediates: return those objects rather than re-parsing.
    auto same = [x](const Certificate& c) { return X509_cmp(c.impl().x509.get(), x) == 0; };
    auto it = std::find_if(impl_->intermediate_certs.begin(), impl_->intermediate_certs.end(), same);
    if (it != impl_->intermediate_certs.end()) {
      out.push_back(*it);
      continue;
    }
    it = std::find_if(impl_->roots.begin(), impl_->roots.end(), same);
    if (it == impl_->roots.end()) return absl::InternalError("verified chain holds a certificate we did not supply");
    out.push_back(*it);
  }
  return out;
}

}  // namespace careledger::crypto
