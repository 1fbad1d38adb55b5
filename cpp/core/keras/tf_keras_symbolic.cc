// tf-keras 2.21 builds a functional model by running each layer's call() in
// a TensorFlow graph on placeholders whose unknown dims are unknown
// (tf_keras/src/engine/base_layer.py, _functional_construction_call and
// _infer_output_signature). The playground runs the layer's eager call on
// stand-ins (stand_ins.h) to meet the errors that call raises, and takes
// the output shapes from the layer's shape inference (ComputeOutputSpec),
// which the oracle checks against tf-keras.
#include <optional>
#include <string>

#include "../partial_shape.h"
#include "keras_tensor.h"
#include "layer.h"
#include "stand_ins.h"

namespace ap::keras {

namespace {

// Small stand-ins: the call runs twice on them, before its shapes are
// known, and layers such as MultiHeadAttention hold (batch, heads, T, T)
// scores. An error whose text differs between the worlds depends on the
// unknown dims and is refused.
constexpr int64_t kStandInSizes[2] = {3, 5};

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

// Whether two shapes contradict each other on a dim both know.
bool Contradict(const PartialShape& a, const PartialShape& b) {
  if (a.size() != b.size()) return true;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].known() && b[i].known() && a[i].size() != b[i].size()) {
      return true;
    }
  }
  return false;
}

}  // namespace

Value Layer::TfKerasSymbolicCall(RunContext& ctx, LayerCall& call) {
  TfKerasGraphChecks(call);
  Value outs[2];
  std::optional<Error> errors[2];
  bool checked = true;
  {
    StandInRunScope scope(ctx);
    for (int w = 0; w < 2 && checked; ++w) {
      LayerCall stand_in(call.args);
      stand_in.params = call.params;
      stand_in.bound = call.bound;
      for (Value& v : stand_in.bound.values) {
        v = StandIn(v, kStandInSizes[w], true);
      }
      stand_in.masks.inputs =
          StandIn(call.masks.inputs, kStandInSizes[w], true);
      stand_in.masks.previous_mask =
          StandIn(call.masks.previous_mask, kStandInSizes[w], true);
      stand_in.masks.from_inputs = call.masks.from_inputs;
      try {
        outs[w] = CallBody(ctx, stand_in);
      } catch (const ErrorException& e) {
        const ErrorClass cls = e.error().cls;
        if (cls == ErrorClass::kNotSupportedError) throw;
        // Too large to run twice: the shapes come from inference alone.
        if (IsResourceError(cls)) {
          checked = false;
          break;
        }
        errors[w] = e.error();
      }
    }
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
  Value spec;
  try {
    spec = ComputeOutputSpec(ctx, call);
  } catch (const ErrorException& e) {
    // Keras 3's shape inference raised where the graph ran: its text is
    // not tf-keras'.
    if (e.error().cls == ErrorClass::kNotSupportedError) throw;
    RaiseNotModelled("the output shape of " + class_name() +
                     " on these keras.Input tensors under tf-keras (Keras 3 "
                     "raises " +
                     std::string(ErrorClassName(e.error().cls)) + " there)");
  }
  if (checked) {
    const Value merged =
        MergeStandIns(ctx, outs[0], outs[1], std::nullopt, true, "this call");
    std::vector<std::shared_ptr<KerasTensor>> inferred, ran;
    CollectKerasTensors(spec, &inferred);
    CollectKerasTensors(merged, &ran);
    bool agree = inferred.size() == ran.size();
    for (size_t i = 0; agree && i < inferred.size(); ++i) {
      agree = !Contradict(inferred[i]->shape(), ran[i]->shape());
    }
    if (!agree) {
      RaiseNotModelled("the output shape of " + class_name() +
                       " on these keras.Input tensors under tf-keras");
    }
    // The graph's dtypes are those of the ops that ran (an int32 input
    // pooled stays int32), not the layer's compute dtype.
    for (size_t i = 0; i < inferred.size(); ++i) {
      inferred[i]->set_dtype(ran[i]->dtype());
    }
  }
  return spec;
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
