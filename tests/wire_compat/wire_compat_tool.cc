// wire_compat_tool: the C++ half of the wire-compatibility test against Fabric's own generated JavaScript
// (see README.md for the whole procedure).
//
//   wire_compat_tool write <work dir> <proto file>...
//       For every message of the given .proto files (names as imported, e.g. "common/common.proto"), writes
//       fully populated instances to <work dir>/careledger/<full name>.<variant>.bin, and lists the messages,
//       enums and service methods in <work dir>/manifest.tsv.
//   wire_compat_tool check <work dir>
//       Reads what fabric_roundtrip.js wrote (fabric/, fabric.tsv, handmade/) and checks it against our
//       definitions. Prints every failure and exits 1 if there is one.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/wire_compat/handmade.h"
#include "tests/wire_compat/populate.h"

namespace careledger::wire_compat {
namespace {

namespace fs = std::filesystem;
using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::EnumDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::Message;
using google::protobuf::MessageFactory;

constexpr char kManifest[] = "manifest.tsv";
constexpr char kFabricReport[] = "fabric.tsv";
constexpr char kOurDir[] = "careledger";
constexpr char kFabricDir[] = "fabric";
constexpr char kHandmadeDir[] = "handmade";

bool ReadFile(const fs::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

bool WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

// Map entries in key order, so our files are the same on every run.
std::string SerializeDeterministic(const Message& message) {
  std::string out;
  message.ByteSizeLong();  // caches the sizes SerializeWithCachedSizes relies on
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeWithCachedSizes(&coded);
  return out;
}

std::unique_ptr<Message> NewMessage(const Descriptor& descriptor) {
  return std::unique_ptr<Message>(MessageFactory::generated_factory()->GetPrototype(&descriptor)->New());
}

std::string InstanceFile(const std::string& full_name, int variant) {
  return absl::StrCat(full_name, ".", variant, ".bin");
}

// "NAME=number,..." in declaration order.
std::string EnumValues(const EnumDescriptor& type) {
  std::vector<std::string> values;
  for (int i = 0; i < type.value_count(); ++i) {
    values.push_back(absl::StrCat(type.value(i)->name(), "=", type.value(i)->number()));
  }
  return absl::StrJoin(values, ",");
}

void CollectMessages(const Descriptor& descriptor, std::vector<const Descriptor*>& messages,
                     std::vector<const EnumDescriptor*>& enums) {
  if (descriptor.options().map_entry()) return;  // not a message of its own on the wire
  messages.push_back(&descriptor);
  for (int i = 0; i < descriptor.enum_type_count(); ++i) enums.push_back(descriptor.enum_type(i));
  for (int i = 0; i < descriptor.nested_type_count(); ++i) CollectMessages(*descriptor.nested_type(i), messages, enums);
}

int Write(const fs::path& dir, const std::vector<std::string>& proto_files) {
  const DescriptorPool& pool = *DescriptorPool::generated_pool();
  std::vector<const Descriptor*> messages;
  std::vector<const EnumDescriptor*> enums;
  std::vector<std::string> methods;
  for (const std::string& name : proto_files) {
    const FileDescriptor* file = pool.FindFileByName(name);
    if (file == nullptr) {
      std::cerr << "wire_compat_tool: " << name << " is not compiled into careledger_proto\n";
      return 1;
    }
    for (int i = 0; i < file->message_type_count(); ++i) CollectMessages(*file->message_type(i), messages, enums);
    for (int i = 0; i < file->enum_type_count(); ++i) enums.push_back(file->enum_type(i));
    for (int s = 0; s < file->service_count(); ++s) {
      const auto& service = *file->service(s);
      for (int m = 0; m < service.method_count(); ++m) {
        const auto& method = *service.method(m);
        methods.push_back(absl::StrCat("method\t/", service.full_name(), "/", method.name(), "\t",
                                       method.input_type()->full_name(), "\t", method.output_type()->full_name(), "\t",
                                       method.client_streaming() ? 1 : 0, "\t", method.server_streaming() ? 1 : 0));
      }
    }
  }

  std::error_code error;
  fs::create_directories(dir / kOurDir, error);
  if (error) {
    std::cerr << "wire_compat_tool: cannot create " << (dir / kOurDir) << ": " << error.message() << "\n";
    return 1;
  }
  std::ofstream manifest(dir / kManifest, std::ios::trunc);
  int instances = 0;
  for (const Descriptor* descriptor : messages) {
    const int variants = PopulatedVariantCount(*descriptor);
    for (int variant = 0; variant < variants; ++variant) {
      std::unique_ptr<Message> message = NewMessage(*descriptor);
      Populate(variant, *message);
      if (!WriteFile(dir / kOurDir / InstanceFile(descriptor->full_name(), variant),
                     SerializeDeterministic(*message))) {
        std::cerr << "wire_compat_tool: cannot write into " << (dir / kOurDir) << "\n";
        return 1;
      }
      manifest << "message\t" << descriptor->full_name() << "\t" << variant << "\t"
               << (ContainsMap(*descriptor) ? 1 : 0) << "\n";
      ++instances;
    }
  }
  for (const EnumDescriptor* type : enums)
    manifest << "enum\t" << type->full_name() << "\t" << EnumValues(*type) << "\n";
  for (const std::string& method : methods) manifest << method << "\n";
  if (!manifest) {
    std::cerr << "wire_compat_tool: cannot write " << (dir / kManifest) << "\n";
    return 1;
  }
  std::cout << "wrote " << instances << " instances of " << messages.size() << " messages, " << enums.size()
            << " enums and " << methods.size() << " service methods from " << proto_files.size() << " files\n";
  return 0;
}

// The name google-protobuf's JavaScript writer gives a field's encoding (BinaryWriter.write<Name>).
std::string WriterName(google::protobuf::FieldDescriptor::Type type) {
  using google::protobuf::FieldDescriptor;
  switch (type) {
    case FieldDescriptor::TYPE_DOUBLE:
      return "Double";
    case FieldDescriptor::TYPE_FLOAT:
      return "Float";
    case FieldDescriptor::TYPE_INT64:
      return "Int64";
    case FieldDescriptor::TYPE_UINT64:
      return "Uint64";
    case FieldDescriptor::TYPE_INT32:
      return "Int32";
    case FieldDescriptor::TYPE_FIXED64:
      return "Fixed64";
    case FieldDescriptor::TYPE_FIXED32:
      return "Fixed32";
    case FieldDescriptor::TYPE_BOOL:
      return "Bool";
    case FieldDescriptor::TYPE_STRING:
      return "String";
    case FieldDescriptor::TYPE_GROUP:
      return "Group";
    case FieldDescriptor::TYPE_MESSAGE:
      return "Message";
    case FieldDescriptor::TYPE_BYTES:
      return "Bytes";
    case FieldDescriptor::TYPE_UINT32:
      return "Uint32";
    case FieldDescriptor::TYPE_ENUM:
      return "Enum";
    case FieldDescriptor::TYPE_SFIXED32:
      return "Sfixed32";
    case FieldDescriptor::TYPE_SFIXED64:
      return "Sfixed64";
    case FieldDescriptor::TYPE_SINT32:
      return "Sint32";
    case FieldDescriptor::TYPE_SINT64:
      return "Sint64";
  }
  return "?";
}

// How fabric_roundtrip.js names the encoding of `field` as read from Fabric's serializer: "Uint64",
// "PackedUint64", "RepeatedString", "Map(String,Bytes)".
std::string FieldKind(const google::protobuf::FieldDescriptor& field) {
  if (field.is_map()) {
    return absl::StrCat("Map(", WriterName(field.message_type()->map_key()->type()), ",",
                        WriterName(field.message_type()->map_value()->type()), ")");
  }
  if (field.is_packed()) return "Packed" + WriterName(field.type());
  if (field.is_repeated()) return "Repeated" + WriterName(field.type());
  return WriterName(field.type());
}

// Lines of a tab-separated file, split into fields.
std::vector<std::vector<std::string>> ReadTable(const fs::path& path, bool& ok) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  ok = static_cast<bool>(in);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) rows.push_back(absl::StrSplit(line, '\t'));
  }
  return rows;
}

// Collects failures and notes for the final report.
struct Report {
  std::vector<std::string> failures;
  std::vector<std::string> notes;
  void Fail(std::string text) { failures.push_back(std::move(text)); }
};

void CheckMessage(const fs::path& dir, const std::string& full_name, int variant, bool has_map, Report& report,
                  int& identical, int& equal_modulo_order) {
  const Descriptor* descriptor = DescriptorPool::generated_pool()->FindMessageTypeByName(full_name);
  const std::string file = InstanceFile(full_name, variant);
  std::string ours;
  std::string theirs;
  if (descriptor == nullptr || !ReadFile(dir / kOurDir / file, ours)) {
    report.Fail(absl::StrCat(full_name, ": our own instance ", variant, " is missing; run `write` first"));
    return;
  }
  if (!ReadFile(dir / kFabricDir / file, theirs)) {
    report.Fail(absl::StrCat(full_name, " instance ", variant, ": fabric_roundtrip.js wrote no re-encoding"));
    return;
  }
  if (ours == theirs) {
    ++identical;
    return;
  }
  std::unique_ptr<Message> expected = NewMessage(*descriptor);
  std::unique_ptr<Message> actual = NewMessage(*descriptor);
  if (!expected->ParseFromString(ours)) {
    report.Fail(absl::StrCat(full_name, " instance ", variant, ": our own file does not parse; run `write` again"));
    return;
  }
  if (!actual->ParseFromString(theirs)) {
    report.Fail(absl::StrCat(full_name, " instance ", variant, ": Fabric's re-encoding (", theirs.size(),
                             " bytes) does not parse as our ", full_name));
    return;
  }
  google::protobuf::util::MessageDifferencer differencer;
  std::string differences;
  differencer.ReportDifferencesToString(&differences);
  const bool equal = differencer.Compare(*expected, *actual);
  if (equal && has_map) {
    ++equal_modulo_order;  // map entries in another order; the values are the same
    return;
  }
  size_t at = 0;
  while (at < ours.size() && at < theirs.size() && ours[at] == theirs[at]) ++at;
  report.Fail(absl::StrCat(full_name, " instance ", variant, ": Fabric re-encoded our ", ours.size(), " bytes as ",
                           theirs.size(), " bytes, first difference at byte ", at, "; ",
                           equal ? "same values in another field order" : absl::StrCat("differences:\n", differences)));
}

// Compares our fields of `full_name` with the number -> kind pairs read from Fabric's serializer.
void CheckFields(const std::string& full_name, const std::map<int, std::string>& fabric_fields, Report& report,
                 int& checked) {
  const Descriptor* descriptor = DescriptorPool::generated_pool()->FindMessageTypeByName(full_name);
  if (descriptor == nullptr) return;  // reported by CheckMessage
  std::set<int> our_numbers;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto& field = *descriptor->field(i);
    our_numbers.insert(field.number());
    auto it = fabric_fields.find(field.number());
    if (it == fabric_fields.end()) {
      report.Fail(absl::StrCat(full_name, ": Fabric's serializer writes no field ", field.number(), " (our ",
                               field.name(), ")"));
    } else if (it->second != FieldKind(field)) {
      report.Fail(absl::StrCat(full_name, ": field ", field.number(), " (", field.name(), ") is ", FieldKind(field),
                               " here but ", it->second, " in Fabric"));
    } else {
      ++checked;
    }
  }
  for (const auto& [number, kind] : fabric_fields) {
    if (!our_numbers.contains(number)) {
      report.notes.push_back(absl::StrCat(full_name, ": Fabric also has field ", number, " (", kind, ")"));
    }
  }
}

void CheckEnum(const std::string& full_name, const std::string& ours, const std::string* theirs, Report& report) {
  if (theirs == nullptr) {
    report.Fail(absl::StrCat("enum ", full_name, ": not in Fabric's JavaScript"));
    return;
  }
  std::map<std::string, std::string> fabric_values;
  for (absl::string_view value : absl::StrSplit(*theirs, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> name_number = absl::StrSplit(value, '=');
    fabric_values[name_number.first] = name_number.second;
  }
  std::set<std::string> our_names;
  for (absl::string_view value : absl::StrSplit(ours, ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> name_number = absl::StrSplit(value, '=');
    our_names.insert(name_number.first);
    auto it = fabric_values.find(name_number.first);
    if (it == fabric_values.end()) {
      report.Fail(absl::StrCat("enum ", full_name, ": Fabric has no value ", name_number.first));
    } else if (it->second != name_number.second) {
      report.Fail(absl::StrCat("enum ", full_name, ": ", name_number.first, " is ", name_number.second, " here but ",
                               it->second, " in Fabric"));
    }
  }
  for (const auto& [name, number] : fabric_values) {
    if (!our_names.contains(name)) {
      report.notes.push_back(absl::StrCat("enum ", full_name, ": Fabric also has ", name, "=", number));
    }
  }
}

void CheckHandmade(const fs::path& dir, Report& report, int& checked) {
  for (const HandmadeMessage& handmade : HandmadeExpectations()) {
    std::string bytes;
    if (!ReadFile(dir / kHandmadeDir / handmade.file, bytes)) {
      report.Fail(absl::StrCat("handmade ", handmade.file, ": fabric_roundtrip.js did not write it"));
      continue;
    }
    std::unique_ptr<Message> actual(handmade.expected->New());
    if (!actual->ParseFromString(bytes)) {
      report.Fail(absl::StrCat("handmade ", handmade.file, ": does not parse as ", actual->GetTypeName()));
      continue;
    }
    google::protobuf::util::MessageDifferencer differencer;
    std::string differences;
    differencer.ReportDifferencesToString(&differences);
    if (!differencer.Compare(*handmade.expected, *actual)) {
      report.Fail(absl::StrCat("handmade ", handmade.file, " (", actual->GetTypeName(),
                               ", encoded by Fabric) does not read as expected:\n", differences));
      continue;
    }
    ++checked;
  }
}

int Check(const fs::path& dir) {
  bool manifest_ok = false;
  bool fabric_ok = false;
  const auto manifest = ReadTable(dir / kManifest, manifest_ok);
  const auto fabric = ReadTable(dir / kFabricReport, fabric_ok);
  if (!manifest_ok || !fabric_ok) {
    std::cerr << "wire_compat_tool: missing " << (manifest_ok ? kFabricReport : kManifest) << " in " << dir << "\n";
    return 1;
  }
  if (fabric.empty() || fabric.back().front() != "done") {
    std::cerr << "wire_compat_tool: " << kFabricReport << " is incomplete: fabric_roundtrip.js did not finish\n";
    return 1;
  }

  std::set<std::string> fabric_missing_messages;
  std::map<std::string, std::string> fabric_enums;
  std::map<std::string, std::vector<std::string>> fabric_methods;
  std::map<std::string, std::map<int, std::string>> fabric_fields;
  Report report;
  for (const auto& row : fabric) {
    const std::string& kind = row[0];
    if (kind == "message-missing" && row.size() >= 2) {
      fabric_missing_messages.insert(row[1]);
    } else if (kind == "message-error" && row.size() >= 4) {
      report.Fail(absl::StrCat(row[1], " instance ", row[2], ": Fabric's JavaScript could not read it: ", row[3]));
    } else if (kind == "field" && row.size() >= 4) {
      int number = 0;
      if (!absl::SimpleAtoi(row[2], &number)) {
        report.Fail(absl::StrCat("fabric.tsv: bad field number '", row[2], "' for ", row[1]));
        continue;
      }
      fabric_fields[row[1]][number] = row[3];
    } else if (kind == "enum" && row.size() >= 3) {
      fabric_enums[row[1]] = row[2];
    } else if (kind == "method" && row.size() >= 6) {
      fabric_methods[row[1]] = row;
    } else if (kind == "method-extra" && row.size() >= 2) {
      report.notes.push_back(absl::StrCat("Fabric's service also has ", row[1]));
    }
  }

  int identical = 0;
  int equal_modulo_order = 0;
  int enums = 0;
  int methods = 0;
  int fields = 0;
  std::set<std::string> messages;
  for (const auto& row : manifest) {
    const std::string& kind = row[0];
    if (kind == "message" && row.size() >= 4) {
      messages.insert(row[1]);
      if (fabric_missing_messages.contains(row[1])) {
        if (row[2] == "0") report.Fail(absl::StrCat(row[1], ": not in Fabric's JavaScript"));
        continue;
      }
      if (row[2] == "0") CheckFields(row[1], fabric_fields[row[1]], report, fields);
      int variant = 0;
      if (!absl::SimpleAtoi(row[2], &variant)) {
        report.Fail(absl::StrCat("manifest.tsv: bad variant '", row[2], "' for ", row[1]));
        continue;
      }
      CheckMessage(dir, row[1], variant, row[3] == "1", report, identical, equal_modulo_order);
    } else if (kind == "enum" && row.size() >= 3) {
      auto it = fabric_enums.find(row[1]);
      CheckEnum(row[1], row[2], it == fabric_enums.end() ? nullptr : &it->second, report);
      ++enums;
    } else if (kind == "method" && row.size() >= 6) {
      ++methods;
      auto it = fabric_methods.find(row[1]);
      if (it == fabric_methods.end()) {
        report.Fail(absl::StrCat("method ", row[1], ": not in Fabric's *_grpc_pb.js"));
        continue;
      }
      static constexpr const char* kWhat[] = {
          "", "", "request type", "response type", "client streaming", "server streaming"};
      for (size_t i = 2; i < 6; ++i) {
        if (row[i] != it->second[i]) {
          report.Fail(absl::StrCat("method ", row[1], ": ", kWhat[i], " is ", row[i], " here but ", it->second[i],
                                   " in Fabric"));
        }
      }
    }
  }
  int handmade = 0;
  CheckHandmade(dir, report, handmade);

  for (const std::string& note : report.notes) std::cout << "note: " << note << "\n";
  for (const std::string& failure : report.failures) std::cerr << "FAIL: " << failure << "\n";
  std::cout << messages.size() << " messages (" << fields << " fields of the same number and encoding as in "
            << "Fabric's serializers): " << identical << " instances byte-identical after Fabric's "
            << "round trip, " << equal_modulo_order << " equal with map entries reordered; " << enums << " enums; "
            << methods << " service methods; " << handmade << " handmade Fabric encodings read\n";
  if (!report.failures.empty()) {
    std::cerr << report.failures.size() << " wire-compatibility failures\n";
    return 1;
  }
  std::cout << "wire-compatible with Fabric's generated JavaScript\n";
  return 0;
}

}  // namespace
}  // namespace careledger::wire_compat

int main(int argc, char** argv) {
  const std::string command = argc >= 3 ? argv[1] : "";
  if (command == "write" && argc >= 4) {
    return careledger::wire_compat::Write(argv[2], std::vector<std::string>(argv + 3, argv + argc));
  }
  if (command == "check" && argc == 3) return careledger::wire_compat::Check(argv[2]);
  std::cerr << "usage: wire_compat_tool write <work dir> <proto file>...\n"
               "       wire_compat_tool check <work dir>\n";
  return 2;
}
