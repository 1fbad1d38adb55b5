// The core's surface for JS (web/core/engine.ts), with Embind: type
// conversion only. Everything else lives in cpp/core (ap::Session,
// ap::FailureDocument), tested natively.
//
// Strings cross as std::string (Embind copies UTF-8 in and out), options and
// tensors as emscripten::val. No C++ exception reaches JS: the runs and the
// tensor fetch catch everything C++ throws (a run answers with the core's
// failure document); the other functions do not allocate. (catch (...) does not
// catch JS exceptions in this WASM exception model: a trap, an abort() or the
// deferred part's loader failing still reaches JS, as the crash it is. Nor are
// the functions noexcept: a JS exception unwinding through a noexcept frame
// would call terminate().) What Embind's glue does before a call (copying the
// source in) happens outside this file.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/api.h"
#include "core/profile.h"

namespace {

using emscripten::val;

// A JS number that is a non-negative integer below 2^53, else -1.
double NonNegativeInteger(const val& v) {
  if (!v.isNumber()) return -1;
  const double d = v.as<double>();
  if (!std::isfinite(d) || d < 0 || d > 9007199254740991.0) return -1;
  return std::floor(d);
}

// options: {profile?: string, seed?: number, maxSteps?: number}; an absent
// field keeps RunOptions' default. A field of the wrong type or value is
// answered with a ValueError document (never a JS exception). Returns that
// document, or "" when `run_options` was filled.
std::string ParseOptions(const val& options, ap::RunOptions& run_options) {
  if (options.isUndefined() || options.isNull()) return "";
  const val profile = options["profile"];
  if (!profile.isUndefined()) {
    const auto parsed = profile.isString()
                            ? ap::ParseProfile(profile.as<std::string>())
                            : std::nullopt;
    if (!parsed) {
      return ap::FailureDocument(
          std::nullopt, "ValueError",
          "options.profile must be 'keras3' or 'tf_keras'");
    }
    run_options.profile = *parsed;
  }
  const val seed = options["seed"];
  if (!seed.isUndefined()) {
    const double d = NonNegativeInteger(seed);
    if (d < 0) {
      return ap::FailureDocument(run_options.profile, "ValueError",
                                 "options.seed must be a non-negative integer");
    }
    run_options.seed = static_cast<uint64_t>(d);
  }
  const val max_steps = options["maxSteps"];
  if (!max_steps.isUndefined()) {
    const double d = NonNegativeInteger(max_steps);
    if (d < 1) {
      return ap::FailureDocument(run_options.profile, "ValueError",
                                 "options.maxSteps must be a positive integer");
    }
    run_options.max_steps = static_cast<int64_t>(d);
  }
  return "";
}

// Parses `options` and runs `run(run_options)` (Session::Run, which promises
// not to throw); if anything throws anyway, JS still gets a document, or, out
// of memory even for that, "" (the facade reports a protocol error).
template <typename Run>
std::string GuardedRun(const val& options, Run run) {
  ap::RunOptions run_options;
  try {
    std::string error = ParseOptions(options, run_options);
    if (!error.empty()) return error;
    return run(run_options);
  } catch (...) {
  }
  try {
    return ap::FailureDocument(run_options.profile, "RuntimeError",
                               "internal error: the engine threw an exception");
  } catch (...) {
    return std::string();
  }
}

// A one-off run (ap::RunProgramToJson).
std::string RunProgram(const std::string& source, const val& options) {
  return GuardedRun(options, [&](const ap::RunOptions& run_options) {
    return ap::RunProgramToJson(source, run_options);
  });
}

// Tensor `id` of `session`'s last run as {shape: number[], values:
// Float32Array} (the values copied out of the heap, which the next run or a
// memory growth would invalidate), or null when there is none. A scalar has
// shape [].
val TensorOf(const ap::Session* session, const val& id) {
  const double d = NonNegativeInteger(id);
  if (session == nullptr || d < 0) return val::null();
  try {
    const int64_t key = static_cast<int64_t>(d);
    const std::vector<int64_t> shape = session->TensorShape(key);
    const std::vector<float> values = session->TensorValues(key);
    if (shape.empty() && values.empty()) return val::null();
    val tensor = val::object();
    tensor.set("shape",
               val::array(std::vector<double>(shape.begin(), shape.end())));
    tensor.set("values", val::global("Float32Array")
                             .new_(emscripten::typed_memory_view(
                                 values.size(), values.data())));
    return tensor;
  } catch (...) {
    return val::null();
  }
}

// ap::Session for JS: a run keeps its tensors so the page can fetch one
// tensor's values by the "id" the document gives (the heatmap's weights).
// The core's session is made by the first run, inside its guard.
class Session {
 public:
  std::string Run(const std::string& source, const val& options) {
    // The last run's tensors go first, also when the options are refused.
    if (session_) session_->Clear();
    return GuardedRun(options, [&](const ap::RunOptions& run_options) {
      if (!session_) session_ = std::make_unique<ap::Session>();
      return session_->Run(source, run_options);
    });
  }
  val Tensor(const val& id) const { return TensorOf(session_.get(), id); }

 private:
  std::unique_ptr<ap::Session> session_;
};

std::string EngineVersion() { return ap::kEngineVersion; }

// The allocator's own counts (emmalloc's mallinfo), so a test can tell
// whether repeated runs leak: bytes in use, free bytes kept in the heap, the
// heap's size (sbrk), and the WASM memory's size.
val HeapStats() {
  const struct mallinfo info = mallinfo();
  val stats = val::object();
  stats.set("allocated", static_cast<double>(info.uordblks));
  stats.set("free", static_cast<double>(info.fordblks));
  stats.set("arena", static_cast<double>(info.arena));
  stats.set("memory", static_cast<double>(emscripten_get_heap_size()));
  return stats;
}

// Test hook for crash recovery: a real WASM trap ("trap": `unreachable`) or
// Emscripten's abort() ("abort", what an out-of-memory failure ends in).
void DebugCrash(const std::string& how) {
  if (how == "abort") abort();
  __builtin_trap();
}

}  // namespace

EMSCRIPTEN_BINDINGS(attention_engine) {
  emscripten::function("runProgram", &RunProgram);
  emscripten::function("engineVersion", &EngineVersion);
  emscripten::function("heapStats", &HeapStats);
  emscripten::function("debugCrash", &DebugCrash);
  emscripten::class_<Session>("Session")
      .constructor<>()
      .function("run", &Session::Run)
      .function("tensor", &Session::Tensor);
}
