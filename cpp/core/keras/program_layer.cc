#include "program_layer.h"

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "../ops/ops.h"
#include "../python/classes.h"
#include "../python/evaluator.h"
#include "../python/runtime.h"
#include "../repr.h"
#include "common.h"
#include "functional.h"
#include "keras_tensor.h"
#include "layer_methods.h"
#include "native_method.h"
#include "stand_ins.h"
#include "training.h"
#include "weight_initializers.h"

namespace ap::keras {

namespace {

using VK = Value::Kind;

// The program's function `name` as its class defines it (unbound), or
// nullopt when only Layer itself has it.
std::optional<Value> ProgramMethod(const py::InstanceObject& inst,
                                   std::string_view name) {
  return inst.cls()->LookupRaw(name);
}

CallArgs Positional(ValueList values) {
  CallArgs args;
  args.positional = std::move(values);
  return args;
}

// A weight the program made with add_weight.
struct OwnWeight {
  std::string name;
  Tensor tensor;
  bool trainable = true;
};

// A layer whose methods are the program's (see program_layer.h).
class ProgramLayer : public Layer {
 public:
  ProgramLayer(std::string class_name, bool model)
      : Layer(std::move(class_name), ""), model_(model) {}

  // Layer.__init__(**kwargs): the name and the base keywords.
  void Init(RunContext& ctx, const Value& self, const CallArgs& args) {
    Bind(self);
    bool graph_arguments = model_ && !args.positional.empty();
    for (const auto& [key, value] : args.keywords) {
      graph_arguments =
          graph_arguments || (model_ && (key == "inputs" || key == "outputs"));
    }
    if (graph_arguments) {
      RaiseNotModelled(
          "a keras.Model subclass made from inputs and outputs; build a "
          "functional keras.Model(inputs, outputs) instead");
    }
    if (!args.positional.empty()) {
      RaiseTypeError(std::string(model_ ? "Model" : "Layer") +
                     ".__init__() takes 1 positional argument but " +
                     std::to_string(args.positional.size() + 1) +
                     " were given");
    }
    ApplyBaseKwargs(
        ParseBaseLayerKwargs(ctx, ToSnakeCase(class_name()), args.keywords));
    initialized_ = true;
  }

  void Bind(const Value& self) {
    if (auto inst =
            std::dynamic_pointer_cast<py::InstanceObject>(self.as_object())) {
      self_ = inst;
    }
  }
  bool initialized() const { return initialized_; }
  bool model() const { return model_; }

  // The instance, or null once the run dropped it.
  std::shared_ptr<py::InstanceObject> instance() const { return self_.lock(); }
  Value Self() const {
    const auto inst = instance();
    if (!inst) RaiseText(ErrorClass::kRuntimeError, "the layer's run ended");
    return inst->self();
  }

  // `self.x = value`: Keras tracks layers (and lists of them) assigned to
  // the instance; they are its sublayers, in assignment order.
  // tf-keras also tracks the tf.Variables assigned to the layer (TF's
  // AutoTrackable); Keras 3 tracks only its own Variables (add_weight).
  void Track(const Value& value, Profile profile) {
    if (std::shared_ptr<Layer> layer = AsLayer(value)) {
      for (const auto& l : sublayers_) {
        if (l == layer) return;
      }
      sublayers_.push_back(std::move(layer));
      return;
    }
    if (profile == Profile::kTfKeras && value.variable()) {
      const void* id = value.as_tensor().storage_id();
      for (const Value& v : tf_variables_) {
        if (v.as_tensor().storage_id() == id) return;
      }
      for (const OwnWeight& w : own_) {
        if (w.tensor.storage_id() == id) return;  // add_weight's own
      }
      tf_variables_.push_back(value);
      return;
    }
    if (value.kind() == VK::kList || value.kind() == VK::kTuple) {
      for (const Value& item : value.items()) Track(item, profile);
    }
  }
  const std::vector<std::shared_ptr<Layer>>& sublayers() const {
    return sublayers_;
  }

  Value AddWeight(RunContext& ctx, const CallArgs& args);
  // An add_weight variable: trainable as it was made.
  Value OwnWeightValue(const OwnWeight& w) const {
    Value v = WeightValue(w.name, w.tensor);
    VariableInfo info = *v.variable();
    info.trainable = w.trainable;
    return Value::Variable(w.tensor, std::move(info));
  }

  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  bool WeightTrainable(std::string_view name) const override {
    (void)name;
    return true;
  }
  std::vector<Tensor> WeightsWhere(bool trainable) const override;
  std::vector<Value> WeightValues() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  std::string Repr() const override {
    if (model_ && !built_) {
      return "<" + class_name() + " name=" + name() + ", built=False>";
    }
    return Layer::Repr();
  }

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  bool SupportsMasking() const override;
  Value ComputeMask(RunContext& ctx, const Value& inputs,
                    const Value& previous_mask) const override;

 private:
  py::FunctionSignature CallSignature() const;
  Value CallProgram(RunContext& ctx, const LayerCall& call,
                    const ValueList& values);
  Error InferenceError(RunContext& ctx, const LayerCall& call, ErrorClass cls,
                       const std::string& inner) const;
  // call() on KerasTensors, as shapes: see StandInCall below.
  // What call() printed is printed once, with None for the unknown dims
  // (and kept in `*printed` when given).
  Value StandInCall(RunContext& ctx, const LayerCall& call,
                    std::string* printed = nullptr);
  // The shapes Keras 3 hands build() / compute_output_shape()
  // (update_shapes_dict_for_target_fn).
  CallArgs ShapeArguments(RunContext& ctx, const LayerCall& call,
                          const py::FunctionSignature& target,
                          std::string_view method) const;
  bool MightHaveUnbuiltState() const {
    for (const auto& l : sublayers_) {
      if (!l->built()) return true;
    }
    return false;
  }

  bool model_;
  bool initialized_ = false;
  std::weak_ptr<py::InstanceObject> self_;
  std::vector<std::shared_ptr<Layer>> sublayers_;
  std::vector<OwnWeight> own_;
  std::vector<Value> tf_variables_;  // tf.Variables tf-keras tracks
  mutable std::shared_ptr<TrainingState> training_;  // set by compile()
  // The output spec the build-time trace of a symbolic call found.
  std::optional<Value> traced_spec_;
  std::string traced_stdout_;  // what that trace printed
};

py::FunctionSignature ProgramLayer::CallSignature() const {
  const auto inst = instance();
  std::optional<Value> call =
      inst ? ProgramMethod(*inst, "call") : std::nullopt;
  if (!call) {
    RaiseNotModelled("a " + class_name() +
                     " layer without a call() method (Keras raises "
                     "NotImplementedError when it is called)");
  }
  std::optional<py::FunctionSignature> sig = py::SignatureOf(*call);
  if (!sig || sig->params.empty()) {
    RaiseNotModelled(class_name() + ".call that is not a method def");
  }
  if (sig->star || sig->star_star) {
    RaiseNotModelled(class_name() +
                     ".call with *args or **kwargs: name its parameters");
  }
  sig->params.erase(sig->params.begin());  // self
  return *sig;
}

std::vector<Param> ProgramLayer::CallParams(Profile) const {
  return CallSignature().params;
}

Value ProgramLayer::CallProgram(RunContext& ctx, const LayerCall& call,
                                const ValueList& values) {
  CallArgs args;
  for (size_t i = 0; i < call.params.size(); ++i) {
    if (!call.bound.was_given[i] && !call.params[i].default_value &&
        values[i].is_none()) {
      continue;
    }
    if (call.params[i].keyword_only) {
      args.keywords.emplace_back(call.params[i].name, values[i]);
    } else {
      args.positional.push_back(values[i]);
    }
  }
  const Value method = *py::LookupAttribute(Self(), "call");
  return py::RuntimeOf(ctx).CallValue(method, args);
}

// A program's call() on KerasTensors runs on stand-ins (stand_ins.h). Small
// primes keep the runs cheap; a stand-in that meets a known dim in a
// broadcast fails in one world only, which refuses rather than guesses.
// The runs print nothing (their sizes are not the program's).
constexpr int64_t kStandInSizes[2] = {7, 11};

// Operation.compute_output_spec's error (keras/src/ops/operation.py, Keras
// 3.15) in the frame Operation.__call__ puts around symbolic_call(*args,
// **kwargs): the arguments as Layer.__call__ passed them on, training= and
// a filled-in mask included.
Error ProgramLayer::InferenceError(RunContext& ctx, const LayerCall& call,
                                   ErrorClass cls,
                                   const std::string& inner) const {
  Error e;
  e.cls = cls;
  e.text = "Could not automatically infer the output shape / dtype of '" +
           name() + "' (of type " + class_name() + "). Either the `" +
           class_name() +
           ".call()` method is incorrect, or you need to "
           "implement the `" +
           class_name() +
           ".compute_output_spec() / compute_output_shape()` method. Error "
           "encountered:\n\n" +
           inner;
  ValueList args;
  for (const Value& v : call.args.positional) {
    args.push_back(Value::Str(FormatArgumentValue(v)));
  }
  DictItems kwargs;
  for (const auto& [key, v] : call.args.keywords) {
    kwargs.emplace_back(Value::Str(key), Value::Str(FormatArgumentValue(v)));
  }
  auto populate = [&](const std::string& name, const Value& v) {
    for (const auto& [key, given] : call.args.keywords) {
      if (key == name) return;
    }
    kwargs.emplace_back(Value::Str(name), Value::Str(FormatArgumentValue(v)));
  };
  const size_t training = call.Index("training");
  if (training < call.params.size()) {
    const Value& given = call.bound[training];
    const std::optional<Value>& fallback = call.params[training].default_value;
    populate("training", !given.is_none() ? given
                         : fallback && !fallback->is_none()
                             ? *fallback
                             : Value::Bool(false));
  }
  const size_t mask = call.Index("mask");
  if (mask < call.params.size()) populate("mask", call.bound[mask]);
  KerasCallFrame frame;
  frame.profile = ctx.profile;
  frame.class_name = class_name();
  frame.layer_name = name();
  frame.arguments.emplace_back("args", ap::Repr(Value::Tuple(std::move(args))));
  frame.arguments.emplace_back(
      "kwargs", kwargs.empty() ? "<class 'inspect._empty'>"
                               : ap::Repr(Value::Dict(std::move(kwargs))));
  e.keras_call = std::move(frame);
  return e;
}

Value ProgramLayer::StandInCall(RunContext& ctx, const LayerCall& call,
                                std::string* printed) {
  Value outs[2];
  std::optional<Error> errors[2];
  std::string stdout_of[2];
  std::vector<std::vector<int64_t>> reshapes[2];
  {
    StandInRunScope scope(ctx);
    for (int w = 0; w < 2; ++w) {
      ValueList values;
      for (const Value& v : call.bound.values) {
        values.push_back(StandIn(v, kStandInSizes[w], true));
      }
      StandInStdout keep(ctx, &stdout_of[w]);
      StandInReshapes keep_reshapes(ctx, &reshapes[w]);
      try {
        outs[w] = CallProgram(ctx, call, values);
      } catch (const ErrorException& e) {
        const ErrorClass c = e.error().cls;
        if (c == ErrorClass::kNotSupportedError ||
            c == ErrorClass::kLimitError) {
          throw;
        }
        errors[w] = e.error();
      }
    }
  }
  // Keras runs call() once on its placeholders, whose unknown dims print
  // as None.
  if (!stdout_of[0].empty() || !stdout_of[1].empty()) {
    const std::optional<std::string> text =
        MergeStandInTexts(stdout_of[0], stdout_of[1]);
    if (!text) {
      RaiseNotModelled(
          "what this call() of " + class_name() +
          " prints on keras.Input tensors: Keras prints its graph "
          "placeholders there; print their .shape, or call the layer on "
          "concrete tensors");
    }
    py::RuntimeOf(ctx).Write(*text);
    if (printed) *printed = *text;
  }
  if (errors[0] || errors[1]) {
    // Keras' own checks raise the same in a graph; TensorFlow's ops raise
    // graph-mode errors (other classes and texts) the playground does not
    // model, and an error of one stand-in only is no error of the program.
    if (errors[0] && errors[1] && !errors[0]->keras_call &&
        !errors[1]->keras_call &&
        errors[0]->cls != ErrorClass::kInvalidArgumentError &&
        errors[0]->cls != ErrorClass::kResourceExhaustedError) {
      // A shape in the text shows the stand-in where Keras shows None.
      const std::string text =
          WithoutStandIn(errors[0]->text, kStandInSizes[0]);
      if (text == WithoutStandIn(errors[1]->text, kStandInSizes[1])) {
        throw ErrorException(InferenceError(ctx, call, errors[0]->cls, text));
      }
    }
    const Error& e = errors[0] ? *errors[0] : *errors[1];
    RaiseNotModelled(
        "this call() of " + class_name() +
        " on keras.Input tensors: Keras traces it in a TensorFlow graph, "
        "whose errors the playground does not model (on concrete tensors it "
        "raises " +
        std::string(ErrorClassName(e.cls)) + ": " + e.Message().substr(0, 300) +
        "); call the layer on concrete tensors to see it");
  }
  if (ReshapeLeavesUnknownDims(reshapes[0], reshapes[1])) {
    RaiseNotModelled(
        "the output shape of this call() of " + class_name() +
        " on keras.Input tensors: it reshapes with -1 beside a size read "
        "from the tensor's dynamic shape (tf.shape(x)[0]), where "
        "TensorFlow's graph leaves both dims None; call the layer on "
        "concrete tensors, or give the sizes it knows instead of -1");
  }
  return MergeStandIns(ctx, outs[0], outs[1], std::nullopt, true, "a call()");
}

CallArgs ProgramLayer::ShapeArguments(RunContext& ctx, const LayerCall& call,
                                      const py::FunctionSignature& target,
                                      std::string_view method) const {
  const bool k3 = ctx.profile == Profile::kKeras3;
  // The shape of each tensor argument (a list of shapes for a list of
  // tensors), masks left out.
  std::vector<std::pair<std::string, Value>> shapes;
  for (size_t i = 0; i < call.params.size(); ++i) {
    const std::string& name = call.params[i].name;
    if (name == "mask") continue;
    const Value& v = call.bound[i];
    if (std::optional<PartialShape> s = ShapeOfTensorLike(v)) {
      shapes.emplace_back(name + "_shape",
                          k3 ? ShapeTuple(*s) : TensorShapeValue(*s));
    } else if (v.kind() == VK::kList || v.kind() == VK::kTuple) {
      ValueList items;
      bool any = false;
      for (const Value& item : v.items()) {
        std::optional<PartialShape> s = ShapeOfTensorLike(item);
        any = any || s.has_value();
        items.push_back(!s   ? Value::None()
                        : k3 ? ShapeTuple(*s)
                             : TensorShapeValue(*s));
      }
      if (any) {
        shapes.emplace_back(name + "_shape", v.kind() == VK::kList
                                                 ? Value::List(items)
                                                 : Value::Tuple(items));
      }
    }
    // tf_keras builds from the first argument only.
    if (!k3) break;
  }
  std::vector<std::string> names;
  for (size_t i = 1; i < target.params.size(); ++i) {
    names.push_back(target.params[i].name);
  }
  if (!k3 || names.size() <= 1) {
    return Positional({shapes.empty() ? Value::None() : shapes.front().second});
  }
  CallArgs args;
  const std::string preamble =
      "For a `" + std::string(method) +
      "()` method with more than one argument, all arguments should have a "
      "`_shape` suffix and match an argument from `call()`. E.g. `" +
      std::string(method) + "(self, foo_shape, bar_shape)`  For layer '" +
      class_name() + "', ";
  for (const std::string& n : names) {
    const bool suffixed =
        n.size() > 6 && n.compare(n.size() - 6, 6, "_shape") == 0;
    if (!suffixed) {
      RaiseValueError(preamble + "Received `" + std::string(method) +
                      "()` argument `" + n +
                      "`, which does not end in `_shape`.");
    }
    const std::string arg = n.substr(0, n.size() - 6);
    if (call.Index(arg) == call.params.size()) {
      RaiseValueError(preamble + "received `" + std::string(method) +
                      "()` argument `" + n +
                      "`, but `call()` does not have argument `" + arg + "`.");
    }
    for (const auto& [key, shape] : shapes) {
      if (key == n) args.keywords.emplace_back(key, shape);
    }
  }
  return args;
}

void ProgramLayer::Build(RunContext& ctx, const LayerCall& call) {
  const auto inst = instance();
  if (!inst) return;
  if (std::optional<Value> build = ProgramMethod(*inst, "build")) {
    std::optional<py::FunctionSignature> sig = py::SignatureOf(*build);
    if (!sig) RaiseNotModelled(class_name() + ".build that is not a def");
    const CallArgs args = ShapeArguments(ctx, call, *sig, "build");
    py::RuntimeOf(ctx).CallValue(*py::LookupAttribute(Self(), "build"), args);
    return;
  }
  // Keras 3 builds a layer without build() whose sublayers are not built
  // by tracing call() once (backend.compute_output_spec); a failure there
  // is left for the call itself to raise (eager) or only warned about. The
  // trace shows nothing of that run; what call() prints is printed, as in
  // Keras.
  if (ctx.profile != Profile::kKeras3 || !MightHaveUnbuiltState()) return;
  if (call.symbolic) {
    // A failed trace only warns (on stderr) before build(); the call
    // itself then raises. A trace that worked is the call's output spec
    // (Keras traces again with the same result).
    try {
      traced_stdout_.clear();
      traced_spec_ = StandInCall(ctx, call, &traced_stdout_);
    } catch (const ErrorException& e) {
      if (e.error().cls == ErrorClass::kLimitError) throw;
    }
    return;
  }
  TraceSink* const trace = ctx.trace;
  ctx.trace = nullptr;
  try {
    CallProgram(ctx, call, call.bound.values);
  } catch (const ErrorException& e) {
    ctx.trace = trace;
    if (e.error().cls == ErrorClass::kNotSupportedError ||
        e.error().cls == ErrorClass::kLimitError ||
        e.error().cls == ErrorClass::kResourceExhaustedError) {
      throw;
    }
  } catch (...) {
    ctx.trace = trace;
    throw;
  }
  ctx.trace = trace;
}

Value ProgramLayer::CallBody(RunContext& ctx, LayerCall& call) {
  for (size_t i = 0; i < call.params.size(); ++i) {
    if (call.bound[i].is_tensor()) {
      call.event.inputs.push_back(MakeRole(
          call.params[i].name, call.params[i].name,
          call.Source(call.params[i].name), "", call.bound[i].as_tensor()));
    }
  }
  Value out = CallProgram(ctx, call, call.bound.values);
  if (out.is_tensor()) {
    call.event.outputs.push_back({"output", "", out.as_tensor()});
  }
  return out;
}

Value ProgramLayer::ComputeOutputSpec(RunContext& ctx, const LayerCall& call) {
  const auto inst = instance();
  if (inst) {
    if (std::optional<Value> fn =
            ProgramMethod(*inst, "compute_output_shape")) {
      std::optional<py::FunctionSignature> sig = py::SignatureOf(*fn);
      if (!sig) RaiseNotModelled("this compute_output_shape");
      const CallArgs args =
          ShapeArguments(ctx, call, *sig, "compute_output_shape");
      const Value shape = py::RuntimeOf(ctx).CallValue(
          *py::LookupAttribute(Self(), "compute_output_shape"), args);
      if (std::optional<PartialShape> s = ShapeFromValue(shape)) {
        return Value::FromObject(NewKerasTensor(ctx, *s, DType::kFloat32));
      }
      if (shape.kind() == VK::kList || shape.kind() == VK::kTuple) {
        ValueList outs;
        for (const Value& item : shape.items()) {
          std::optional<PartialShape> s = ShapeFromValue(item);
          if (!s) RaiseNotModelled("this compute_output_shape result");
          outs.push_back(
              Value::FromObject(NewKerasTensor(ctx, *s, DType::kFloat32)));
        }
        return shape.kind() == VK::kList ? Value::List(std::move(outs))
                                         : Value::Tuple(std::move(outs));
      }
      RaiseNotModelled("this compute_output_shape result");
    }
  }
  if (traced_spec_) {
    // Keras traces call() a second time, printing again.
    if (!traced_stdout_.empty()) py::RuntimeOf(ctx).Write(traced_stdout_);
    Value spec = std::move(*traced_spec_);
    traced_spec_.reset();
    return spec;
  }
  return StandInCall(ctx, call);
}

bool ProgramLayer::SupportsMasking() const {
  const auto inst = instance();
  if (!inst) return false;
  const std::optional<Value> v =
      py::FindProgramAttribute(inst->self(), "supports_masking");
  return v && Truthy(*v);
}

Value ProgramLayer::ComputeMask(RunContext& ctx, const Value& inputs,
                                const Value& previous_mask) const {
  const auto inst = instance();
  if (inst && ProgramMethod(*inst, "compute_mask")) {
    return py::RuntimeOf(ctx).CallValue(
        *py::LookupAttribute(inst->self(), "compute_mask"),
        Positional({inputs, previous_mask}));
  }
  return Layer::ComputeMask(ctx, inputs, previous_mask);
}

std::vector<std::pair<std::string, Tensor>> ProgramLayer::Weights() const {
  std::vector<std::pair<std::string, Tensor>> out;
  for (const Value& v : tf_variables_) {
    out.emplace_back(v.variable()->path, v.as_tensor());
  }
  for (const OwnWeight& w : own_) {
    if (w.trainable) out.emplace_back(w.name, w.tensor);
  }
  for (const OwnWeight& w : own_) {
    if (!w.trainable) out.emplace_back(w.name, w.tensor);
  }
  for (auto& w : WeightsOfLayers(sublayers_)) {
    bool seen = false;
    for (const auto& o : out)
      seen = seen || o.second.storage_id() == w.second.storage_id();
    if (!seen) out.push_back(std::move(w));
  }
  return out;
}

std::vector<Value> ProgramLayer::WeightValues() const {
  std::vector<Value> out(tf_variables_.begin(), tf_variables_.end());
  for (const bool trainable : {true, false}) {
    for (const OwnWeight& w : own_) {
      if (w.trainable == trainable) out.push_back(OwnWeightValue(w));
    }
  }
  for (Value& w : WeightValuesOfLayers(sublayers_)) {
    bool seen = false;
    for (const Value& o : out) {
      seen = seen || o.as_tensor().storage_id() == w.as_tensor().storage_id();
    }
    if (!seen) out.push_back(std::move(w));
  }
  return out;
}

std::vector<Tensor> ProgramLayer::WeightsWhere(bool trainable) const {
  std::vector<Tensor> out;
  if (!trainable_) {
    if (trainable) return out;
    for (auto& [name, t] : Weights()) out.push_back(t);
    return out;
  }
  for (const Value& v : tf_variables_) {
    if (v.variable()->trainable == trainable) out.push_back(v.as_tensor());
  }
  for (const OwnWeight& w : own_) {
    if (w.trainable == trainable) out.push_back(w.tensor);
  }
  for (Tensor& t : WeightsOfLayersWhere(sublayers_, true, trainable)) {
    bool seen = false;
    for (const Tensor& o : out) seen = seen || o.storage_id() == t.storage_id();
    if (!seen) out.push_back(std::move(t));
  }
  return out;
}

// A weight's initial values from the initializer add_weight names.
Tensor InitialWeight(const Value& initializer, const Shape& shape,
                     Random& rng) {
  std::string name = "glorot_uniform";
  if (initializer.kind() == VK::kStr) {
    name = initializer.as_str();
  } else if (!initializer.is_none()) {
    RaiseNotModelled("add_weight(initializer=...) other than a name");
  }
  if (name == "random_normal" || name == "RandomNormal" || name == "normal") {
    return ops::RandomNormal(shape, 0.0, 0.05, rng);
  }
  if (name == "random_uniform" || name == "RandomUniform") {
    return ops::RandomUniform(shape, -0.05, 0.05, DType::kFloat32, rng);
  }
  if (name == "glorot_normal" || name == "he_normal" || name == "he_uniform" ||
      name == "lecun_normal" || name == "truncated_normal") {
    // Scaled like Keras' variance-scaling initializers; only the shape and
    // dtype are compared (the values are the playground's).
    return GlorotUniform(shape, rng);
  }
  if (name == "glorot_uniform" || name == "orthogonal" || name == "zeros" ||
      name == "ones" || name == "uniform") {
    return InitializeWeight(name, shape, rng);
  }
  RaiseNotModelled("add_weight(initializer='" + name + "')");
}

Value ProgramLayer::AddWeight(RunContext& ctx, const CallArgs& args) {
  const bool k3 = ctx.profile == Profile::kKeras3;
  // Keras 3.15: add_weight(self, *args, shape=None, initializer=None,
  // dtype=None, ...), the positional arguments kept for Keras 2's
  // add_weight(shape, initializer, dtype) with errors of their own.
  CallArgs keywords_only = args;
  keywords_only.positional.clear();
  keywords_only.positional_sources.clear();
  keywords_only.positional_item_sources.clear();
  BoundArgs bound =
      k3 ? BindArguments(
               "Layer.add_weight",
               ParseParams("shape=None,initializer=None,dtype=None,"
                           "trainable=True,autocast=True,regularizer=None,"
                           "constraint=None,aggregation='none',"
                           "overwrite_with_gradient=False,name=None"),
               keywords_only)
         : BindArguments("Layer.add_weight",
                         ParseParams("name=None,shape=None,dtype=None,"
                                     "initializer=None,regularizer=None,"
                                     "trainable=None,constraint=None"),
                         args, true);
  if (k3 && !args.positional.empty()) {
    const ValueList& given = args.positional;
    if (given.size() > 3) {
      RaiseTypeError("add_weight() takes at most 3 positional arguments but " +
                     std::to_string(given.size()) + " were given.");
    }
    if (given[0].kind() == VK::kStr) {
      RaiseValueError(
          "`name` must be passed as a keyword argument. Received: "
          "add_weight('" +
          given[0].as_str() + "', ...). Use: add_weight(shape=..., name='" +
          given[0].as_str() + "').");
    }
    const char* names[3] = {"shape", "initializer", "dtype"};
    for (size_t i = 0; i < given.size(); ++i) {
      if (!bound[i].is_none()) {
        RaiseValueError("`" + std::string(names[i]) +
                        "` was passed both positionally and as a keyword "
                        "argument.");
      }
      bound.values[i] = given[i];
    }
  }
  const Value& shape_arg = bound[k3 ? 0 : 1];
  const Value& initializer = bound[k3 ? 1 : 3];
  const Value& dtype = bound[2];
  const Value& trainable = bound[k3 ? 3 : 5];
  const Value& name = bound[k3 ? 9 : 0];
  if (!dtype.is_none() &&
      !(dtype.kind() == VK::kStr && dtype.as_str() == "float32")) {
    RaiseNotModelled("add_weight(dtype=...) other than float32");
  }
  PartialShape partial;
  if (!shape_arg.is_none()) {
    std::optional<PartialShape> s = ShapeFromValue(shape_arg);
    if (!s && shape_arg.kind() == VK::kInt && shape_arg.as_int() >= 0) {
      s = PartialShape{Dim(shape_arg.as_int())};
    }
    if (!s) RaiseNotModelled("this add_weight(shape=...)");
    partial = *s;
  }
  const std::string weight_name =
      name.kind() == VK::kStr ? name.as_str() : (k3 ? "variable" : "Variable");
  std::optional<Shape> shape = ToShape(partial);
  if (!shape) {
    if (k3) {
      RaiseValueError(
          "Shapes used to initialize variables must be fully-defined (no "
          "`None` dimensions). Received: shape=" +
          PartialShapeToPyString(partial) + " for variable path='" +
          this->name() + "/" + weight_name + "'");
    }
    // tf-keras hands the shape to the initializer, which converts it to a
    // tensor.
    RaiseValueError(
        "Attempt to convert a value (None) with an unsupported type (<class "
        "'NoneType'>) to a Tensor.");
  }
  OwnWeight w;
  w.name = weight_name;
  w.tensor = InitialWeight(initializer, *shape, ctx.rng);
  w.trainable = trainable.is_none() || Truthy(trainable);
  own_.push_back(w);
  return OwnWeightValue(w);
}

std::optional<Value> ProgramLayer::GetAttr(std::string_view attr) const {
  auto self = std::const_pointer_cast<Layer>(shared_from_this());
  auto me = std::static_pointer_cast<ProgramLayer>(self);
  if (attr == "add_weight") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        self, "Layer.add_weight", [me](RunContext& ctx, const CallArgs& args) {
          return me->AddWeight(ctx, args);
        }));
  }
  if (attr == "build") {
    // Layer.build: marks the layer built (a program's build calls it
    // through super()).
    return Value::FromObject(std::make_shared<NativeMethod>(
        self, "Layer.build", [me](RunContext&, const CallArgs& args) {
          BindArguments("Layer.build", ParseParams("input_shape"), args);
          me->built_ = true;
          return Value::None();
        }));
  }
  if (attr == "get_config") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        self, "Layer.get_config", [me](RunContext& ctx, const CallArgs& args) {
          BindArguments("Layer.get_config", {}, args);
          const auto inst = me->instance();
          if (!inst || !ProgramMethod(*inst, "get_config")) {
            // Keras 3 builds it from the constructor's arguments.
            RaiseNotModelled(
                "get_config() of a layer class that does not "
                "define get_config");
          }
          // Layer.get_config for a subclass that extends it
          // (keras/src/layers/layer.py, Keras 3.15; tf_keras base_layer.py).
          const Value dtype =
              ctx.profile == Profile::kKeras3
                  ? Value::Dict(
                        {{Value::Str("module"), Value::Str("keras")},
                         {Value::Str("class_name"), Value::Str("DTypePolicy")},
                         {Value::Str("config"),
                          Value::Dict(
                              {{Value::Str("name"), Value::Str("float32")}})},
                         {Value::Str("registered_name"), Value::None()}})
                  : Value::Str("float32");
          return Value::Dict(
              {{Value::Str("name"), Value::Str(me->name())},
               {Value::Str("trainable"), Value::Bool(me->trainable())},
               {Value::Str("dtype"), dtype}});
        }));
  }
  if (attr == "supports_masking") return Value::Bool(false);
  if (attr == "count_params") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        self, "Layer.count_params",
        [me](RunContext& ctx, const CallArgs& args) {
          BindArguments("Layer.count_params", {}, args);
          if (!me->built()) {
            RaiseCountParamsOfUnbuiltLayer(me->name(),
                                           ctx.profile == Profile::kTfKeras);
          }
          int64_t n = 0;
          for (const auto& w : me->Weights()) n += w.second.num_elements();
          return Value::Int(n);
        }));
  }
  if (model_) {
    // A subclassed model has no graph of its own: training calls it on each
    // batch, and errors that would name graph ops are not quoted.
    if (auto v = TrainingAttr(attr, self, &training_, []() {
          return std::optional<ModelGraphView>();
        })) {
      return v;
    }
    if (attr == "summary") {
      return Value::FromObject(std::make_shared<NativeMethod>(
          self, "Model.summary", [me](RunContext& ctx, const CallArgs& args) {
            if (!args.positional.empty() || !args.keywords.empty()) {
              RaiseNotModelled("model.summary() with arguments");
            }
            const std::string text = SubclassedModelSummary(
                *me, me->sublayers_, ctx.profile == Profile::kTfKeras,
                +[](const Layer& layer) {
                  // A program's layer has compute_output_shape only if it
                  // defines one (Layer's raises NotImplementedError).
                  const auto* own = dynamic_cast<const ProgramLayer*>(&layer);
                  const auto inst = own ? own->instance() : nullptr;
                  return !own ||
                         (inst && ProgramMethod(*inst, "compute_output_shape"));
                });
            py::RuntimeOf(ctx).Write(text);
            return Value::None();
          }));
    }
  }
  if (attr == "layers" && model_) {
    ValueList items;
    for (const auto& l : sublayers_) items.push_back(LayerValue(l));
    return Value::List(std::move(items));
  }
  return Layer::GetAttr(attr);
}

// The native part of a program's subclass instance.
class LayerPart : public py::NativePart {
 public:
  explicit LayerPart(std::shared_ptr<ProgramLayer> layer)
      : layer_(std::move(layer)) {}
  const std::shared_ptr<ProgramLayer>& layer() const { return layer_; }

  void Init(const Value& self, const CallArgs& args, RunContext& ctx) override {
    layer_->Init(ctx, self, args);
  }
  std::optional<Value> GetAttr(const Value& self, std::string_view name,
                               RunContext& ctx) override {
    (void)ctx;
    layer_->Bind(self);
    if (name == "__call__") return self;
    return layer_->GetAttr(name);
  }
  bool SetAttr(const Value& self, std::string_view name, const Value& value,
               RunContext& ctx) override {
    (void)name;
    layer_->Bind(self);
    layer_->Track(value, ctx.profile);
    return false;
  }
  std::optional<Value> Call(const Value& self, const CallArgs& args,
                            RunContext& ctx) override {
    layer_->Bind(self);
    if (!layer_->initialized()) {
      if (ctx.profile == Profile::kKeras3) {
        RaiseText(ErrorClass::kRuntimeError,
                  "In layer '" + layer_->class_name() +
                      "', you forgot to call `super().__init__()` as the "
                      "first statement in the `__init__()` method. Go add "
                      "it!");
      }
      RaiseNotModelled(
          "a layer whose __init__ does not call "
          "super().__init__()");
    }
    return layer_->Call(ctx, args);
  }
  std::optional<std::string> Repr(const Value& self) const override {
    (void)self;
    // tf-keras layers keep object's repr (`<__main__.X object at ...>`).
    if (!k3_) return std::nullopt;
    return layer_->Repr();
  }
  void set_profile(Profile p) { k3_ = p == Profile::kKeras3; }

 private:
  std::shared_ptr<ProgramLayer> layer_;
  bool k3_ = true;
};

class ProgramLayerBaseType : public py::NativeBase {
 public:
  explicit ProgramLayerBaseType(bool model) : model_(model) {}
  std::string Name() const override { return model_ ? "Model" : "Layer"; }
  std::shared_ptr<py::NativePart> NewPart(std::string_view class_name,
                                          RunContext& ctx) const override {
    auto part = std::make_shared<LayerPart>(
        std::make_shared<ProgramLayer>(std::string(class_name), model_));
    part->set_profile(ctx.profile);
    return part;
  }
  std::optional<Value> ClassAttr(const Value& cls,
                                 std::string_view name) const override {
    // (A subclassed Model's from_config rebuilds a graph: not modelled.)
    if (name == "from_config" && !model_) return FromConfigMethod(cls);
    return std::nullopt;
  }

 private:
  bool model_;
};

}  // namespace

const py::NativeBase& ProgramLayerBase(bool model) {
  static const ProgramLayerBaseType layer(false), keras_model(true);
  return model ? keras_model : layer;
}

std::shared_ptr<Layer> AsLayer(const Value& v) {
  if (v.kind() != VK::kObject) return nullptr;
  if (const py::InstanceObject* inst = py::AsInstance(v)) {
    const auto part = std::dynamic_pointer_cast<LayerPart>(inst->native_part());
    // Before Layer.__init__ ran it has no name: not yet a layer.
    return part && part->layer()->initialized() ? part->layer() : nullptr;
  }
  return std::dynamic_pointer_cast<Layer>(v.as_object());
}

Value LayerValue(const std::shared_ptr<Layer>& layer) {
  if (const auto program = std::dynamic_pointer_cast<ProgramLayer>(layer)) {
    if (const auto inst = program->instance()) return inst->self();
  }
  return Value::FromObject(layer);
}

}  // namespace ap::keras
