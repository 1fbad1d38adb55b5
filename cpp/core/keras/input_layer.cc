#include "input_layer.h"

#include "../repr.h"
#include "common.h"

namespace ap::keras {

InputLayer::InputLayer(RunContext&, std::string name, PartialShape batch_shape,
                       DType dtype)
    : Layer("InputLayer", std::move(name)),
      batch_shape_(std::move(batch_shape)),
      dtype_(dtype) {
  built_ = true;
}

std::shared_ptr<KerasTensor> InputLayer::MakeOutput(
    RunContext& ctx, const std::string& tensor_name) {
  std::shared_ptr<KerasTensor> output =
      tensor_name.empty()
          ? NewKerasTensor(ctx, batch_shape_, dtype_)
          : std::make_shared<KerasTensor>(batch_shape_, dtype_, tensor_name);
  output_ = output;
  RecordNode(CallArgs{}, Value::FromObject(output));
  return output;
}

std::optional<Value> InputLayer::GetAttr(std::string_view attr) const {
  if (attr == "batch_shape") return ShapeTuple(batch_shape_);
  if (attr == "dtype") return Value::Str(std::string(DTypeName(dtype_)));
  if (attr == "output") {
    const std::shared_ptr<KerasTensor> output = output_.lock();
    return output ? Value::FromObject(output) : Value::None();
  }
  return Layer::GetAttr(attr);
}

std::vector<Param> InputLayer::CallParams(Profile) const { return {}; }

Value InputLayer::CallBody(RunContext&, LayerCall&) {
  RaiseNotModelled("calling an InputLayer");
}

namespace {

// backend.standardize_shape (keras/src/backend/common/variables.py, Keras
// 3.15): a tuple (or iterable) of ints >= 0 and Nones.
PartialShape StandardizeShape(const Value& shape) {
  if (shape.is_none()) RaiseValueError("Undefined shapes are not supported.");
  ValueList items;
  if (shape.kind() == Value::Kind::kList ||
      shape.kind() == Value::Kind::kTuple) {
    items = shape.items();
  } else if (shape.kind() == Value::Kind::kShape) {
    items = shape.items();
  } else {
    RaiseValueError("Cannot convert '" + ap::Str(shape) + "' to a shape.");
  }
  const std::string text = ap::Str(Value::Tuple(items));
  PartialShape out;
  for (const Value& e : items) {
    if (e.is_none()) {
      out.push_back(Dim());
      continue;
    }
    if (e.kind() != Value::Kind::kInt) {
      RaiseValueError("Cannot convert '" + text +
                      "' to a shape. Found invalid entry '" + ap::Str(e) +
                      "' of type '<class '" + e.TypeName() + "'>'. ");
    }
    if (e.as_int() < 0) {
      RaiseValueError("Cannot convert '" + text +
                      "' to a shape. Negative dimensions are not allowed.");
    }
    out.push_back(Dim(e.as_int()));
  }
  return out;
}

DType InputDType(const Value& v) {
  if (v.is_none()) return DType::kFloat32;
  if (v.kind() == Value::Kind::kDType) return v.as_dtype();
  if (v.kind() == Value::Kind::kStr) {
    if (const auto dtype = ParseDType(v.as_str())) return *dtype;
  }
  RaiseNotModelled("keras.Input(dtype=" + ap::Repr(v) +
                   ") (float32, int32 and bool are modelled)");
}

}  // namespace

Value MakeInput(RunContext& ctx, const CallArgs& args) {
  const std::vector<Param> params = ParseParams(
      "shape=None,batch_size=None,dtype=None,sparse=None,ragged=None,"
      "batch_shape=None,name=None,tensor=None,optional=False");
  const BoundArgs bound = BindArguments("Input", params, args);
  const Value& shape = bound[0];
  const Value& batch_size = bound[1];
  const Value& batch_shape = bound[5];
  for (size_t i : {3, 4, 7}) {
    if (!bound[i].is_none() &&
        !(i != 7 && bound[i].kind() == Value::Kind::kBool &&
          !bound[i].as_bool())) {
      RaiseNotModelled("keras.Input(" + params[i].name + "=...)");
    }
  }
  if (!shape.is_none() && !batch_shape.is_none()) {
    RaiseValueError(
        "You cannot pass both `shape` and `batch_shape` at the same time.");
  }
  if (!batch_size.is_none() && !batch_shape.is_none()) {
    RaiseValueError(
        "You cannot pass both `batch_size` and `batch_shape` at the same "
        "time.");
  }
  if (shape.is_none() && batch_shape.is_none()) {
    RaiseValueError("You must pass a `shape` argument.");
  }
  PartialShape full;
  if (!shape.is_none()) {
    const PartialShape rest = StandardizeShape(shape);
    ValueList with_batch = {batch_size};
    for (const Dim& d : rest) {
      with_batch.push_back(d.known() ? Value::Int(d.size()) : Value::None());
    }
    full = StandardizeShape(Value::Tuple(std::move(with_batch)));
  } else {
    full = StandardizeShape(batch_shape);
  }
  const DType dtype = InputDType(bound[2]);
  const Value& name = bound[6];
  if (!name.is_none() && name.kind() != Value::Kind::kStr) {
    RaiseNotModelled("keras.Input(name=...) that is not a string");
  }
  const std::string given = name.is_none() ? "" : name.as_str();
  auto layer = std::make_shared<InputLayer>(
      ctx, given.empty() ? ctx.UniqueLayerName("input_layer") : given,
      std::move(full), dtype);
  return Value::FromObject(layer->MakeOutput(ctx, given));
}

namespace {

// TensorShape(dims): each dim an int >= 0 or None (tensor_shape.py,
// TF 2.21, Dimension.__init__).
PartialShape TfKerasShape(const ValueList& dims) {
  PartialShape out;
  for (const Value& d : dims) {
    if (d.is_none()) {
      out.push_back(Dim());
      continue;
    }
    if (d.kind() != Value::Kind::kInt) {
      RaiseTypeError(
          "Dimension value must be integer or None or have an __index__ "
          "method, got value '" +
          ap::Repr(d) + "' with type '<class '" + PyTypeName(d) + "'>'");
    }
    if (d.as_int() < 0) {
      RaiseValueError("Dimension " + std::to_string(d.as_int()) +
                      " must be >= 0");
    }
    out.push_back(Dim(d.as_int()));
  }
  return out;
}

ValueList ShapeItems(const Value& shape, const char* what) {
  if (shape.kind() == Value::Kind::kInt) return {shape};
  if (shape.is_sequence()) return shape.items();
  RaiseNotModelled(std::string("keras.Input(") + what + "=" + ap::Repr(shape) +
                   ")");
}

}  // namespace

Value MakeTfKerasInput(RunContext& ctx, const CallArgs& args) {
  const std::vector<Param> params = ParseParams(
      "shape=None,batch_size=None,name=None,dtype=None,sparse=None,"
      "tensor=None,ragged=None,type_spec=None,optional=False");
  // **kwargs: the keywords that name no parameter.
  CallArgs named;
  named.positional = args.positional;
  std::vector<std::pair<std::string, Value>> kwargs;
  for (const auto& kw : args.keywords) {
    bool is_param = false;
    for (const Param& p : params) is_param = is_param || p.name == kw.first;
    (is_param ? named.keywords : kwargs).push_back(kw);
  }
  const BoundArgs bound = BindArguments("Input", params, named);
  const Value& shape = bound[0];
  const Value& batch_size = bound[1];
  for (size_t i : {4, 5, 6, 7, 8}) {
    if (!bound[i].is_none() &&
        !(bound[i].kind() == Value::Kind::kBool && !bound[i].as_bool())) {
      RaiseNotModelled("keras.Input(" + params[i].name + "=...)");
    }
  }
  std::optional<Value> batch_input_shape;
  std::vector<std::string> unknown;
  for (const auto& [k, value] : kwargs) {
    if ((k == "batch_input_shape" || k == "batch_shape") &&
        !batch_input_shape) {
      batch_input_shape = value;
    } else if (k != "batch_input_shape" && k != "batch_shape") {
      unknown.push_back(k);
    }
  }
  if (batch_input_shape && batch_input_shape->is_none()) {
    batch_input_shape.reset();
  }
  if (!shape.is_none() && batch_input_shape) {
    RaiseValueError(
        "Only provide the `shape` OR `batch_input_shape` argument to Input, "
        "not both at the same time.");
  }
  if (!batch_input_shape && shape.is_none()) {
    RaiseValueError(
        "Please provide to Input a `shape` or a `tensor` or a `type_spec` "
        "argument. Note that `shape` does not include the batch dimension.");
  }
  if (!unknown.empty()) {
    ValueList names;
    for (const std::string& k : unknown) names.push_back(Value::Str(k));
    RaiseValueError("Unrecognized keyword arguments: " +
                    ap::Repr(Value::List(std::move(names))));
  }
  ValueList dims;
  if (batch_input_shape) {
    dims = ShapeItems(*batch_input_shape, "batch_input_shape");
  } else {
    dims = ShapeItems(shape, "shape");
    dims.insert(dims.begin(), batch_size);
  }
  const PartialShape full = TfKerasShape(dims);
  const DType dtype = InputDType(bound[3]);
  const Value& name = bound[2];
  if (!name.is_none() && name.kind() != Value::Kind::kStr) {
    RaiseNotModelled("keras.Input(name=...) that is not a string");
  }
  std::string given = name.is_none() ? "" : name.as_str();
  if (given.empty()) given = "input_" + std::to_string(ctx.NextUid("input"));
  auto layer = std::make_shared<InputLayer>(ctx, given, full, dtype);
  std::shared_ptr<KerasTensor> output = layer->MakeOutput(ctx, given);
  output->SetTfKeras(given, given, true);
  return Value::FromObject(output);
}

}  // namespace ap::keras
