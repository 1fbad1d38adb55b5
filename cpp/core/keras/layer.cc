#include "layer.h"

#include "attention.h"
#include "dense.h"
#include "losses.h"
#include "merge.h"
#include "multi_head_attention.h"
#include "simple_layers.h"

namespace ap::keras {

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
