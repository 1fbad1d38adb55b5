// Machinery every layer shares: Keras' Layer.__init__ keyword handling,
// Layer.__call__'s pre-call checks (signature binding, positional tensors,
// nested arguments), the error wrapper Keras puts around exceptions raised
// inside call(), weight initialisers and trace helpers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../call_args.h"
#include "../callable.h"
#include "../error.h"
#include "../random.h"
#include "../run_context.h"
#include "../value.h"

namespace ap::keras {

// "MultiHeadAttention" -> "multi_head_attention" (Keras' to_snake_case).
std::string ToSnakeCase(std::string_view class_name);

// Keras' format_argument_value mapped over a call argument: a tensor becomes
// "tf.Tensor(shape=(1, 32, 2), dtype=float32)", a list of tensors a list of
// those strings (printed with quotes), anything else its repr().
std::string FormatArgumentValue(const Value& v);

// The qualified name Python's type(v) shows: "float", "NoneType",
// "tensorflow.python.framework.ops.EagerTensor".
std::string PyTypeName(const Value& v);

// What Layer.__init__ consumes from **kwargs (name=, dtype=, trainable=,
// ...). Raises Keras' errors for unknown keywords and bad values.
struct BaseLayerKwargs {
  std::string name;  // the given name or a fresh unique one
  bool trainable = true;
  bool tf_keras = false;  // made under the tf_keras profile
  // input_shape= (or input_dim= as a one-item tuple): what Keras 3 keeps as
  // _input_shape_arg for Sequential's first layer; None when not given.
  Value input_shape;
};
BaseLayerKwargs ParseBaseLayerKwargs(
    RunContext& ctx, std::string_view class_name,
    const std::vector<std::pair<std::string, Value>>& kwargs);

// The Keras masks of one layer call: what Layer.__call__ gathered when it
// bound the call (BindLayerCall, below) and hands to compute_mask afterwards.
struct CallMasks {
  Value inputs;              // the first call argument (Keras' `inputs`)
  Value previous_mask;       // compute_mask's `mask`: None, a tensor or a list
  bool from_inputs = false;  // the mask argument was filled from the inputs
};

// A layer call as Layer.__call__ binds it.
struct LayerBinding {
  BoundArgs bound;
  // A TypeError Keras raises only when it finally calls call(), after
  // build(): tf_keras binds call() only then; Keras 3 when an argument it
  // fills in itself (training=, a mask) was also given positionally.
  std::optional<Error> deferred_error;
  // Whether `bound` has every required parameter (false only when tf_keras'
  // binding failed): build() needs them.
  bool complete = true;
  // The mask parameters Keras 3 filled from the inputs' masks (indices
  // into the parameters): they become keywords of the call.
  std::vector<size_t> filled_masks;
};

// Binds a layer call the way Layer.__call__ does: K3 goes through
// inspect.Signature.bind (its TypeError texts, raised here, unwrapped);
// tf_keras calls the bound method `call_qualname` ("BaseDenseAttention.call")
// after build (a deferred error). Then the masks: a mask argument the call
// left None is filled from the masks its inputs carry (`_keras_mask`), and
// `masks` records what compute_mask will receive.
LayerBinding BindLayerCall(Profile profile, std::string_view call_qualname,
                           const std::vector<Param>& params,
                           const CallArgs& args, CallMasks* masks);

// backend.get_keras_mask mapped over a structure: each tensor's mask (or
// None), lists and tuples mapped item by item.
Value KerasMasksOf(const Value& v);

// K3 Layer.__call__ step 2: positional arguments must be tensors (or None),
// also inside lists.
void CheckPositionalTensors(const CallArgs& args);
// K3 CallSpec: a nested argument mixing tensors and non-tensors.
void CheckNestedArguments(const std::vector<Param>& params,
                          const BoundArgs& bound);

// The bullets of Keras' wrapper: one per call parameter, in order.
std::vector<std::pair<std::string, std::string>> FormatCallArguments(
    const std::vector<Param>& params, const BoundArgs& bound);
// The tensors of one argument, and of every call parameter in order (the
// structure behind the bullets).
ArgumentLayout ArgumentLayoutOf(const Value& v);
std::vector<std::pair<std::string, ArgumentLayout>> CallArgumentLayouts(
    const std::vector<Param>& params, const BoundArgs& bound);

// Re-raises an error thrown inside Layer.call with Keras' call frame, unless
// an inner layer already added one (Keras wraps only the innermost call) or
// the error is the playground's own (NotSupported, limits).
[[noreturn]] void RethrowInCall(
    const ErrorException& e, Profile profile, std::string_view class_name,
    std::string_view layer_name,
    std::vector<std::pair<std::string, std::string>> arguments,
    std::vector<std::pair<std::string, ArgumentLayout>> layouts = {},
    bool functional = false);

// A fresh object address as CPython would print it ("0x7f..."), from the
// run's interpreter.
uint64_t NewObjectAddress(RunContext& ctx);

// glorot_uniform with Keras' fan computation (receptive field = product of
// all dims but the last two). Values come from `rng`, not TF's generator.
Tensor GlorotUniform(const Shape& shape, Random& rng);

// Keras' InputSpec for input 0 (assert_input_compatibility): the number of
// inputs and their type, rank checks, then the value of one axis.
// CheckInputSpec raises the unwrapped errors.
struct InputSpec {
  std::optional<int> ndim;
  std::optional<int> min_ndim;
  std::optional<std::pair<int, int64_t>> axis;  // {-1, 8}: last dim must be 8
};

void CheckInputSpec(Profile profile, std::string_view layer_name,
                    const InputSpec& spec, const Value& inputs);

// Source text of a call argument, and of element `item` of a list literal.
std::string ArgumentSource(const CallArgs& args,
                           const std::vector<Param>& params,
                           std::string_view name);
std::string ArgumentItemSource(const CallArgs& args,
                               const std::vector<Param>& params,
                               std::string_view name, size_t item);
// Which role ("query", "key", "value") a variable name suggests, or "".
std::string RoleSuggestedByName(std::string_view source);

// Named axes for the trace: rank 3 -> "batch,Tq,dim"; extra leading dims
// are "batch,d1,..."; rank 2 drops the batch.
std::string AxesNames(int rank, std::string_view seq, std::string_view feature);
RoleBinding MakeRole(std::string role, std::string arg_path, std::string source,
                     std::string axes, const Tensor& t);

// A mask as bool (Keras casts float/int masks with ops.cast(mask, "bool")).
Tensor AsBoolMask(const Tensor& t);

// list, tuple or dict: what Keras' tree utilities treat as a structure.
bool IsNestedStructure(const Value& v);

// A softmax with a Keras mask (True = keep), as the Softmax layer computes
// it and MultiHeadAttention's scores through it. Keras >= 3.14
// (keras/src/layers/activations/softmax.py, Keras 3.15): the mask must
// broadcast to the inputs (else ValueError), then where(mask, x, -1e9),
// `softmax`, where(mask, out, 0). tf_keras
// (tf_keras/src/layers/activation/softmax.py, 2.21): `softmax` of
// x + (1 - cast(mask, float)) * -1e9, so a mask that does not broadcast
// fails in that AddV2.
Tensor MaskedSoftmax(Profile profile, const Tensor& x, const Tensor& mask,
                     FunctionRef<Tensor(const Tensor&)> softmax);

// Dropout at `rate` when training: each element is zeroed with probability
// `rate`, the others scaled by 1 / (1 - rate). The draws come from the
// playground's generator (one per element), not TensorFlow's.
Tensor DropoutValues(const Tensor& x, double rate, Random& rng);

}  // namespace ap::keras
