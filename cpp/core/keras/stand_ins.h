// Calls on KerasTensors run on concrete stand-ins. Keras traces such a call
// in a TensorFlow graph, where unknown dims stay unknown; the playground runs
// it twice instead, on zeros whose unknown dims are one size in the first
// world and another in the second (Keras 3.0's JAX backend did the same with
// 83 and 89 in compute_output_spec): an output dim equal in both worlds is
// known, one that differs is None. The runs are charged to the run's budgets
// like any other op.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../dtype.h"
#include "../run_context.h"
#include "../value.h"

namespace ap::keras {

// The sizes a stand-in run gives every unknown dim, batch included, where
// a function (a Lambda's, a keras.ops one) sees whole KerasTensors: large,
// since slices and reshapes could otherwise map two small stand-ins to the
// same size.
constexpr int64_t kFunctionStandInSizes[2] = {83, 89};

// Each KerasTensor in `v` (through lists and tuples) as zeros of its shape
// with every unknown dim `size` (an unknown first dim, the batch,
// `batch_size` when given); with `with_masks`, its Keras mask as ones.
Value StandIn(const Value& v, int64_t size, bool with_masks,
              std::optional<int64_t> batch_size = std::nullopt);

// KerasTensors for the leaves of the two worlds' outputs. `dtype` forces
// the outputs' dtype (else each keeps its run's). A leaf that is not a
// tensor is the first world's value when `non_tensors_ok`, else refused as
// `what` (e.g. "a Lambda") returning no tensor.
Value MergeStandIns(RunContext& ctx, const Value& a, const Value& b,
                    std::optional<DType> dtype, bool non_tensors_ok,
                    std::string_view what);

// `text` with each whole number equal to `size` written None: a message of
// a stand-in run as Keras, which sees None, would word it.
std::string WithoutStandIn(const std::string& text, int64_t size);

// What a program printed in the two worlds, as it prints on Keras'
// placeholders: the numbers that differ between the worlds are the unknown
// dims, written None; nullopt when anything else differs (a tensor's values
// printed, say).
std::optional<std::string> MergeStandInTexts(const std::string& a,
                                             const std::string& b);

// Keeps what the program prints while it lives in `*out` (a stand-in run).
class StandInStdout {
 public:
  StandInStdout(RunContext& ctx, std::string* out)
      : ctx_(ctx), previous_(ctx.stand_in_stdout) {
    ctx.stand_in_stdout = out;
  }
  ~StandInStdout() { ctx_.stand_in_stdout = previous_; }
  StandInStdout(const StandInStdout&) = delete;
  StandInStdout& operator=(const StandInStdout&) = delete;

 private:
  RunContext& ctx_;
  std::string* previous_;
};

// Keeps the target shapes of the reshapes (tf.reshape, keras.ops.reshape,
// K.reshape) a stand-in run makes while it lives in `*out`.
class StandInReshapes {
 public:
  StandInReshapes(RunContext& ctx, std::vector<std::vector<int64_t>>* out)
      : ctx_(ctx), previous_(ctx.stand_in_reshapes) {
    ctx.stand_in_reshapes = out;
  }
  ~StandInReshapes() { ctx_.stand_in_reshapes = previous_; }
  StandInReshapes(const StandInReshapes&) = delete;
  StandInReshapes& operator=(const StandInReshapes&) = delete;

 private:
  RunContext& ctx_;
  std::vector<std::vector<int64_t>>* previous_;
};

// Whether the two worlds made a reshape whose -1 sits beside a size that
// differs between them (read from the tensor's dynamic shape,
// tf.shape(x)[0]). TensorFlow's static shape of such a reshape leaves both
// dims unknown (SetOutputShapeForReshape, tensorflow/core/ops/
// array_ops.cc, TF 2.21: more than one unknown dim), where the stand-ins
// give the -1 a size: the output shape the worlds agree on is not the
// graph's.
bool ReshapeLeavesUnknownDims(const std::vector<std::vector<int64_t>>& a,
                              const std::vector<std::vector<int64_t>>& b);

// Records a reshape's target in the stand-in run, if one is kept.
inline void NoteStandInReshape(RunContext& ctx,
                               const std::vector<int64_t>& target) {
  if (ctx.stand_in_reshapes) ctx.stand_in_reshapes->push_back(target);
}

// For as long as it lives: no trace events, and the program's own code
// (a subclassed layer's call()) knows it runs on stand-ins.
class StandInRunScope {
 public:
  explicit StandInRunScope(RunContext& ctx) : ctx_(ctx), trace_(ctx.trace) {
    ctx.trace = nullptr;
    ++ctx.symbolic_program_calls;
  }
  ~StandInRunScope() {
    ctx_.trace = trace_;
    --ctx_.symbolic_program_calls;
  }
  StandInRunScope(const StandInRunScope&) = delete;
  StandInRunScope& operator=(const StandInRunScope&) = delete;

 private:
  RunContext& ctx_;
  TraceSink* trace_;
};

}  // namespace ap::keras
