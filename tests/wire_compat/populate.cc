#include "tests/wire_compat/populate.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace careledger::wire_compat {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Elements per repeated field and entries per map.
constexpr int kRepeatedCount = 2;

// Assigns values from a running counter, so that no two fields of one instance hold the same value and a
// field swapped with another shows up as a difference.
class Filler {
 public:
  explicit Filler(int variant) : variant_(variant) {}

  void Fill(Message& message, int depth) {
    const Descriptor& descriptor = *message.GetDescriptor();
    for (int i = 0; i < descriptor.field_count(); ++i) {
      const FieldDescriptor* field = descriptor.field(i);
      if (const auto* oneof = field->real_containing_oneof();
          oneof != nullptr && oneof->field(variant_ % oneof->field_count()) != field) {
        continue;
      }
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth >= kMaxDepth) continue;
      if (field->is_repeated()) {  // maps too: each entry is a message with a key and a value
        for (int k = 0; k < kRepeatedCount; ++k) Assign(message, field, /*add=*/true, depth);
      } else {
        Assign(message, field, /*add=*/false, depth);
      }
    }
  }

 private:
  void Assign(Message& message, const FieldDescriptor* field, bool add, int depth) {
    const Reflection& r = *message.GetReflection();
    const int64_t n = ++counter_;
    const int64_t sign = (n % 2 == 0) ? 1 : -1;
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: {
        const auto v = static_cast<int32_t>(sign * (1000 + n));
        add ? r.AddInt32(&message, field, v) : r.SetInt32(&message, field, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_INT64: {
        // Above 2^32 (a 32-bit reader would truncate it) and below 2^53 (JavaScript numbers stay exact).
        const int64_t v = sign * ((int64_t{1} << 40) + n);
        add ? r.AddInt64(&message, field, v) : r.SetInt64(&message, field, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT32: {
        // Above 2^31: an int32 reader would see a negative number and write it back sign-extended.
        const auto v = static_cast<uint32_t>(3000000000u + n);
        add ? r.AddUInt32(&message, field, v) : r.SetUInt32(&message, field, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_UINT64: {
        const uint64_t v = (uint64_t{1} << 45) + static_cast<uint64_t>(n);
        add ? r.AddUInt64(&message, field, v) : r.SetUInt64(&message, field, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        const double v = static_cast<double>(n) + 0.5;
        add ? r.AddDouble(&message, field, v) : r.SetDouble(&message, field, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_FLOAT: {
        const float v = static_cast<float>(n) + 0.25f;
        add ? r.AddFloat(&message, field, v) : r.SetFloat(&message, field, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL:
        add ? r.AddBool(&message, field, true) : r.SetBool(&message, field, true);
        break;
      case FieldDescriptor::CPPTYPE_ENUM: {
        // A non-zero value where the enum has one; which one rotates with the counter.
        const auto* type = field->enum_type();
        const int index = type->value_count() > 1 ? 1 + static_cast<int>(n % (type->value_count() - 1)) : 0;
        const int v = type->value(index)->number();
        add ? r.AddEnumValue(&message, field, v) : r.SetEnumValue(&message, field, v);
        break;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string v;
        if (field->type() == FieldDescriptor::TYPE_BYTES) {
          // Not UTF-8: a reader that took this field for a string would mangle it.
          v = std::string("\xff\x00", 2) + field->name() + "-" + std::to_string(n) + "\x80";
        } else {
          v = field->name() + "-" + std::to_string(n) + "-\xc3\xa9\xe2\x9c\x93";  // "-é✓"
        }
        add ? r.AddString(&message, field, std::move(v)) : r.SetString(&message, field, std::move(v));
        break;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        Message* child = add ? r.AddMessage(&message, field) : r.MutableMessage(&message, field);
        Fill(*child, depth + 1);
        break;
      }
    }
  }

  int variant_;
  int64_t counter_ = 0;
};

int VariantCountAt(const Descriptor& descriptor, int depth) {
  int count = 1;
  for (int i = 0; i < descriptor.oneof_decl_count(); ++i) {
    const auto* oneof = descriptor.oneof_decl(i);
    if (!oneof->is_synthetic()) count = std::max(count, oneof->field_count());  // proto3 `optional` is no oneof
  }
  if (depth >= kMaxDepth) return count;
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const FieldDescriptor* field = descriptor.field(i);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      count = std::max(count, VariantCountAt(*field->message_type(), depth + 1));
    }
  }
  return count;
}

bool ContainsMapAt(const Descriptor& descriptor, int depth) {
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const FieldDescriptor* field = descriptor.field(i);
    if (field->is_map()) return true;
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth < kMaxDepth &&
        ContainsMapAt(*field->message_type(), depth + 1)) {
      return true;
    }
  }
  return false;
}

}  // namespace

int PopulatedVariantCount(const Descriptor& descriptor) { return VariantCountAt(descriptor, 0); }

void Populate(int variant, Message& message) { Filler(variant).Fill(message, 0); }

bool ContainsMap(const Descriptor& descriptor) { return ContainsMapAt(descriptor, 0); }

}  // namespace careledger::wire_compat
