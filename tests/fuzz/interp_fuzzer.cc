// libFuzzer target: program text -> ap::RunProgramToJson (lexer, parser,
// evaluator, builtins, TF ops, Keras layers, JSON document) under small
// limits, in both profiles. Beyond ASan/UBSan/LeakSanitizer it checks the
// engine's contract: the answer is one JSON document with a boolean "ok"; a
// failed run names an error type and a non-empty message (unless the
// program raised it without one); no failure is an
// "internal error" (a C++ exception the core did not expect).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/api.h"
#include "fuzz_limits.h"

namespace {

void Fail(const char* what, const std::string& doc) {
  std::fprintf(stderr, "interp_fuzzer: %s\n%.2000s\n", what, doc.c_str());
  std::abort();
}

void CheckDocument(const std::string& text) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) Fail("not a JSON object", text);
  if (!doc.contains("ok") || !doc["ok"].is_boolean()) Fail("no ok", text);
  const nlohmann::json& error = doc["error"];
  if (doc["ok"].get<bool>() != error.is_null()) Fail("ok vs error", text);
  if (error.is_null()) return;
  if (!error["type"].is_string() || error["type"].get<std::string>().empty())
    Fail("error without a type", text);
  if (!error["message"].is_string()) Fail("message not a string", text);
  // Only the program's own `raise ValueError()` may have an empty message.
  if (error["message"].get<std::string>().empty() &&
      !error["raised_by_program"].get<bool>())
    Fail("error without a message", text);
  // The engine's own failures start with "internal error" (api.cc,
  // run.cc, evaluator.cc); the words elsewhere, or in an exception the
  // program raised itself, are the program's text.
  if (!error["raised_by_program"].get<bool>() &&
      error["message"].get<std::string>().rfind("internal error", 0) == 0)
    Fail("internal error", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the profile, so both message sets are reached.
  ap::RunOptions options = ap::fuzz::SmallRunOptions();
  options.profile =
      (data[0] & 1) ? ap::Profile::kTfKeras : ap::Profile::kKeras3;
  options.seed = data[0] >> 1;
  const std::string_view source(reinterpret_cast<const char*>(data) + 1,
                                size - 1);
  CheckDocument(ap::RunProgramToJson(source, options));
  return 0;
}
