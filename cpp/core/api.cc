// TEMPORARY: replaced by the interpreter-backed implementation (issue 3).
// Lets the WASM binding and the CLI link while the interpreter is written.
#include "api.h"

#include <nlohmann/json.hpp>

namespace ap {

std::string RunProgramToJson(std::string_view source,
                             const RunOptions& options) {
  (void)source;
  nlohmann::json doc;
  doc["ok"] = false;
  doc["profile"] = std::string(ProfileName(options.profile));
  doc["error"] = {{"type", "NotSupportedError"},
                  {"message", "the interpreter is not built yet"},
                  {"line", 0},
                  {"column", 0}};
  doc["variables"] = nlohmann::json::object();
  doc["stdout"] = "";
  doc["steps"] = nlohmann::json::array();
  return doc.dump();
}

}  // namespace ap
