// Keras layers and losses with Keras 3.15 semantics (tf-keras 2.21 texts
// under that profile), as the oracle (tests/oracle) checks them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../callable.h"

namespace ap::keras {

// The Keras masks of one layer call: what Layer.__call__ gathered when it
// bound the call (BindLayerCall) and hands to compute_mask afterwards.
struct CallMasks {
  bool bound = false;        // BindLayerCall ran
  Value inputs;              // the first call argument (Keras' `inputs`)
  Value previous_mask;       // compute_mask's `mask`: None, a tensor or a list
  bool from_inputs = false;  // the mask argument was filled from the inputs
};

// A layer instance: `layers.Attention()` creates one, calling it runs
// Layer.__call__ (pre-call checks such as InputSpec, build on first call,
// call, and Keras' error wrapper around exceptions raised inside call).
class Layer : public Callable {
 public:
  Layer(std::string class_name, std::string name)
      : class_name_(std::move(class_name)), name_(std::move(name)) {}
  std::string TypeName() const override { return class_name_; }
  // Keras 3: "<Attention name=attention, built=True>"
  std::string Repr() const override;
  const std::string& class_name() const { return class_name_; }
  const std::string& name() const { return name_; }
  bool built() const { return built_; }
  // Weights in creation order, e.g. {"kernel", ...}, {"bias", ...}.
  virtual std::vector<std::pair<std::string, Tensor>> Weights() const {
    return {};
  }
  // name, built, trainable, dtype, weights / trainable_weights /
  // non_trainable_weights (lists of tensors); subclasses add their own.
  std::optional<Value> GetAttr(std::string_view name) const override;

  // Layer.__call__: CallLayer, then the outputs' Keras masks from
  // ComputeMask (_set_mask_metadata). Errors ComputeMask raises are not
  // wrapped in Keras' call frame: Keras computes masks outside call().
  Value Call(RunContext& ctx, const CallArgs& args) final;

 protected:
  // Layer.__call__ up to and including call(). Binds the call with
  // BindLayerCall(..., &masks), which fills the mask arguments from the
  // masks the input tensors carry.
  virtual Value CallLayer(RunContext& ctx, const CallArgs& args,
                          CallMasks& masks) = 0;
  // Layer.compute_mask(inputs, mask). Every modelled layer supports
  // masking; the default passes the mask through (keras/src/layers/layer.py,
  // compute_mask, Keras 3.15; tf_keras base_layer.py, 2.21).
  virtual Value ComputeMask(RunContext& ctx, const Value& inputs,
                            const Value& previous_mask) const;

  void set_name(std::string name) { name_ = std::move(name); }

  bool built_ = false;
  bool trainable_ = true;

 private:
  std::string class_name_;
  std::string name_;
};

// `layers.<class_name>(...)` / `keras.losses.<class_name>(...)`. Returns
// nullptr if the class is not modelled (the caller reports NotSupported).
// Raises the constructor's own errors (ValueError/TypeError) otherwise.
std::shared_ptr<Callable> CreateLayer(std::string_view class_name,
                                      RunContext& ctx, const CallArgs& args);
std::shared_ptr<Callable> CreateLoss(std::string_view class_name,
                                     RunContext& ctx, const CallArgs& args);

// Names of the modelled classes, for "not supported" messages.
std::vector<std::string> LayerClassNames();
std::vector<std::string> LossClassNames();

}  // namespace ap::keras
