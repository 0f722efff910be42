#include "common/logging/logger.h"

#include <utility>

#include "absl/time/clock.h"
#include "common/logging/line_format.h"

namespace careledger::logging {

Logger::Logger(std::string_view module, Registry& registry) : registry_(&registry), module_(&registry.Module(module)) {}

Logger Logger::With(std::initializer_list<Field> fields) const {
  Logger copy = *this;
  std::string context = context_ == nullptr ? std::string() : *context_;
  context += FormatFields(fields);
  copy.context_ = std::make_shared<const std::string>(std::move(context));
  return copy;
}

void Logger::Emit(Level level, std::string_view message, std::initializer_list<Field> fields) const {
  const std::string line = FormatLine(absl::Now(), level, module_->name, message,
                                      context_ == nullptr ? std::string_view() : std::string_view(*context_), fields);
  registry_->Write(line);
}

}  // namespace careledger::logging
