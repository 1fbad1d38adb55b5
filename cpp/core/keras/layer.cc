#include "layer.h"

#include "attention.h"
#include "dense.h"
#include "losses.h"
#include "merge.h"
#include "multi_head_attention.h"
#include "simple_layers.h"

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

Value Layer::ComputeMask(RunContext&, const Value&,
                         const Value& previous_mask) const {
  return previous_mask;
}

Value Layer::Call(RunContext& ctx, const CallArgs& args) {
  CallMasks masks;
  Value outputs = CallLayer(ctx, args, masks);
  if (!masks.bound) return outputs;
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

std::shared_ptr<Callable> CreateLayer(std::string_view class_name,
                                      RunContext& ctx, const CallArgs& args) {
  if (class_name == "Attention") {
    return std::make_shared<AttentionLayer>(ctx, args, /*additive=*/false);
  }
  if (class_name == "AdditiveAttention") {
    return std::make_shared<AttentionLayer>(ctx, args, /*additive=*/true);
  }
  if (class_name == "MultiHeadAttention") {
    return std::make_shared<MultiHeadAttentionLayer>(ctx, args);
  }
  if (class_name == "Dense") return std::make_shared<DenseLayer>(ctx, args);
  if (class_name == "Softmax") return std::make_shared<SoftmaxLayer>(ctx, args);
  if (class_name == "Dropout") return std::make_shared<DropoutLayer>(ctx, args);
  if (class_name == "LayerNormalization") {
    return std::make_shared<LayerNormalizationLayer>(ctx, args);
  }
  if (class_name == "Add" || class_name == "Concatenate") {
    return std::make_shared<MergeLayer>(ctx, args, std::string(class_name));
  }
  return nullptr;
}

std::shared_ptr<Callable> CreateLoss(std::string_view class_name,
                                     RunContext& ctx, const CallArgs& args) {
  if (class_name == "MeanSquaredError") {
    return std::make_shared<MeanSquaredErrorLoss>(ctx, args);
  }
  return nullptr;
}

std::vector<std::string> LayerClassNames() {
  return {
      "Add",    "AdditiveAttention", "Attention",          "Concatenate",
      "Dense",  "Dropout",           "LayerNormalization", "MultiHeadAttention",
      "Softmax"};
}

std::vector<std::string> LossClassNames() { return {"MeanSquaredError"}; }

}  // namespace ap::keras
