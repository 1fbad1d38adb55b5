// The one entry point the command line and the WASM binding share: run a
// program and get a JSON document back. Never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "profile.h"
#include "python/run_limits.h"
#include "tensor.h"

namespace ap {

// Bumped when the document or the modelled behaviour changes; links record it.
inline constexpr const char* kEngineVersion = "0.1.0";

struct RunOptions {
  Profile profile = Profile::kKeras3;
  uint64_t seed = 0;           // tf.random.* and weight initialisers
  ResourceLimits limits;       // per tensor and live total
  int64_t max_steps = 100000;  // statements + calls executed per run
  // The interpreter's other limits (nesting, literals, sequence sizes, work,
  // stdout). Its max_steps is ignored: `max_steps` above wins.
  py::RunLimits run_limits;
};

// Runs `source` and returns the JSON document below (attn-run --json prints
// it; the WASM binding returns it). Field names use the project vocabulary
// (batch, Tq, Tv, dim, num_heads, key_dim, value_dim).
//
// {
//   "ok": bool,                      // ran to the end (caught errors allowed)
//   "profile": "keras3" | "tf_keras" | null,   // null: FailureDocument
//   "frameworks": {"tensorflow": "2.21", "keras": "3.15" | "2.21",
//                  "keras_package": "keras" | "tf-keras"},
//   "engine_version": str,
//   "error": null | Error,           // the uncaught error
//   "caught": [Error],               // errors caught by `except`, in order
//   "variables": {name: Value},      // globals at the end (modules excluded)
//   "stdout": str,
//   "steps": [Step], "steps_truncated": bool,
//   "notes": [str]                   // e.g. that tf.random values are not TF's
// }
// Error = {"type": "InvalidArgumentError" | "ValueError" | ...,
//          "message": str,           // str(e) exactly (ANSI bold included)
//          "plain_message": str,     // the same without ANSI codes
//          "kernel_message": str,    // without envelope / Keras wrapper
//          "line": int, "column": int, "end_line": int, "end_column": int,
//          "op": str | null, "op_name": str,
//          "kind": str | null,       // TF kernel message kind, e.g.
//                                    // "MatMulSizeIncompatible"; null for
//                                    // Keras and Python texts
//          "shapes": [[int]], "failing_axes": [int],
//          "keras_call": null | {"class_name", "layer_name",
//                                "arguments": [[name, value_text]],
//                                // the same arguments' tensors:
//                                "argument_tensors": [{"name": str,
//                                                      "value": Layout}]},
//          "framework": "tensorflow" | "keras" | "python" | "playground",
//          "note": str}
// Value = {"kind": "tensor", "shape": [int], "dtype": str,
//          "values": [first 8 flattened], "min", "max", "mean", "id": int}
//          // A tensor of an earlier step that the trace released under
//          // memory pressure (run/trace_store.h) has no "id" but
//          // "values_dropped": true, "values_dropped_reason": str; its
//          // values/min/max/mean are still the true ones.
//       | {"kind": "int"|"float"|"str"|"bool"|"none", "value": ...}
//       | {"kind": "list"|"tuple", "value": [Value], "repr": str}
//       | {"kind": "shape", "value": [int], "repr": str}
//       | {"kind": "dtype", "value": str}
//       | {"kind": "layer", "class": str, "name": str, "repr": str}
//       | {"kind": "object", "type": str, "repr": str}
// Step = {"index": int, "line": int, "end_line": int,
//         "bindings": [{"name": str, "value": Value}],
//         "calls": [Call], "stdout": str, "error": null | Error,
//         "caught": bool}
// Layout = {"shape": [int], "dtype": str}   // a tensor
//        | [Layout]                          // a list or tuple, per element
//        | null                              // anything else
// Call = {"kind": "layer" | "op", "callee": str, "layer_name": str,
//         "failed": bool, "notes": [str],
//         "inputs": [{"role", "arg_path", "source", "axes", "shape", "dtype",
//                     // only when the source's name suggests another role:
//                     "suggested_role": str, "role_note": str}],
//         "intermediates": [TracedTensor], "outputs": [TracedTensor],
//         // attention layers only (run_context.h CallStage):
//         "stages": [{"stage": "validate" | "projection" | "value_projection"
//                              | "scores" | "mask" | "softmax" | "output"
//                              | "query_mask" | "output_projection",
//                     "status": "done" | "failed" | "not_reached" | "skipped",
//                     "shape": [int] | null, "axes": str,
//                     "sources": [str]}]}   // mask: what it combines
// TracedTensor = {"label": str, "axes": str, "shape": [int], "dtype": str,
//                 "values", "min", "max", "mean",
//                 "id": int}   // id: fetch the values with Session
//                 // or, once released, "values_dropped" as in Value
std::string RunProgramToJson(std::string_view source,
                             const RunOptions& options);

// The document of a run that failed outside the program: every field of the
// document above, "ok": false, nothing run, and an "error" with every Error
// field, "type": `type` (a Python class name), "message" and "plain_message":
// `message`, "line" 0 and "framework": "playground". `profile` (and so
// "frameworks") is null when unknown. Used for invalid options (the WASM
// binding) and for the engine's own failures ("internal error: ...").
std::string FailureDocument(std::optional<Profile> profile,
                            std::string_view type, std::string message);

// A run whose tensors stay available after the JSON is made, so a client can
// fetch the values of one tensor by its "id" (e.g. the attention weights for
// a heatmap) without the document carrying millions of numbers.
class Session {
 public:
  Session();
  ~Session();
  // Runs `source` (replacing the previous run's tensors); never throws.
  std::string Run(std::string_view source, const RunOptions& options);
  // Shape and row-major values (as float; bools 0/1) of tensor `id` of the
  // last run; empty if there is no such id.
  std::vector<int64_t> TensorShape(int64_t id) const;
  std::vector<float> TensorValues(int64_t id) const;
  // Drops the last run's tensors.
  void Clear();

 private:
  struct State;
  State* state_;
};

}  // namespace ap
