#include "common/crypto/x509_issuer.h"

#include <arpa/inet.h>
#include <openssl/x509v3.h>

#include "absl/strings/str_cat.h"
#include "common/crypto/openssl_util.h"
#include "common/crypto/random.h"
#include "common/crypto/sha256.h"
#include "common/status_macros.h"

namespace careledger::crypto {

using internal::OpenSslError;

namespace {

absl::Status Fail(std::string_view what) { return OpenSslError(absl::StatusCode::kInternal, what); }

absl::StatusOr<internal::Asn1IntegerPtr> SerialToAsn1(const std::string& serial) {
  internal::BignumPtr bn(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()), static_cast<int>(serial.size()), nullptr));
  if (bn == nullptr) return Fail("cannot convert serial number");
  internal::Asn1IntegerPtr out(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (out == nullptr) return Fail("cannot convert serial number");
  return out;
}

absl::StatusOr<internal::X509NamePtr> BuildName(const DistinguishedName& dn) {
  internal::X509NamePtr name(X509_NAME_new());
  if (name == nullptr) return Fail("cannot allocate name");
  auto add = [&](int nid, const std::string& value) -> absl::Status {
    if (value.empty()) return absl::OkStatus();
    if (X509_NAME_add_entry_by_NID(name.get(), nid, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(value.data()),
                                   static_cast<int>(value.size()), -1, 0) != 1) {
      return OpenSslError(absl::StatusCode::kInvalidArgument, absl::StrCat("invalid name attribute '", value, "'"));
    }
    return absl::OkStatus();
  };
  // Order from the most general to the most specific, as CAs conventionally write names.
  RETURN_IF_ERROR(add(NID_countryName, dn.country));
  RETURN_IF_ERROR(add(NID_stateOrProvinceName, dn.state));
  RETURN_IF_ERROR(add(NID_localityName, dn.locality));
  RETURN_IF_ERROR(add(NID_organizationName, dn.organization));
  for (const std::string& ou : dn.organizational_units) RETURN_IF_ERROR(add(NID_organizationalUnitName, ou));
  RETURN_IF_ERROR(add(NID_commonName, dn.common_name));
  return name;
}

absl::Status AddKeyUsage(X509* x509, const CertificateTemplate& tmpl) {
  ASN1_BIT_STRING* usage = ASN1_BIT_STRING_new();
  if (usage == nullptr) return Fail("cannot allocate keyUsage");
  // Bit positions from RFC 5280, section 4.2.1.3.
  constexpr int kDigitalSignature = 0, kKeyEncipherment = 2, kKeyCertSign = 5, kCrlSign = 6;
  bool ok = ASN1_BIT_STRING_set_bit(usage, kDigitalSignature, 1) == 1;
  if (tmpl.is_ca) {
    ok = ok && ASN1_BIT_STRING_set_bit(usage, kKeyCertSign, 1) == 1 && ASN1_BIT_STRING_set_bit(usage, kCrlSign, 1) == 1;
  } else if (tmpl.server_auth || tmpl.client_auth) {
    ok = ok && ASN1_BIT_STRING_set_bit(usage, kKeyEncipherment, 1) == 1;
  }
  ok = ok && X509_add1_ext_i2d(x509, NID_key_usage, usage, /*crit=*/1, X509V3_ADD_DEFAULT) == 1;
  ASN1_BIT_STRING_free(usage);
  return ok ? absl::OkStatus() : Fail("cannot add keyUsage");
}

absl::Status AddBasicConstraints(X509* x509, const CertificateTemplate& tmpl) {
  BASIC_CONSTRAINTS* bc = BASIC_CONSTRAINTS_new();
  if (bc == nullptr) return Fail("cannot allocate basicConstraints");
  bc->ca = tmpl.is_ca ? 0xFF : 0;
  bool ok = true;
  if (tmpl.is_ca && tmpl.max_path_length.has_value()) {
    bc->pathlen = ASN1_INTEGER_new();
    ok = bc->pathlen != nullptr && ASN1_INTEGER_set(bc->pathlen, *tmpl.max_path_length) == 1;
  }
  ok = ok && X509_add1_ext_i2d(x509, NID_basic_constraints, bc, /*crit=*/1, X509V3_ADD_DEFAULT) == 1;
  BASIC_CONSTRAINTS_free(bc);
  return ok ? absl::OkStatus() : Fail("cannot add basicConstraints");
}

absl::Status AddExtendedKeyUsage(X509* x509, const CertificateTemplate& tmpl) {
  if (!tmpl.server_auth && !tmpl.client_auth) return absl::OkStatus();
  EXTENDED_KEY_USAGE* eku = sk_ASN1_OBJECT_new_null();
  if (eku == nullptr) return Fail("cannot allocate extendedKeyUsage");
  bool ok = true;
  if (tmpl.server_auth) ok = ok && sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_server_auth)) > 0;
  if (tmpl.client_auth) ok = ok && sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_client_auth)) > 0;
  ok = ok && X509_add1_ext_i2d(x509, NID_ext_key_usage, eku, /*crit=*/0, X509V3_ADD_DEFAULT) == 1;
  sk_ASN1_OBJECT_free(eku);  // the objects are static (OBJ_nid2obj)
  return ok ? absl::OkStatus() : Fail("cannot add extendedKeyUsage");
}

absl::Status AddSubjectAltNames(X509* x509, const CertificateTemplate& tmpl) {
  if (tmpl.dns_names.empty() && tmpl.ip_addresses.empty()) return absl::OkStatus();
  GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
  if (names == nullptr) return Fail("cannot allocate subjectAltName");
  absl::Status status;
  for (const std::string& dns : tmpl.dns_names) {
    GENERAL_NAME* gn = GENERAL_NAME_new();
    ASN1_IA5STRING* ia5 = ASN1_IA5STRING_new();
    if (gn == nullptr || ia5 == nullptr || ASN1_STRING_set(ia5, dns.data(), static_cast<int>(dns.size())) != 1) {
      GENERAL_NAME_free(gn);
      ASN1_IA5STRING_free(ia5);
      status = Fail("cannot encode DNS name");
      break;
    }
    GENERAL_NAME_set0_value(gn, GEN_DNS, ia5);
    sk_GENERAL_NAME_push(names, gn);
  }
  for (size_t i = 0; status.ok() && i < tmpl.ip_addresses.size(); ++i) {
    const std::string& ip = tmpl.ip_addresses[i];
    unsigned char raw[16];
    int len = 0;
    if (inet_pton(AF_INET, ip.c_str(), raw) == 1) {
      len = 4;
    } else if (inet_pton(AF_INET6, ip.c_str(), raw) == 1) {
      len = 16;
    } else {
      status = absl::InvalidArgumentError(absl::StrCat("'", ip, "' is not an IPv4 or IPv6 address"));
      break;
    }
    GENERAL_NAME* gn = GENERAL_NAME_new();
    ASN1_OCTET_STRING* octets = ASN1_OCTET_STRING_new();
    if (gn == nullptr || octets == nullptr || ASN1_OCTET_STRING_set(octets, raw, len) != 1) {
      GENERAL_NAME_free(gn);
      ASN1_OCTET_STRING_free(octets);
      status = Fail("cannot encode IP address");
      break;
    }
    GENERAL_NAME_set0_value(gn, GEN_IPADD, octets);
    sk_GENERAL_NAME_push(names, gn);
  }
  if (status.ok() && X509_add1_ext_i2d(x509, NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT) != 1) {
    status = Fail("cannot add subjectAltName");
  }
  GENERAL_NAMES_free(names);
  return status;
}

absl::Status AddKeyIdentifiers(X509* x509, const std::string& ski, const std::string& aki) {
  internal::Asn1OctetStringPtr ski_octets(ASN1_OCTET_STRING_new());
  if (ski_octets == nullptr ||
      ASN1_OCTET_STRING_set(ski_octets.get(), reinterpret_cast<const unsigned char*>(ski.data()),
                            static_cast<int>(ski.size())) != 1 ||
      X509_add1_ext_i2d(x509, NID_subject_key_identifier, ski_octets.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return Fail("cannot add subjectKeyIdentifier");
  }
  AUTHORITY_KEYID* akid = AUTHORITY_KEYID_new();
  if (akid == nullptr) return Fail("cannot allocate authorityKeyIdentifier");
  akid->keyid = ASN1_OCTET_STRING_new();
  const bool ok = akid->keyid != nullptr &&
                  ASN1_OCTET_STRING_set(akid->keyid, reinterpret_cast<const unsigned char*>(aki.data()),
                                        static_cast<int>(aki.size())) == 1 &&
                  X509_add1_ext_i2d(x509, NID_authority_key_identifier, akid, 0, X509V3_ADD_DEFAULT) == 1;
  AUTHORITY_KEYID_free(akid);
  return ok ? absl::OkStatus() : Fail("cannot add authorityKeyIdentifier");
}

absl::Status AddCustomExtension(X509* x509, const CustomExtension& ext) {
  internal::Asn1ObjectPtr obj(OBJ_txt2obj(ext.oid.c_str(), /*no_name=*/1));
  if (obj == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, absl::StrCat("'", ext.oid, "' is not a dotted OID"));
  }
  internal::Asn1OctetStringPtr value(ASN1_OCTET_STRING_new());
  if (value == nullptr || ASN1_OCTET_STRING_set(value.get(), reinterpret_cast<const unsigned char*>(ext.value.data()),
                                                static_cast<int>(ext.value.size())) != 1) {
    return Fail("cannot encode extension value");
  }
  internal::X509ExtensionPtr x(X509_EXTENSION_create_by_OBJ(nullptr, obj.get(), ext.critical ? 1 : 0, value.get()));
  if (x == nullptr || X509_add_ext(x509, x.get(), -1) != 1) return Fail("cannot add extension");
  return absl::OkStatus();
}

absl::Status CheckIssuerKey(const Certificate& issuer, const PrivateKey& issuer_key) {
  if (!issuer.is_ca()) {
    return absl::InvalidArgumentError(absl::StrCat("'", issuer.subject().one_line, "' is not a CA certificate"));
  }
  if (!(issuer.public_key() == issuer_key.public_key())) {
    return absl::InvalidArgumentError(
        absl::StrCat("the signing key is not the key of '", issuer.subject().one_line, "'"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Certificate> IssueCertificate(const CertificateTemplate& tmpl, const PublicKey& subject_key,
                                             const PrivateKey& issuer_key, const Certificate* issuer) {
  if (tmpl.subject.common_name.empty()) return absl::InvalidArgumentError("certificate subject needs a common name");
  if (tmpl.not_after <= tmpl.not_before) {
    return absl::InvalidArgumentError("certificate not_after must be later than not_before");
  }
  if (issuer != nullptr) {
    RETURN_IF_ERROR(CheckIssuerKey(*issuer, issuer_key));
  } else if (!(subject_key == issuer_key.public_key())) {
    return absl::InvalidArgumentError("a self-signed certificate must be signed with the subject's own key");
  }

  internal::X509Ptr x509(X509_new());
  if (x509 == nullptr || X509_set_version(x509.get(), X509_VERSION_3) != 1) return Fail("cannot allocate certificate");

  std::string serial = tmpl.serial_number;
  if (serial.empty()) {
    ASSIGN_OR_RETURN(serial, RandomBytes(16));
    serial[0] = static_cast<char>(serial[0] & 0x7f);  // keep it positive and 16 bytes long in DER
    if (serial[0] == 0) serial[0] = 1;
  }
  ASSIGN_OR_RETURN(internal::Asn1IntegerPtr serial_asn1, SerialToAsn1(serial));
  if (X509_set_serialNumber(x509.get(), serial_asn1.get()) != 1) return Fail("cannot set serial number");

  ASSIGN_OR_RETURN(internal::X509NamePtr subject, BuildName(tmpl.subject));
  if (X509_set_subject_name(x509.get(), subject.get()) != 1) return Fail("cannot set subject");
  X509_NAME* issuer_name = issuer != nullptr ? X509_get_subject_name(internal::X509Of(*issuer)) : subject.get();
  if (X509_set_issuer_name(x509.get(), issuer_name) != 1) return Fail("cannot set issuer");

  RETURN_IF_ERROR(internal::SetAsn1Time(X509_getm_notBefore(x509.get()), tmpl.not_before));
  RETURN_IF_ERROR(internal::SetAsn1Time(X509_getm_notAfter(x509.get()), tmpl.not_after));
  if (X509_set_pubkey(x509.get(), internal::PkeyOf(subject_key)) != 1) return Fail("cannot set public key");

  const std::string ski = Sha256Bytes(subject_key.raw_point());
  const std::string aki = issuer != nullptr ? issuer->subject_key_id() : ski;
  RETURN_IF_ERROR(AddKeyUsage(x509.get(), tmpl));
  RETURN_IF_ERROR(AddBasicConstraints(x509.get(), tmpl));
  RETURN_IF_ERROR(AddExtendedKeyUsage(x509.get(), tmpl));
  RETURN_IF_ERROR(AddKeyIdentifiers(x509.get(), ski, aki));
  RETURN_IF_ERROR(AddSubjectAltNames(x509.get(), tmpl));
  for (const CustomExtension& ext : tmpl.extensions) RETURN_IF_ERROR(AddCustomExtension(x509.get(), ext));

  if (X509_sign(x509.get(), internal::PkeyOf(issuer_key), EVP_sha256()) <= 0) return Fail("cannot sign certificate");
  return internal::CertificateFromX509(std::move(x509));
}

absl::StatusOr<Crl> IssueCrl(const CrlTemplate& tmpl, const Certificate& issuer, const PrivateKey& issuer_key) {
  RETURN_IF_ERROR(CheckIssuerKey(issuer, issuer_key));
  if (tmpl.next_update <= tmpl.this_update) {
    return absl::InvalidArgumentError("CRL next_update must be later than this_update");
  }
  internal::X509CrlPtr crl(X509_CRL_new());
  if (crl == nullptr || X509_CRL_set_version(crl.get(), 1 /* v2 */) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(internal::X509Of(issuer))) != 1) {
    return Fail("cannot allocate CRL");
  }
  internal::Asn1TimePtr t(ASN1_TIME_new());
  if (t == nullptr) return Fail("cannot allocate time");
  RETURN_IF_ERROR(internal::SetAsn1Time(t.get(), tmpl.this_update));
  if (X509_CRL_set1_lastUpdate(crl.get(), t.get()) != 1) return Fail("cannot set thisUpdate");
  RETURN_IF_ERROR(internal::SetAsn1Time(t.get(), tmpl.next_update));
  if (X509_CRL_set1_nextUpdate(crl.get(), t.get()) != 1) return Fail("cannot set nextUpdate");

  for (const RevokedCertificate& r : tmpl.revoked) {
    internal::X509RevokedPtr entry(X509_REVOKED_new());
    if (entry == nullptr) return Fail("cannot allocate CRL entry");
    ASSIGN_OR_RETURN(internal::Asn1IntegerPtr serial, SerialToAsn1(r.serial_number));
    RETURN_IF_ERROR(internal::SetAsn1Time(t.get(), r.revoked_at));
    if (X509_REVOKED_set_serialNumber(entry.get(), serial.get()) != 1 ||
        X509_REVOKED_set_revocationDate(entry.get(), t.get()) != 1 || X509_CRL_add0_revoked(crl.get(), entry.get()) != 1) {
      return Fail("cannot add CRL entry");
    }
    entry.release();  // owned by the CRL now
  }

  AUTHORITY_KEYID* akid = AUTHORITY_KEYID_new();
  internal::Asn1IntegerPtr number(ASN1_INTEGER_new());
  bool ok = akid != nullptr && number != nullptr && (akid->keyid = ASN1_OCTET_STRING_new()) != nullptr &&
            ASN1_OCTET_STRING_set(akid->keyid, reinterpret_cast<const unsigned char*>(issuer.subject_key_id().data()),
                                  static_cast<int>(issuer.subject_key_id().size())) == 1 &&
            X509_CRL_add1_ext_i2d(crl.get(), NID_authority_key_identifier, akid, 0, X509V3_ADD_DEFAULT) == 1 &&
            ASN1_INTEGER_set_uint64(number.get(), tmpl.crl_number) == 1 &&
            X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, X509V3_ADD_DEFAULT) == 1;
  AUTHORITY_KEYID_free(akid);
  if (!ok) return Fail("cannot add CRL extensions");

  X509_CRL_sort(crl.get());
  if (X509_CRL_sign(crl.get(), internal::PkeyOf(issuer_key), EVP_sha256()) <= 0) return Fail("cannot sign CRL");
  return internal::CrlFromX509Crl(std::move(crl));
}

}  // namespace careledger::crypto
