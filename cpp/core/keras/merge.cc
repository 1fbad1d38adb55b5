#include "merge.h"

#include <set>

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "keras_tensor.h"
#include "messages.h"
#include "symbolic_ops.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

namespace {

// A Python tuple for a shape: ints, None for an unknown (-1) dim.
Value ShapeTuple(const Shape& s) {
  return keras::ShapeTuple(ToPartialShape(s));
}

// Merge._compute_elemwise_op_output_shape (non-batch dims, right-aligned).
Shape ElemwiseShape(const Shape& shape1, const Shape& shape2) {
  if (shape1.size() < shape2.size()) return ElemwiseShape(shape2, shape1);
  if (shape2.empty()) return shape1;
  Shape out(shape1.begin(), shape1.end() - shape2.size());
  const size_t offset = shape1.size() - shape2.size();
  for (size_t k = 0; k < shape2.size(); ++k) {
    const int64_t i = shape1[offset + k], j = shape2[k];
    if (i < 0 || j < 0) {  // None
      out.push_back(-1);
    } else if (i == 1) {
      out.push_back(j);
    } else if (j == 1) {
      out.push_back(i);
    } else {
      if (i != j)
        RaiseValueError(MergeIncompatibleShapesMessage(shape1, shape2));
      out.push_back(i);
    }
  }
  return out;
}

// Concatenate.build's second chance (keras/src/layers/merging/
// concatenate.py, Keras 3.15): shapes that differ only where one of them is
// None still concatenate, if all have the same rank.
bool SameRankUpToUnknowns(const std::set<Shape>& shapes) {
  std::set<size_t> ranks;
  for (const Shape& s : shapes) ranks.insert(s.size());
  if (ranks.size() != 1) return false;
  for (size_t axis = 0; axis < *ranks.begin(); ++axis) {
    std::set<int64_t> known;
    for (const Shape& s : shapes) {
      if (s[axis] >= 0) known.insert(s[axis]);
    }
    if (known.size() > 1) return false;
  }
  return true;
}

}  // namespace

void RequireInputList(const Value& inputs, bool merge_call) {
  if (inputs.kind() == Value::Kind::kList ||
      inputs.kind() == Value::Kind::kTuple) {
    return;
  }
  // Merge.call (base_merge.py, Keras 3.15 and tf_keras 2.21), on a layer
  // built by an earlier call.
  if (!merge_call || !inputs.is_tensor()) {
    RaiseNotModelled("a merge layer called on a single input");
  }
  RaiseValueError(
      "A merge layer should be called on a list of inputs. Received: "
      "inputs=" +
      TensorFormat(inputs.as_tensor()) + " (not a list of tensors)");
}

MergeLayer::MergeLayer(RunContext& ctx, const CallArgs& args, std::string kind)
    : Layer(kind, "") {
  std::vector<Param> params;
  if (kind == "Concatenate") params.push_back({"axis", Value::Int(-1), false});
  const BoundArgs bound = BindArguments(kind + ".__init__", params, args,
                                        /*accept_extra_keywords=*/true);
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, kind, bound.extra_keywords);
  ApplyBaseKwargs(base);
  trainable_ = base.trainable;
  if (kind == "Concatenate") {
    if (bound[0].kind() != Value::Kind::kInt) {
      RaiseNotModelled("a Concatenate axis that is not an int");
    }
    axis_ = bound[0].as_int();
  }
}

std::optional<Value> MergeLayer::GetAttr(std::string_view name) const {
  if (name == "axis" && class_name() == "Concatenate") return Value::Int(axis_);
  return Layer::GetAttr(name);
}

std::vector<Param> MergeLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

void MergeLayer::Build(RunContext& ctx, const LayerCall& call) {
  const Profile profile = ctx.profile;
  const Value& inputs = call[0];
  // input_shape = map_structure(lambda x: x.shape, inputs)
  std::vector<Shape> shapes;
  ValueList shape_values;
  const bool is_list =
      IsNestedStructure(inputs) && inputs.kind() != Value::Kind::kDict;
  if (!is_list) {
    const std::optional<PartialShape> partial = ShapeOfTensorLike(inputs);
    if (!partial) RaiseNotModelled("merge inputs of this type");
    const Shape s = ToShapeWithUnknowns(*partial);
    // input_shape[0] is an int (or the tuple is empty).
    if (s.empty()) {
      RaiseText(ErrorClass::kIndexError, "tuple index out of range");
    }
    const std::string text = ap::Str(ShapeTuple(s));
    if (class_name() == "Concatenate") {
      RaiseValueError(ConcatenateNotListMessage(text));
    }
    RaiseValueError(MergeNotListMessage(text));
  }
  for (const Value& v : inputs.items()) {
    const std::optional<PartialShape> partial = ShapeOfTensorLike(v);
    if (!partial) {
      RaiseText(ErrorClass::kAttributeError,
                "'" + v.TypeName() + "' object has no attribute 'shape'");
    }
    shapes.push_back(ToShapeWithUnknowns(*partial));
    shape_values.push_back(ShapeTuple(shapes.back()));
  }
  const std::string input_shape_text =
      ap::Str(inputs.kind() == Value::Kind::kList ? Value::List(shape_values)
                                                  : Value::Tuple(shape_values));
  if (shapes.empty()) {
    if (class_name() == "Concatenate") {
      RaiseValueError(ConcatenateNotListMessage(input_shape_text));
    }
    RaiseText(ErrorClass::kIndexError, "list index out of range");
  }

  if (class_name() == "Concatenate") {
    std::set<Shape> shape_set;
    for (const Shape& s : shapes) {
      Shape reduced = s;
      const int64_t n = static_cast<int64_t>(reduced.size());
      // K3: `if len(shape) > axis: del shape[axis]`; tf_keras deletes always.
      const bool del = profile == Profile::kTfKeras || n > axis_;
      if (del) {
        const int64_t index = axis_ < 0 ? n + axis_ : axis_;
        if (index < 0 || index >= n) {
          RaiseText(ErrorClass::kIndexError,
                    "list assignment index out of range");
        }
        reduced.erase(reduced.begin() + index);
      }
      shape_set.insert(reduced);
    }
    if (shape_set.size() != 1 && !SameRankUpToUnknowns(shape_set)) {
      RaiseValueError(ConcatenateShapesMessage(input_shape_text));
    }
    return;
  }

  // Merge.build: batch sizes, then the elementwise shape of the rest.
  std::set<int64_t> batch_sizes;
  for (const Shape& s : shapes) {
    if (!s.empty() && s[0] >= 0) batch_sizes.insert(s[0]);  // None skipped
  }
  if (batch_sizes.size() > 1) {
    RaiseValueError(MergeBatchSizesMessage(profile, input_shape_text));
  }
  auto tail = [](const Shape& s) {
    return s.empty() ? Shape{} : Shape(s.begin() + 1, s.end());
  };
  // Subtract.build checks its arity after Merge.build's checks.
  const bool subtract = class_name() == "Subtract";
  Shape output = tail(shapes[0]);
  for (size_t i = 1; i < shapes.size(); ++i) {
    output = ElemwiseShape(output, tail(shapes[i]));
  }
  std::set<size_t> ranks;
  for (const Shape& s : shapes) ranks.insert(s.size());
  reshape_required_ = ranks.size() != 1;
  if (subtract && shapes.size() != 2) {
    RaiseValueError(
        "A `Subtract` layer should be called on exactly 2 inputs. Received: "
        "input_shape=" +
        input_shape_text);
  }
}

Value MergeLayer::ComputeMask(RunContext& ctx, const Value& inputs,
                              const Value& previous_mask) const {
  // Merge.compute_mask / Concatenate.compute_mask
  // (keras/src/layers/merging/base_merge.py and concatenate.py, Keras 3.15;
  // tf_keras/src/layers/merging/, 2.21). The masks are the inputs' (merge
  // layers take no mask argument), one per input.
  if (previous_mask.kind() != Value::Kind::kList &&
      previous_mask.kind() != Value::Kind::kTuple) {
    return Value::None();
  }
  const ValueList& masks = previous_mask.items();
  const bool k3 = ctx.profile == Profile::kKeras3;
  for (const Value& m : masks) {
    if (AsKerasTensor(m)) return SymbolicMask(ctx, inputs, masks);
  }
  bool any = false, all = true;
  for (const Value& m : masks) {
    any = any || m.is_tensor();
    all = all && m.is_tensor();
  }
  if (!any || !IsNestedStructure(inputs) ||
      inputs.items().size() != masks.size()) {
    return Value::None();
  }
  if (class_name() == "Concatenate") {
    std::vector<Tensor> parts;
    for (size_t i = 0; i < masks.size(); ++i) {
      const Tensor& x = inputs.items()[i].as_tensor();
      if (!masks[i].is_tensor()) {
        parts.push_back(ops::Fill(x.shape(), 1, DType::kBool));  // ones_like
        continue;
      }
      const Tensor& m = masks[i].as_tensor();
      if (m.rank() >= x.rank()) {
        parts.push_back(m);
      } else if (k3) {
        // logical_or(expand_dims(mask, -1), zeros_like(x)): broadcast to x.
        parts.push_back(ops::Binary(ops::BinaryOp::kLogicalOr,
                                    AsBoolMask(ops::ExpandDims(m, -1)),
                                    ops::Fill(x.shape(), 0, DType::kBool)));
      } else {
        parts.push_back(ops::ExpandDims(m, -1));
      }
    }
    const Tensor joined = ops::Concat(parts, axis_);
    return Value::FromTensor(
        ops::Reduce(k3 ? ops::ReduceOp::kAny : ops::ReduceOp::kAll,
                    AsBoolMask(joined), std::vector<int>{-1}, false));
  }
  if (k3) {
    // Any input without a mask: none; else logical_or of them all.
    if (!all) return Value::None();
    Value out = masks[0];
    for (size_t i = 1; i < masks.size(); ++i) {
      out = Value::FromTensor(ops::Binary(ops::BinaryOp::kLogicalOr,
                                          AsBoolMask(out.as_tensor()),
                                          AsBoolMask(masks[i].as_tensor())));
    }
    return out;
  }
  // tf_keras: all(concatenate([expand_dims(m, 0) for the masks given]), 0).
  std::vector<Tensor> parts;
  for (const Value& m : masks) {
    if (m.is_tensor()) parts.push_back(ops::ExpandDims(m.as_tensor(), 0));
  }
  return Value::FromTensor(ops::Reduce(ops::ReduceOp::kAll,
                                       AsBoolMask(ops::Concat(parts, 0)),
                                       std::vector<int>{0}, false));
}

Value MergeLayer::SymbolicMask(RunContext& ctx, const Value& inputs,
                               const ValueList& masks) const {
  // ComputeMask's ops on KerasTensors (Keras 3 only), each a node of the
  // graph, so the layers that take the mask stay connected to the inputs.
  if (!IsNestedStructure(inputs) || inputs.items().size() != masks.size()) {
    return Value::None();
  }
  if (class_name() != "Concatenate") {
    // logical_or of every input's mask, or none if one has none.
    for (const Value& m : masks) {
      if (!AsKerasTensor(m)) return Value::None();
    }
    Value out = masks[0];
    for (size_t i = 1; i < masks.size(); ++i) {
      out = SymbolicLogicalOr(ctx, out, masks[i]);
    }
    return out;
  }
  // Each input's mask (ones_like(x) where none; a lower-rank mask
  // broadcast to x), joined along axis, then any() over the last axis.
  ValueList parts;
  for (size_t i = 0; i < masks.size(); ++i) {
    const Value& x = inputs.items()[i];
    const auto x_kt = AsKerasTensor(x);
    const auto m_kt = AsKerasTensor(masks[i]);
    if (!x_kt || (!m_kt && !masks[i].is_none())) {
      RaiseNotModelled("this Concatenate mask");
    }
    if (!m_kt) {
      parts.push_back(SymbolicBoolLike(ctx, x, /*ones=*/true));
    } else if (m_kt->shape().size() < x_kt->shape().size()) {
      const Value expanded = SymbolicExpandDims(ctx, masks[i], -1);
      parts.push_back(SymbolicLogicalOr(
          ctx, expanded, SymbolicBoolLike(ctx, x, /*ones=*/false)));
    } else {
      parts.push_back(masks[i]);
    }
  }
  return SymbolicAny(ctx, SymbolicConcatenate(ctx, parts, axis_), -1);
}

Value MergeLayer::ComputeOutputSpec(RunContext& ctx, const LayerCall& call) {
  // Merge.compute_output_shape and Concatenate.compute_output_shape
  // (keras/src/layers/merging/base_merge.py and concatenate.py, Keras 3.15);
  // build() has checked the shapes.
  RequireInputList(call[0], false);
  std::vector<Shape> shapes;
  for (const Value& v : call[0].items()) {
    const std::optional<PartialShape> s = ShapeOfTensorLike(v);
    if (!s) RaiseNotModelled("merge inputs that are not tensors");
    shapes.push_back(ToShapeWithUnknowns(*s));
  }
  Shape out = shapes[0];
  if (class_name() == "Concatenate") {
    const int64_t n = static_cast<int64_t>(out.size());
    const int64_t axis = axis_ < 0 ? n + axis_ : axis_;
    for (size_t i = 1; i < shapes.size(); ++i) {
      if (out[axis] < 0 || shapes[i][axis] < 0) {
        out[axis] = -1;
        break;
      }
      out[axis] += shapes[i][axis];
    }
  } else {
    auto tail = [](const Shape& s) {
      return s.empty() ? Shape{} : Shape(s.begin() + 1, s.end());
    };
    Shape rest = tail(shapes[0]);
    std::set<int64_t> batch_sizes;
    for (size_t i = 0; i < shapes.size(); ++i) {
      if (i > 0) rest = ElemwiseShape(rest, tail(shapes[i]));
      if (!shapes[i].empty() && shapes[i][0] >= 0) {
        batch_sizes.insert(shapes[i][0]);
      }
    }
    out = {batch_sizes.size() == 1 ? *batch_sizes.begin() : -1};
    out.insert(out.end(), rest.begin(), rest.end());
  }
  return Value::FromObject(
      NewKerasTensor(ctx, ToPartialShape(out), DType::kFloat32));
}

Value MergeLayer::CallBody(RunContext& ctx, LayerCall& call) {
  const Value& inputs = call[0];
  RequireInputList(inputs, class_name() != "Concatenate");
  std::vector<Tensor> xs;
  for (size_t i = 0; i < inputs.items().size(); ++i) {
    const Value& v = inputs.items()[i];
    if (!v.is_tensor()) RaiseNotModelled("merge inputs that are not tensors");
    xs.push_back(v.as_tensor());
    call.event.inputs.push_back(
        MakeRole("inputs", "inputs[" + std::to_string(i) + "]",
                 call.ItemSource("inputs", i), "", xs.back()));
  }
  Tensor out;
  if (class_name() == "Concatenate") {
    out = ops::Concat(xs, axis_);
  } else {
    if (reshape_required_) {
      // Expand every input at axis 1 until the ranks match.
      size_t max_rank = 0;
      for (const Tensor& x : xs) {
        max_rank = std::max<size_t>(max_rank, x.rank());
      }
      for (Tensor& x : xs) {
        while (static_cast<size_t>(x.rank()) < max_rank) {
          x = ops::ExpandDims(x, 1);
        }
      }
    }
    out = xs[0];
    const std::string& kind = class_name();
    // Keras 3's Multiply, Maximum and Minimum fill masked positions first.
    const bool mask_aware =
        kind == "Multiply" || kind == "Maximum" || kind == "Minimum";
    if (mask_aware && ctx.profile == Profile::kKeras3) {
      for (const Value& v : inputs.items()) {
        if (!KerasMasksOf(v).is_none()) {
          RaiseNotModelled(kind + " on inputs that carry a Keras mask");
        }
      }
    }
    const ops::BinaryOp op = kind == "Subtract"   ? ops::BinaryOp::kSub
                             : kind == "Multiply" ? ops::BinaryOp::kMul
                             : kind == "Maximum"  ? ops::BinaryOp::kMaximum
                             : kind == "Minimum"  ? ops::BinaryOp::kMinimum
                                                  : ops::BinaryOp::kAdd;
    for (size_t i = 1; i < xs.size(); ++i) out = ops::Binary(op, out, xs[i]);
    if (kind == "Average") {  // output / len(inputs)
      out = ops::Binary(
          ops::BinaryOp::kDiv, out,
          ops::Cast(Tensor::ScalarI64(static_cast<int64_t>(xs.size())),
                    out.dtype()));
    }
  }
  call.event.outputs.push_back({"output", "", out});
  return Value::FromTensor(out);
}

// Probed with 1-4 inputs, broadcasting, int32 and masks
// (tf_keras/src/layers/merging/*.py, 2.21): the elementwise layers fold
// the inputs with n - 1 ops in one scope (add, add_1, ...), so one input
// comes back as it is (the scratch graph's placeholder). Inputs of
// different ranks are expanded first: probed with two.
std::string MergeLayer::TfKerasNodeName(const LayerCall& call,
                                        size_t index) const {
  const Value& inputs = call[0];
  if (index != 0 || (inputs.kind() != Value::Kind::kList &&
                     inputs.kind() != Value::Kind::kTuple)) {
    return "";
  }
  const ValueList& items = inputs.items();
  if (items.empty()) return "";
  bool same_ranks = true;
  for (const Value& v : items) {
    const std::optional<PartialShape> shape = ShapeOfTensorLike(v);
    const std::optional<PartialShape> first = ShapeOfTensorLike(items[0]);
    if (!shape || !first) return "";
    same_ranks = same_ranks && shape->size() == first->size();
  }
  if (!same_ranks && items.size() > 2) return "";
  const std::string& kind = class_name();
  if (kind == "Concatenate") {
    return TfKerasTensorName(name(),
                             items.size() == 1 ? "concat/concat" : "concat");
  }
  if (kind == "Average") return TfKerasTensorName(name(), "truediv");
  const std::string op = kind == "Add"        ? "add"
                         : kind == "Subtract" ? "sub"
                         : kind == "Multiply" ? "mul"
                         : kind == "Maximum"  ? "Maximum"
                         : kind == "Minimum"  ? "Minimum"
                                              : "";
  if (op.empty()) return "";
  if (items.size() == 1) return "Placeholder:0";
  return TfKerasTensorName(
      name(),
      items.size() == 2 ? op : op + "_" + std::to_string(items.size() - 2));
}

}  // namespace ap::keras
