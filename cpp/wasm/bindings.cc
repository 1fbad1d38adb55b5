// Embind surface of the core: type conversion only. Everything else lives in
// cpp/core (ap::RunProgramToJson), which is tested natively.
#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "core/api.h"
#include "core/error.h"

namespace {

using emscripten::val;

// The same document shape RunProgramToJson returns, for the two failures that
// happen before the core is reached. Strings here are ASCII we control.
std::string BindingError(const std::string& type, const std::string& message) {
  return R"({"ok":false,"profile":null,"error":{"type":")" + type +
         R"(","message":")" + message +
         R"(","line":0,"column":0},"caught":[],"variables":{},"stdout":"",)"
         R"("steps":[]})";
}

bool IsType(const val& v, const char* type) {
  return v.typeOf().as<std::string>() == type;
}

// A finite, non-negative JS integer-valued number below 2^53, else -1.
double NonNegativeInteger(const val& v) {
  if (!IsType(v, "number")) return -1;
  const double d = v.as<double>();
  if (!std::isfinite(d) || d < 0 || d > 9007199254740991.0) return -1;
  return std::floor(d);
}

// options: {profile?: string, seed?: number, maxSteps?: number}; absent
// fields keep RunOptions' defaults. Wrongly typed fields are reported as a
// document (never a JS exception); the TS facade validates them first.
// Returns the error document, or "" when `run_options` was filled.
std::string ParseOptions(const val& options, ap::RunOptions& run_options) {
  if (!IsType(options, "object") || options.isNull()) return "";
  const val profile = options["profile"];
  if (!profile.isUndefined()) {
    const auto parsed = IsType(profile, "string")
                            ? ap::ParseProfile(profile.as<std::string>())
                            : std::nullopt;
    if (!parsed) {
      return BindingError("ValueError",
                          "options.profile must be 'keras3' or 'tf_keras'");
    }
    run_options.profile = *parsed;
  }
  const val seed = options["seed"];
  if (!seed.isUndefined()) {
    const double d = NonNegativeInteger(seed);
    if (d < 0) {
      return BindingError("ValueError",
                          "options.seed must be a non-negative integer");
    }
    run_options.seed = static_cast<uint64_t>(d);
  }
  const val max_steps = options["maxSteps"];
  if (!max_steps.isUndefined()) {
    const double d = NonNegativeInteger(max_steps);
    if (d < 1) {
      return BindingError("ValueError",
                          "options.maxSteps must be a positive integer");
    }
    run_options.max_steps = static_cast<int64_t>(d);
  }
  return "";
}

// Runs `run` (RunProgramToJson or Session::Run, both promise not to throw);
// if one ever does, JS still gets a document instead of an exception pointer.
template <typename Run>
std::string Guarded(Run run) {
  try {
    return run();
  } catch (...) {
    return BindingError("InternalError", "the engine threw an exception");
  }
}

std::string RunProgram(const std::string& source, const val& options) {
  ap::RunOptions run_options;
  if (std::string error = ParseOptions(options, run_options); !error.empty())
    return error;
  return Guarded([&] { return ap::RunProgramToJson(source, run_options); });
}

// ap::Session for JS: run() keeps the run's tensors so the page can fetch one
// tensor's values by the "id" the document gives (the heatmap's weights).
class Session {
 public:
  std::string Run(const std::string& source, const val& options) {
    ap::RunOptions run_options;
    if (std::string error = ParseOptions(options, run_options);
        !error.empty()) {
      session_.Clear();
      return error;
    }
    return Guarded([&] { return session_.Run(source, run_options); });
  }
  // [] when the last run has no tensor `id` (ids are JS numbers).
  val TensorShape(const val& id) const {
    val shape = val::array();
    const double d = NonNegativeInteger(id);
    if (d < 0) return shape;
    for (const int64_t dim : session_.TensorShape(static_cast<int64_t>(d)))
      shape.call<void>("push", static_cast<double>(dim));
    return shape;
  }
  // A Float32Array that owns a copy of the values (the view into the WASM
  // heap would be invalidated by the next run or a memory growth).
  val TensorValues(const val& id) const {
    const double d = NonNegativeInteger(id);
    const std::vector<float> values =
        d < 0 ? std::vector<float>{}
              : session_.TensorValues(static_cast<int64_t>(d));
    return val::global("Float32Array")
        .new_(emscripten::typed_memory_view(values.size(), values.data()));
  }
  void Clear() { session_.Clear(); }

 private:
  ap::Session session_;
};

std::string EngineVersion() { return ap::kEngineVersion; }

// The allocator's own counts (dlmalloc's mallinfo), so a test can tell
// whether repeated runs leak: bytes in use, free bytes kept in the heap, and
// the heap's size (sbrk). The WASM memory itself is HEAP8.buffer.byteLength.
val HeapStats() {
  const struct mallinfo info = mallinfo();
  val out = val::object();
  out.set("allocated", static_cast<double>(info.uordblks));
  out.set("free", static_cast<double>(info.fordblks));
  out.set("arena", static_cast<double>(info.arena));
  return out;
}

// Test hook for crash recovery: a real WASM trap ("trap": `unreachable`) or
// Emscripten's abort() ("abort", what an out-of-memory failure ends in).
void DebugCrash(const std::string& how) {
  if (how == "abort") abort();
  __builtin_trap();
}

}  // namespace

EMSCRIPTEN_BINDINGS(attention_playground) {
  emscripten::function("runProgram", &RunProgram);
  emscripten::function("engineVersion", &EngineVersion);
  emscripten::function("debugCrash", &DebugCrash);
  emscripten::function("heapStats", &HeapStats);
  emscripten::class_<Session>("Session")
      .constructor<>()
      .function("run", &Session::Run)
      .function("tensorShape", &Session::TensorShape)
      .function("tensorValues", &Session::TensorValues)
      .function("clear", &Session::Clear);
}
