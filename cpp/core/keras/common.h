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
#include "layer.h"

namespace ap::keras {

// "MultiHeadAttention" -> "multi_head_attention" (Keras' to_snake_case).
std::string ToSnakeCase(std::string_view class_name);

// Keras' format_argument_value mapped over a call argument: a tensor becomes
// "tf.Tensor(shape=(1, 32, 2), dtype=float32)", a list of tensors a list of
// those strings (printed with quotes), anything else its repr().
std::string FormatArgumentValue(const Value& v);

// What Layer.__init__ consumes from **kwargs (name=, dtype=, trainable=,
// ...). Raises Keras' errors for unknown keywords and bad values.
struct BaseLayerKwargs {
  std::string name;  // the given name or a fresh unique one
  bool trainable = true;
};
BaseLayerKwargs ParseBaseLayerKwargs(
    RunContext& ctx, std::string_view class_name,
    const std::vector<std::pair<std::string, Value>>& kwargs);

// Binds a layer call the way Layer.__call__ does: K3 goes through
// inspect.Signature.bind (its TypeError texts, unwrapped); tf_keras calls
// the Python function ("Attention.call() got ..."). Then the masks: a mask
// argument the call left None is filled from the masks its inputs carry
// (`_keras_mask`), and `masks` records what compute_mask will receive.
BoundArgs BindLayerCall(Profile profile, std::string_view class_name,
                        const std::vector<Param>& params, const CallArgs& args,
                        CallMasks* masks);

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

// Re-raises an error thrown inside Layer.call with Keras' call frame, unless
// an inner layer already added one (Keras wraps only the innermost call) or
// the error is the playground's own (NotSupported, limits).
[[noreturn]] void RethrowInCall(
    const ErrorException& e, Profile profile, std::string_view class_name,
    std::string_view layer_name,
    std::vector<std::pair<std::string, std::string>> arguments);

// glorot_uniform with Keras' fan computation (receptive field = product of
// all dims but the last two). Values come from `rng`, not TF's generator.
Tensor GlorotUniform(const Shape& shape, Random& rng);

// Keras' InputSpec for input 0 (assert_input_compatibility): rank checks,
// then the value of one axis. Raises the unwrapped ValueError.
struct InputSpec {
  std::optional<int> ndim;
  std::optional<int> min_ndim;
  std::optional<std::pair<int, Dim>> axis;  // {-1, 8}: last dim must be 8
};
void CheckInputSpec(Profile profile, std::string_view layer_name,
                    const InputSpec& spec, const Value& x);

// A NotSupportedError (the playground cannot say what Keras would do).
[[noreturn]] void RaiseNotSupported(std::string_view what);
[[noreturn]] void RaiseValueError(std::string text);
[[noreturn]] void RaiseTypeError(std::string text);

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

// The Softmax layer's masked path in Keras >= 3.14
// (keras/src/layers/activations/softmax.py): the mask must broadcast to the
// inputs (else ValueError), then where(mask, x, -1e9), `softmax`,
// where(mask, out, 0). MultiHeadAttention's scores take the same path.
Tensor Keras3MaskedSoftmax(const Tensor& x, const Tensor& mask,
                           FunctionRef<Tensor(const Tensor&)> softmax);

}  // namespace ap::keras
