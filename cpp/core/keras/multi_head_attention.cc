#include "multi_head_attention.h"

#include <cfloat>
#include <cmath>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "../ops/ops.h"
#include "../repr.h"
#include "call_stages.h"
#include "einsum.h"
#include "keras_tensor.h"
#include "messages.h"
#include "native_method.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

namespace {

char Letter(int i) { return static_cast<char>('a' + i); }

// Keras' _build_proj_equation: "<free><bound>,<bound><out>-><free><out>".
std::string ProjectionEquation(int free_dims, int bound_dims, int output_dims) {
  std::string input, kernel, output;
  int offset = 0;
  for (int i = 0; i < free_dims; ++i) {
    input += Letter(offset + i);
    output += Letter(offset + i);
  }
  offset += free_dims;
  for (int i = 0; i < bound_dims; ++i) {
    input += Letter(offset + i);
    kernel += Letter(offset + i);
  }
  offset += bound_dims;
  for (int i = 0; i < output_dims; ++i) {
    kernel += Letter(offset + i);
    output += Letter(offset + i);
  }
  return input + "," + kernel + "->" + output;
}

// Keras' _build_attention_equation for projected rank `rank`.
void AttentionEquations(int rank, const std::vector<int64_t>& attn_axes,
                        std::string* dot, std::string* combine,
                        int* scores_rank) {
  std::string target;
  for (int i = 0; i < rank; ++i) target += Letter(i);
  std::vector<int> batch_dims;
  for (int i = 0; i < rank; ++i) {
    bool attn = i == rank - 1;
    for (int64_t a : attn_axes) attn = attn || a == i;
    if (!attn) batch_dims.push_back(i);
  }
  std::string source;
  int offset = rank;
  for (int i = 0; i < rank; ++i) {
    bool batch = i == rank - 1;
    for (int b : batch_dims) batch = batch || b == i;
    source += batch ? target[i] : Letter(offset++);
  }
  std::string product;
  for (int b : batch_dims) product += target[b];
  for (int64_t a : attn_axes) product += target[a];
  for (int64_t a : attn_axes) product += source[a];
  *dot = source + "," + target + "->" + product;
  *combine = product + "," + source + "->" + target;
  *scores_rank = static_cast<int>(product.size());
}

bool IsPositiveInt(const Value& v) {
  return v.kind() == Value::Kind::kInt && v.as_int() > 0;
}

// Softmax over the last `n` axes.
Tensor SoftmaxLastAxes(const Tensor& x, int n) {
  if (n == 1) return ops::Softmax(x, -1);
  Shape merged(x.shape().begin(), x.shape().end() - n);
  int64_t last = 1;
  for (int i = x.rank() - n; i < x.rank(); ++i) last *= x.dim(i);
  merged.push_back(last);
  std::vector<int64_t> dims(merged.begin(), merged.end());
  const Tensor s = ops::Softmax(ops::Reshape(x, dims), -1);
  return ops::Reshape(s,
                      std::vector<int64_t>(x.shape().begin(), x.shape().end()));
}

Tensor ExpandTo(const Tensor& mask, int rank, int axis) {
  Tensor m = mask;
  while (m.rank() < rank) m = ops::ExpandDims(m, axis);
  return m;
}

// The named axes of the scores for a query of rank `query_rank`:
// batch, d1..., num_heads, Tq, Tv.
std::vector<std::string> ScoreAxes(int query_rank) {
  std::vector<std::string> names = {"batch"};
  for (int i = 1; i < query_rank - 2; ++i)
    names.push_back("d" + std::to_string(i));
  names.push_back("num_heads");
  names.push_back("Tq");
  names.push_back("Tv");
  return names;
}

std::string JoinAxes(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? "," : "") + names[i];
  return out;
}

}  // namespace

MultiHeadAttentionLayer::MultiHeadAttentionLayer(RunContext& ctx,
                                                 const CallArgs& args)
    : Layer("MultiHeadAttention", "") {
  const bool k3 = ctx.profile == Profile::kKeras3;
  keras3_ = k3;
  std::vector<Param> params = ParseParams(
      "num_heads,key_dim,value_dim=None,dropout=0.0,use_bias=True,output_shape="
      "None,attention_axes=None");
  if (k3) params.push_back({"flash_attention", Value::None(), false});
  params.push_back({"kernel_initializer", Value::Str("glorot_uniform"), false});
  params.push_back({"bias_initializer", Value::Str("zeros"), false});
  for (const char* p :
       {"kernel_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "bias_constraint"}) {
    params.push_back({p, Value::None(), false});
  }
  if (k3) params.push_back({"seed", Value::None(), false});
  const BoundArgs bound =
      BindArguments("MultiHeadAttention.__init__", params, args, true);
  auto arg = [&](std::string_view n) -> const Value& {
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].name == n) return bound.values[i];
    }
    static const Value none;
    return none;
  };
  std::vector<std::pair<std::string, Value>> rest;
  for (const auto& kw : bound.extra_keywords) {
    const bool known_unsupported =
        (k3 && (kw.first == "sliding_window" || kw.first == "use_gate")) ||
        (!k3 && kw.first == "softmax_robust_masking");
    if (known_unsupported) {
      if (!kw.second.is_none() &&
          !(kw.second.kind() == Value::Kind::kBool && !kw.second.as_bool())) {
        RaiseNotModelled("MultiHeadAttention(" + kw.first + "=...)");
      }
      continue;
    }
    rest.push_back(kw);
  }
  if (!arg("activity_regularizer").is_none()) {
    rest.emplace_back("activity_regularizer", arg("activity_regularizer"));
  }
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "MultiHeadAttention", rest);
  ApplyBaseKwargs(base);
  trainable_ = base.trainable;

  const Value& num_heads = arg("num_heads");
  const Value& key_dim = arg("key_dim");
  const Value& value_dim = arg("value_dim");
  if (k3) {
    // Keras >= 3.15 constructor validation.
    if (!IsPositiveInt(num_heads))
      RaiseValueError(MhaNumHeadsMessage(ap::Str(num_heads)));
    if (!IsPositiveInt(key_dim))
      RaiseValueError(MhaKeyDimMessage(ap::Str(key_dim)));
    if (!value_dim.is_none() && !IsPositiveInt(value_dim)) {
      RaiseValueError(MhaValueDimMessage(ap::Str(value_dim)));
    }
  } else if (!IsPositiveInt(num_heads) || !IsPositiveInt(key_dim) ||
             !(value_dim.is_none() || IsPositiveInt(value_dim))) {
    RaiseNotModelled(
        "tf_keras MultiHeadAttention with non-positive or "
        "non-integer sizes");
  }
  num_heads_ = num_heads.as_int();
  key_dim_ = key_dim.as_int();
  value_dim_ = value_dim.is_none() ? key_dim_ : value_dim.as_int();
  if (!arg("dropout").is_number()) RaiseNotModelled("a non-numeric dropout");
  dropout_ = arg("dropout").as_number();
  use_bias_ = Truthy(arg("use_bias"));

  const Value& output_shape = arg("output_shape");
  const bool output_shape_truthy =
      !output_shape.is_none() &&
      !(output_shape.is_number() && output_shape.as_number() == 0) &&
      !(output_shape.is_sequence() && output_shape.items().empty());
  if (output_shape_truthy) {
    if (output_shape.kind() == Value::Kind::kInt) {
      output_shape_ = {output_shape.as_int()};
    } else if (output_shape.is_sequence()) {
      for (const Value& d : output_shape.items()) {
        if (d.kind() != Value::Kind::kInt || d.as_int() <= 0) {
          RaiseNotModelled("an output_shape with non-integer entries");
        }
        output_shape_.push_back(d.as_int());
      }
    } else if (k3) {
      RaiseValueError(MhaOutputShapeMessage(ap::Str(output_shape)));
    } else {
      RaiseNotModelled("this output_shape");
    }
  }

  const Value& axes = arg("attention_axes");
  if (axes.kind() == Value::Kind::kInt) {
    attention_axes_ = std::vector<int64_t>{axes.as_int()};
  } else if (axes.kind() == Value::Kind::kList ||
             axes.kind() == Value::Kind::kTuple) {
    std::vector<int64_t> a;
    for (const Value& x : axes.items()) {
      if (x.kind() != Value::Kind::kInt) {
        RaiseNotModelled("attention_axes with non-integer entries");
      }
      a.push_back(x.as_int());
    }
    if (a.empty()) RaiseNotModelled("empty attention_axes");
    attention_axes_ = a;
  } else if (!axes.is_none()) {
    if (k3) RaiseValueError(MhaAttentionAxesMessage(ap::Str(axes)));
    RaiseNotModelled("this attention_axes value");
  }

  if (k3) {
    const Value& flash = arg("flash_attention");
    flash_attention_ = Truthy(flash);
    if (flash_attention_ && dropout_ > 0.0) {
      RaiseValueError(
          "Dropout is not supported when flash attention is enabled. Please "
          "set dropout to 0.0 to use flash attention.");
    }
  }
  for (const char* which : {"kernel_initializer", "bias_initializer"}) {
    const Value& v = arg(which);
    if (v.kind() != Value::Kind::kStr ||
        (v.as_str() != "glorot_uniform" && v.as_str() != "zeros" &&
         v.as_str() != "ones")) {
      RaiseNotModelled(std::string(which) + "=" + ap::Repr(v));
    }
    (std::string(which) == "kernel_initializer" ? kernel_initializer_
                                                : bias_initializer_) =
        v.as_str();
  }
  for (const char* p : {"kernel_regularizer", "bias_regularizer",
                        "kernel_constraint", "bias_constraint"}) {
    if (!arg(p).is_none()) {
      RaiseNotModelled(std::string("MultiHeadAttention(") + p + "=...)");
    }
  }
}

std::vector<std::pair<std::string, Tensor>> MultiHeadAttentionLayer::Weights()
    const {
  std::vector<std::pair<std::string, Tensor>> w;
  for (const Projection* p : {&query_, &key_, &value_, &output_}) {
    if (p->kernel.valid()) w.emplace_back(p->name + "/kernel", p->kernel);
    if (p->bias.valid()) w.emplace_back(p->name + "/bias", p->bias);
  }
  return w;
}

// MultiHeadAttention.compute_output_shape(query_shape, value_shape,
// key_shape=None) (keras/src/layers/attention/multi_head_attention.py,
// Keras 3.15: a tuple; tf_keras/src/layers/attention/
// multi_head_attention.py, 2.21: a TensorShape, after its own check of the
// query's and value's last dims).
Value MultiHeadAttentionLayer::ComputeOutputShapeMethod(
    const CallArgs& args) const {
  const BoundArgs bound = BindArguments(
      "compute_output_shape",
      ParseParams("query_shape,value_shape,key_shape=None"), args);
  auto shape_of = [](const Value& v) {
    const std::optional<PartialShape> s = ShapeFromValue(v);
    if (!s)
      RaiseNotModelled("compute_output_shape of a value that is not a shape");
    return *s;
  };
  PartialShape query = shape_of(bound[0]);
  const PartialShape value = shape_of(bound[1]);
  const PartialShape key = bound[2].is_none() ? value : shape_of(bound[2]);
  auto text = [](const PartialShape& s) { return PartialShapeToPyString(s); };
  if (!keras3_ && !query.empty() && !value.empty() &&
      !(query.back() == value.back())) {
    auto dim = [](const Dim& d) {
      return d.known() ? std::to_string(d.size()) : std::string("None");
    };
    RaiseValueError(
        "The last dimension of `query_shape` and `value_shape` must be "
        "equal, but are " +
        dim(query.back()) + ", " + dim(value.back()) +
        ". Received: query_shape={query_shape}, value_shape={value_shape}");
  }
  const bool same_inner = value.size() == key.size() &&
                          std::equal(value.begin() + (value.empty() ? 0 : 1),
                                     value.end() - (value.empty() ? 0 : 1),
                                     key.begin() + (key.empty() ? 0 : 1));
  if (!same_inner) {
    RaiseValueError(
        keras3_ ? "All dimensions of `value` and `key`, except the last one, "
                  "must be equal. Received: value_shape=" +
                      text(value) + " and key_shape=" + text(key)
                : "All dimensions of `value` and `key`, except the last one, "
                  "must be equal. Received " +
                      text(value) + " and " + text(key));
  }
  if (!output_shape_.empty() && !query.empty()) {
    query.pop_back();
    for (int64_t d : output_shape_) query.push_back(Dim(d));
  }
  if (keras3_) return ShapeTuple(query);
  ValueList dims;
  for (const Dim& d : query) {
    dims.push_back(d.known() ? Value::Int(d.size()) : Value::None());
  }
  return Value::TensorShapeOf(std::move(dims));
}

std::optional<Value> MultiHeadAttentionLayer::GetAttr(
    std::string_view name) const {
  if (name == "compute_output_shape") {
    auto self = std::static_pointer_cast<const MultiHeadAttentionLayer>(
        shared_from_this());
    return Value::FromObject(std::make_shared<NativeMethod>(
        std::const_pointer_cast<MultiHeadAttentionLayer>(self),
        "MultiHeadAttention.compute_output_shape",
        [self](RunContext&, const CallArgs& args) {
          return self->ComputeOutputShapeMethod(args);
        }));
  }
  if (name == "num_heads") return Value::Int(num_heads_);
  if (name == "key_dim") return Value::Int(key_dim_);
  if (name == "value_dim") return Value::Int(value_dim_);
  if (name == "dropout") return Value::Float(dropout_);
  if (name == "use_bias") return Value::Bool(use_bias_);
  if (name == "attention_axes" && keras3_) {  // tf_keras has no property
    if (!attention_axes_) return Value::None();
    ValueList items;
    for (int64_t a : *attention_axes_) items.push_back(Value::Int(a));
    return Value::Tuple(std::move(items));
  }
  return Layer::GetAttr(name);
}

void MultiHeadAttentionLayer::BuildProjections(RunContext& ctx,
                                               const Shape& query_shape,
                                               const Shape& value_shape,
                                               const Shape& key_shape) {
  const bool k3 = ctx.profile == Profile::kKeras3;
  if (k3) {
    // value_shape[1:-1] != key_shape[1:-1] (raised in build, unwrapped).
    const bool ok = value_shape.size() == key_shape.size() &&
                    (value_shape.size() < 2 ||
                     std::equal(value_shape.begin() + 1, value_shape.end() - 1,
                                key_shape.begin() + 1));
    if (!ok) {
      RaiseValueError(
          MhaValueKeyShapeMessage(ctx.profile, value_shape, key_shape));
    }
  }
  const int q_rank = static_cast<int>(query_shape.size());
  const int v_rank = static_cast<int>(value_shape.size());
  const int k_rank = static_cast<int>(key_shape.size());
  if (q_rank != v_rank || k_rank != v_rank) {
    RaiseNotModelled("MultiHeadAttention inputs of different ranks");
  }
  if (q_rank == 1) RaiseNotModelled("MultiHeadAttention on rank-1 inputs");
  if (q_rank == 0) {  // build() reads query_shape[-1]
    Error e;
    e.cls = ErrorClass::kIndexError;
    e.kind = ErrorKind::kText;
    e.text = "tuple index out of range";
    if (k3) Raise(std::move(e));
    pending_error_ = std::move(e);
    return;
  }
  const int rank = v_rank + 1;  // projected rank
  std::vector<int64_t> axes;
  if (!attention_axes_) {
    for (int i = 1; i < rank - 2; ++i) axes.push_back(i);
    attention_axes_ = axes;
  } else {
    // _build_attention: Keras 3 maps a negative axis to (rank - 1) + axis,
    // tf_keras keeps it; np.delete then takes it as rank + axis or raises.
    std::vector<int64_t> kept;
    std::set<int64_t> seen;
    for (int64_t a : *attention_axes_) {
      const int64_t canon = a >= 0 || !k3 ? a : (rank - 1) + a;
      if (canon < -rank || canon >= rank) {
        Error e;
        e.cls = ErrorClass::kIndexError;
        e.kind = ErrorKind::kText;
        e.text = "index " + std::to_string(canon) +
                 " is out of bounds for axis 0 with size " +
                 std::to_string(rank);
        if (k3) Raise(std::move(e));
        if (!pending_error_) pending_error_ = std::move(e);  // raised in call
        return;
      }
      kept.push_back(canon);
      const int64_t axis = canon < 0 ? canon + rank : canon;
      if (axis == rank - 1 || !seen.insert(axis).second) repeated_label_ = true;
      axes.push_back(axis);
    }
    attention_axes_ = kept;
  }
  AttentionEquations(rank, axes, &dot_product_equation_, &combine_equation_,
                     &scores_rank_);
  // Keras 3's einsum then takes a diagonal; tf_keras' refuses in call().
  if (repeated_label_ && k3) {
    RaiseNotModelled(
        "attention_axes that repeat an axis or include the last one");
  }

  auto init = [&](const std::string& which, const Shape& shape) {
    if (which == "glorot_uniform") return GlorotUniform(shape, ctx.rng);
    return ops::Fill(shape, which == "ones" ? 1.0 : 0.0, DType::kFloat32);
  };
  auto make = [&](Projection* p, std::string name, int64_t in_dim, int free,
                  Shape out_dims, int bound_dims) {
    p->name = std::move(name);
    p->equation =
        ProjectionEquation(free, bound_dims, static_cast<int>(out_dims.size()));
    p->input_rank = free + bound_dims;
    Shape kernel_shape;
    if (bound_dims == 1) {
      kernel_shape.push_back(in_dim);
    } else {
      kernel_shape = {num_heads_, value_dim_};
    }
    kernel_shape.insert(kernel_shape.end(), out_dims.begin(), out_dims.end());
    p->kernel = init(kernel_initializer_, kernel_shape);
    if (use_bias_) p->bias = init(bias_initializer_, out_dims);
  };
  make(&query_, "query", query_shape.back(), q_rank - 1, {num_heads_, key_dim_},
       1);
  make(&key_, "key", key_shape.back(), k_rank - 1, {num_heads_, key_dim_}, 1);
  make(&value_, "value", value_shape.back(), v_rank - 1,
       {num_heads_, value_dim_}, 1);
  // Keras creates Softmax and Dropout sublayers with automatic names
  // (tf_keras shows the Softmax's in its error frame: "softmax_1" when a
  // "softmax" exists).
  softmax_name_ = ctx.UniqueLayerName("softmax");
  dropout_name_ = ctx.UniqueLayerName("dropout");
  Shape out_dims = output_shape_.empty()
                       ? Shape{query_shape.back()}
                       : Shape(output_shape_.begin(), output_shape_.end());
  make(&output_, "attention_output", 0, q_rank - 1, out_dims, 2);
}

Tensor MultiHeadAttentionLayer::Project(RunContext& ctx, const Projection& p,
                                        const Tensor& x,
                                        const Value& training) {
  const bool k3 = ctx.profile == Profile::kKeras3;
  // EinsumDense.__call__: K3 InputSpec(ndim=...) before call, unwrapped
  // here (the enclosing MultiHeadAttention.call() wraps it).
  if (k3 && x.rank() != p.input_rank) {
    RaiseValueError(
        InputSpecNdimMessage(ctx.profile, 0, p.name, p.input_rank, x.shape()));
  }
  try {
    Tensor y = BackendEinsum(ctx.profile, p.equation, x, p.kernel);
    if (p.bias.valid()) y = ops::Binary(ops::BinaryOp::kAdd, y, p.bias);
    return y;
  } catch (const ErrorException& e) {
    std::vector<std::pair<std::string, std::string>> bullets = {
        {"inputs", FormatArgumentValue(Value::FromTensor(x))}};
    std::vector<std::pair<std::string, ArgumentLayout>> layouts = {
        {"inputs", ArgumentLayoutOf(Value::FromTensor(x))}};
    if (k3) {
      bullets.emplace_back("training", FormatArgumentValue(training));
      layouts.emplace_back("training", ArgumentLayoutOf(training));
    }
    RethrowInCall(e, ctx.profile, "EinsumDense", p.name, std::move(bullets),
                  std::move(layouts));
  }
}

std::vector<Param> MultiHeadAttentionLayer::CallParams(Profile profile) const {
  std::vector<Param> params = ParseParams("query,value,key=None");
  if (profile == Profile::kKeras3) {
    params.push_back({"query_mask", Value::None(), false});
    params.push_back({"value_mask", Value::None(), false});
    params.push_back({"key_mask", Value::None(), false});
  }
  params.push_back({"attention_mask", Value::None(), false});
  params.push_back({"return_attention_scores", Value::Bool(false), false});
  params.push_back({"training", Value::None(), false});
  params.push_back({"use_causal_mask", Value::Bool(false), false});
  return params;
}

void MultiHeadAttentionLayer::CheckCall(RunContext&, LayerCall& call) {
  for (const Value* v : {&call[0], &call[1]}) {
    if (!ShapeOfTensorLike(*v)) {
      RaiseNotModelled("MultiHeadAttention inputs that are not tensors");
    }
  }
  const Value& key = call[2];
  if (!key.is_none() && !ShapeOfTensorLike(key)) {
    RaiseNotModelled("a MultiHeadAttention key that is not a tensor");
  }
  for (const Value* v : {&call[0], &call[1], &key}) {
    const std::optional<DType> dtype = DTypeOfTensorLike(*v);
    if (dtype && *dtype != DType::kFloat32) {
      RaiseNotModelled("MultiHeadAttention inputs that are not float32");
    }
  }
}

void MultiHeadAttentionLayer::Build(RunContext& ctx, const LayerCall& call) {
  // build(query_shape, value_shape, key_shape); the projections' kernels
  // need each input's last dim.
  auto shape_of = [&](const Value& v) {
    const PartialShape shape = *ShapeOfTensorLike(v);
    if (!shape.empty() && !shape.back().known()) {
      RaiseNotModelled("MultiHeadAttention inputs whose last dim is None");
    }
    return ToShapeWithUnknowns(shape);
  };
  const Shape value = shape_of(call[1]);
  BuildProjections(ctx, shape_of(call[0]), value,
                   call[2].is_none() ? value : shape_of(call[2]));
}

Value MultiHeadAttentionLayer::ComputeOutputSpec(RunContext& ctx,
                                                 const LayerCall& call) {
  // compute_output_spec / compute_output_shape
  // (keras/src/layers/attention/multi_head_attention.py, Keras 3.15): the
  // query's shape (its last dim replaced by output_shape); the scores'
  // shape is (batch, heads, Tq, Tq), as Keras writes it.
  const PartialShape query = *ShapeOfTensorLike(call[0]);
  const PartialShape value = *ShapeOfTensorLike(call[1]);
  const PartialShape key =
      call[2].is_none() ? value : *ShapeOfTensorLike(call[2]);
  if (value.size() != key.size() ||
      (value.size() > 2 &&
       !std::equal(value.begin() + 1, value.end() - 1, key.begin() + 1))) {
    RaiseValueError(MhaValueKeyShapeMessage(
        ctx.profile, ToShapeWithUnknowns(value), ToShapeWithUnknowns(key)));
  }
  PartialShape out(query.begin(), query.end() - 1);
  if (output_shape_.empty()) {
    out.push_back(query.back());
  } else {
    out.insert(out.end(), output_shape_.begin(), output_shape_.end());
  }
  const Value output =
      Value::FromObject(NewKerasTensor(ctx, out, DType::kFloat32));
  if (!Truthy(call[call.Index("return_attention_scores")])) return output;
  if (query.size() < 2)
    RaiseText(ErrorClass::kIndexError, "tuple index out of range");
  const PartialShape scores = {query[0], num_heads_, query[1], query[1]};
  return Value::Tuple({output, Value::FromObject(NewKerasTensor(
                                   ctx, scores, DType::kFloat32))});
}

Value MultiHeadAttentionLayer::CallBody(RunContext& ctx, LayerCall& call) {
  const Profile profile = ctx.profile;
  const bool k3 = profile == Profile::kKeras3;
  const CallArgs& args = call.args;
  const std::vector<Param>& params = call.params;
  BoundArgs& bound = call.bound;
  CallEvent& event = call.event;
  auto index = [&](std::string_view n) { return call.Index(n); };
  Value& query_v = bound.values[index("query")];
  Value& value_v = bound.values[index("value")];
  Value key_v = bound[index("key")];
  const Tensor& query = query_v.as_tensor();
  const Tensor& value = value_v.as_tensor();
  const Tensor& key = key_v.is_none() ? value : key_v.as_tensor();
  const Value training_v = bound[index("training")];
  const bool training = Truthy(training_v);
  const bool return_scores = Truthy(bound[index("return_attention_scores")]);
  const bool use_causal = Truthy(bound[index("use_causal_mask")]);
  if (pending_error_) Raise(*pending_error_);
  if (use_causal && query.rank() < 3) {
    RaiseNotModelled("use_causal_mask on rank-2 inputs");
  }
  StageRecorder stages(
      &event, {"validate", "projection", "value_projection", "scores", "mask",
               "softmax", "output", "output_projection"});
  stages.Start("validate");

  // ---- roles, with the program's own names ----
  const char* roles[] = {"query", "value", "key"};
  const Tensor* tensors[] = {&query, &value, &key};
  const char* seqs[] = {"Tq", "Tv", "Tv"};
  for (int i = 0; i < 3; ++i) {
    if (i == 2 && key_v.is_none()) continue;
    const std::string source = ArgumentSource(args, params, roles[i]);
    RoleBinding binding =
        MakeRole(roles[i], roles[i], source,
                 AxesNames(tensors[i]->rank(), seqs[i], "dim"), *tensors[i]);
    const std::string suggested = RoleSuggestedByName(source);
    if (!suggested.empty() && suggested != roles[i]) {
      binding.suggested_role = suggested;
      binding.role_note = "`" + source + "` is bound to `" + roles[i] +
                          "` (the positional order is query, value, key), "
                          "not to `" +
                          suggested + "`.";
      event.notes.push_back(binding.role_note);
    }
    event.inputs.push_back(std::move(binding));
  }
  if (key_v.is_none()) {
    event.notes.push_back("No key was given, so the value is also the key.");
  }
  // The masks the inputs carry: K3 reads the query's here and gets the
  // value's and key's as the value_mask / key_mask arguments (filled by
  // Layer.__call__), then deletes all three from the input tensors, since
  // the layer handles them (keras/src/layers/attention/
  // multi_head_attention.py, call, Keras 3.15). tf_keras reads all three
  // from the tensors and leaves them (_compute_attention_mask, 2.21).
  const Value query_mask_v = KerasMasksOf(query_v);
  Value value_mask_v, key_mask_v;
  if (k3) {
    if (!bound[index("query_mask")].is_none()) {
      const std::string carried =
          query_mask_v.is_none() ? "here none" : "the one it carries";
      event.notes.push_back(
          "Keras 3 ignores an explicit query_mask: MultiHeadAttention.call() "
          "replaces it with the query's Keras mask (" +
          carried + ").");
    }
    value_mask_v = bound[index("value_mask")];
    key_mask_v = bound[index("key_mask")];
    query_v.SetKerasMask(Tensor());
    value_v.SetKerasMask(Tensor());
    if (!key_v.is_none()) key_v.SetKerasMask(Tensor());
  } else {
    value_mask_v = KerasMasksOf(value_v);
    key_mask_v = key_v.is_none() ? value_mask_v : KerasMasksOf(key_v);
  }
  if (flash_attention_) {
    if (return_scores) {
      RaiseValueError(
          "Returning attention scores is not supported when flash attention "
          "is enabled. Please disable flash attention to access attention "
          "scores.");
    }
  }

  stages.Done("validate");

  // ---- attention mask (batch, Tq, Tv) from the masks, AND-combined ----
  // (built here, before the projections; applied in the softmax)
  stages.Start("mask");
  Tensor auto_mask;
  auto and_into = [&](Tensor* acc, const Tensor& m) {
    *acc = acc->valid() ? ops::Binary(ops::BinaryOp::kLogicalAnd, *acc, m) : m;
  };
  struct MaskSource {
    const char* name;
    const Value* mask;
    const char* input;  // the argument whose Keras mask it may be
    const char* axes;
    int axis;  // where the mask gets its new axis
  };
  const MaskSource mask_sources[] = {
      {"query_mask", &query_mask_v, "query", "batch,Tq", -1},
      {"value_mask", &value_mask_v, "value", "batch,Tv", -2},
      {"key_mask", &key_mask_v, key_v.is_none() ? "value" : "key", "batch,Tv",
       -2}};
  for (const MaskSource& m : mask_sources) {
    if (m.mask->is_none()) continue;
    if (!m.mask->is_tensor()) {
      RaiseNotModelled("masks that are not tensors");
    }
    const bool explicit_arg = k3 && std::string_view(m.name) != "query_mask" &&
                              bound.was_given[index(m.name)];
    std::string source =
        ArgumentSource(args, params, explicit_arg ? m.name : m.input);
    if (!explicit_arg && !source.empty()) source += "._keras_mask";
    event.inputs.push_back(
        MakeRole(m.name, m.name, source, m.axes, m.mask->as_tensor()));
    stages.AddSource("mask", m.name);
    and_into(&auto_mask,
             ops::ExpandDims(AsBoolMask(m.mask->as_tensor()), m.axis));
  }
  if (use_causal) {
    const int64_t t = query.dim(1), s = value.dim(1);
    Tensor causal = Tensor::Zeros(DType::kBool, {1, t, s}, "GreaterEqual");
    for (int64_t i = 0; i < t; ++i) {
      for (int64_t j = 0; j < s; ++j) causal.b8()[i * s + j] = i >= j;
    }
    stages.AddSource("mask", "causal");
    and_into(&auto_mask, causal);
  }
  Tensor attention_mask;
  const Value& explicit_mask = bound[index("attention_mask")];
  if (!explicit_mask.is_none()) {
    if (!explicit_mask.is_tensor())
      RaiseNotModelled("masks that are not tensors");
    event.inputs.push_back(
        MakeRole("attention_mask", "attention_mask",
                 ArgumentSource(args, params, "attention_mask"), "batch,Tq,Tv",
                 explicit_mask.as_tensor()));
    stages.AddSource("mask", "attention_mask");
    // tf_keras keeps the given dtype unless it merges automatic masks.
    attention_mask = k3 || auto_mask.valid()
                         ? AsBoolMask(explicit_mask.as_tensor())
                         : explicit_mask.as_tensor();
  }
  if (auto_mask.valid()) {
    attention_mask =
        attention_mask.valid()
            ? ops::Binary(ops::BinaryOp::kLogicalAnd, attention_mask, auto_mask)
            : auto_mask;
  }
  if (attention_mask.valid()) {
    event.intermediates.push_back(
        {"attention_mask", "batch,Tq,Tv", attention_mask});
    stages.Done("mask", attention_mask, "batch,Tq,Tv");
  } else {
    stages.Skip("mask");
  }

  // ---- projections (EinsumDense sublayers) ----
  stages.Start("projection");
  const Tensor q_proj = Project(ctx, query_, query, training_v);
  event.intermediates.push_back(
      {"projected_query", "batch,Tq,num_heads,key_dim", q_proj});
  const Tensor k_proj = Project(ctx, key_, key, training_v);
  event.intermediates.push_back(
      {"projected_key", "batch,Tv,num_heads,key_dim", k_proj});
  stages.Done("projection");
  stages.Start("value_projection");
  const Tensor v_proj = Project(ctx, value_, value, training_v);
  event.intermediates.push_back(
      {"projected_value", "batch,Tv,num_heads,value_dim", v_proj});
  stages.Done("value_projection", v_proj, "batch,Tv,num_heads,value_dim");

  const int n_axes = static_cast<int>(attention_axes_->size());
  const float inv_sqrt = static_cast<float>(1.0 / std::sqrt(double(key_dim_)));
  // _compute_attention (Keras 3.15): any dropout rate > 0, even when not
  // training, takes the einsum path.
  const bool fused =
      k3 && !(dropout_ > 0.0 || return_scores || q_proj.rank() != 4);
  Tensor attention_output, scores;
  std::string score_axes = "batch,num_heads,Tq,Tv";
  // The Softmax sublayer's output carries the mask it was given: the
  // scores returned come with it.
  Tensor scores_mask;
  if (fused) {
    // ops.dot_product_attention (TF backend, XLA-style): masked logits
    // become -0.7 * float32 max, so a fully masked row is uniform.
    if (flash_attention_) {
      RaiseValueError(
          "Flash attention is not supported in tensorflow backend.");
    }
    stages.Start("scores");
    Tensor logits = Einsum("abcd,aecd->acbe", q_proj, k_proj);
    logits =
        ops::Binary(ops::BinaryOp::kMul, logits, Tensor::ScalarF32(inv_sqrt));
    stages.Done("scores", logits, "batch,num_heads,Tq,Tv");
    if (attention_mask.valid()) {
      stages.Start("mask");
      const Tensor m = ExpandTo(attention_mask, 4, -3);
      const Tensor ones = ops::Fill(logits.shape(), 1, DType::kBool);
      const Tensor combined = ops::Binary(ops::BinaryOp::kLogicalAnd, ones, m);
      logits = ops::Where(combined, logits, Tensor::ScalarF32(-0.7f * FLT_MAX));
      stages.Done("mask", logits, "batch,num_heads,Tq,Tv");
    }
    stages.Start("softmax");
    scores = ops::Softmax(logits, -1);
    stages.Done("softmax", scores, "batch,num_heads,Tq,Tv");
    stages.Start("output");
    attention_output = Einsum("acbe,aecd->abcd", scores, v_proj);
    stages.Done("output", attention_output, "batch,Tq,num_heads,value_dim");
  } else {
    stages.Start("scores");
    if (repeated_label_) {  // tf_keras' einsum
      RaiseValueError(
          "Output subscripts contain a label appearing more than once: " +
          dot_product_equation_);
    }
    const Tensor q_scaled =
        ops::Binary(ops::BinaryOp::kMul, q_proj, Tensor::ScalarF32(inv_sqrt));
    Tensor logits =
        BackendEinsum(profile, dot_product_equation_, k_proj, q_scaled);
    // Named axes for the default attention axes, generic ones otherwise.
    std::vector<int64_t> default_axes;
    for (int i = 1; i + 1 < query.rank(); ++i) default_axes.push_back(i);
    std::vector<std::string> names = ScoreAxes(query.rank());
    if (*attention_axes_ != default_axes ||
        static_cast<int>(names.size()) != logits.rank()) {
      names.clear();
      for (int i = 0; i < logits.rank(); ++i) {
        names.push_back("s" + std::to_string(i));
      }
    }
    score_axes = JoinAxes(names);
    event.intermediates.push_back({"logits", "batch,num_heads,Tq,Tv", logits});
    stages.Done("scores", logits, score_axes);
    // _masked_softmax: expand the mask at the head axis to the scores' rank.
    Tensor mask;
    if (attention_mask.valid()) {
      mask = ExpandTo(attention_mask, logits.rank(), -2 * n_axes - 1);
    }
    // The Softmax sublayer applies the mask (a mask that does not fit the
    // logits fails there: the mask stage).
    stages.Start(mask.valid() ? "mask" : "softmax");
    try {
      // The Softmax sublayer, masked or not.
      auto softmax = [n_axes](const Tensor& t) {
        // Softmax(axis=()) reads axis[0]: rank-2 inputs, default axes.
        if (n_axes == 0) {
          RaiseText(ErrorClass::kIndexError, "tuple index out of range");
        }
        return SoftmaxLastAxes(t, n_axes);
      };
      scores = mask.valid() ? MaskedSoftmax(profile, logits, mask, softmax)
                            : softmax(logits);
    } catch (const ErrorException& e) {
      RethrowInCall(
          e, profile, "Softmax", softmax_name_,
          {{"inputs", FormatArgumentValue(Value::FromTensor(logits))},
           {"mask", FormatArgumentValue(mask.valid() ? Value::FromTensor(mask)
                                                     : Value::None())}},
          {{"inputs", ArgumentLayoutOf(Value::FromTensor(logits))},
           {"mask", ArgumentLayoutOf(mask.valid() ? Value::FromTensor(mask)
                                                  : Value::None())}});
    }
    if (mask.valid()) stages.Done("mask", logits, score_axes);
    stages.Done("softmax", scores, score_axes);
    scores_mask = mask;
    Tensor dropped = scores;
    if (dropout_ > 0.0 && training) {
      dropped = DropoutValues(scores, dropout_, ctx.rng);
    }
    stages.Start("output");
    attention_output =
        BackendEinsum(profile, combine_equation_, dropped, v_proj);
    stages.Done("output", attention_output, "batch,Tq,num_heads,value_dim");
  }
  event.intermediates.push_back(
      {"scores", scores.rank() == 4 ? "batch,num_heads,Tq,Tv" : score_axes,
       scores});
  stages.Start("output_projection");
  const Tensor output = Project(ctx, output_, attention_output, training_v);
  stages.Done("output_projection", output,
              AxesNames(output.rank(), "Tq", "dim"));
  event.outputs.push_back(
      {"output", AxesNames(output.rank(), "Tq", "dim"), output});
  if (return_scores) {
    event.outputs.push_back(
        {"attention_scores", "batch,num_heads,Tq,Tv", scores});
  }
  if (return_scores) {
    Value scores_v = Value::FromTensor(scores);
    if (scores_mask.valid()) scores_v.SetKerasMask(scores_mask);
    return Value::Tuple({Value::FromTensor(output), std::move(scores_v)});
  }
  return Value::FromTensor(output);
}

// Probed (tf_keras/src/layers/attention/multi_head_attention.py, 2.21):
// the same names with masks, use_causal_mask, dropout and output_shape, and
// on a second call. The Softmax sublayer, built in the first call's scratch
// graph, is "softmax" there; it normalises one axis with Softmax, several
// with exp(x - logsumexp) (Exp).
std::string MultiHeadAttentionLayer::TfKerasNodeName(const LayerCall& call,
                                                     size_t index) const {
  (void)call;
  if (pending_error_ || repeated_label_ || !attention_axes_) return "";
  if (index == 0) {
    return TfKerasTensorName(name(), use_bias_
                                         ? "attention_output/add"
                                         : "attention_output/einsum/Einsum");
  }
  if (index != 1 || softmax_name_ != "softmax") return "";
  return TfKerasTensorName(
      name(), attention_axes_->size() == 1 ? "softmax/Softmax" : "softmax/Exp");
}

}  // namespace ap::keras
