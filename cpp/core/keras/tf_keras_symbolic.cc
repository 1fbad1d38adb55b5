// tf-keras 2.21 builds a functional model by running each layer's call() in
// a TensorFlow graph on placeholders whose unknown dims are unknown
// (tf_keras/src/engine/base_layer.py, _functional_construction_call and
// _infer_output_signature). The playground runs the layer's eager call on
// stand-ins (stand_ins.h) to meet the errors that call raises and the
// output shapes and dtypes; the layer's shape inference (ComputeOutputSpec)
// stands in only when the stand-ins are too large to run.
#include <optional>
#include <string>

#include "../partial_shape.h"
#include "../python/runtime.h"
#include "keras_tensor.h"
#include "layer.h"
#include "stand_ins.h"

namespace ap::keras {

namespace {

// The stand-ins' sizes: the batch small (MultiHeadAttention holds (batch,
// heads, T, T) scores), the other unknown dims large enough for the
// windows of convolutions and pools. An error whose text differs between
// the worlds depends on the unknown dims and is refused.
constexpr int64_t kBatchSizes[2] = {2, 3};
constexpr int64_t kDimSizes[2] = {13, 17};

bool IsResourceError(ErrorClass cls) {
  return cls == ErrorClass::kLimitError ||
         cls == ErrorClass::kResourceExhaustedError;
}

// The refusal of a call whose graph-mode outcome the stand-ins cannot
// tell: `eager` is what the eager call raised.
[[noreturn]] void RefuseGraphError(const std::string& class_name,
                                   const Error& eager) {
  RaiseNotModelled(
      "this call of " + class_name +
      " on keras.Input tensors under tf-keras: tf-keras runs it in a "
      "TensorFlow graph, whose error texts the playground does not model "
      "(on concrete tensors it raises " +
      std::string(ErrorClassName(eager.cls)) + ": " +
      eager.Message().substr(0, 300) +
      "); call the layer on concrete tensors to see that error, or use the "
      "Keras 3 profile");
}

}  // namespace

Value Layer::TfKerasSymbolicCall(RunContext& ctx, LayerCall& call) {
  TfKerasGraphChecks(call);
  Value outs[2];
  std::optional<Error> errors[2];
  std::string stdout_of[2];
  bool ran = true;
  {
    StandInRunScope scope(ctx);
    for (int w = 0; w < 2 && ran; ++w) {
      auto stand_in = [&](const Value& v) {
        return StandIn(v, kDimSizes[w], true, kBatchSizes[w]);
      };
      LayerCall world(call.args);
      world.params = call.params;
      world.bound = call.bound;
      for (Value& v : world.bound.values) v = stand_in(v);
      world.masks.inputs = stand_in(call.masks.inputs);
      world.masks.previous_mask = stand_in(call.masks.previous_mask);
      world.masks.from_inputs = call.masks.from_inputs;
      StandInStdout keep(ctx, &stdout_of[w]);
      try {
        outs[w] = CallBody(ctx, world);
      } catch (const ErrorException& e) {
        const ErrorClass cls = e.error().cls;
        if (cls == ErrorClass::kNotSupportedError) throw;
        // Too large to run twice: the shapes come from inference alone.
        if (IsResourceError(cls)) {
          ran = false;
          break;
        }
        errors[w] = e.error();
      }
    }
  }
  // A program's call() prints once, on the graph's placeholders.
  if (!ran && !stdout_of[0].empty()) {
    RaiseNotModelled("what this call() of " + class_name() +
                     " prints on keras.Input tensors this large");
  }
  if (ran && (!stdout_of[0].empty() || !stdout_of[1].empty())) {
    const std::optional<std::string> text =
        MergeStandInTexts(stdout_of[0], stdout_of[1]);
    if (!text) {
      RaiseNotModelled(
          "what this call() of " + class_name() +
          " prints on keras.Input tensors: tf-keras prints its graph "
          "placeholders there; print their .shape, or call the layer on "
          "concrete tensors");
    }
    py::RuntimeOf(ctx).Write(*text);
  }
  if (errors[0] || errors[1]) {
    const Error& e = errors[0] ? *errors[0] : *errors[1];
    // Keras' own checks raise the same text in a graph; TensorFlow's ops
    // raise graph-mode texts (node names, `?` dims) not modelled.
    const bool same = errors[0] && errors[1] &&
                      errors[0]->cls == errors[1]->cls &&
                      errors[0]->Message() == errors[1]->Message();
    if (!same || !e.op.empty() || e.keras_call ||
        e.cls == ErrorClass::kInvalidArgumentError) {
      RefuseGraphError(class_name(), e);
    }
    throw ErrorException(e);
  }
  // Keras 3's shape inference checks what eager ops let pass and graph
  // ops do not (a convolution window longer than the input).
  Value inferred;
  try {
    StandInRunScope scope(ctx);
    inferred = ComputeOutputSpec(ctx, call);
  } catch (const ErrorException& e) {
    // Keras 3's shape inference raised where the graph ran: its text is
    // not tf-keras'.
    if (e.error().cls == ErrorClass::kNotSupportedError) throw;
    RaiseNotModelled("the output shape of " + class_name() +
                     " on these keras.Input tensors under tf-keras (Keras 3 "
                     "raises " +
                     std::string(ErrorClassName(e.error().cls)) + " there)");
  }
  // The graph's shapes and dtypes are those of the ops that ran: a dim the
  // two worlds agree on is known.
  if (!ran) return inferred;
  return MergeStandIns(ctx, outs[0], outs[1], std::nullopt, true, "this call");
}

void Layer::MarkTfKerasOutputs(const LayerCall& call,
                               const Value& outputs) const {
  std::vector<std::shared_ptr<KerasTensor>> flat;
  CollectKerasTensors(outputs, &flat);
  for (size_t i = 0; i < flat.size(); ++i) {
    const auto& kt = flat[i];
    if (!kt->tf_keras())
      kt->SetTfKeras(name(), TfKerasNodeName(call, i), false);
    if (const auto& mask = kt->mask(); mask && !mask->tf_keras()) {
      mask->SetTfKeras("", "", false);
    }
  }
}

}  // namespace ap::keras
