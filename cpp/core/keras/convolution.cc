#include "convolution.h"

#include <cmath>

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "layer_arguments.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

namespace {

// The initialisers the playground creates ('glorot_uniform', 'zeros',
// 'ones'); Keras' others are refused.
std::string InitializerName(const Value& v, const char* what) {
  if (v.kind() == Value::Kind::kStr &&
      (v.as_str() == "glorot_uniform" || v.as_str() == "zeros" ||
       v.as_str() == "ones")) {
    return v.as_str();
  }
  RaiseNotModelled(std::string("Conv1D(") + what + "=" + ap::Repr(v) +
                   ") (modelled: 'glorot_uniform', 'zeros', 'ones')");
}

Tensor Initialize(const std::string& name, const Shape& shape, Random& rng) {
  if (name == "glorot_uniform") return GlorotUniform(shape, rng);
  return ops::Fill(shape, name == "ones" ? 1.0 : 0.0, DType::kFloat32);
}

}  // namespace

Conv1DLayer::Conv1DLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Conv1D", ""), profile_(ctx.profile) {
  const std::vector<Param> params = ParseParams(
      "filters,kernel_size,strides=1,padding='valid',data_format=None,"
      "dilation_rate=1,groups=1,activation=None,use_bias=True,"
      "kernel_initializer='glorot_uniform',bias_initializer='zeros',"
      "kernel_regularizer=None,bias_regularizer=None,"
      "activity_regularizer=None,kernel_constraint=None,bias_constraint=None");
  const BoundArgs bound =
      BindArguments("Conv1D.__init__", params, args, /*accept_extra=*/true);
  const bool k3 = ctx.profile == Profile::kKeras3;
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "Conv1D", bound.extra_keywords);
  ApplyBaseKwargs(base);
  for (size_t i : {4, 11, 12, 13, 14, 15}) {
    if (!bound[i].is_none()) {
      RaiseNotModelled("Conv1D(" + params[i].name + "=...)");
    }
  }
  if (bound[6].kind() != Value::Kind::kInt || bound[6].as_int() != 1) {
    RaiseNotModelled("Conv1D(groups=...) other than 1");
  }
  const Value& filters = bound[0];
  if (filters.kind() != Value::Kind::kInt) {
    // Keras 3 meets a fractional float at `filters % groups`.
    if (k3 && filters.kind() == Value::Kind::kFloat &&
        std::fmod(filters.as_float(), 1.0) != 0 && filters.as_float() > 0) {
      RaiseValueError(
          "The number of filters must be evenly divisible by the number of "
          "groups. Received: groups=1, filters=" +
          ap::Repr(filters) + ".");
    }
    RaiseNotModelled("Conv1D filters that are not an int");
  }
  auto check_filters = [&] {
    if (filters.as_int() <= 0) {
      RaiseValueError(
          "Invalid value for argument `filters`. Expected a strictly "
          "positive value. Received filters=" +
          std::to_string(filters.as_int()) + ".");
    }
  };
  // tf_keras checks filters first; Keras 3 after standardising the tuples.
  if (!k3) check_filters();
  kernel_size_ = StandardizeTuple(ctx.profile, bound[1], 1, "kernel_size")[0];
  strides_ = StandardizeTuple(ctx.profile, bound[2], 1, "strides",
                              /*allow_zero=*/!k3)[0];
  auto dilation = [&] {
    dilation_rate_ =
        StandardizeTuple(ctx.profile, bound[5], 1, "dilation_rate")[0];
  };
  if (k3) dilation();
  const Value& padding = bound[3];
  if (padding.kind() != Value::Kind::kStr) {
    RaiseNotModelled("a Conv1D padding that is not a string");
  }
  std::string pad = padding.as_str();
  for (char& c : pad) c = static_cast<char>(std::tolower(c));
  if (pad != "valid" && pad != "same" && pad != "causal") {
    // Keras 3 lists a Python set, whose order changes from run to run.
    if (k3) RaiseNotModelled("a Conv1D padding other than valid/same/causal");
    RaiseValueError(
        "The `padding` argument must be a list/tuple or one of \"valid\", "
        "\"same\" (or \"causal\", only for `Conv1D). Received: " +
        pad);
  }
  padding_ = pad;
  if (!k3) dilation();
  activation_ = ActivationName(ctx.profile, bound[7]);
  use_bias_ = Truthy(bound[8]);
  kernel_initializer_ = InitializerName(bound[9], "kernel_initializer");
  bias_initializer_ = InitializerName(bound[10], "bias_initializer");
  if (k3) check_filters();
  if (!k3 && strides_ == 0) {
    RaiseValueError(
        "The argument `strides` cannot contains 0(s). Received: (0,)");
  }
  if (strides_ > 1 && dilation_rate_ > 1) {
    RaiseValueError(
        "`strides > 1` not supported in conjunction with `dilation_rate > "
        "1`. Received: strides=" +
        TupleStr({strides_}) +
        " and dilation_rate=" + TupleStr({dilation_rate_}));
  }
  filters_ = filters.as_int();
  // Windows no program needs; refused so that every index product stays
  // within int64.
  if (kernel_size_ > (int64_t{1} << 31) ||
      dilation_rate_ > (int64_t{1} << 31)) {
    RaiseNotModelled("a Conv1D kernel_size or dilation_rate above 2**31");
  }
  input_spec_ = InputSpec{};
  input_spec_->min_ndim = 3;
}

std::vector<std::pair<std::string, Tensor>> Conv1DLayer::Weights() const {
  std::vector<std::pair<std::string, Tensor>> w;
  if (kernel_.valid()) w.emplace_back("kernel", kernel_);
  if (bias_.valid()) w.emplace_back("bias", bias_);
  return w;
}

std::optional<Value> Conv1DLayer::GetAttr(std::string_view name) const {
  auto tuple = [](int64_t v) { return Value::Tuple({Value::Int(v)}); };
  if (name == "filters") return Value::Int(filters_);
  if (name == "kernel_size") return tuple(kernel_size_);
  if (name == "strides") return tuple(strides_);
  if (name == "dilation_rate") return tuple(dilation_rate_);
  if (name == "padding") return Value::Str(padding_);
  if (name == "use_bias") return Value::Bool(use_bias_);
  if (name == "kernel" && kernel_.valid())
    return WeightValue("kernel", kernel_);
  if (name == "bias") {
    return bias_.valid() ? WeightValue("bias", bias_) : Value::None();
  }
  return Layer::GetAttr(name);
}

std::optional<PartialShape> Conv1DLayer::ComputeOutputShape(
    const PartialShape& input) const {
  const std::string kernel_shape = "(" + std::to_string(kernel_size_) + ", " +
                                   (input.empty() || !input.back().known()
                                        ? std::string("None")
                                        : std::to_string(input.back().size())) +
                                   ", " + std::to_string(filters_) + ")";
  if (input.size() != 3) {
    RaiseValueError(
        "Kernel shape must have the same length as input, but received "
        "kernel of shape " +
        kernel_shape + " and input of shape " + PartialShapeToPyString(input) +
        ".");
  }
  Dim steps = input[1];
  if (steps.known()) {
    const bool valid = padding_ == "valid";
    const int64_t out = ops::ConvOutputSize(steps.size(), kernel_size_,
                                            strides_, dilation_rate_, !valid);
    if (valid && out <= 0) {
      RaiseValueError(
          "Computed output size would be zero or negative. Received `inputs "
          "shape=" +
          PartialShapeToPyString(input) + "`, `kernel shape=" + kernel_shape +
          "`, `dilation_rate=[" + std::to_string(dilation_rate_) +
          "]`, `strides=" + TupleStr({strides_}) + "`, `padding=valid`.");
    }
    steps = out;
  }
  return PartialShape{input[0], steps, filters_};
}

std::vector<Param> Conv1DLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

void Conv1DLayer::Build(RunContext& ctx, const LayerCall& call) {
  const PartialShape shape = InputShape(call);
  const Dim channels = shape.back();
  if (!channels.known() && profile_ == Profile::kTfKeras) {
    // _get_input_channel (tf_keras/src/layers/convolutional/base_conv.py).
    RaiseValueError(
        "The channel dimension of the inputs should be defined. The "
        "input_shape received is " +
        PartialShapeToPyString(shape) +
        ", where axis -1 (0-based) is the channel dimension, which found to "
        "be `None`.");
  }
  if (!channels.known()) {
    // Keras 3 computes `input_channel % self.groups` with None.
    RaiseTypeError("unsupported operand type(s) for %: 'NoneType' and 'int'");
  }
  if (profile_ == Profile::kKeras3) {
    ComputeOutputShape(shape);
  } else {
    if (shape.size() != 3) {
      RaiseNotModelled("Conv1D on inputs of rank other than 3 under tf-keras");
    }
    const int64_t span = (kernel_size_ - 1) * dilation_rate_ + 1;
    // conv_utils.conv_output_length: a negative length makes TensorShape
    // fail, which Conv.compute_output_shape rewords; an unknown one stays
    // unknown.
    if (padding_ == "valid" && shape[1].known() &&
        shape[1].size() - span + 1 < 0) {
      std::string dims = "[";
      for (size_t i = 0; i < shape.size(); ++i) {
        dims += (i ? ", " : "") + (shape[i].known()
                                       ? std::to_string(shape[i].size())
                                       : std::string("None"));
      }
      RaiseValueError(
          "One of the dimensions in the output is <= 0 due to downsampling "
          "in " +
          name() +
          ". Consider increasing the input size. Received input shape " + dims +
          "] which would produce output shape with a zero or negative value "
          "in a dimension.");
    }
  }
  kernel_ = Initialize(kernel_initializer_,
                       {kernel_size_, channels.size(), filters_}, ctx.rng);
  if (use_bias_) bias_ = Initialize(bias_initializer_, {filters_}, ctx.rng);
  input_spec_->axis = std::make_pair(-1, channels.size());
}

Value Conv1DLayer::CallBody(RunContext& ctx, LayerCall& call) {
  Tensor x = call[0].as_tensor();
  call.AddInputRole(x, "batch,steps,channels");
  if (padding_ == "causal") {
    // Keras pads the start of the steps so that no output sees the future.
    Tensor paddings = Tensor::Zeros(DType::kInt32, {3, 2});
    paddings.i32()[2] =
        static_cast<int32_t>(dilation_rate_ * (kernel_size_ - 1));
    if (x.dtype() == DType::kFloat32) x = ops::Pad(x, paddings);
  }
  Tensor y =
      ops::Conv1D(x, kernel_, strides_, dilation_rate_, padding_ == "same");
  if (bias_.valid()) y = ops::Binary(ops::BinaryOp::kAdd, y, bias_);
  y = ApplyActivation(ctx.profile, activation_, y);
  call.event.outputs.push_back({"output", "batch,steps,filters", y});
  call.event.notes.push_back("Conv1D slides a window of " +
                             std::to_string(kernel_size_) +
                             " steps over the steps axis and maps the " +
                             std::to_string(kernel_.dim(1)) + " channels to " +
                             std::to_string(filters_) + " filters.");
  return Value::FromTensor(y);
}

// Probed on rank-3 channels_last inputs over padding, strides,
// dilation_rate, use_bias and activations (tf_keras/src/layers/
// convolutional/base_conv.py, 2.21): tf.nn.convolution of a 1-D input
// expands, convolves and squeezes it; a dilated one goes through
// SpaceToBatchND / BatchToSpaceND.
std::string Conv1DLayer::TfKerasNodeName(const LayerCall& call,
                                         size_t index) const {
  if (index != 0 || TfKerasRankOf(call, 0) != 3) return "";
  std::string op = TfKerasActivationOp(activation_);
  if (!activation_.empty() && op.empty()) return "";
  if (op.empty()) {
    op = use_bias_            ? "BiasAdd"
         : dilation_rate_ > 1 ? "Conv1D/BatchToSpaceND"
                              : "Conv1D/Squeeze";
  }
  return TfKerasTensorName(name(), op);
}

}  // namespace ap::keras
