// `--set Key.Path=value` on a node's command line: the same override as the environment variable
// <PREFIX>_KEY_PATH (upper case, '.' -> '_'), so a flag reaches exactly the keys a variable can, is checked
// the same way (a key the program does not know is an error, with a suggestion), and shows in `config show`
// under that variable's name. A flag wins over a variable of the same name already in the environment.
//
//   careledger-orderer --config orderer.yaml --set General.ListenPort=7060 --set Logging.Spec=debug
#ifndef CARELEDGER_COMMON_CONFIG_SET_FLAGS_H_
#define CARELEDGER_COMMON_CONFIG_SET_FLAGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/config/environment.h"

namespace careledger::config {

// `environment` with the variables of `sets` ("Key.Path=value" each) added or replaced. InvalidArgument
// quoting the flag if it has no '=', or its key is not dot-separated names of letters and digits, each
// starting with a letter. The value may be empty and may contain '='.
absl::StatusOr<Environment> ApplySetFlags(const Environment& environment, std::string_view prefix,
                                          const std::vector<std::string>& sets);

}  // namespace careledger::config

#endif  // CARELEDGER_COMMON_CONFIG_SET_FLAGS_H_
