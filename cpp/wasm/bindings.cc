// The C surface of the core for JS (web/core/engine.ts): type conversion only.
// Everything else lives in cpp/core (ap::RunProgramToJson), tested natively.
//
// Plain C exports instead of Embind (issue 6/7: Embind's glue was ~13 KB gzip
// of JS and its type registration ran at every instantiation). Conventions:
// - strings in: UTF-8 bytes that JS wrote into a malloc'd buffer (pointer and
//   byte length; not NUL-terminated); JS frees them.
// - strings out: a malloc'd block [uint32 byte length][UTF-8 bytes] that JS
//   reads (TextDecoder) and then frees with ap_free.
// - numbers: plain arguments. Nothing here throws into JS.
#include <emscripten/emscripten.h>
#include <malloc.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "core/api.h"
#include "core/error.h"

namespace {

// The same document shape RunProgramToJson returns, for the failures that
// happen before the core is reached. Strings here are ASCII we control.
std::string BindingError(const std::string& type, const std::string& message) {
  return R"({"ok":false,"profile":null,"error":{"type":")" + type +
         R"(","message":")" + message +
         R"(","line":0,"column":0},"caught":[],"variables":{},"stdout":"",)"
         R"("steps":[]})";
}

// The [uint32 length][bytes] block JS reads and frees; null if out of memory.
char* ToBlock(const std::string& s) {
  const uint32_t length = static_cast<uint32_t>(s.size());
  char* block = static_cast<char*>(std::malloc(4 + s.size()));
  if (block == nullptr) return nullptr;
  std::memcpy(block, &length, 4);
  std::memcpy(block + 4, s.data(), s.size());
  return block;
}

// A finite, non-negative integer-valued double below 2^53, else -1.
double NonNegativeInteger(double d) {
  if (!std::isfinite(d) || d < 0 || d > 9007199254740991.0) return -1;
  return std::floor(d);
}

// Which options the caller gave (ap_run's `present` bits). JS passes a field
// of the wrong type as present with an invalid value (profile "" or a
// number -1), so it is reported as a document, as the Embind binding did.
enum : int { kHasProfile = 1, kHasSeed = 2, kHasMaxSteps = 4 };

// Fills `run_options`; returns the error document, or "" when valid.
std::string ParseOptions(const char* profile, uint32_t profile_length,
                         double seed, double max_steps, int present,
                         ap::RunOptions& run_options) {
  if (present & kHasProfile) {
    const auto parsed =
        ap::ParseProfile(std::string(profile ? profile : "", profile_length));
    if (!parsed) {
      return BindingError("ValueError",
                          "options.profile must be 'keras3' or 'tf_keras'");
    }
    run_options.profile = *parsed;
  }
  if (present & kHasSeed) {
    const double d = NonNegativeInteger(seed);
    if (d < 0) {
      return BindingError("ValueError",
                          "options.seed must be a non-negative integer");
    }
    run_options.seed = static_cast<uint64_t>(d);
  }
  if (present & kHasMaxSteps) {
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
// if one ever does, JS still gets a document instead of an exception.
template <typename Run>
std::string Guarded(Run run) {
  try {
    return run();
  } catch (...) {
    return BindingError("InternalError", "the engine threw an exception");
  }
}

double heap_stats[3];

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void* ap_malloc(uint32_t size) {
  return std::malloc(size);
}
EMSCRIPTEN_KEEPALIVE void ap_free(void* p) { std::free(p); }

// Runs a program. `session` is an ap_session_new handle, or null for a
// one-off run (RunProgramToJson). Returns a [length][JSON] block.
EMSCRIPTEN_KEEPALIVE char* ap_run(ap::Session* session, const char* source,
                                  uint32_t source_length, const char* profile,
                                  uint32_t profile_length, double seed,
                                  double max_steps, int present) {
  ap::RunOptions run_options;
  std::string error = ParseOptions(profile, profile_length, seed, max_steps,
                                   present, run_options);
  if (!error.empty()) {
    if (session != nullptr) session->Clear();
    return ToBlock(error);
  }
  return ToBlock(Guarded([&] {
    std::string text(source ? source : "", source_length);
    return session != nullptr ? session->Run(text, run_options)
                              : ap::RunProgramToJson(text, run_options);
  }));
}

// ap::Session keeps the last run's tensors so the page can fetch one tensor's
// values by the "id" the document gives (the heatmap's weights).
EMSCRIPTEN_KEEPALIVE ap::Session* ap_session_new() { return new ap::Session(); }
EMSCRIPTEN_KEEPALIVE void ap_session_delete(ap::Session* session) {
  delete session;
}

// Tensor `id` of the session's last run as one malloc'd block for JS to copy
// out and free: [uint32 rank][uint32 count][rank x float64 dims][count x
// float32 values] (8-byte aligned dims). Null when there is no such tensor
// (an unknown id has no shape and no values; a scalar has rank 0, count 1).
EMSCRIPTEN_KEEPALIVE char* ap_session_tensor(const ap::Session* session,
                                             double id) {
  const double d = NonNegativeInteger(id);
  if (session == nullptr || d < 0) return nullptr;
  const int64_t key = static_cast<int64_t>(d);
  const std::vector<int64_t> shape = session->TensorShape(key);
  const std::vector<float> values = session->TensorValues(key);
  if (shape.empty() && values.empty()) return nullptr;
  const uint32_t rank = static_cast<uint32_t>(shape.size());
  const uint32_t count = static_cast<uint32_t>(values.size());
  char* block = static_cast<char*>(
      std::malloc(8 + 8 * static_cast<size_t>(rank) + 4 * values.size()));
  if (block == nullptr) return nullptr;
  std::memcpy(block, &rank, 4);
  std::memcpy(block + 4, &count, 4);
  for (uint32_t i = 0; i < rank; ++i) {
    const double dim = static_cast<double>(shape[i]);
    std::memcpy(block + 8 + 8 * i, &dim, 8);
  }
  if (count > 0)
    std::memcpy(block + 8 + 8 * rank, values.data(), 4 * values.size());
  return block;
}

// NUL-terminated, static.
EMSCRIPTEN_KEEPALIVE const char* ap_engine_version() {
  return ap::kEngineVersion;
}

// The allocator's own counts (emmalloc's mallinfo), so a test can tell
// whether repeated runs leak: three float64s, bytes in use, free bytes kept
// in the heap, and the heap's size (sbrk). Static; valid until the next call.
EMSCRIPTEN_KEEPALIVE const double* ap_heap_stats() {
  const struct mallinfo info = mallinfo();
  heap_stats[0] = static_cast<double>(info.uordblks);
  heap_stats[1] = static_cast<double>(info.fordblks);
  heap_stats[2] = static_cast<double>(info.arena);
  return heap_stats;
}

// Test hook for crash recovery: a real WASM trap (how 0: `unreachable`) or
// Emscripten's abort() (how 1, what an out-of-memory failure ends in).
EMSCRIPTEN_KEEPALIVE void ap_debug_crash(int how) {
  if (how == 1) abort();
  __builtin_trap();
}

}  // extern "C"
