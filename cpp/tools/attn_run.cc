// attn-run: run a TensorFlow/Keras program through the playground core and
// report what real Keras would do, as JSON (--json) or as a per-line shape
// report.
//
//   attn-run [--profile keras3|tf_keras] [--seed N] [--json] FILE   (FILE - =
//   stdin)
//
// Exit status: 0 whether or not the program raised; 2 for a usage error.
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/api.h"

namespace {

constexpr const char* kUsage =
    "usage: attn-run [--profile keras3|tf_keras] [--seed N] [--json] FILE\n"
    "  FILE  a Python program using tensorflow/keras; '-' reads stdin\n";

int UsageError(const std::string& message) {
  std::cerr << "attn-run: " << message << "\n" << kUsage;
  return 2;
}

std::string ShapeText(const nlohmann::json& shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ", ";
    // null is an unknown dim (a KerasTensor's None).
    out += shape[i].is_number() ? std::to_string(shape[i].get<long long>())
                                : std::string("None");
  }
  if (shape.size() == 1) out += ",";
  return out + ")";
}

std::string ValueText(const nlohmann::json& v) {
  const std::string kind = v.value("kind", "");
  if (kind == "tensor") {
    return ShapeText(v["shape"]) + " " + v.value("dtype", "");
  }
  if (v.contains("repr")) return v["repr"].get<std::string>();
  if (v.contains("value")) return v["value"].dump();
  return kind;
}

// The readable report: one line per executed statement that bound names or
// raised, like a linter.
void PrintReport(const nlohmann::json& doc, const std::string& file) {
  for (const auto& step : doc["steps"]) {
    const int line = step.value("line", 0);
    for (const auto& binding : step["bindings"]) {
      std::cout << file << ":" << line << ": "
                << binding["name"].get<std::string>() << ": "
                << ValueText(binding["value"]) << "\n";
    }
    for (const auto& call : step["calls"]) {
      if (call.value("kind", "") != "layer") continue;
      std::cout << file << ":" << line << ": "
                << call["callee"].get<std::string>() << " '"
                << call["layer_name"].get<std::string>() << "'";
      for (const auto& input : call["inputs"]) {
        std::cout << (&input == &call["inputs"][0] ? ": " : ", ")
                  << input["role"].get<std::string>() << "="
                  << (input["source"].get<std::string>().empty()
                          ? input["arg_path"].get<std::string>()
                          : input["source"].get<std::string>())
                  << " " << ShapeText(input["shape"]);
      }
      std::cout << "\n";
      for (const auto& note : call["notes"]) {
        std::cout << file << ":" << line
                  << ":   note: " << note.get<std::string>() << "\n";
      }
    }
    if (!step["error"].is_null()) {
      const auto& e = step["error"];
      std::cout << file << ":" << line << ": "
                << (step.value("caught", false) ? "caught " : "")
                << e["type"].get<std::string>() << ": "
                << e.value("plain_message", e.value("message", "")) << "\n";
    }
  }
  if (!doc["stdout"].get<std::string>().empty()) {
    std::cout << "--- stdout ---\n" << doc["stdout"].get<std::string>();
  }
  if (doc["ok"].get<bool>()) {
    std::cout << "ok: the program ran to the end ("
              << doc["profile"].get<std::string>() << ")\n";
  } else {
    const auto& e = doc["error"];
    std::cout << "error at line " << e.value("line", 0) << ", column "
              << e.value("column", 0) << ": " << e["type"].get<std::string>()
              << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  ap::RunOptions options;
  bool json = false;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      json = true;
    } else if (arg == "--profile" || arg.rfind("--profile=", 0) == 0) {
      std::string value;
      if (arg == "--profile") {
        if (++i >= argc) return UsageError("--profile needs a value");
        value = argv[i];
      } else {
        value = arg.substr(10);
      }
      auto profile = ap::ParseProfile(value);
      if (!profile) return UsageError("unknown profile '" + value + "'");
      options.profile = *profile;
    } else if (arg == "--seed") {
      if (++i >= argc) return UsageError("--seed needs a value");
      try {
        options.seed = std::stoull(argv[i]);
      } catch (...) {
        return UsageError("--seed needs a non-negative integer");
      }
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return UsageError("unknown option '" + arg + "'");
    } else {
      if (!file.empty()) return UsageError("only one FILE may be given");
      file = arg;
    }
  }
  if (file.empty()) return UsageError("missing FILE");

  std::string source;
  if (file == "-") {
    source.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) return UsageError("cannot read '" + file + "'");
    source.assign(std::istreambuf_iterator<char>(in), {});
  }

  const std::string result = ap::RunProgramToJson(source, options);
  if (json) {
    std::cout << result << "\n";
    return 0;
  }
  PrintReport(nlohmann::json::parse(result), file == "-" ? "<stdin>" : file);
  return 0;
}
