#include "common.h"

#include <cctype>
#include <cmath>

#include "../ops/ops.h"
#include "../python/exceptions.h"
#include "../python/runtime.h"
#include "../repr.h"
#include "call_binding.h"
#include "keras_tensor.h"
#include "messages.h"

namespace ap::keras {

std::string ToSnakeCase(std::string_view class_name) {
  // Keras: re.sub(r"\W+", "", re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)),
  // then re.sub("([a-z])([A-Z])", r"\1_\2", ...).lower()
  std::string s(class_name);
  std::string a;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && std::isupper(static_cast<unsigned char>(s[i])) &&
        i + 1 < s.size() &&
        std::islower(static_cast<unsigned char>(s[i + 1]))) {
      a += '_';
    }
    a += s[i];
  }
  std::string b;
  for (size_t i = 0; i < a.size(); ++i) {
    if (i > 0 && std::isupper(static_cast<unsigned char>(a[i])) &&
        std::islower(static_cast<unsigned char>(a[i - 1]))) {
      b += '_';
    }
    b += static_cast<char>(std::tolower(static_cast<unsigned char>(a[i])));
  }
  return b;
}

namespace {

std::string TensorArgumentText(const Tensor& t) {
  return "tf.Tensor(shape=" + ShapeToPyString(t.shape()) +
         ", dtype=" + std::string(DTypeName(t.dtype())) + ")";
}

// map_structure(format_argument_value, v) as a Value of strings.
Value FormatLeaves(const Value& v, int depth) {
  if (depth > 100) return Value::Str("...");
  switch (v.kind()) {
    case Value::Kind::kTensor:
      return Value::Str(TensorArgumentText(v.as_tensor()));
    case Value::Kind::kList:
    case Value::Kind::kTuple: {
      ValueList items;
      for (const Value& item : v.items()) {
        items.push_back(FormatLeaves(item, depth + 1));
      }
      return v.kind() == Value::Kind::kList ? Value::List(std::move(items))
                                            : Value::Tuple(std::move(items));
    }
    case Value::Kind::kDict: {
      DictItems items;
      for (const auto& [key, value] : v.dict_items()) {
        items.emplace_back(key, FormatLeaves(value, depth + 1));
      }
      return Value::Dict(std::move(items));
    }
    case Value::Kind::kObject:
      // tf-keras formats a KerasTensor as the graph tensor it stands for.
      if (const auto kt = AsKerasTensor(v); kt && kt->tf_keras()) {
        return Value::Str(
            "tf.Tensor(shape=" + PartialShapeToPyString(kt->shape()) +
            ", dtype=" + std::string(DTypeName(kt->dtype())) + ")");
      }
      return Value::Str(ap::Repr(v));
    default:
      return Value::Str(ap::Repr(v));
  }
}

// A tensor, or a KerasTensor standing for one in a symbolic call.
bool IsTensorLike(const Value& v) {
  return v.is_tensor() || AsKerasTensor(v) != nullptr;
}

bool IsTensorOrNone(const Value& v) { return IsTensorLike(v) || v.is_none(); }

void Flatten(const Value& v, std::vector<Value>* out, int depth = 0) {
  if (depth > 100) return;
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    for (const Value& item : v.items()) Flatten(item, out, depth + 1);
  } else if (v.kind() == Value::Kind::kDict) {
    for (const auto& [key, value] : v.dict_items()) {
      Flatten(value, out, depth + 1);
    }
  } else {
    out->push_back(v);
  }
}

}  // namespace

std::string PyTypeName(const Value& v) {
  std::string name = v.TypeName();
  if (name == "EagerTensor")
    return "tensorflow.python.framework.ops.EagerTensor";
  return name;
}

bool IsNestedStructure(const Value& v) {
  return v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple ||
         v.kind() == Value::Kind::kDict;
}

std::string FormatArgumentValue(const Value& v) {
  const Value formatted = FormatLeaves(v, 0);
  if (formatted.kind() == Value::Kind::kStr) return formatted.as_str();
  return ap::Repr(formatted);
}

BaseLayerKwargs ParseBaseLayerKwargs(
    RunContext& ctx, std::string_view class_name,
    const std::vector<std::pair<std::string, Value>>& kwargs) {
  BaseLayerKwargs out;
  std::optional<Value> name;
  DictItems unknown;
  const bool tf_keras = ctx.profile == Profile::kTfKeras;
  out.tf_keras = tf_keras;
  for (const auto& [key, value] : kwargs) {
    if (key == "name") {
      name = value;
    } else if (key == "trainable") {
      if (value.kind() != Value::Kind::kBool) {
        if (tf_keras) {
          out.trainable = Truthy(value);
          continue;
        }
        RaiseValueError(
            TrainableNotBoolMessage(ap::Str(value), PyTypeName(value)));
      }
      out.trainable = value.as_bool();
    } else if (key == "dtype") {
      const bool float32 =
          value.is_none() ||
          (value.kind() == Value::Kind::kDType &&
           value.as_dtype() == DType::kFloat32) ||
          (value.kind() == Value::Kind::kStr &&
           (value.as_str() == "float32" || value.as_str() == "float"));
      if (!float32) RaiseNotModelled("layers with a dtype other than float32");
    } else if (key == "input_shape") {
      if (out.input_shape.is_none()) out.input_shape = value;
    } else if (key == "input_dim") {
      // Layer.__init__: input_dim wins over input_shape.
      if (!value.is_none()) out.input_shape = Value::Tuple({value});
    } else if (key == "autocast" ||
               (key == "activity_regularizer" && value.is_none())) {
      // Accepted and without effect on an eager call.
    } else if (key == "activity_regularizer") {
      RaiseNotModelled("activity regularizers");
    } else if (tf_keras && (key == "batch_input_shape" || key == "batch_size" ||
                            key == "dynamic" || key == "implementation")) {
      // tf_keras' allowed_kwargs.
    } else {
      unknown.emplace_back(Value::Str(key), value);
    }
  }
  if (!unknown.empty()) {
    const std::string first = PyStringRepr(unknown.front().first.as_str());
    const std::string text = UnrecognizedKwargsMessage(
        ctx.profile, class_name, ap::Repr(Value::Dict(unknown)), first);
    if (tf_keras) RaiseTypeError(text);
    RaiseValueError(text);
  }
  if (name && !name->is_none()) {
    if (name->kind() != Value::Kind::kStr ||
        name->as_str().find('/') != std::string::npos) {
      RaiseValueError(
          "Argument `name` must be a string and cannot contain character "
          "`/`. Received: name=" +
          ap::Str(*name) + " (of type <class '" + PyTypeName(*name) + "'>)");
    }
    out.name = name->as_str();
  } else {
    out.name = ctx.UniqueLayerName(ToSnakeCase(class_name));
  }
  return out;
}

namespace {

// inspect.Signature.bind (Python 3.11), as K3's CallSpec calls it: each
// positional argument in turn (a keyword for the same parameter is "multiple
// values"), then the count, then what is missing, then unknown keywords.
BoundArgs BindSignatureKeras3(std::string_view call_qualname,
                              const std::vector<Param>& params,
                              const CallArgs& args) {
  size_t max_positional = 0;
  for (const Param& p : params) {
    if (p.keyword_only) break;
    ++max_positional;
  }
  for (size_t i = 0; i < args.positional.size() && i < max_positional; ++i) {
    for (const auto& kw : args.keywords) {
      if (kw.first == params[i].name) {
        RaiseTypeError(SignatureMultipleValuesMessage(kw.first));
      }
    }
  }
  if (args.positional.size() > max_positional) {
    RaiseTypeError(SignatureTooManyPositionalMessage());
  }
  for (size_t i = args.positional.size(); i < params.size(); ++i) {
    if (params[i].default_value) continue;
    bool given = false;
    for (const auto& kw : args.keywords)
      given = given || kw.first == params[i].name;
    if (!given) RaiseTypeError(SignatureMissingArgumentMessage(params[i].name));
  }
  for (const auto& kw : args.keywords) {
    bool known = false;
    for (const Param& p : params) known = known || p.name == kw.first;
    if (!known) RaiseTypeError(SignatureUnexpectedKeywordMessage(kw.first));
  }
  return BindArguments(call_qualname, params, args);
}

// Whether every leaf of `v` is a tensor or None (stops at the first that
// is not).
bool AllTensorsOrNone(const Value& v, int depth = 0) {
  if (depth > 100) return true;  // as Flatten, which stops there
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    for (const Value& item : v.items()) {
      if (!AllTensorsOrNone(item, depth + 1)) return false;
    }
    return true;
  }
  if (v.kind() == Value::Kind::kDict) {
    for (const auto& [key, value] : v.dict_items()) {
      if (!AllTensorsOrNone(value, depth + 1)) return false;
    }
    return true;
  }
  return IsTensorOrNone(v);
}

// K3 CallSpec: a tensor, or a non-empty structure of tensors and Nones.
bool IsTensorArgument(const Value& v) {
  if (IsTensorLike(v)) return true;
  if (!IsNestedStructure(v)) return false;
  if (v.kind() == Value::Kind::kDict ? v.dict_items().empty()
                                     : v.items().empty()) {
    return false;
  }
  return AllTensorsOrNone(v);
}

size_t ParamIndexOf(const std::vector<Param>& params, std::string_view name) {
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == name) return i;
  }
  return params.size();
}

bool AnyTensor(const Value& v) {
  std::vector<Value> flat;
  Flatten(v, &flat);
  for (const Value& x : flat) {
    if (x.is_tensor()) return true;
  }
  return false;
}

// Keras 3 Layer.__call__ step 6 and `previous_mask`
// (keras/src/layers/layer.py, Keras 3.15): with exactly one tensor argument,
// a `mask` left None becomes map_structure(get_keras_mask, that argument);
// with several, each `<name>_mask` left None becomes its argument's masks.
// compute_mask receives `mask` when it is a keyword (given or filled) and
// not None, else the masks of the first argument. Returns the parameters it
// filled, in the order Keras adds them to call()'s keywords.
std::vector<size_t> FillMasksKeras3(const std::vector<Param>& params,
                                    const CallArgs& args, BoundArgs& bound,
                                    CallMasks* masks) {
  std::vector<size_t> filled;
  const size_t mask_index = ParamIndexOf(params, "mask");
  bool mask_params = mask_index < params.size();
  for (const Param& p : params) {
    const std::string& n = p.name;
    mask_params |= n.size() > 5 && n.compare(n.size() - 5, 5, "_mask") == 0;
  }
  std::vector<size_t> tensor_args;
  for (size_t i = 0; i < params.size() && mask_params; ++i) {
    if (IsTensorArgument(bound.values[i])) tensor_args.push_back(i);
  }
  bool mask_keyword = false;
  for (const auto& kw : args.keywords) mask_keyword |= kw.first == "mask";
  if (tensor_args.size() == 1) {
    if (mask_index < params.size() && bound.values[mask_index].is_none()) {
      bound.values[mask_index] = KerasMasksOf(bound.values[tensor_args[0]]);
      filled.push_back(mask_index);
      mask_keyword = true;
      masks->from_inputs = AnyTensor(bound.values[mask_index]);
    }
  } else {
    for (size_t i : tensor_args) {
      const size_t m = ParamIndexOf(params, params[i].name + "_mask");
      if (m < params.size() && bound.values[m].is_none()) {
        bound.values[m] = KerasMasksOf(bound.values[i]);
        filled.push_back(m);
        masks->from_inputs |= AnyTensor(bound.values[m]);
      }
    }
  }
  masks->previous_mask = mask_keyword && mask_index < params.size() &&
                                 !bound.values[mask_index].is_none()
                             ? bound.values[mask_index]
                             : KerasMasksOf(masks->inputs);
  return filled;
}

// tf_keras Layer.__call__ / _get_input_masks (tf_keras/src/engine/
// base_layer.py, 2.21): a `mask` the call did not pass (not even as None)
// becomes the masks of the first argument's tensors, unless none has one;
// compute_mask receives those (or the passed mask).
void FillMasksTfKeras(const std::vector<Param>& params, BoundArgs& bound,
                      CallMasks* masks) {
  const size_t mask_index = ParamIndexOf(params, "mask");
  if (mask_index < params.size() && bound.was_given[mask_index]) {
    masks->previous_mask = bound.values[mask_index];
    return;
  }
  const Value input_masks = KerasMasksOf(masks->inputs);
  // A keras.Input's descendants carry their masks as KerasTensors.
  std::vector<Value> flat;
  Flatten(input_masks, &flat);
  bool masked = false;
  for (const Value& m : flat) {
    masked = masked || m.is_tensor() || AsKerasTensor(m);
  }
  if (!masked) return;  // previous_mask stays None
  masks->previous_mask = input_masks;
  if (mask_index < params.size()) {
    bound.values[mask_index] = input_masks;
    masks->from_inputs = true;
  }
}

}  // namespace

namespace {

// KerasMasksOf with a bound on the work: a program can pass a list that
// contains itself, or a tree of shared lists with exponentially many
// leaves. Past the bound the rest counts as unmasked (Keras itself would
// recurse until Python's limit).
Value MasksOf(const Value& v, int depth, int64_t* budget) {
  if (--*budget < 0 || depth > 100) return Value::None();
  if (v.is_tensor()) {
    const Tensor* m = v.keras_mask();
    return m ? Value::FromTensor(*m) : Value::None();
  }
  if (const auto kt = AsKerasTensor(v)) {
    return kt->mask() ? Value::FromObject(kt->mask()) : Value::None();
  }
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    ValueList items;
    for (const Value& item : v.items()) {
      items.push_back(MasksOf(item, depth + 1, budget));
    }
    return v.kind() == Value::Kind::kList ? Value::List(std::move(items))
                                          : Value::Tuple(std::move(items));
  }
  if (v.kind() == Value::Kind::kDict) {
    DictItems items;
    for (const auto& [key, value] : v.dict_items()) {
      items.emplace_back(key, MasksOf(value, depth + 1, budget));
    }
    return Value::Dict(std::move(items));
  }
  return Value::None();
}

}  // namespace

Value KerasMasksOf(const Value& v) {
  int64_t budget = 10000;
  return MasksOf(v, 0, &budget);
}

namespace {

// K3 Layer.__call__ steps 5 and 6 add keywords for call(): training= when
// the value it resolves is not None, and the masks it filled. One that the
// program also gave positionally makes CPython's "multiple values" TypeError
// (training first, then the masks in order).
std::optional<Error> PositionalConflictKeras3(
    std::string_view call_qualname, const std::vector<Param>& params,
    const CallArgs& args, const BoundArgs& bound,
    const std::vector<size_t>& filled_masks) {
  const size_t positional = args.positional.size();
  std::string conflict;
  const size_t training = ParamIndexOf(params, "training");
  if (training < positional && !bound.values[training].is_none()) {
    conflict = "training";
  }
  for (size_t m : filled_masks) {
    if (conflict.empty() && m < positional) conflict = params[m].name;
  }
  if (conflict.empty()) return std::nullopt;
  Error error;
  error.cls = ErrorClass::kTypeError;
  error.text = std::string(call_qualname) +
               "() got multiple values for argument '" + conflict + "'";
  return error;
}

}  // namespace

LayerBinding BindLayerCall(Profile profile, std::string_view call_qualname,
                           const std::vector<Param>& params,
                           const CallArgs& args, CallMasks* masks) {
  LayerBinding binding;
  if (profile == Profile::kKeras3) {
    binding.bound = BindSignatureKeras3(call_qualname, params, args);
  } else {
    try {
      binding.bound = BindMethodCall(call_qualname, params, args);
    } catch (const ErrorException& e) {
      binding.deferred_error = e.error();
      binding.bound = BindLeniently(params, args, &binding.complete);
    }
    if (!binding.bound.values.empty()) {
      binding.bound.values[0] = ConvertPythonNumbers(binding.bound.values[0]);
    }
  }
  BoundArgs& bound = binding.bound;
  masks->inputs = bound.values.empty() ? Value::None() : bound.values[0];
  if (profile == Profile::kKeras3) {
    const std::vector<size_t> filled =
        FillMasksKeras3(params, args, bound, masks);
    binding.filled_masks = filled;
    binding.deferred_error =
        PositionalConflictKeras3(call_qualname, params, args, bound, filled);
  } else {
    FillMasksTfKeras(params, bound, masks);
  }
  return binding;
}

void CheckPositionalTensors(const CallArgs& args) {
  std::vector<Value> flat;
  for (const Value& v : args.positional) Flatten(v, &flat);
  for (const Value& v : flat) {
    if (!IsTensorOrNone(v)) {
      RaiseValueError(OnlyTensorsPositionalMessage(ap::Str(v), PyTypeName(v)));
    }
  }
}

void CheckNestedArguments(const std::vector<Param>& params,
                          const BoundArgs& bound) {
  for (size_t i = 0; i < params.size(); ++i) {
    const Value& v = bound.values[i];
    if (!IsNestedStructure(v)) continue;
    std::vector<Value> flat;
    Flatten(v, &flat);
    if (flat.empty()) continue;
    bool all = true, any = false;
    for (const Value& x : flat) {
      all = all && IsTensorOrNone(x);
      any = any || x.is_tensor();
    }
    if (!all && any) {
      RaiseValueError(MixedNestedArgumentMessage(params[i].name, ap::Str(v)));
    }
  }
}

std::vector<std::pair<std::string, std::string>> FormatCallArguments(
    const std::vector<Param>& params, const BoundArgs& bound) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < params.size(); ++i) {
    out.emplace_back(params[i].name, FormatArgumentValue(bound.values[i]));
  }
  return out;
}

namespace {

// Bounds on what ArgumentLayoutOf describes (the bullets keep the rest).
constexpr int kMaxLayoutDepth = 4;
constexpr size_t kMaxLayoutItems = 64;

ArgumentLayout LayoutOf(const Value& v, int depth) {
  ArgumentLayout layout;
  if (v.is_tensor()) {
    layout.kind = ArgumentLayout::Kind::kTensor;
    layout.shape = v.as_tensor().shape();
    layout.dtype = v.as_tensor().dtype();
  } else if ((v.kind() == Value::Kind::kList ||
              v.kind() == Value::Kind::kTuple) &&
             depth < kMaxLayoutDepth && v.items().size() <= kMaxLayoutItems) {
    layout.kind = ArgumentLayout::Kind::kSequence;
    for (const Value& item : v.items())
      layout.items.push_back(LayoutOf(item, depth + 1));
  }
  return layout;
}

}  // namespace

ArgumentLayout ArgumentLayoutOf(const Value& v) { return LayoutOf(v, 0); }

std::vector<std::pair<std::string, ArgumentLayout>> CallArgumentLayouts(
    const std::vector<Param>& params, const BoundArgs& bound) {
  std::vector<std::pair<std::string, ArgumentLayout>> out;
  for (size_t i = 0; i < params.size(); ++i) {
    out.emplace_back(params[i].name, ArgumentLayoutOf(bound.values[i]));
  }
  return out;
}

void RethrowInCall(const ErrorException& e, Profile profile,
                   std::string_view class_name, std::string_view layer_name,
                   std::vector<std::pair<std::string, std::string>> arguments,
                   std::vector<std::pair<std::string, ArgumentLayout>> layouts,
                   bool functional) {
  Error error = e.error();
  if (!error.keras_call && IsCatchableByProgram(error.cls)) {
    KerasCallFrame frame;
    frame.profile = profile;
    frame.functional = functional;
    frame.class_name = std::string(class_name);
    frame.layer_name = std::string(layer_name);
    frame.arguments = std::move(arguments);
    frame.argument_layouts = std::move(layouts);
    error.keras_call = std::move(frame);
  }
  // Raised by a program's call() (keras/program_layer.h): the wrapped error
  // keeps the line it was raised at inside that method, as the traceback's
  // innermost frame does.
  if (const auto* raised = dynamic_cast<const py::PyException*>(&e)) {
    const py::ExceptionClass& cls = raised->exception().cls();
    if (&cls != &py::ClassOfError(error.cls)) throw;  // a program's class
    throw py::PyException(py::MakeExceptionObject(error), raised->line,
                          raised->col);
  }
  throw ErrorException(std::move(error));
}

uint64_t NewObjectAddress(RunContext& ctx) {
  return ctx.runtime ? ctx.runtime->NewObjectAddress() : 0x7f0000000000;
}

Tensor GlorotUniform(const Shape& shape, Random& rng) {
  double fan_in = 1, fan_out = 1;
  if (shape.size() == 1) {
    fan_in = fan_out = static_cast<double>(shape[0]);
  } else if (shape.size() == 2) {
    fan_in = static_cast<double>(shape[0]);
    fan_out = static_cast<double>(shape[1]);
  } else if (shape.size() > 2) {
    double receptive = 1;
    for (size_t i = 0; i + 2 < shape.size(); ++i) receptive *= shape[i];
    fan_in = shape[shape.size() - 2] * receptive;
    fan_out = shape[shape.size() - 1] * receptive;
  }
  const double limit = std::sqrt(6.0 / std::max(1.0, fan_in + fan_out));
  Tensor t = Tensor::Zeros(DType::kFloat32, shape, "RandomUniform");
  float* p = t.f32();
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    p[i] = static_cast<float>((2.0 * rng.UniformFloat() - 1.0) * limit);
  }
  return t;
}

namespace {

// tree.flatten / tf.nest.flatten of a layer's inputs: the leaves of lists
// and tuples, None included.
void FlattenInputs(const Value& v, ValueList* out, int depth = 0) {
  if (depth < 100 &&
      (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple)) {
    for (const Value& item : v.items()) FlattenInputs(item, out, depth + 1);
  } else {
    out->push_back(v);
  }
}

}  // namespace

void CheckInputSpec(Profile profile, std::string_view layer_name,
                    const InputSpec& spec, const Value& inputs) {
  // assert_input_compatibility with one spec (keras/src/layers/
  // input_spec.py, Keras 3.15; tf_keras/src/engine/input_spec.py, 2.21):
  // the inputs flattened, then the count and the type of the first, which
  // Keras 3 checks in that order and tf_keras in the other, with a
  // TypeError.
  if (inputs.kind() == Value::Kind::kDict) {
    RaiseNotModelled("a dict as the inputs of a layer with an input spec");
  }
  ValueList flat;
  FlattenInputs(inputs, &flat);
  const bool tf_keras = profile == Profile::kTfKeras;
  auto check_type = [&] {
    if (flat.empty() || IsTensorLike(flat[0])) return;
    const std::string text = InputsNotTensorsMessage(
        ap::Str(flat[0]), PyTypeName(flat[0]), layer_name);
    if (tf_keras) RaiseTypeError(text);
    RaiseValueError(text);
  };
  if (tf_keras) check_type();
  if (flat.size() != 1) {
    RaiseValueError(InputSpecCountMessage(layer_name, 1, flat.size(),
                                          ap::Repr(Value::List(flat))));
  }
  check_type();
  if (!IsTensorLike(inputs)) {
    // A tensor inside a one-item list passes; what build() and call() make
    // of the list depends on the layer.
    RaiseNotModelled("a layer's single input given inside a list");
  }
  // Unknown dims (a KerasTensor's None) are -1: they pass the axis check.
  const Shape shape = ToShapeWithUnknowns(*ShapeOfTensorLike(inputs));
  const int ndim = static_cast<int>(shape.size());
  if (spec.ndim && ndim != *spec.ndim) {
    RaiseValueError(
        InputSpecNdimMessage(profile, 0, layer_name, *spec.ndim, shape));
  }
  if (spec.min_ndim && ndim < *spec.min_ndim) {
    RaiseValueError(
        InputSpecMinNdimMessage(profile, 0, layer_name, *spec.min_ndim, shape));
  }
  if (spec.axis) {
    const int axis = spec.axis->first;
    const int index = axis < 0 ? ndim + axis : axis;
    if (index < 0 || index >= ndim) {
      RaiseValueError(
          "Input 0 with name 'None' of layer '" + std::string(layer_name) +
          "' is incompatible with the layer: axis " + std::to_string(axis) +
          " is out of bounds for an input with ndim=" + std::to_string(ndim) +
          ". Full shape received: " + ShapeToPyString(shape));
    }
    if (shape[index] >= 0 && shape[index] != spec.axis->second) {
      RaiseValueError(InputSpecAxisMessage(profile, 0, layer_name, axis,
                                           spec.axis->second, shape));
    }
  }
}

namespace {

// Index of `name` in params, or params.size().
size_t ParamIndex(const std::vector<Param>& params, std::string_view name) {
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == name) return i;
  }
  return params.size();
}

}  // namespace

std::string ArgumentSource(const CallArgs& args,
                           const std::vector<Param>& params,
                           std::string_view name) {
  const size_t index = ParamIndex(params, name);
  if (index < args.positional.size()) {
    return index < args.positional_sources.size()
               ? args.positional_sources[index]
               : "";
  }
  for (size_t k = 0; k < args.keywords.size(); ++k) {
    if (args.keywords[k].first == name) {
      return k < args.keyword_sources.size() ? args.keyword_sources[k] : "";
    }
  }
  return "";
}

std::string ArgumentItemSource(const CallArgs& args,
                               const std::vector<Param>& params,
                               std::string_view name, size_t item) {
  const size_t index = ParamIndex(params, name);
  const std::vector<std::string>* items = nullptr;
  if (index < args.positional.size()) {
    if (index < args.positional_item_sources.size()) {
      items = &args.positional_item_sources[index];
    }
  } else {
    for (size_t k = 0; k < args.keywords.size(); ++k) {
      if (args.keywords[k].first == name &&
          k < args.keyword_item_sources.size()) {
        items = &args.keyword_item_sources[k];
      }
    }
  }
  if (items && item < items->size()) return (*items)[item];
  return "";
}

std::string RoleSuggestedByName(std::string_view source) {
  std::string s;
  for (char c : source) {
    s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  // The leading identifier (`padded_query` in `padded_query[0]`): either a
  // whole short name (`q`, `k`, `v`) or one that contains a role word.
  std::string t;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      t += c;
    } else {
      break;
    }
  }
  if (t.empty()) return "";
  const bool has_query = t == "q" || t.find("query") != std::string::npos ||
                         t.find("queries") != std::string::npos;
  const bool has_key = t == "k" || t.find("key") != std::string::npos;
  const bool has_value =
      t == "v" || t.find("value") != std::string::npos || t.find("val") == 0;
  if (has_query + has_key + has_value != 1) return "";
  if (has_query) return "query";
  if (has_key) return "key";
  return "value";
}

std::string AxesNames(int rank, std::string_view seq,
                      std::string_view feature) {
  std::vector<std::string> names;
  for (int i = 0; i + 2 < rank; ++i) {
    names.push_back(i == 0 ? "batch" : "d" + std::to_string(i));
  }
  if (rank >= 2) names.emplace_back(seq);
  if (rank >= 1) names.emplace_back(feature);
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    out += (i ? "," : "") + names[i];
  }
  return out;
}

RoleBinding MakeRole(std::string role, std::string arg_path, std::string source,
                     std::string axes, const Tensor& t) {
  RoleBinding r;
  r.role = std::move(role);
  r.arg_path = std::move(arg_path);
  r.source = std::move(source);
  r.axes = std::move(axes);
  r.shape = t.shape();
  r.dtype = t.dtype();
  return r;
}

Tensor AsBoolMask(const Tensor& t) {
  if (t.dtype() == DType::kBool) return t;
  return ops::Cast(t, DType::kBool);
}

Tensor MaskedSoftmax(Profile profile, const Tensor& x, const Tensor& mask,
                     FunctionRef<Tensor(const Tensor&)> softmax) {
  if (profile == Profile::kTfKeras) {
    const Tensor adder =
        ops::Binary(ops::BinaryOp::kMul,
                    ops::Binary(ops::BinaryOp::kSub, Tensor::ScalarF32(1.0f),
                                ops::Cast(mask, DType::kFloat32)),
                    Tensor::ScalarF32(-1e9f));
    return softmax(ops::Binary(ops::BinaryOp::kAdd, x, adder));
  }
  const Shape& xs = x.shape();
  const Shape& ms = mask.shape();
  if (ms.size() > xs.size()) {
    RaiseValueError(SoftmaxMaskRankMessage(xs, ms));
  }
  for (size_t i = 0; i < ms.size(); ++i) {
    const int64_t md = ms[ms.size() - 1 - i], xd = xs[xs.size() - 1 - i];
    if (md != 1 && md != xd) {
      RaiseValueError(SoftmaxMaskBroadcastMessage(xs, ms));
    }
  }
  const Tensor masked = ops::Where(mask, x, Tensor::ScalarF32(-1e9f));
  return ops::Where(mask, softmax(masked), Tensor::ScalarF32(0.0f));
}

Tensor DropoutValues(const Tensor& x, double rate, Random& rng) {
  Tensor out = Tensor::Zeros(DType::kFloat32, x.shape(), "Mul");
  const float keep_scale = static_cast<float>(1.0 / (1.0 - rate));
  const float* in = x.f32();
  float* o = out.f32();
  for (int64_t i = 0; i < x.num_elements(); ++i) {
    o[i] = rng.UniformFloat() < rate ? 0.0f : in[i] * keep_scale;
  }
  return out;
}

}  // namespace ap::keras
