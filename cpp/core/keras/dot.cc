#include "dot.h"

#include <utility>

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "merge.h"
#include "messages.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

namespace {

using VK = Value::Kind;

int64_t PyMod(int64_t a, int64_t n) {
  if (n == 0)
    RaiseText(ErrorClass::kZeroDivisionError, "integer modulo by zero");
  return ((a % n) + n) % n;
}

// The axis pair of Dot.build / compute_output_shape for ranks (n1, n2): an
// int axis is taken modulo each rank when negative; a pair stays as given
// (Python indexing reads a negative entry from the end).
std::pair<int64_t, int64_t> DotAxes(const Value& axes, int64_t n1, int64_t n2) {
  if (axes.kind() == VK::kInt) {
    const int64_t a = axes.as_int();
    return a < 0 ? std::make_pair(PyMod(a, n1), PyMod(a, n2))
                 : std::make_pair(a, a);
  }
  return {axes.items()[0].as_int(), axes.items()[1].as_int()};
}

// Python's index of a tuple of n items, or IndexError.
int64_t TupleIndex(int64_t i, int64_t n) {
  const int64_t k = i < 0 ? i + n : i;
  if (k < 0 || k >= n)
    RaiseText(ErrorClass::kIndexError, "tuple index out of range");
  return k;
}

std::string DimText(const Dim& d) {
  return d.known() ? std::to_string(d.size()) : "None";
}

// batch_dot (keras/src/layers/merging/dot.py, Keras 3.15; tf_keras
// backend.py, 2.21, with the same checks and texts): the axes made
// non-negative, x's axis moved last and y's to position 1, both squashed
// to rank 3, one matmul, then the squashed dims restored.
Tensor BatchDot(Profile profile, Tensor x, Tensor y, int64_t a0, int64_t a1) {
  const bool k3 = profile == Profile::kKeras3;
  const std::string shapes =
      ShapeToPyString(x.shape()) + " and " + ShapeToPyString(y.shape());
  int64_t xn = x.rank(), yn = y.rank();
  if (xn < 2 || yn < 2) {
    RaiseValueError(
        "Cannot do batch_dot on inputs with rank < 2. Received "
        "inputs with shapes " +
        shapes + ".");
  }
  if (x.dim(0) != y.dim(0)) {
    RaiseValueError(
        "Cannot do batch_dot on inputs with different batch "
        "sizes. Received inputs with shapes " +
        shapes + ".");
  }
  if (a0 < 0) a0 += xn;
  if (a1 < 0) a1 += yn;
  if (a0 == 0 || a1 == 0) {
    RaiseValueError(
        std::string("Cannot perform batch_dot over axis 0. If your inputs are "
                    "not batched, add a dummy batch dimension to your inputs "
                    "using ") +
        (k3 ? "keras.ops" : "K") + ".expand_dims(x, 0)");
  }
  const int64_t orig_xn = xn, orig_yn = yn;
  if (xn == 2) {
    x = ops::ExpandDims(x, 1);
    ++a0;
    ++xn;
  }
  if (yn == 2) {
    y = ops::ExpandDims(y, 2);
    ++yn;
  }
  if (a0 != xn - 1) {
    std::vector<int64_t> perm;
    for (int64_t i = 0; i < xn; ++i) {
      if (i != a0) perm.push_back(i);
    }
    perm.push_back(a0);
    x = ops::Transpose(x, perm);
  }
  if (a1 != 1) {
    std::vector<int64_t> perm{0, a1};
    for (int64_t i = 1; i < yn; ++i) {
      if (i != a1) perm.push_back(i);
    }
    y = ops::Transpose(y, perm);
  }
  const Shape x_shape = x.shape(), y_shape = y.shape();
  if (xn > 3) x = ops::Reshape(x, {x_shape[0], -1, x_shape.back()});
  if (yn > 3) y = ops::Reshape(y, {y_shape[0], y_shape[1], -1});
  Tensor result = ops::MatMul(x, y);
  if (xn > 3 || yn > 3) {
    std::vector<int64_t> out{result.dim(0)};
    if (xn > 3) {
      out.insert(out.end(), x_shape.begin() + 1, x_shape.end() - 1);
    } else {
      out.push_back(result.dim(1));
    }
    if (yn > 3) {
      out.insert(out.end(), y_shape.begin() + 2, y_shape.end());
    } else {
      out.push_back(result.dim(2));
    }
    result = ops::Reshape(result, out);
  }
  if (orig_xn == 2) return ops::Squeeze(result, {1});
  if (orig_yn == 2) return ops::Squeeze(result, {-1});
  return result;
}

}  // namespace

DotLayer::DotLayer(RunContext& ctx, const CallArgs& args) : Layer("Dot", "") {
  const BoundArgs bound =
      BindArguments("Dot.__init__", ParseParams("axes,normalize=False"), args,
                    /*accept_extra_keywords=*/true);
  ApplyBaseKwargs(ParseBaseLayerKwargs(ctx, "Dot", bound.extra_keywords));
  axes_ = bound[0];
  const std::string text = ap::Str(axes_);
  if (axes_.kind() != VK::kInt) {
    if (axes_.kind() != VK::kList && axes_.kind() != VK::kTuple) {
      RaiseText(ErrorClass::kTypeError,
                "Invalid type for argument `axes`: it should be a list or an "
                "int. Received: axes=" +
                    text);
    }
    if (axes_.items().size() != 2) {
      RaiseValueError(
          "Invalid format for argument `axes`: it should contain two "
          "elements. Received: axes=" +
          text);
    }
    for (const Value& a : axes_.items()) {
      if (a.kind() != VK::kInt) {
        RaiseValueError(
            "Invalid format for argument `axes`: list elements should be "
            "integers. Received: axes=" +
            text);
      }
    }
  }
  normalize_ = Truthy(bound[1]);
  if (normalize_) RaiseNotModelled("Dot(normalize=True)");
}

std::optional<Value> DotLayer::GetAttr(std::string_view name) const {
  if (name == "axes") return axes_;
  if (name == "normalize") return Value::Bool(normalize_);
  return Layer::GetAttr(name);
}

std::vector<Param> DotLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

void DotLayer::Build(RunContext&, const LayerCall& call) {
  const Value& inputs = call[0];
  std::vector<PartialShape> shapes;
  ValueList shape_values;
  const bool is_list =
      inputs.kind() == VK::kList || inputs.kind() == VK::kTuple;
  if (is_list) {
    for (const Value& v : inputs.items()) {
      const std::optional<PartialShape> s = ShapeOfTensorLike(v);
      if (!s) RaiseNotModelled("Dot inputs that are not tensors");
      shapes.push_back(*s);
      shape_values.push_back(ShapeTuple(*s));
    }
  } else if (const std::optional<PartialShape> s = ShapeOfTensorLike(inputs)) {
    shape_values.push_back(ShapeTuple(*s));
  } else {
    RaiseNotModelled("Dot inputs that are not tensors");
  }
  if (shapes.size() != 2) {
    const Value received =
        is_list ? Value::List(shape_values) : shape_values[0];
    RaiseValueError(
        "A `Dot` layer should be called on a list of 2 inputs. Received: "
        "input_shape=" +
        ap::Str(received));
  }
  const PartialShape& s1 = shapes[0];
  const PartialShape& s2 = shapes[1];
  const auto [a0, a1] = DotAxes(axes_, s1.size(), s2.size());
  const Dim d1 = s1[TupleIndex(a0, s1.size())];
  const Dim d2 = s2[TupleIndex(a1, s2.size())];
  if (d1.known() != d2.known() || (d1.known() && d1.size() != d2.size())) {
    RaiseValueError("Incompatible input shapes: axis values " + DimText(d1) +
                    " (at axis " + std::to_string(a0) + ") != " + DimText(d2) +
                    " (at axis " + std::to_string(a1) +
                    "). Full input shapes: " + ap::Str(shape_values[0]) + ", " +
                    ap::Str(shape_values[1]));
  }
}

Value DotLayer::CallBody(RunContext& ctx, LayerCall& call) {
  RequireInputList(call[0], true);
  const ValueList& items = call[0].items();
  if (items.size() != 2) RaiseNotModelled("Dot on other than 2 inputs");
  if (!items[0].is_tensor() || !items[1].is_tensor()) {
    RaiseNotModelled("Dot inputs that are not tensors");
  }
  const Tensor& x = items[0].as_tensor();
  const Tensor& y = items[1].as_tensor();
  for (size_t i = 0; i < 2; ++i) {
    call.event.inputs.push_back(
        MakeRole("inputs", "inputs[" + std::to_string(i) + "]",
                 call.ItemSource("inputs", i), "", items[i].as_tensor()));
  }
  // _merge_function: negative entries of a pair are taken modulo the rank.
  auto [a0, a1] = DotAxes(axes_, x.rank(), y.rank());
  if (a0 < 0) a0 = PyMod(a0, x.rank());
  if (a1 < 0) a1 = PyMod(a1, y.rank());
  const Tensor out = BatchDot(ctx.profile, x, y, a0, a1);
  call.event.outputs.push_back({"output", "", out});
  return Value::FromTensor(out);
}

Value DotLayer::ComputeOutputSpec(RunContext& ctx, const LayerCall& call) {
  // compute_output_shape: x's dims without its axis, then y's without its
  // batch and axis dims; a lone batch dim gets a 1.
  RequireInputList(call[0], false);
  const ValueList& items = call[0].items();
  if (items.size() != 2 || !ShapeOfTensorLike(items[0]) ||
      !ShapeOfTensorLike(items[1])) {
    RaiseNotModelled("Dot on other than 2 inputs");
  }
  PartialShape s1 = *ShapeOfTensorLike(items[0]);
  PartialShape s2 = *ShapeOfTensorLike(items[1]);
  const auto [a0, a1] = DotAxes(axes_, s1.size(), s2.size());
  s1.erase(s1.begin() + TupleIndex(a0, s1.size()));
  s2.erase(s2.begin() + TupleIndex(a1, s2.size()));
  if (s2.empty()) RaiseText(ErrorClass::kIndexError, "pop from empty list");
  s2.erase(s2.begin());
  s1.insert(s1.end(), s2.begin(), s2.end());
  if (s1.size() == 1) s1.push_back(Dim(1));
  return Value::FromObject(NewKerasTensor(ctx, s1, DType::kFloat32));
}

// Probed on ranks 2 and 3 over axes and normalize
// (tf_keras/src/layers/merging/dot.py and backend.batch_dot, 2.21).
std::string DotLayer::TfKerasNodeName(const LayerCall& call,
                                      size_t index) const {
  const Value& inputs = call[0];
  if (index != 0 ||
      (inputs.kind() != VK::kList && inputs.kind() != VK::kTuple) ||
      inputs.items().size() != 2) {
    return "";
  }
  const std::optional<PartialShape> a = ShapeOfTensorLike(inputs.items()[0]);
  const std::optional<PartialShape> b = ShapeOfTensorLike(inputs.items()[1]);
  if (!a || !b || a->size() < 2 || a->size() > 3 || b->size() < 2 ||
      b->size() > 3) {
    return "";
  }
  return TfKerasTensorName(
      name(), a->size() == 3 && b->size() == 3 ? "MatMul" : "Squeeze");
}

}  // namespace ap::keras
