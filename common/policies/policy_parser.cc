#include "common/policies/policy_parser.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/strings.h"
#include "common/status_macros.h"
#include "msp/identities.pb.h"

namespace careledger::policies {
namespace {

using RoleType = ::common::MSPRole::MSPRoleType;

struct RoleName {
  absl::string_view name;
  RoleType type;
};

// The role words of Fabric's policy language; the values are frozen by the wire format.
constexpr std::array<RoleName, 5> kRoleNames = {{
    {"member", ::common::MSPRole::MEMBER},
    {"admin", ::common::MSPRole::ADMIN},
    {"client", ::common::MSPRole::CLIENT},
    {"peer", ::common::MSPRole::PEER},
    {"orderer", ::common::MSPRole::ORDERER},
}};

std::optional<RoleType> RoleFromName(absl::string_view name) {
  for (const RoleName& role : kRoleNames) {
    if (role.name == name) return role.type;
  }
  return std::nullopt;
}

// Empty for a role value the language has no word for.
absl::string_view RoleToName(int role) {
  for (const RoleName& entry : kRoleNames) {
    if (entry.type == role) return entry.name;
  }
  return {};
}

// Fabric's [[:alnum:].-], which is ASCII-only.
bool IsMspIdChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'; }

bool IsValidMspId(absl::string_view id) { return !id.empty() && std::all_of(id.begin(), id.end(), IsMspIdChar); }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Text from the input or from a proto, made safe for a message: escaped, and capped so that hostile input
// cannot make messages huge.
std::string Excerpt(absl::string_view text) {
  constexpr size_t kMaxExcerptBytes = 64;
  if (text.size() <= kMaxExcerptBytes) return absl::CHexEscape(text);
  return absl::StrCat(absl::CHexEscape(text.substr(0, kMaxExcerptBytes)), "...");
}

std::string SerializeRole(absl::string_view msp_id, RoleType type) {
  ::common::MSPRole role;
  role.set_msp_identifier(std::string(msp_id));
  role.set_role(type);
  return role.SerializeAsString();
}

// ---------------------------------------------------------------------------------------------------------
// Parsing: text -> syntax tree -> envelope. The tree is kept because Fabric numbers principals in an order
// (nested gates first) that a single left-to-right pass cannot produce.

struct Expr {
  bool is_gate = false;
  int32_t n = 0;                              // gate: the threshold
  std::vector<Expr> args;                     // gate: its arguments
  std::string msp_id;                         // principal
  RoleType role = ::common::MSPRole::MEMBER;  // principal
};

enum class Gate { kAnd, kOr, kOutOf };

std::optional<Gate> GateFromName(absl::string_view name) {
  if (name == "AND" || name == "And" || name == "and") return Gate::kAnd;
  if (name == "OR" || name == "Or" || name == "or") return Gate::kOr;
  if (name == "OutOf" || name == "outof" || name == "OUTOF") return Gate::kOutOf;
  return std::nullopt;
}

struct Threshold {
  int64_t value = 0;  // saturated: anything above INT32_MAX reads as INT32_MAX + 1
  size_t pos = 0;
  absl::string_view literal;
};

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::StatusOr<Expr> ParsePolicy() {
    if (text_.size() > kMaxPolicyTextBytes) {
      return Error(kMaxPolicyTextBytes,
                   absl::StrCat("policy text is ", text_.size(), " bytes; the limit is ", kMaxPolicyTextBytes));
    }
    SkipSpace();
    if (AtEnd()) return Error(0, absl::StrCat("policy text is empty; expected ", kExpectedExpr));
    ASSIGN_OR_RETURN(Expr expr, ParseExpr(/*depth=*/0));
    SkipSpace();
    if (!AtEnd()) {
      if (Peek() == ')') return Error(pos_, "unexpected ')': unbalanced parentheses");
      return Error(pos_, absl::StrCat("unexpected text '", Excerpt(text_.substr(pos_, 16)), "' after the policy"));
    }
    return expr;
  }

 private:
  static constexpr absl::string_view kExpectedExpr = "a quoted principal such as 'Org1MSP.peer', or AND, OR, OutOf";

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(Peek())) ++pos_;
  }

  absl::Status Error(size_t pos, absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat("invalid policy at column ", pos + 1, ": ", what));
  }

  absl::Status CountRule(size_t pos) {
    if (++rules_ > kMaxSignaturePolicyRules) {
      return Error(pos, absl::StrCat("more than ", kMaxSignaturePolicyRules, " rules"));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Expr> ParseExpr(int depth) {
    SkipSpace();
    if (AtEnd()) return Error(pos_, absl::StrCat("unexpected end of text; expected ", kExpectedExpr));
    const char c = Peek();
    if (c == '\'' || c == '"') return ParsePrincipal();
    if (absl::ascii_isalpha(static_cast<unsigned char>(c))) return ParseGate(depth);
    if (absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-') {
      return Error(pos_, absl::StrCat("unexpected number; expected ", kExpectedExpr,
                                      " (only OutOf takes a number, as its first argument)"));
    }
    return Error(pos_, absl::StrCat("unexpected '", Excerpt(text_.substr(pos_, 1)), "'; expected ", kExpectedExpr));
  }

  // Returns the text between a pair of matching quotes starting at pos_, and moves past the closing one.
  absl::StatusOr<absl::string_view> ParseQuoted() {
    const size_t start = pos_;
    const char quote = Peek();
    const size_t end = text_.find(quote, start + 1);
    if (end == absl::string_view::npos) {
      return Error(start,
                   absl::StrCat("missing closing ", absl::string_view(&quote, 1), " for the string that starts here"));
    }
    pos_ = end + 1;
    return text_.substr(start + 1, end - start - 1);
  }

  absl::StatusOr<Expr> ParsePrincipal() {
    const size_t start = pos_;
    ASSIGN_OR_RETURN(const absl::string_view content, ParseQuoted());
    RETURN_IF_ERROR(CountRule(start));
    const size_t content_pos = start + 1;

    const size_t dot = content.rfind('.');
    if (dot == absl::string_view::npos) {
      return Error(start, absl::StrCat("principal '", Excerpt(content), "' is not of the form 'MSPID.role'"));
    }
    const absl::string_view msp_id = content.substr(0, dot);
    const absl::string_view role_name = content.substr(dot + 1);
    if (msp_id.empty()) return Error(start, absl::StrCat("empty MSP ID in principal '", Excerpt(content), "'"));
    for (size_t i = 0; i < msp_id.size(); ++i) {
      if (!IsMspIdChar(msp_id[i])) {
        return Error(content_pos + i,
                     absl::StrCat("invalid character '", Excerpt(msp_id.substr(i, 1)), "' in MSP ID '", Excerpt(msp_id),
                                  "'; an MSP ID may contain only A-Z, a-z, 0-9, '.' and '-'"));
      }
    }
    const std::optional<RoleType> role = RoleFromName(role_name);
    if (!role.has_value()) {
      return Error(content_pos + dot + 1,
                   absl::StrCat("unknown role '", Excerpt(role_name), "' in principal '", Excerpt(content),
                                "'; expected member, admin, client, peer or orderer"));
    }
    Expr expr;
    expr.msp_id = std::string(msp_id);
    expr.role = *role;
    return expr;
  }

  absl::StatusOr<Threshold> ParseThreshold() {
    Threshold threshold;
    threshold.pos = pos_;
    if (Peek() == '\'' || Peek() == '"') {
      ASSIGN_OR_RETURN(threshold.literal, ParseQuoted());
      ++threshold.pos;  // report the column of the number, not of its quote
    } else {
      const size_t start = pos_;
      while (!AtEnd() && !IsSpace(Peek()) && absl::string_view(",()'\"").find(Peek()) == absl::string_view::npos) {
        ++pos_;
      }
      threshold.literal = text_.substr(start, pos_ - start);
    }
    const absl::string_view literal = threshold.literal;
    if (literal.empty()) return Error(threshold.pos, "expected an integer threshold as OutOf's first argument");
    const bool negative = literal[0] == '-';
    const absl::string_view digits = negative ? literal.substr(1) : literal;
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(),
                                       [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
      return Error(threshold.pos, absl::StrCat("OutOf threshold '", Excerpt(literal), "' is not an integer"));
    }
    if (negative) return Error(threshold.pos, absl::StrCat("OutOf threshold ", Excerpt(literal), " is negative"));
    constexpr int64_t kSaturated = int64_t{INT32_MAX} + 1;
    for (char c : digits) {
      threshold.value = std::min(threshold.value * 10 + (c - '0'), kSaturated);
    }
    return threshold;
  }

  // `start` is where the gate's name begins.
  absl::Status Unclosed(absl::string_view name, size_t start) const {
    return Error(pos_, absl::StrCat("missing ')' to close ", name, "( opened at column ", start + 1,
                                    ": unbalanced parentheses"));
  }

  absl::StatusOr<Expr> ParseGate(int depth) {
    const size_t start = pos_;
    while (!AtEnd() && (absl::ascii_isalnum(static_cast<unsigned char>(Peek())) || Peek() == '_')) ++pos_;
    const absl::string_view name = text_.substr(start, pos_ - start);
    const std::optional<Gate> gate = GateFromName(name);
    if (!gate.has_value()) {
      return Error(start, absl::StrCat("unknown function '", Excerpt(name),
                                       "'; expected AND, OR or OutOf (principals must be quoted)"));
    }
    if (depth >= kMaxSignaturePolicyDepth) {
      return Error(start, absl::StrCat("gates nested more than ", kMaxSignaturePolicyDepth, " deep"));
    }
    RETURN_IF_ERROR(CountRule(start));
    SkipSpace();
    if (AtEnd() || Peek() != '(') return Error(pos_, absl::StrCat("expected '(' after ", name));
    ++pos_;

    std::optional<Threshold> threshold;
    SkipSpace();
    if (AtEnd()) return Unclosed(name, start);
    if (Peek() == ')') {
      return Error(pos_, *gate == Gate::kOutOf ? "OutOf needs a threshold and at least one expression"
                                               : absl::StrCat(name, " needs at least one argument"));
    }
    if (*gate == Gate::kOutOf) {
      ASSIGN_OR_RETURN(threshold, ParseThreshold());
      SkipSpace();
      if (AtEnd()) return Unclosed(name, start);
      if (Peek() == ')') return Error(pos_, "OutOf needs at least one expression after its threshold");
      if (Peek() != ',') return Error(pos_, "expected ',' after OutOf's threshold");
      ++pos_;
    }

    Expr expr;
    expr.is_gate = true;
    while (true) {
      SkipSpace();
      if (AtEnd()) return Unclosed(name, start);
      ASSIGN_OR_RETURN(Expr arg, ParseExpr(depth + 1));
      expr.args.push_back(std::move(arg));
      SkipSpace();
      if (AtEnd()) return Unclosed(name, start);
      if (Peek() == ')') {
        ++pos_;
        break;
      }
      if (Peek() != ',') {
        return Error(pos_, absl::StrCat("expected ',' or ')' in ", name, "( opened at column ", start + 1));
      }
      ++pos_;
    }

    // The argument count is bounded by kMaxSignaturePolicyRules, so it fits an int32.
    const auto count = static_cast<int32_t>(expr.args.size());
    switch (*gate) {
      case Gate::kAnd:
        expr.n = count;
        break;
      case Gate::kOr:
        expr.n = 1;
        break;
      case Gate::kOutOf:
        if (threshold->value > count) {
          return Error(threshold->pos, absl::StrCat("OutOf threshold ", Excerpt(threshold->literal),
                                                    " is larger than its ", count, " argument(s)"));
        }
        expr.n = static_cast<int32_t>(threshold->value);
        break;
    }
    return expr;
  }

  absl::string_view text_;
  size_t pos_ = 0;
  int rules_ = 0;
};

void AddPrincipal(const Expr& expr, ::common::SignaturePolicy* rule, ::common::SignaturePolicyEnvelope* envelope) {
  rule->set_signed_by(envelope->identities_size());
  ::common::MSPPrincipal* principal = envelope->add_identities();
  principal->set_principal_classification(::common::MSPPrincipal::ROLE);
  principal->set_principal(SerializeRole(expr.msp_id, expr.role));
}

// Numbers principals as Fabric's policydsl does: its evaluator runs a gate only after all nested gates in
// its arguments, and a gate numbers its own principals when it runs.
void EmitGate(const Expr& gate, ::common::SignaturePolicy* rule, ::common::SignaturePolicyEnvelope* envelope) {
  ::common::SignaturePolicy::NOutOf* n_out_of = rule->mutable_n_out_of();
  n_out_of->set_n(gate.n);
  for (size_t i = 0; i < gate.args.size(); ++i) n_out_of->add_rules();
  for (size_t i = 0; i < gate.args.size(); ++i) {
    if (gate.args[i].is_gate) EmitGate(gate.args[i], n_out_of->mutable_rules(static_cast<int>(i)), envelope);
  }
  for (size_t i = 0; i < gate.args.size(); ++i) {
    if (!gate.args[i].is_gate) AddPrincipal(gate.args[i], n_out_of->mutable_rules(static_cast<int>(i)), envelope);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Formatting.

// CombinedPrincipal nests; hostile bytes could nest it deeply.
constexpr int kMaxCombinedPrincipalDepth = 4;

std::string PrincipalText(const ::common::MSPPrincipal& principal, int depth) {
  const std::string& bytes = principal.principal();
  switch (principal.principal_classification()) {
    case ::common::MSPPrincipal::ROLE: {
      ::common::MSPRole role;
      if (!role.ParseFromString(bytes)) return absl::StrCat("[ROLE unparseable, ", bytes.size(), " bytes]");
      const absl::string_view name = RoleToName(role.role());
      if (name.empty()) return absl::StrCat("[ROLE ", Excerpt(role.msp_identifier()), " role=", role.role(), "]");
      if (!IsValidMspId(role.msp_identifier())) {
        return absl::StrCat("[ROLE ", Excerpt(role.msp_identifier()), " role=", name, "]");
      }
      // Only bytes the parser would write print as parseable text, so that text round-trips exactly.
      const std::string text = absl::StrCat("'", role.msp_identifier(), ".", name, "'");
      if (SerializeRole(role.msp_identifier(), role.role()) != bytes) {
        return absl::StrCat("[ROLE ", text, " non-canonical encoding]");
      }
      return text;
    }
    case ::common::MSPPrincipal::ORGANIZATION_UNIT: {
      ::common::OrganizationUnit ou;
      if (!ou.ParseFromString(bytes)) return absl::StrCat("[OU unparseable, ", bytes.size(), " bytes]");
      return absl::StrCat("[OU ", Excerpt(ou.msp_identifier()), "/", Excerpt(ou.organizational_unit_identifier()), "]");
    }
    case ::common::MSPPrincipal::IDENTITY: {
      ::msp::SerializedIdentity identity;
      if (!identity.ParseFromString(bytes)) return absl::StrCat("[IDENTITY unparseable, ", bytes.size(), " bytes]");
      return absl::StrCat("[IDENTITY ", Excerpt(identity.mspid()), ", ", identity.id_bytes().size(), "-byte id]");
    }
    case ::common::MSPPrincipal::ANONYMITY: {
      ::common::MSPIdentityAnonymity anonymity;
      if (!anonymity.ParseFromString(bytes)) {
        return absl::StrCat("[ANONYMITY unparseable, ", bytes.size(), " bytes]");
      }
      switch (anonymity.anonymity_type()) {
        case ::common::MSPIdentityAnonymity::NOMINAL:
          return "[ANONYMITY NOMINAL]";
        case ::common::MSPIdentityAnonymity::ANONYMOUS:
          return "[ANONYMITY ANONYMOUS]";
        default:
          return absl::StrCat("[ANONYMITY type=", anonymity.anonymity_type(), "]");
      }
    }
    case ::common::MSPPrincipal::COMBINED: {
      ::common::CombinedPrincipal combined;
      if (!combined.ParseFromString(bytes)) return absl::StrCat("[COMBINED unparseable, ", bytes.size(), " bytes]");
      if (depth >= kMaxCombinedPrincipalDepth) return "[COMBINED ...]";
      std::string text = "[COMBINED";
      for (int i = 0; i < combined.principals_size(); ++i) {
        absl::StrAppend(&text, i == 0 ? " " : " + ", PrincipalText(combined.principals(i), depth + 1));
      }
      text.push_back(']');
      return text;
    }
    default:
      return absl::StrCat("[classification ", principal.principal_classification(), ", ", bytes.size(), " bytes]");
  }
}

void AppendRule(const ::common::SignaturePolicy& rule, const ::common::SignaturePolicyEnvelope& envelope, int depth,
                std::string* out) {
  switch (rule.Type_case()) {
    case ::common::SignaturePolicy::kSignedBy: {
      const int32_t index = rule.signed_by();
      if (index >= 0 && index < envelope.identities_size()) {
        out->append(PrincipalText(envelope.identities(index), 0));
      } else {
        absl::StrAppend(out, "[signed_by ", index, ": no such identity]");
      }
      return;
    }
    case ::common::SignaturePolicy::kNOutOf: {
      if (depth >= kMaxSignaturePolicyDepth) {
        out->append("...");
        return;
      }
      const ::common::SignaturePolicy::NOutOf& gate = rule.n_out_of();
      bool first = true;
      if (gate.rules_size() > 0 && gate.n() == gate.rules_size()) {
        out->append("AND(");
      } else if (gate.n() == 1) {
        out->append("OR(");
      } else {
        absl::StrAppend(out, "OutOf(", gate.n());
        first = false;
      }
      for (const ::common::SignaturePolicy& sub_rule : gate.rules()) {
        if (!first) out->append(", ");
        first = false;
        AppendRule(sub_rule, envelope, depth + 1, out);
      }
      out->push_back(')');
      return;
    }
    case ::common::SignaturePolicy::TYPE_NOT_SET:
      break;
  }
  out->append("[empty rule]");
}

}  // namespace

absl::StatusOr<::common::SignaturePolicyEnvelope> ParseSignaturePolicy(std::string_view text) {
  // Abseil 20220623 as Debian builds it has its own string_view; the parser works in that one.
  Parser parser(AsAbsl(text));
  ASSIGN_OR_RETURN(const Expr expr, parser.ParsePolicy());
  ::common::SignaturePolicyEnvelope envelope;
  envelope.set_version(0);
  if (expr.is_gate) {
    EmitGate(expr, envelope.mutable_rule(), &envelope);
  } else {
    AddPrincipal(expr, envelope.mutable_rule(), &envelope);
  }
  return envelope;
}

std::string SignaturePolicyToString(const ::common::SignaturePolicyEnvelope& envelope) {
  std::string text;
  if (envelope.version() != 0) absl::StrAppend(&text, "[version ", envelope.version(), "] ");
  if (!envelope.has_rule()) {
    text.append("[missing rule]");
  } else {
    AppendRule(envelope.rule(), envelope, 0, &text);
  }
  return text;
}

std::string PrincipalToString(const ::common::MSPPrincipal& principal) { return PrincipalText(principal, 0); }

}  // namespace careledger::policies
