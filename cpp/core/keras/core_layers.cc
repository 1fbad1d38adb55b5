#include "core_layers.h"

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "layer_arguments.h"
#include "symbolic_errors.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

namespace {

// Layer.__init__'s keywords: the name and trainable flag they set.
// The KerasTensor of `shape` with the dtype of input 0 (Flatten's and
// Reshape's compute_output_spec keep the dtype).
Value SameDTypeSpec(RunContext& ctx, const LayerCall& call,
                    const PartialShape& shape) {
  const std::optional<DType> dtype = DTypeOfTensorLike(call[0]);
  return Value::FromObject(
      NewKerasTensor(ctx, shape, dtype ? *dtype : DType::kFloat32));
}

}  // namespace

// ---- Flatten ---------------------------------------------------------------

FlattenLayer::FlattenLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Flatten", "") {
  const BoundArgs bound = BindArguments(
      "Flatten.__init__", ParseParams("data_format=None"), args, true);
  ApplyBaseKwargs(ParseBaseLayerKwargs(ctx, "Flatten", bound.extra_keywords));
  if (!bound[0].is_none() && !(bound[0].kind() == Value::Kind::kStr &&
                               bound[0].as_str() == "channels_last")) {
    RaiseNotModelled("Flatten(data_format=" + ap::Repr(bound[0]) + ")");
  }
  input_spec_ = InputSpec{};
  input_spec_->min_ndim = 1;
  built_ = true;
}

std::optional<PartialShape> FlattenLayer::ComputeOutputShape(
    const PartialShape& input) const {
  if (input.empty()) return std::nullopt;
  Dim flat = 1;
  for (size_t i = 1; i < input.size(); ++i) {
    if (!input[i].known()) {
      flat = Dim::Unknown();
      break;
    }
    int64_t product = 0;
    if (__builtin_mul_overflow(flat.size(), input[i].size(), &product)) {
      RaiseNotModelled("a Flatten output of more than 2**63 elements");
    }
    flat = product;
  }
  return PartialShape{input[0], flat};
}

std::vector<Param> FlattenLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

Value FlattenLayer::CallBody(RunContext&, LayerCall& call) {
  const Tensor& x = call[0].as_tensor();
  call.AddInputRole(x);
  int64_t flat = 1;
  for (int i = 1; i < x.rank(); ++i) flat *= x.dim(i);
  const Tensor y = ops::Reshape(x, {x.dim(0), flat});
  call.event.outputs.push_back({"output", "batch,features", y});
  return Value::FromTensor(y);
}

Value FlattenLayer::ComputeOutputSpec(RunContext& ctx, const LayerCall& call) {
  return SameDTypeSpec(ctx, call, *ComputeOutputShape(InputShape(call)));
}

// ---- Reshape ---------------------------------------------------------------

ReshapeLayer::ReshapeLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Reshape", "") {
  const BoundArgs bound = BindArguments(
      "Reshape.__init__", ParseParams("target_shape"), args, true);
  ApplyBaseKwargs(ParseBaseLayerKwargs(ctx, "Reshape", bound.extra_keywords));
  const Value& target = bound[0];
  // tuple(target_shape)
  if (target.is_number()) {
    RaiseTypeError("'" + target.TypeName() + "' object is not iterable");
  }
  if (target.kind() != Value::Kind::kList &&
      target.kind() != Value::Kind::kTuple) {
    RaiseNotModelled("a Reshape target_shape that is not a list or tuple");
  }
  for (const Value& d : target.items()) {
    if (d.kind() != Value::Kind::kInt) {
      RaiseNotModelled("Reshape target_shape items that are not ints");
    }
    target_shape_.push_back(d.as_int());
  }
  if (ctx.profile == Profile::kKeras3) {
    // validate_reshape_shape (keras/src/ops/operation_utils.py, Keras 3.15).
    int unknown = 0;
    for (int64_t d : target_shape_) {
      if (d < -1) {
        RaiseValueError(
            "Each dimension in `target_shape` must be a non-negative integer, "
            "or `-1` for a single unknown dimension. Received: "
            "target_shape=" +
            TupleStr(target_shape_) + ".");
      }
      if (d == -1) ++unknown;
    }
    if (unknown > 1) {
      RaiseValueError(
          "There must be at most one unknown dimension (-1) in "
          "`target_shape`. Received: target_shape=" +
          TupleStr(target_shape_) + ".");
    }
  }
  built_ = true;
}

std::optional<Value> ReshapeLayer::GetAttr(std::string_view name) const {
  if (name == "target_shape") {
    ValueList items;
    for (int64_t d : target_shape_) items.push_back(Value::Int(d));
    return Value::Tuple(std::move(items));
  }
  return Layer::GetAttr(name);
}

std::optional<PartialShape> ReshapeLayer::ComputeOutputShape(
    const PartialShape& input) const {
  if (input.empty()) return std::nullopt;
  PartialShape out = {input[0]};
  const PartialShape rest(input.begin() + 1, input.end());
  if (!IsFullyDefined(rest)) {
    for (int64_t d : target_shape_) out.push_back(d == -1 ? Dim() : Dim(d));
    return out;
  }
  // Products beyond int64 are refused (Python's are unbounded).
  auto multiply = [](int64_t a, int64_t b) {
    int64_t product = 0;
    if (__builtin_mul_overflow(a, b, &product)) {
      RaiseNotModelled("Reshape sizes of more than 2**63 elements");
    }
    return product;
  };
  int64_t size = 1;
  for (const Dim& d : rest) size = multiply(size, d.size());
  int64_t known = 1;
  int unknown_index = -1;
  for (size_t i = 0; i < target_shape_.size(); ++i) {
    if (target_shape_[i] == -1) {
      unknown_index = static_cast<int>(i);
    } else {
      known = multiply(known, target_shape_[i]);
    }
  }
  const std::string received =
      "Received: input_shape=" + PartialShapeToPyString(rest) +
      ", target_shape=" + TupleStr(target_shape_);
  if (unknown_index < 0) {
    if (known != size) {
      RaiseValueError("The total size of the tensor must be unchanged. " +
                      received);
    }
  } else if (known == 0 || size % known != 0) {
    RaiseValueError(
        "The total size of the tensor must be unchanged, however, the input "
        "size cannot by divided by the specified dimensions in target_shape. " +
        received);
  }
  for (size_t i = 0; i < target_shape_.size(); ++i) {
    out.push_back(static_cast<int>(i) == unknown_index ? size / known
                                                       : target_shape_[i]);
  }
  return out;
}

std::vector<Param> ReshapeLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

void ReshapeLayer::TfKerasGraphChecks(const LayerCall& call) const {
  // compute_output_shape's _fix_unknown_dimension, when the input's
  // non-batch dims are known (tf_keras/src/layers/reshaping/reshape.py).
  const PartialShape input = InputShape(call);
  std::string input_text = "[", output_text = "[";
  int64_t original = 1;
  for (size_t i = 1; i < input.size(); ++i) {
    if (!input[i].known()) return;
    original *= input[i].size();
    input_text += (i > 1 ? ", " : "") + std::to_string(input[i].size());
  }
  int64_t known = 1;
  int unknown = 0;
  for (size_t i = 0; i < target_shape_.size(); ++i) {
    output_text += (i ? ", " : "") + std::to_string(target_shape_[i]);
    if (target_shape_[i] < 0) {
      ++unknown;
    } else {
      known *= target_shape_[i];
    }
  }
  const std::string message =
      "total size of new array must be unchanged, "
      "input_shape = " +
      input_text + "], output_shape = " + output_text + "]";
  if (unknown == 0 ? original != known : known == 0 || original % known != 0) {
    RaiseValueError(message);
  }
}

Value ReshapeLayer::CallBody(RunContext& ctx, LayerCall& call) {
  const Tensor& x = call[0].as_tensor();
  call.AddInputRole(x);
  std::vector<int64_t> sizes = {x.dim(0)};
  if (ctx.profile == Profile::kKeras3) {
    // Keras 3 resolves the -1 itself, with its errors.
    const PartialShape out = *ComputeOutputShape(ToPartialShape(x.shape()));
    for (size_t i = 1; i < out.size(); ++i) sizes.push_back(out[i].size());
  } else {
    // tf_keras hands (batch, *target_shape) to tf.reshape as a tensor.
    sizes.insert(sizes.end(), target_shape_.begin(), target_shape_.end());
  }
  const Tensor y = ops::Reshape(x, sizes);
  call.event.outputs.push_back({"output", "", y});
  return Value::FromTensor(y);
}

Value ReshapeLayer::ComputeOutputSpec(RunContext& ctx, const LayerCall& call) {
  return WithSymbolicCallFrame(ctx.profile, *this, call, [&] {
    return SameDTypeSpec(ctx, call, *ComputeOutputShape(InputShape(call)));
  });
}

// ---- Activation ------------------------------------------------------------

ActivationLayer::ActivationLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Activation", "") {
  const BoundArgs bound = BindArguments("Activation.__init__",
                                        ParseParams("activation"), args, true);
  ApplyBaseKwargs(
      ParseBaseLayerKwargs(ctx, "Activation", bound.extra_keywords));
  activation_ = ActivationName(ctx.profile, bound[0]);
  built_ = true;
}

std::vector<Param> ActivationLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

Value ActivationLayer::CallBody(RunContext& ctx, LayerCall& call) {
  const Tensor& x = call[0].as_tensor();
  call.AddInputRole(x);
  const Tensor y = ApplyActivation(ctx.profile, activation_, x);
  call.event.outputs.push_back({"output", "", y});
  return Value::FromTensor(y);
}

// ---- BatchNormalization ----------------------------------------------------

BatchNormalizationLayer::BatchNormalizationLayer(RunContext& ctx,
                                                 const CallArgs& args)
    : Layer("BatchNormalization", "") {
  const std::vector<Param> params = ParseParams(
      "axis=-1,momentum=0.99,epsilon=0.001,center=True,scale=True,"
      "beta_initializer='zeros',gamma_initializer='ones',"
      "moving_mean_initializer='zeros',moving_variance_initializer='ones',"
      "beta_regularizer=None,gamma_regularizer=None,beta_constraint=None,"
      "gamma_constraint=None");
  const BoundArgs bound = BindArguments("BatchNormalization.__init__", params,
                                        args, /*accept_extra=*/true);
  std::vector<std::pair<std::string, Value>> base_kwargs;
  for (const auto& kw : bound.extra_keywords) {
    // Options both frameworks take whose defaults change nothing here.
    if (kw.first == "synchronized" || kw.first == "renorm" ||
        kw.first == "fused" || kw.first == "renorm_clipping" ||
        kw.first == "virtual_batch_size" || kw.first == "adjustment") {
      if (Truthy(kw.second) && kw.first != "fused") {
        RaiseNotModelled("BatchNormalization(" + kw.first + "=...)");
      }
      continue;
    }
    base_kwargs.push_back(kw);
  }
  ApplyBaseKwargs(ParseBaseLayerKwargs(ctx, "BatchNormalization", base_kwargs));
  if (bound[0].kind() != Value::Kind::kInt) {
    RaiseNotModelled("a BatchNormalization axis that is not an int");
  }
  axis_ = bound[0].as_int();
  for (size_t i : {1, 2}) {
    if (!bound[i].is_number()) {
      RaiseNotModelled("a non-numeric BatchNormalization " + params[i].name);
    }
  }
  momentum_ = bound[1].as_number();
  epsilon_ = bound[2].as_number();
  center_ = Truthy(bound[3]);
  scale_ = Truthy(bound[4]);
  const char* defaults[] = {"zeros", "ones", "zeros", "ones"};
  for (size_t i = 5; i <= 8; ++i) {
    if (bound[i].kind() != Value::Kind::kStr ||
        bound[i].as_str() != defaults[i - 5]) {
      RaiseNotModelled("BatchNormalization(" + params[i].name + "=" +
                       ap::Repr(bound[i]) + ")");
    }
  }
  for (size_t i = 9; i <= 12; ++i) {
    if (!bound[i].is_none()) {
      RaiseNotModelled("BatchNormalization(" + params[i].name + "=...)");
    }
  }
}

std::vector<std::pair<std::string, Tensor>> BatchNormalizationLayer::Weights()
    const {
  std::vector<std::pair<std::string, Tensor>> w;
  if (gamma_.valid()) w.emplace_back("gamma", gamma_);
  if (beta_.valid()) w.emplace_back("beta", beta_);
  if (moving_mean_.valid()) w.emplace_back("moving_mean", moving_mean_);
  if (moving_variance_.valid()) {
    w.emplace_back("moving_variance", moving_variance_);
  }
  return w;
}

std::optional<Value> BatchNormalizationLayer::GetAttr(
    std::string_view name) const {
  if (name == "axis") return Value::Int(axis_);
  if (name == "epsilon") return Value::Float(epsilon_);
  if (name == "momentum") return Value::Float(momentum_);
  const std::pair<const char*, const Tensor*> weights[] = {
      {"gamma", &gamma_},
      {"beta", &beta_},
      {"moving_mean", &moving_mean_},
      {"moving_variance", &moving_variance_}};
  for (const auto& w : weights) {
    if (name == w.first) {
      return w.second->valid() ? WeightValue(w.first, *w.second)
                               : Value::None();
    }
  }
  return Layer::GetAttr(name);
}

std::vector<Param> BatchNormalizationLayer::CallParams(Profile) const {
  return ParseParams("inputs,training=None,mask=None");
}

void BatchNormalizationLayer::CheckCall(RunContext&, LayerCall& call) {
  const PartialShape shape = InputShape(call);
  const int64_t rank = static_cast<int64_t>(shape.size());
  if (axis_ != -1 && axis_ != rank - 1) {
    RaiseNotModelled("BatchNormalization over an axis other than the last");
  }
  if (Truthy(call[1]) && !call[2].is_none()) {
    RaiseNotModelled("BatchNormalization with a mask and training=True");
  }
}

void BatchNormalizationLayer::Build(RunContext& ctx, const LayerCall& call) {
  const PartialShape shape = InputShape(call);
  const Dim dim = shape.back();
  if (!dim.known() && ctx.profile == Profile::kTfKeras) {
    // tf_keras/src/layers/normalization/batch_normalization.py, 2.21.
    RaiseValueError(
        "Input has undefined `axis` dimension. Received input "
        "with shape " +
        PartialShapeToPyString(shape) + " and axis=(" +
        std::to_string(shape.size() - 1) + ",)");
  }
  if (!dim.known()) {
    RaiseValueError(
        "Shapes used to initialize variables must be fully-defined (no "
        "`None` dimensions). Received: shape=(None,) for variable path='" +
        name() + "/" +
        (scale_    ? "gamma"
         : center_ ? "beta"
                   : "moving_mean") +
        "'");
  }
  const int64_t n = dim.size();
  if (scale_) gamma_ = ops::Fill({n}, 1.0, DType::kFloat32);
  if (center_) beta_ = ops::Fill({n}, 0.0, DType::kFloat32);
  moving_mean_ = ops::Fill({n}, 0.0, DType::kFloat32);
  moving_variance_ = ops::Fill({n}, 1.0, DType::kFloat32);
  input_spec_ = InputSpec{};
  input_spec_->ndim = static_cast<int>(shape.size());
  // Keras 3 pins the axis as given; tf_keras normalises it first.
  const int axis = ctx.profile == Profile::kKeras3
                       ? static_cast<int>(axis_)
                       : static_cast<int>(shape.size()) - 1;
  input_spec_->axis = std::make_pair(axis, n);
}

Value BatchNormalizationLayer::CallBody(RunContext&, LayerCall& call) {
  Tensor x = call[0].as_tensor();
  call.AddInputRole(x);
  if (x.dtype() != DType::kFloat32) x = ops::Cast(x, DType::kFloat32);
  Tensor mean = moving_mean_, variance = moving_variance_;
  const bool training = Truthy(call[1]) && trainable_;
  if (training) {
    // The batch's moments over every axis but the last, and Keras' moving
    // average update of the statistics.
    std::vector<int> axes;
    for (int i = 0; i + 1 < x.rank(); ++i) axes.push_back(i);
    mean = ops::Reduce(ops::ReduceOp::kMean, x, axes, false);
    variance = ops::Reduce(
        ops::ReduceOp::kMean,
        ops::Binary(ops::BinaryOp::kSquaredDifference, x, mean), axes, false);
    const Tensor keep = Tensor::ScalarF32(static_cast<float>(momentum_));
    const Tensor take = Tensor::ScalarF32(static_cast<float>(1 - momentum_));
    auto update = [&](const Tensor& moving, const Tensor& batch) {
      return ops::Binary(ops::BinaryOp::kAdd,
                         ops::Binary(ops::BinaryOp::kMul, moving, keep),
                         ops::Binary(ops::BinaryOp::kMul, batch, take));
    };
    moving_mean_ = update(moving_mean_, mean);
    moving_variance_ = update(moving_variance_, variance);
  }
  // tf.nn.batch_normalization: x * inv + (beta - mean * inv), inv =
  // rsqrt(variance + epsilon) * gamma.
  Tensor inv =
      ops::Unary(ops::UnaryOp::kRsqrt,
                 ops::Binary(ops::BinaryOp::kAdd, variance,
                             Tensor::ScalarF32(static_cast<float>(epsilon_))));
  if (gamma_.valid()) inv = ops::Binary(ops::BinaryOp::kMul, inv, gamma_);
  Tensor shift = ops::Binary(ops::BinaryOp::kMul, mean, inv);
  shift = beta_.valid() ? ops::Binary(ops::BinaryOp::kSub, beta_, shift)
                        : ops::Unary(ops::UnaryOp::kNeg, shift);
  const Tensor y = ops::Binary(ops::BinaryOp::kAdd,
                               ops::Binary(ops::BinaryOp::kMul, x, inv), shift);
  call.event.outputs.push_back({"output", "", y});
  if (training) {
    call.event.notes.push_back(
        "training=True: normalised with this batch's mean and variance; the "
        "moving statistics were updated.");
  }
  return Value::FromTensor(y);
}

// Probed on ranks 1-4, unknown dims and data_format
// (tf_keras/src/layers/reshaping/flatten.py, 2.21).
std::string FlattenLayer::TfKerasNodeName(const LayerCall& call,
                                          size_t index) const {
  const int rank = TfKerasRankOf(call, 0);
  if (index != 0 || rank < 1) return "";
  return TfKerasTensorName(name(), rank == 1 ? "ExpandDims" : "Reshape");
}

// tf_keras/src/layers/reshaping/reshape.py, 2.21 (probed with -1 and
// unknown dims).
std::string ReshapeLayer::TfKerasNodeName(const LayerCall& call,
                                          size_t index) const {
  (void)call;
  return index == 0 ? TfKerasTensorName(name(), "Reshape") : "";
}

// tf_keras/src/layers/core/activation.py, 2.21: linear returns its input,
// the scratch graph's first placeholder (probed with and without a mask).
std::string ActivationLayer::TfKerasNodeName(const LayerCall& call,
                                             size_t index) const {
  (void)call;
  if (index != 0) return "";
  if (activation_.empty()) return "Placeholder:0";
  return TfKerasTensorName(name(), TfKerasActivationOp(activation_));
}

// Probed on ranks 2 and 3 over axis, center, scale, masks and training
// (tf_keras/src/layers/normalization/batch_normalization.py, 2.21). Rank 4
// may take the fused kernel (FusedBatchNormV3) depending on `fused=`,
// which the layer does not keep.
std::string BatchNormalizationLayer::TfKerasNodeName(const LayerCall& call,
                                                     size_t index) const {
  const int rank = TfKerasRankOf(call, 0);
  if (index != 0 || rank < 2 || rank > 3) return "";
  return TfKerasTensorName(name(), "batchnorm/add_1");
}

}  // namespace ap::keras
