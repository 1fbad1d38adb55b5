// The Keras layer: one call path, Layer::Call (Keras' Layer.__call__), that
// every modelled layer goes through, and the hooks each layer fills in: its
// call() signature, build, call body and output-shape inference. Keras 3.15
// semantics (keras/src/layers/layer.py), tf-keras 2.21 texts under that
// profile (tf_keras/src/engine/base_layer.py), as the oracle (tests/oracle)
// checks them. docs/adding-a-layer.md walks through adding one.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../call_args.h"
#include "../callable.h"
#include "../partial_shape.h"
#include "common.h"
#include "keras_tensor.h"

namespace ap::keras {

// One call of a layer, as Layer::Call hands it to the layer's hooks.
struct LayerCall {
  explicit LayerCall(const CallArgs& call_args) : args(call_args) {}

  const CallArgs& args;       // as the program wrote them (argument sources)
  std::vector<Param> params;  // call()'s signature (Layer::CallParams)
  BoundArgs bound;            // bound, with the masks filled in
  CallMasks masks;
  // The trace event; the body adds the roles, intermediates, outputs and
  // notes. Layer::Call emits it (failed or not).
  CallEvent event;

  const Value& operator[](size_t i) const { return bound[i]; }
  // Index of the call parameter `name` (params.size() if there is none).
  size_t Index(std::string_view name) const;
  // Program text of argument `name`, and of item `item` of its list literal.
  std::string Source(std::string_view name) const;
  std::string ItemSource(std::string_view name, size_t item) const;
  // Adds the single input `inputs` to the event's roles.
  void AddInputRole(const Tensor& x, std::string axes = "");
  // The shape of bound argument `i`, a tensor or a KerasTensor (unknown
  // dims then); nullopt for anything else.
  std::optional<PartialShape> ShapeOf(size_t i) const;
  // Whether the call is symbolic (some argument is a KerasTensor).
  bool symbolic = false;
};

// A layer instance: `layers.Attention()` creates one; calling it runs
// Layer::Call.
class Layer : public Callable, public std::enable_shared_from_this<Layer> {
 public:
  Layer(std::string class_name, std::string name)
      : class_name_(std::move(class_name)), name_(std::move(name)) {}
  std::string TypeName() const override { return class_name_; }
  // Keras 3: "<Attention name=attention, built=True>"
  std::string Repr() const override;
  const std::string& class_name() const { return class_name_; }
  const std::string& name() const { return name_; }
  bool built() const { return built_; }
  // A keras.ops operation in a graph (keras.ops.add through `+`), not a
  // layer: model.layers leaves it out, model.summary() lists it.
  virtual bool IsOperation() const { return false; }
  bool trainable() const { return trainable_; }
  // The input_shape= the layer was made with (None if none): a Sequential
  // starts with an Input of that shape.
  const Value& input_shape_arg() const { return input_shape_arg_; }
  // Weights in creation order, e.g. {"kernel", ...}, {"bias", ...}.
  virtual std::vector<std::pair<std::string, Tensor>> Weights() const {
    return {};
  }
  // Whether weight `name` is trainable when the layer is (false for
  // BatchNormalization's moving statistics).
  virtual bool WeightTrainable(std::string_view name) const {
    (void)name;
    return true;
  }
  // trainable_weights (true) or non_trainable_weights (false), in Weights()
  // order; models gather their layers'.
  virtual std::vector<Tensor> WeightsWhere(bool trainable) const;
  // The weights as the program sees them (layer.weights): Variables with
  // their paths. Models and layers with sublayers list theirs.
  virtual std::vector<Value> WeightValues() const;
  // Weight `name` (as Weights() names it) as a Variable of this layer.
  Value WeightValue(std::string_view name, const Tensor& t) const;
  // name, built, trainable, dtype, weights / trainable_weights /
  // non_trainable_weights (lists of tensors); subclasses add their own.
  std::optional<Value> GetAttr(std::string_view name) const override;

  // compute_output_shape(input_shape) for a layer of one input and one
  // output; nullopt when the layer has several inputs or does not say.
  virtual std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const {
    (void)input;
    return std::nullopt;
  }

  // The output shapes of the call that built the layer: what Keras 3's
  // summary shows for a layer used only eagerly (compute_output_shape of
  // its build shapes). Empty when it was built on KerasTensors (its nodes
  // tell) or not at all; `built_on_stand_ins` when that call ran on
  // stand-ins for keras.Input tensors (its sizes are not the program's).
  const std::vector<PartialShape>& build_output_shapes() const {
    return build_output_shapes_;
  }
  bool built_on_stand_ins() const { return built_on_stand_ins_; }

  // The layer's calls on KerasTensors (Keras' _inbound_nodes), oldest first.
  const std::vector<std::weak_ptr<Node>>& inbound_nodes() const {
    return inbound_nodes_;
  }

  // Records a symbolic call as a Node on the outputs' history (Keras'
  // Node(operation, call_args, call_kwargs, outputs)).
  void RecordNode(const CallArgs& args, const Value& outputs);
  // Drops these nodes (and any that no longer live) from the layer's
  // calls: tf-keras' Sequential forgets the graph it built for an earlier
  // input shape.
  void ForgetNodes(const std::set<const Node*>& nodes);

  // Layer.__call__, the one call path of every layer:
  //  1. argument binding (call_binding.h): a `self=` keyword, tf_keras'
  //     first-argument check, K3 positional-tensor check, a `training=`
  //     that call() does not take dropped, binding with the masks filled in
  //     (BindLayerCall), K3 nested-argument check;
  //  2. the InputSpec check (input_spec_) and the layer's CheckCall;
  //  3. Build, once; then the binding errors Keras meets only when it
  //     calls call() (tf_keras' CPython binding, K3's training= or mask
  //     also given positionally);
  //  4. CallBody inside Keras' error wrapper (the "Exception encountered
  //     when calling ..." frame) and the trace event, emitted either way;
  //  5. the outputs' Keras masks from ComputeMask (_set_mask_metadata),
  //     when the layer supports masking.
  // Errors of steps 1-3 and 5 are raised unwrapped, as Keras raises them
  // outside call().
  Value Call(RunContext& ctx, const CallArgs& args) final;
  // call()'s parameters (inspect.signature(layer.call)).
  std::vector<Param> CallSignature(Profile profile) const {
    return CallParams(profile);
  }

 protected:
  // call()'s parameters under `profile`, `inputs` (or `query`) first.
  virtual std::vector<Param> CallParams(Profile profile) const = 0;
  // Checks of the bound call before build (unwrapped errors); may also
  // normalise arguments, which the wrapper then shows as normalised.
  virtual void CheckCall(RunContext& ctx, LayerCall& call) {
    (void)ctx;
    (void)call;
  }
  // build(input_shape): creates the weights. Runs once, before the first
  // call body; the call path sets built_ afterwards.
  virtual void Build(RunContext& ctx, const LayerCall& call) {
    (void)ctx;
    (void)call;
  }
  // call(): the outputs. Errors raised here get Keras' call frame.
  virtual Value CallBody(RunContext& ctx, LayerCall& call) = 0;
  // Keras 3's compute_output_spec for a symbolic call: the KerasTensors the
  // call returns, from the bound arguments' shapes, without computing
  // anything (Layer.compute_output_spec uses compute_output_shape when the
  // layer defines one; keras/src/layers/layer.py, Keras 3.15). The default
  // maps ComputeOutputShape over a single tensor input; float32 outputs.
  virtual Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call);
  // tf-keras' call on KerasTensors: call() runs in a graph
  // (tf_keras/src/engine/base_layer.py _functional_construction_call,
  // 2.21); here on stand-ins for its errors, with ComputeOutputSpec's
  // shapes (tf_keras_symbolic.cc).
  Value TfKerasSymbolicCall(RunContext& ctx, LayerCall& call);
  // Checks tf-keras' call() makes only in a graph, on the static shapes
  // (`result.set_shape(self.compute_output_shape(inputs.shape))`); they
  // raise inside call(), before any op could.
  virtual void TfKerasGraphChecks(const LayerCall& call) const { (void)call; }
  // The name of the graph tensor output `index` of a tf-keras symbolic call
  // is (the KerasTensor's name, "dense/BiasAdd:0"): the layer's name scope,
  // the op that made it and the output's index. Empty when not known.
  virtual std::string TfKerasNodeName(const LayerCall& call,
                                      size_t index) const {
    (void)call, (void)index;
    return "";
  }
  // Keras' supports_masking: without it the outputs get no mask (Keras 3
  // warns, tf_keras skips _set_mask_metadata).
  virtual bool SupportsMasking() const { return true; }
  // compute_mask(inputs, mask). The default passes the mask through
  // (keras/src/layers/layer.py, compute_mask, Keras 3.15; tf_keras
  // base_layer.py, 2.21).
  virtual Value ComputeMask(RunContext& ctx, const Value& inputs,
                            const Value& previous_mask) const;

  // The shape of input 0, a tensor or a KerasTensor; NotSupported for
  // anything else.
  PartialShape InputShape(const LayerCall& call) const;

  void set_name(std::string name) { name_ = std::move(name); }
  // Layer.__init__'s share of the constructor's keywords.
  void ApplyBaseKwargs(const BaseLayerKwargs& base) {
    tf_keras_made_ = base.tf_keras;
    name_ = base.name;
    trainable_ = base.trainable;
    input_shape_arg_ = base.input_shape;
  }

  std::optional<InputSpec> input_spec_;  // checked before build
  // The name scopes the layer was built in and its name: its weights' path
  // prefix ("transformer_block/dense"); and the profile it was built under.
  std::string weight_prefix_;
  bool keras3_weights_ = true;
  bool built_ = false;
  bool trainable_ = true;
  bool tf_keras_made_ = false;  // constructed under the tf_keras profile
  Value input_shape_arg_;

 private:
  Value SetMaskMetadata(RunContext& ctx, Value outputs,
                        const CallMasks& masks) const;
  // Makes the outputs of a tf-keras symbolic call (and their masks)
  // tf-keras KerasTensors of this layer (tf_keras_symbolic.cc).
  void MarkTfKerasOutputs(const LayerCall& call, const Value& outputs) const;
  // layer.input / layer.output. (Out of line: GetAttr runs for every
  // program, these for few.)
  __attribute__((noinline)) Value FirstCallTensors(bool outputs) const;
  // tf-keras' layer.input_shape / layer.output_shape.
  __attribute__((noinline)) Value TfKerasCallShapes(bool outputs) const;
  std::vector<std::weak_ptr<Node>> inbound_nodes_;
  std::vector<PartialShape> build_output_shapes_;
  bool built_on_stand_ins_ = false;

  std::string class_name_;
  std::string name_;
};

// The keras::Layer behind a value: a modelled layer or model, or the native
// part of an instance of a program's subclass (program_layer.h); null for
// anything else.
std::shared_ptr<Layer> AsLayer(const Value& v);

// The value a program sees for `layer`: its instance for a program's
// subclass (while that instance lives), the layer itself otherwise.
Value LayerValue(const std::shared_ptr<Layer>& layer);

}  // namespace ap::keras
