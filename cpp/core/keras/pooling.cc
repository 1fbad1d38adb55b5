#include "pooling.h"

#include <cstdint>

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "layer_arguments.h"
#include "symbolic_errors.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

namespace {

void RequireChannelsLast(const Value& data_format, const char* layer) {
  if (!data_format.is_none() && !(data_format.kind() == Value::Kind::kStr &&
                                  data_format.as_str() == "channels_last")) {
    RaiseNotModelled(std::string(layer) +
                     "(data_format=" + ap::Repr(data_format) + ")");
  }
}

}  // namespace

// ---- MaxPooling1D / AveragePooling1D ----------------------------------------

Pooling1DLayer::Pooling1DLayer(RunContext& ctx, const CallArgs& args, bool max)
    : Layer(max ? "MaxPooling1D" : "AveragePooling1D", ""), max_(max) {
  const bool k3 = ctx.profile == Profile::kKeras3;
  const std::string cls = class_name();
  // Keras 3's AveragePooling1D has no default pool_size.
  const std::vector<Param> params =
      ParseParams(k3 && !max ? "pool_size,strides=None,padding='valid',"
                               "data_format=None,name=None"
                             : "pool_size=2,strides=None,padding='valid',"
                               "data_format=None,name=None");
  const BoundArgs bound =
      BindArguments(cls + ".__init__", params, args, /*accept_extra=*/true);
  std::vector<std::pair<std::string, Value>> base_kwargs = bound.extra_keywords;
  if (!bound[4].is_none()) base_kwargs.emplace_back("name", bound[4]);
  const BaseLayerKwargs base = ParseBaseLayerKwargs(ctx, cls, base_kwargs);
  ApplyBaseKwargs(base);
  pool_size_ = StandardizeTuple(ctx.profile, bound[0], 1, "pool_size")[0];
  const Value& strides = bound[1].is_none() ? bound[0] : bound[1];
  strides_ = StandardizeTuple(ctx.profile, strides, 1, "strides",
                              /*allow_zero=*/k3)[0];
  if (strides_ == 0) RaiseNotModelled(cls + "(strides=0)");
  if (pool_size_ > INT32_MAX || strides_ > INT32_MAX) {
    RaiseNotModelled(cls + " windows or strides above 2**31 - 1 steps");
  }
  const Value& padding = bound[2];
  if (padding.kind() != Value::Kind::kStr ||
      (padding.as_str() != "valid" && padding.as_str() != "same")) {
    RaiseNotModelled(cls + "(padding=" + ap::Repr(padding) +
                     ") (modelled: 'valid', 'same')");
  }
  same_ = padding.as_str() == "same";
  RequireChannelsLast(bound[3], cls.c_str());
  input_spec_ = InputSpec{};
  input_spec_->ndim = 3;
  // Keras 3's poolings are built when made; tf-keras builds them at the
  // first call, checking the input spec there (_maybe_build).
  built_ = ctx.profile == Profile::kKeras3;
}

std::optional<Value> Pooling1DLayer::GetAttr(std::string_view name) const {
  if (name == "pool_size") return Value::Tuple({Value::Int(pool_size_)});
  if (name == "strides") return Value::Tuple({Value::Int(strides_)});
  if (name == "padding") return Value::Str(same_ ? "same" : "valid");
  return Layer::GetAttr(name);
}

std::optional<PartialShape> Pooling1DLayer::ComputeOutputShape(
    const PartialShape& input) const {
  if (input.size() != 3) return std::nullopt;
  Dim steps = input[1];
  if (steps.known()) {
    const int64_t out =
        ops::ConvOutputSize(steps.size(), pool_size_, strides_, 1, same_);
    if (!same_ && out <= 0) {
      // The input shape is printed as a NumPy array: "[None 5 3]".
      std::string dims = "[";
      for (size_t i = 0; i < input.size(); ++i) {
        dims +=
            (i ? " " : "") + (input[i].known() ? std::to_string(input[i].size())
                                               : std::string("None"));
      }
      RaiseValueError(
          "Computed output size would be zero or negative. Received: "
          "`inputs.shape=" +
          dims + "]`, `pool_size=[" + std::to_string(pool_size_) +
          "]`, `strides=" + TupleStr({strides_}) + "`, `padding=valid`.");
    }
    steps = out;
  }
  return PartialShape{input[0], steps, input[2]};
}

Value Pooling1DLayer::ComputeOutputSpec(RunContext& ctx,
                                        const LayerCall& call) {
  return WithSymbolicCallFrame(ctx.profile, *this, call, [&] {
    return Layer::ComputeOutputSpec(ctx, call);
  });
}

std::vector<Param> Pooling1DLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

Value Pooling1DLayer::CallBody(RunContext&, LayerCall& call) {
  const Tensor& x = call[0].as_tensor();
  call.AddInputRole(x, "batch,steps,channels");
  const Tensor y = ops::Pool1D(x, pool_size_, strides_, same_, max_);
  call.event.outputs.push_back({"output", "batch,steps,channels", y});
  return Value::FromTensor(y);
}

// ---- GlobalAveragePooling1D / GlobalMaxPooling1D ----------------------------

GlobalPooling1DLayer::GlobalPooling1DLayer(RunContext& ctx,
                                           const CallArgs& args, bool max)
    : Layer(max ? "GlobalMaxPooling1D" : "GlobalAveragePooling1D", ""),
      max_(max) {
  const std::string cls = class_name();
  const BoundArgs bound =
      BindArguments(cls + ".__init__", ParseParams("data_format=None"), args,
                    /*accept_extra=*/true);
  // keepdims travels in **kwargs in both frameworks' signatures.
  std::vector<std::pair<std::string, Value>> base_kwargs;
  for (const auto& kw : bound.extra_keywords) {
    if (kw.first == "keepdims") {
      keepdims_ = Truthy(kw.second);
      continue;
    }
    base_kwargs.push_back(kw);
  }
  const BaseLayerKwargs base = ParseBaseLayerKwargs(ctx, cls, base_kwargs);
  ApplyBaseKwargs(base);
  channels_first_ = bound[0].kind() == Value::Kind::kStr &&
                    bound[0].as_str() == "channels_first";
  if (!channels_first_) RequireChannelsLast(bound[0], cls.c_str());
  input_spec_ = InputSpec{};
  input_spec_->ndim = 3;
  built_ = ctx.profile == Profile::kKeras3;  // (as the poolings above)
}

std::optional<Value> GlobalPooling1DLayer::GetAttr(
    std::string_view name) const {
  if (name == "keepdims") return Value::Bool(keepdims_);
  return Layer::GetAttr(name);
}

std::optional<PartialShape> GlobalPooling1DLayer::ComputeOutputShape(
    const PartialShape& input) const {
  if (input.size() != 3) return std::nullopt;
  const Dim channels = channels_first_ ? input[1] : input[2];
  if (keepdims_) {
    return channels_first_ ? PartialShape{input[0], Dim(channels), Dim(1)}
                           : PartialShape{input[0], Dim(1), Dim(channels)};
  }
  return PartialShape{input[0], Dim(channels)};
}

std::vector<Param> GlobalPooling1DLayer::CallParams(Profile) const {
  return ParseParams(max_ ? "inputs" : "inputs,mask=None");
}

void GlobalPooling1DLayer::CheckCall(RunContext&, LayerCall& call) {
  if (max_ || call[1].is_none()) return;
  if (!call[1].is_tensor() && !AsKerasTensor(call[1])) {
    RaiseNotModelled("a GlobalAveragePooling1D mask that is not a tensor");
  }
  if (DTypeOfTensorLike(call[0]) != DType::kFloat32) {
    RaiseNotModelled("a masked GlobalAveragePooling1D of a non-float32 input");
  }
}

Value GlobalPooling1DLayer::CallBody(RunContext& ctx, LayerCall& call) {
  Tensor x = call[0].as_tensor();
  call.AddInputRole(
      x, channels_first_ ? "batch,channels,steps" : "batch,steps,channels");
  // keras/src/layers/pooling/global_average_pooling1d.py (Keras 3.15): the
  // steps are axis 2 in channels_first, and the mask gains axis 1 there.
  const std::vector<int> steps_axis = {channels_first_ ? 2 : 1};
  Tensor y;
  if (max_) {
    y = ops::Reduce(ops::ReduceOp::kMax, x, steps_axis, keepdims_);
  } else if (call[1].is_none()) {
    // Keras 3's ops.mean averages an integer input as float32; tf_keras'
    // reduce_mean keeps the dtype.
    if (ctx.profile == Profile::kKeras3 && x.dtype() != DType::kFloat32) {
      x = ops::Cast(x, DType::kFloat32);
    }
    y = ops::Reduce(ops::ReduceOp::kMean, x, steps_axis, keepdims_);
  } else {
    // Both frameworks: sum of the unmasked steps / their count (a row with
    // none gives 0 / 0 = nan).
    const Tensor mask = ops::ExpandDims(AsBoolMask(call[1].as_tensor()),
                                        channels_first_ ? 1 : 2);
    const Tensor kept = ops::Where(mask, x, Tensor::ScalarF32(0.0f));
    const Tensor count =
        ops::Reduce(ops::ReduceOp::kSum, ops::Cast(mask, DType::kFloat32),
                    steps_axis, keepdims_);
    y = ops::Binary(
        ops::BinaryOp::kDiv,
        ops::Reduce(ops::ReduceOp::kSum, kept, steps_axis, keepdims_), count);
    call.event.notes.push_back(
        "GlobalAveragePooling1D averages only the steps the mask keeps.");
  }
  call.event.outputs.push_back({"output",
                                !keepdims_        ? "batch,channels"
                                : channels_first_ ? "batch,channels,1"
                                                  : "batch,1,channels",
                                y});
  return Value::FromTensor(y);
}

Value GlobalPooling1DLayer::ComputeMask(RunContext&, const Value&,
                                        const Value&) const {
  return Value::None();
}

// Probed over pool sizes, strides, padding and unknown steps
// (tf_keras/src/layers/pooling/base_pooling1d.py, 2.21): the input is
// expanded to 2-D, pooled and squeezed back.
std::string Pooling1DLayer::TfKerasNodeName(const LayerCall& call,
                                            size_t index) const {
  if (index != 0 || TfKerasRankOf(call, 0) != 3) return "";
  return TfKerasTensorName(name(), "Squeeze");
}

// Probed with keepdims, data_format and masks
// (tf_keras/src/layers/pooling/global_{average,max}_pooling1d.py, 2.21):
// a masked average divides the masked sum by the mask's count.
std::string GlobalPooling1DLayer::TfKerasNodeName(const LayerCall& call,
                                                  size_t index) const {
  if (index != 0 || TfKerasRankOf(call, 0) != 3) return "";
  if (max_) return TfKerasTensorName(name(), "Max");
  return TfKerasTensorName(
      name(), TfKerasAnyMask(TfKerasCallMask(call)) ? "truediv" : "Mean");
}

}  // namespace ap::keras
