#include "layer.h"

#include "call_binding.h"
#include "common.h"

namespace ap::keras {

namespace {

// tree.flatten / tf.nest.flatten of a layer's outputs or of a mask
// structure: the leaves of lists and tuples.
template <typename V>
void FlattenLeaves(V& v, std::vector<V*>* out, int depth = 0) {
  if (depth < 100 &&
      (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple)) {
    for (auto& item : v.items()) FlattenLeaves<V>(item, out, depth + 1);
  } else {
    out->push_back(&v);
  }
}

}  // namespace

size_t LayerCall::Index(std::string_view name) const {
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == name) return i;
  }
  return params.size();
}

std::string LayerCall::Source(std::string_view name) const {
  return ArgumentSource(args, params, name);
}

std::string LayerCall::ItemSource(std::string_view name, size_t item) const {
  return ArgumentItemSource(args, params, name, item);
}

void LayerCall::AddInputRole(const Tensor& x, std::string axes) {
  event.inputs.push_back(
      MakeRole("inputs", "inputs", Source("inputs"), std::move(axes), x));
}

Value Layer::Call(RunContext& ctx, const CallArgs& program_args) {
  const Profile profile = ctx.profile;
  const bool k3 = profile == Profile::kKeras3;
  CheckNoSelfKeyword(program_args);
  std::vector<Param> params = CallParams(profile);
  // 1. Binding (Layer.__call__ before call(): nothing here is wrapped).
  if (!k3) CheckFirstArgumentPassed(params, program_args);
  if (k3) CheckPositionalTensors(program_args);
  const std::optional<CallArgs> without_context =
      WithoutUnusedContextArguments(params, program_args);
  const CallArgs& args = without_context ? *without_context : program_args;
  LayerCall call(args);
  call.params = std::move(params);
  LayerBinding binding =
      BindLayerCall(profile, CallOwner(profile, class_name_) + ".call",
                    call.params, args, &call.masks);
  call.bound = std::move(binding.bound);
  if (k3) CheckNestedArguments(call.params, call.bound);
  // 2. The InputSpec, then the layer's own checks.
  if (input_spec_) CheckInputSpec(profile, name_, *input_spec_, call[0]);
  // 3. build(), once. A call that tf_keras cannot bind still builds first,
  // unless an argument build() needs is missing.
  if (binding.complete) {
    CheckCall(ctx, call);
    if (!built_) {
      Build(ctx, call);
      built_ = true;
    }
  }
  if (binding.deferred_error) throw ErrorException(*binding.deferred_error);
  // 4. call() inside Keras' error wrapper, traced.
  call.event.kind = "layer";
  call.event.callee = class_name_;
  call.event.layer_name = name_;
  Value outputs;
  try {
    outputs = CallBody(ctx, call);
  } catch (const ErrorException& e) {
    call.event.failed = true;
    ctx.Emit(std::move(call.event));
    RethrowInCall(e, profile, class_name_, name_,
                  FormatCallArguments(call.params, call.bound),
                  CallArgumentLayouts(call.params, call.bound));
  }
  ctx.Emit(std::move(call.event));
  // 5. The outputs' masks.
  if (!SupportsMasking()) return outputs;
  return SetMaskMetadata(ctx, std::move(outputs), call.masks);
}

const Tensor& Layer::TensorInput(const LayerCall& call) const {
  if (!call[0].is_tensor()) {
    RaiseNotModelled(class_name_ + " inputs that are not tensors");
  }
  return call[0].as_tensor();
}

Value Layer::SetMaskMetadata(RunContext& ctx, Value outputs,
                             const CallMasks& masks) const {
  // _set_mask_metadata (keras/src/layers/layer.py, Keras 3.15;
  // tf_keras/src/engine/base_layer.py, 2.21): nothing to do when every
  // output already carries a mask, else compute_mask's masks go onto the
  // outputs in order. Keras 3 fills only outputs without a mask and skips
  // None; tf_keras assigns each (None included).
  std::vector<Value*> flat;
  FlattenLeaves(outputs, &flat);
  bool all_masked = true;
  for (const Value* v : flat) all_masked = all_masked && v->keras_mask();
  if (all_masked) return outputs;
  const Value out_masks = ComputeMask(ctx, masks.inputs, masks.previous_mask);
  if (out_masks.is_none()) return outputs;
  std::vector<const Value*> flat_masks;
  FlattenLeaves(out_masks, &flat_masks);
  const bool k3 = ctx.profile == Profile::kKeras3;
  for (size_t i = 0; i < flat.size() && i < flat_masks.size(); ++i) {
    Value& out = *flat[i];
    const Value& mask = *flat_masks[i];
    if (!out.is_tensor()) continue;
    if (k3) {
      if (!out.keras_mask() && mask.is_tensor()) {
        out.SetKerasMask(mask.as_tensor());
      }
    } else {
      out.SetKerasMask(mask.is_tensor() ? mask.as_tensor() : Tensor());
    }
  }
  return outputs;
}

Value Layer::ComputeMask(RunContext&, const Value&,
                         const Value& previous_mask) const {
  return previous_mask;
}

std::string Layer::Repr() const {
  return "<" + class_name_ + " name=" + name_ +
         ", built=" + (built_ ? "True" : "False") + ">";
}

std::optional<Value> Layer::GetAttr(std::string_view attr) const {
  if (attr == "name") return Value::Str(name_);
  if (attr == "built") return Value::Bool(built_);
  if (attr == "trainable") return Value::Bool(trainable_);
  if (attr == "dtype") return Value::Str("float32");
  if (attr == "weights" || attr == "trainable_weights" ||
      attr == "trainable_variables" || attr == "variables" ||
      attr == "non_trainable_weights" || attr == "non_trainable_variables") {
    const bool non_trainable_list =
        attr == "non_trainable_weights" || attr == "non_trainable_variables";
    const bool trainable_list =
        attr == "trainable_weights" || attr == "trainable_variables";
    ValueList items;
    for (const auto& [weight_name, tensor] : Weights()) {
      (void)weight_name;
      const bool include = (!trainable_list && !non_trainable_list) ||
                           (trainable_list && trainable_) ||
                           (non_trainable_list && !trainable_);
      if (include) items.push_back(Value::FromTensor(tensor));
    }
    return Value::List(std::move(items));
  }
  return std::nullopt;
}

}  // namespace ap::keras
