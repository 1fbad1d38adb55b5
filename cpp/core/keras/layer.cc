#include "layer.h"

#include "../numpy/layer_inputs.h"
#include "../repr.h"
#include "call_binding.h"
#include "common.h"
#include "keras_tensor.h"
#include "layer_methods.h"

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

// Whether the call's nested arguments stay within 100 levels and 100,000
// values: Keras' tree utilities recurse into them (Python raises
// RecursionError for a list that contains itself), and so do the checks
// here, several times per call.
bool BoundedStructure(const Value& v, int depth, int* visits) {
  if (++*visits > 100000 || depth > 100) return false;
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    for (const Value& item : v.items()) {
      if (!BoundedStructure(item, depth + 1, visits)) return false;
    }
  } else if (v.kind() == Value::Kind::kDict) {
    for (const auto& item : v.dict_items()) {
      if (!BoundedStructure(item.second, depth + 1, visits)) return false;
    }
  }
  return true;
}

void CheckArgumentStructure(const CallArgs& args) {
  int visits = 0;
  bool ok = true;
  for (const Value& v : args.positional) {
    ok = ok && BoundedStructure(v, 0, &visits);
  }
  for (const auto& kw : args.keywords) {
    ok = ok && BoundedStructure(kw.second, 0, &visits);
  }
  if (!ok) {
    RaiseNotModelled(
        "layer arguments nested more than 100 levels deep or holding more "
        "than 100,000 values (a list that contains itself?)");
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

std::optional<PartialShape> LayerCall::ShapeOf(size_t i) const {
  return ShapeOfTensorLike(bound[i]);
}

Value Layer::Call(RunContext& ctx, const CallArgs& given_args) {
  CheckArgumentStructure(given_args);
  // numpy arrays become tensors before anything else (Layer.__call__).
  const std::optional<CallArgs> from_numpy =
      np::ArraysToLayerTensors(given_args, ctx.profile == Profile::kTfKeras);
  const CallArgs& program_args = from_numpy ? *from_numpy : given_args;
  const Profile profile = ctx.profile;
  const bool k3 = profile == Profile::kKeras3;
  const bool symbolic = ContainsKerasTensor(program_args);
  CheckNoSelfKeyword(program_args);
  std::vector<Param> params = CallParams(profile);
  // 1. Binding (Layer.__call__ before call(): nothing here is wrapped).
  if (!k3) CheckFirstArgumentPassed(params, program_args);
  // keras.ops operations are not layers: Operation.__call__ checks nothing.
  if (k3 && !IsOperation()) CheckPositionalTensors(program_args);
  const std::optional<CallArgs> without_context =
      WithoutUnusedContextArguments(params, program_args);
  const CallArgs& args = without_context ? *without_context : program_args;
  LayerCall call(args);
  call.symbolic = symbolic;
  call.params = std::move(params);
  LayerBinding binding =
      BindLayerCall(profile, CallOwner(profile, class_name_) + ".call",
                    call.params, args, &call.masks);
  call.bound = std::move(binding.bound);
  // Keras 3 passes the mask it filled in from a single tensor input as a
  // keyword of the call, so that symbolic mask is an input of the node
  // (model.summary() shows it; probed: an LSTM's node has it, Attention's
  // list input and MultiHeadAttention's *_mask ones do not).
  CallArgs node_args = args;
  if (symbolic) {
    for (const size_t m : binding.filled_masks) {
      const Value& mask = call.bound.values[m];
      if (call.params[m].name == "mask" && AsKerasTensor(mask)) {
        node_args.keywords.emplace_back("mask", mask);
      }
    }
  }
  if (k3 && !IsOperation()) CheckNestedArguments(call.params, call.bound);
  // 2. The InputSpec, then the layer's own checks. tf-keras' symbolic call
  // checks it in _maybe_build only, before the first build.
  if (input_spec_ && (k3 || !symbolic || !built_)) {
    CheckInputSpec(profile, name_, *input_spec_, call[0]);
  }
  // 3. build(), once. A call that tf_keras cannot bind still builds first,
  // unless an argument build() needs is missing.
  // Keras' name scope: the layer's weights are paths under the layers
  // being built or called around it.
  if (!built_) {
    weight_prefix_.clear();
    for (const std::string& scope : ctx.layer_scopes) {
      weight_prefix_ += scope + "/";
    }
    weight_prefix_ += name_;
    keras3_weights_ = k3;
  }
  ctx.layer_scopes.push_back(name_);
  struct PopScope {
    RunContext& ctx;
    ~PopScope() { ctx.layer_scopes.pop_back(); }
  } pop_scope{ctx};
  // tf-keras builds and calls in the call's scratch graph (run_context.h).
  struct ScratchGraph {
    RunContext& ctx;
    bool entered;
    ~ScratchGraph() {
      if (entered) ctx.LeaveScratchGraph();
    }
  } scratch_graph{ctx, symbolic && !k3};
  if (scratch_graph.entered) ctx.EnterScratchGraph();
  const bool building = !built_;
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
    outputs = !symbolic ? CallBody(ctx, call)
              : k3      ? ComputeOutputSpec(ctx, call)
                        : TfKerasSymbolicCall(ctx, call);
  } catch (const ErrorException& e) {
    call.event.failed = true;
    ctx.Emit(std::move(call.event));
    RethrowInCall(e, profile, class_name_, name_,
                  FormatCallArguments(call.params, call.bound),
                  CallArgumentLayouts(call.params, call.bound),
                  symbolic && !k3);
  }
  if (!symbolic) ctx.Emit(std::move(call.event));
  if (building && !symbolic) {
    std::vector<Value*> flat;
    FlattenLeaves(outputs, &flat);
    for (const Value* v : flat) {
      if (const auto shape = ShapeOfTensorLike(*v)) {
        build_output_shapes_.push_back(*shape);
      }
    }
    built_on_stand_ins_ = ctx.symbolic_program_calls > 0;
  }
  // 5. The outputs' masks.
  if (SupportsMasking()) {
    outputs = SetMaskMetadata(ctx, std::move(outputs), call.masks);
  }
  if (symbolic && !k3) MarkTfKerasOutputs(call, outputs);
  if (symbolic) RecordNode(node_args, outputs);
  return outputs;
}

Value Layer::ComputeOutputSpec(RunContext& ctx, const LayerCall& call) {
  const std::optional<PartialShape> input = call.ShapeOf(0);
  const std::optional<PartialShape> output =
      input ? ComputeOutputShape(*input) : std::nullopt;
  if (!output) {
    RaiseNotModelled("calling " + class_name_ +
                     " on keras.Input tensors (symbolic tensors)");
  }
  return Value::FromObject(NewKerasTensor(ctx, *output, DType::kFloat32));
}

void Layer::RecordNode(const CallArgs& args, const Value& outputs) {
  auto node = std::make_shared<Node>();
  node->layer = shared_from_this();
  node->args = args;
  node->inputs = KerasTensorsOf(args);
  node->index_in_layer = static_cast<int>(inbound_nodes_.size());
  std::vector<std::shared_ptr<KerasTensor>> outs;
  CollectKerasTensors(outputs, &outs);
  for (size_t i = 0; i < outs.size(); ++i) {
    node->outputs.push_back(outs[i].get());
    node->output_refs.push_back(outs[i]);
    node->output_shapes.push_back(outs[i]->shape());
    outs[i]->set_history({node, static_cast<int>(i)});
  }
  inbound_nodes_.push_back(node);
}

void Layer::ForgetNodes(const std::set<const Node*>& nodes) {
  std::vector<std::weak_ptr<Node>> kept;
  for (const auto& weak : inbound_nodes_) {
    const std::shared_ptr<Node> node = weak.lock();
    if (node && !nodes.count(node.get())) kept.push_back(weak);
  }
  inbound_nodes_ = std::move(kept);
}

PartialShape Layer::InputShape(const LayerCall& call) const {
  const std::optional<PartialShape> shape = call.ShapeOf(0);
  if (!shape) RaiseNotModelled(class_name_ + " inputs that are not tensors");
  return *shape;
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
  for (const Value* v : flat) {
    const auto kt = AsKerasTensor(*v);
    all_masked =
        all_masked && (kt ? kt->mask() != nullptr : v->keras_mask() != nullptr);
  }
  if (all_masked) return outputs;
  const Value out_masks = ComputeMask(ctx, masks.inputs, masks.previous_mask);
  if (out_masks.is_none()) return outputs;
  std::vector<const Value*> flat_masks;
  FlattenLeaves(out_masks, &flat_masks);
  const bool k3 = ctx.profile == Profile::kKeras3;
  for (size_t i = 0; i < flat.size() && i < flat_masks.size(); ++i) {
    Value& out = *flat[i];
    const Value& mask = *flat_masks[i];
    if (const auto kt = AsKerasTensor(out)) {
      const auto mask_kt = AsKerasTensor(mask);
      if (!kt->mask() && mask_kt) kt->set_mask(mask_kt);
      continue;
    }
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

Value Layer::WeightValue(std::string_view name, const Tensor& t) const {
  VariableInfo info;
  info.path = (weight_prefix_.empty() ? name_ : weight_prefix_) + "/" +
              std::string(name);
  info.trainable = WeightTrainable(name);
  info.keras3 = keras3_weights_;
  return Value::Variable(t, std::move(info));
}

std::vector<Value> Layer::WeightValues() const {
  std::vector<Value> out;
  for (const auto& [name, tensor] : Weights()) {
    out.push_back(WeightValue(name, tensor));
  }
  return out;
}

std::vector<Tensor> Layer::WeightsWhere(bool trainable) const {
  std::vector<Tensor> out;
  for (const auto& [name, tensor] : Weights()) {
    if ((trainable_ && WeightTrainable(name)) == trainable)
      out.push_back(tensor);
  }
  return out;
}

std::string Layer::Repr() const {
  return "<" + class_name_ + " name=" + name_ +
         ", built=" + (built_ ? "True" : "False") + ">";
}

// Operation._get_node_attribute_at_index(0, ...) (keras/src/ops/
// operation.py, Keras 3.15; tf_keras/src/engine/base_layer.py, tf-keras 2.21):
// the tensors of the layer's first call on KerasTensors, one or a list.
Value Layer::FirstCallTensors(bool outputs) const {
  if (inbound_nodes_.empty()) {
    const std::string what = outputs ? "output" : "input";
    if (tf_keras_made_) {
      RaiseText(ErrorClass::kAttributeError,
                outputs ? "Layer " + name_ + " has no inbound nodes."
                        : "Layer " + name_ +
                              " is not connected, no input to return.");
    }
    RaiseText(ErrorClass::kAttributeError,
              "The layer " + name_ +
                  " has never been called and thus has no defined " + what +
                  ".");
  }
  const std::shared_ptr<Node> node = inbound_nodes_[0].lock();
  ValueList items;
  if (node && outputs) {
    for (const std::weak_ptr<KerasTensor>& ref : node->output_refs) {
      const std::shared_ptr<KerasTensor> t = ref.lock();
      if (!t) break;
      items.push_back(Value::FromObject(t));
    }
  } else if (node) {
    for (const std::shared_ptr<KerasTensor>& t : node->inputs) {
      items.push_back(Value::FromObject(t));
    }
  }
  if (!node || (outputs && items.size() != node->output_refs.size())) {
    RaiseNotModelled(std::string("layer.") + (outputs ? "output" : "input") +
                     " of a call whose result the program no longer holds");
  }
  if (items.size() == 1) return items[0];
  return Value::List(std::move(items));
}

// tf-keras' layer.input_shape / output_shape (tf_keras/src/engine/
// base_layer.py and node.py, tf-keras 2.21): the shapes of the layer's calls
// on KerasTensors when every call agrees.
Value Layer::TfKerasCallShapes(bool outputs) const {
  const std::string what = outputs ? "output" : "input";
  if (inbound_nodes_.empty()) {
    RaiseText(ErrorClass::kAttributeError,
              "The layer \"" + name_ +
                  "\" has never been called and thus has no defined " + what +
                  " shape." +
                  (outputs ? ""
                           : " Note that the `input_shape` property is only "
                             "available for Functional and Sequential "
                             "models."));
  }
  std::optional<Value> first;
  std::string first_text;
  for (const std::weak_ptr<Node>& weak : inbound_nodes_) {
    const std::shared_ptr<Node> node = weak.lock();
    if (!node) {
      RaiseNotModelled("layer." + what +
                       "_shape of a call whose result the program no longer "
                       "holds");
    }
    ValueList shapes;
    if (outputs) {
      for (const PartialShape& shape : node->output_shapes) {
        shapes.push_back(ShapeTuple(shape));
      }
    } else {
      for (const auto& t : node->inputs)
        shapes.push_back(ShapeTuple(t->shape()));
    }
    // One tensor gives its shape; node.input_shapes also unwraps a
    // one-item shape (a rank-1 input gives its only dim).
    Value v = shapes.size() == 1 ? shapes[0] : Value::List(shapes);
    if (!outputs && v.kind() == Value::Kind::kTuple && v.items().size() == 1) {
      v = v.items()[0];
    }
    const std::string text = ap::Str(v);
    if (!first) {
      first = v;
      first_text = text;
    } else if (text != first_text) {
      RaiseText(ErrorClass::kAttributeError,
                "The layer \"" + name_ +
                    "\" has multiple inbound nodes, with different " + what +
                    " shapes. Hence the notion of \"" + what +
                    " shape\" is ill-defined for the layer. Use `get_" + what +
                    "_shape_at(node_index)` instead.");
    }
  }
  return *first;
}

std::optional<Value> Layer::GetAttr(std::string_view attr) const {
  if (attr == "name") return Value::Str(name_);
  if (attr == "built") return Value::Bool(built_);
  if (attr == "trainable") return Value::Bool(trainable_);
  if (attr == "dtype") return Value::Str("float32");
  if (attr == "input" || attr == "output") {
    return FirstCallTensors(attr == "output");
  }
  if (tf_keras_made_ && (attr == "input_shape" || attr == "output_shape")) {
    return TfKerasCallShapes(attr == "output_shape");
  }
  if (attr == "weights" || attr == "trainable_weights" ||
      attr == "trainable_variables" || attr == "variables" ||
      attr == "non_trainable_weights" || attr == "non_trainable_variables") {
    const bool non_trainable_list =
        attr == "non_trainable_weights" || attr == "non_trainable_variables";
    const bool trainable_list =
        attr == "trainable_weights" || attr == "trainable_variables";
    ValueList items;
    const std::vector<Value> all = WeightValues();
    if (trainable_list || non_trainable_list) {
      for (const Tensor& t : WeightsWhere(trainable_list)) {
        Value item = Value::FromTensor(t);
        for (const Value& w : all) {
          if (w.as_tensor().storage_id() == t.storage_id()) item = w;
        }
        items.push_back(item);
      }
    } else {
      // Each layer lists its trainable weights first (Weights() order).
      items.assign(all.begin(), all.end());
    }
    return Value::List(std::move(items));
  }
  // (Python's own lookups, __call__ and the like, end here on every call.)
  if (!attr.empty() && attr[0] == '_') return std::nullopt;
  LayerApiSubject subject;
  auto self = std::const_pointer_cast<Layer>(shared_from_this());
  subject.layer = self;
  subject.tf_keras = tf_keras_made_;
  subject.output_shape = [self](const PartialShape& input) {
    return self->ComputeOutputShape(input);
  };
  subject.compute_mask = [self](RunContext& ctx, const Value& inputs,
                                const Value& previous_mask) {
    return self->ComputeMask(ctx, inputs, previous_mask);
  };
  if (std::optional<Value> method = LayerMethod(subject, attr)) return method;
  RefuseUnmodelledLayerAttribute(subject, attr);
  return std::nullopt;
}

}  // namespace ap::keras
