#include "bidirectional.h"

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "keras_tensor.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

namespace {

// ops.flip(x, axis=1).
Tensor FlipTime(const Tensor& x) {
  ops::SliceItem all;
  all.kind = ops::SliceItem::Kind::kRange;
  ops::SliceItem reversed;
  reversed.kind = ops::SliceItem::Kind::kRange;
  reversed.step = -1;
  return ops::StridedSlice(x, {all, reversed});
}

}  // namespace

BidirectionalLayer::BidirectionalLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Bidirectional", "") {
  const std::vector<Param> params =
      ParseParams("layer,merge_mode='concat',weights=None,backward_layer=None");
  const BoundArgs bound = BindArguments("Bidirectional.__init__", params, args,
                                        /*accept_extra=*/true);
  const Value& layer = bound[0];
  const auto as_layer = std::dynamic_pointer_cast<Layer>(layer.as_object());
  if (!as_layer) {
    if (layer.kind() != Value::Kind::kInt &&
        layer.kind() != Value::Kind::kStr &&
        layer.kind() != Value::Kind::kNone &&
        layer.kind() != Value::Kind::kFloat) {
      RaiseNotModelled("Bidirectional of a " + PyTypeName(layer));
    }
    const char* module =
        ctx.profile == Profile::kKeras3 ? "keras.layers" : "tf.keras.layers";
    RaiseValueError(std::string("Please initialize `Bidirectional` layer "
                                "with a `") +
                    module + ".Layer` instance. Received: " + ap::Str(layer));
  }
  const auto rnn = std::dynamic_pointer_cast<RecurrentLayer>(as_layer);
  if (!rnn) {
    RaiseNotModelled("Bidirectional around a " + as_layer->class_name() +
                     " (SimpleRNN, LSTM and GRU are modelled)");
  }
  const Value& mode = bound[1];
  if (mode.is_none()) {
    merge_mode_ = std::nullopt;
  } else if (mode.kind() == Value::Kind::kStr &&
             (mode.as_str() == "sum" || mode.as_str() == "mul" ||
              mode.as_str() == "ave" || mode.as_str() == "concat")) {
    merge_mode_ = mode.as_str();
  } else {
    if (mode.kind() != Value::Kind::kStr && !mode.is_number()) {
      RaiseNotModelled("a Bidirectional merge_mode of type " +
                       PyTypeName(mode));
    }
    RaiseValueError("Invalid merge mode. Received: " + ap::Str(mode) +
                    ". Merge mode should be one of {\"sum\", \"mul\", "
                    "\"ave\", \"concat\", None}");
  }
  if (!bound[2].is_none()) RaiseNotModelled("Bidirectional(weights=...)");
  if (!bound[3].is_none()) {
    RaiseNotModelled("Bidirectional(backward_layer=...)");
  }
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "Bidirectional", bound.extra_keywords);
  ApplyBaseKwargs(base);
  // Copies from the layer's config, named after it.
  const std::string& inner = rnn->name();
  auto strip = [&inner](const std::string& prefix) {
    return inner.rfind(prefix, 0) == 0 ? inner.substr(prefix.size()) : inner;
  };
  forward_ = rnn->CopyForBidirectional("forward_" + strip("forward_"), false);
  backward_ = rnn->CopyForBidirectional("backward_" + strip("backward_"), true);
  if (forward_->go_backwards()) {
    RaiseValueError(
        "Forward layer and backward layer should have different "
        "`go_backwards` value. Received: forward_layer.go_backwards True, "
        "backward_layer.go_backwards=True");
  }
  input_spec_ = InputSpec{};
  input_spec_->ndim = 3;
}

std::vector<std::pair<std::string, Tensor>> BidirectionalLayer::Weights()
    const {
  std::vector<std::pair<std::string, Tensor>> w = forward_->Weights();
  for (auto& item : backward_->Weights()) w.push_back(std::move(item));
  return w;
}

std::optional<Value> BidirectionalLayer::GetAttr(std::string_view name) const {
  if (name == "forward_layer") return Value::FromObject(forward_);
  if (name == "backward_layer") return Value::FromObject(backward_);
  if (name == "merge_mode") {
    return merge_mode_ ? Value::Str(*merge_mode_) : Value::None();
  }
  if (name == "return_sequences") {
    return Value::Bool(forward_->return_sequences());
  }
  if (name == "return_state") return Value::Bool(forward_->return_state());
  return Layer::GetAttr(name);
}

int64_t BidirectionalLayer::MergedUnits() const {
  return merge_mode_ && *merge_mode_ == "concat" ? 2 * forward_->units()
                                                 : forward_->units();
}

std::vector<Param> BidirectionalLayer::CallParams(Profile) const {
  return ParseParams("sequences,initial_state=None,mask=None,training=None");
}

void BidirectionalLayer::CheckCall(RunContext&, LayerCall& call) {
  InputShape(call);
  if (!call[1].is_none()) {
    RaiseNotModelled("Bidirectional(...)(initial_state=...)");
  }
}

Value BidirectionalLayer::CallBody(RunContext& ctx, LayerCall& call) {
  // Each direction through its own __call__, with the call's mask.
  CallArgs sub;
  sub.positional.push_back(call[0]);
  const Value& mask = call[call.Index("mask")];
  if (!mask.is_none()) sub.keywords.emplace_back("mask", mask);
  Value y = forward_->Call(ctx, sub);
  Value y_rev = backward_->Call(ctx, sub);
  ValueList states;
  if (forward_->return_state()) {
    const ValueList fwd = y.items(), bwd = y_rev.items();
    states.insert(states.end(), fwd.begin() + 1, fwd.end());
    states.insert(states.end(), bwd.begin() + 1, bwd.end());
    y = fwd[0];
    y_rev = bwd[0];
  }
  const Tensor a = y.as_tensor();
  Tensor b = y_rev.as_tensor();
  if (forward_->return_sequences()) b = FlipTime(b);
  ValueList outputs;
  if (!merge_mode_) {
    outputs = {Value::FromTensor(a), Value::FromTensor(b)};
  } else {
    Tensor merged;
    const std::string& m = *merge_mode_;
    if (m == "concat") {
      merged = ops::Concat({a, b}, -1);
    } else if (m == "sum") {
      merged = ops::Binary(ops::BinaryOp::kAdd, a, b);
    } else if (m == "mul") {
      merged = ops::Binary(ops::BinaryOp::kMul, a, b);
    } else {
      merged = ops::Binary(ops::BinaryOp::kDiv,
                           ops::Binary(ops::BinaryOp::kAdd, a, b),
                           Tensor::ScalarF32(2));
    }
    call.event.outputs.push_back({"output", "", merged});
    if (states.empty()) return Value::FromTensor(merged);
    outputs = {Value::FromTensor(merged)};
  }
  for (Value& s : states) outputs.push_back(std::move(s));
  // Keras 3 returns tuples, tf_keras lists.
  return ctx.profile == Profile::kKeras3 ? Value::Tuple(std::move(outputs))
                                         : Value::List(std::move(outputs));
}

Value BidirectionalLayer::ComputeOutputSpec(RunContext& ctx,
                                            const LayerCall& call) {
  // Build both directions (Bidirectional.build), then the shapes.
  const PartialShape input = InputShape(call);
  forward_->BuildForShape(ctx, input);
  backward_->BuildForShape(ctx, input);
  const int64_t units = forward_->units();
  auto tensor = [&](int64_t last) {
    PartialShape shape = forward_->return_sequences()
                             ? PartialShape{input[0], input[1], last}
                             : PartialShape{input[0], last};
    return Value::FromObject(NewKerasTensor(ctx, shape, DType::kFloat32));
  };
  ValueList outputs;
  if (merge_mode_) {
    outputs.push_back(tensor(MergedUnits()));
  } else {
    outputs.push_back(tensor(units));
    outputs.push_back(tensor(units));
  }
  if (forward_->return_state()) {
    for (int i = 0; i < 2 * forward_->state_count(); ++i) {
      outputs.push_back(Value::FromObject(
          NewKerasTensor(ctx, PartialShape{input[0], units}, DType::kFloat32)));
    }
  }
  if (outputs.size() == 1) return outputs[0];
  return Value::Tuple(std::move(outputs));
}

Value BidirectionalLayer::ComputeMask(RunContext&, const Value&,
                                      const Value& previous_mask) const {
  Value mask = previous_mask;
  if (mask.kind() == Value::Kind::kList && !mask.items().empty()) {
    mask = mask.items()[0];
  }
  ValueList masks;
  if (forward_->return_sequences()) {
    masks.push_back(mask);
    if (!merge_mode_) masks.push_back(mask);
  } else {
    masks.push_back(Value::None());
    if (!merge_mode_) masks.push_back(Value::None());
  }
  if (forward_->return_state()) {
    for (int i = 0; i < 2 * forward_->state_count(); ++i) {
      masks.push_back(Value::None());
    }
  }
  if (masks.size() == 1) return masks[0];
  return Value::List(std::move(masks));
}

// Probed (tf_keras/src/layers/rnn/bidirectional.py, 2.21): the merge is
// concat, add, mul or truediv (ave); without one, the backward sequences
// are flipped back (ReverseV2). The directions' outputs and states are
// named in their scopes: "bidirectional/forward_lstm/PartitionedCall:2".
std::string BidirectionalLayer::TfKerasNodeName(const LayerCall& call,
                                                size_t index) const {
  const bool masked = TfKerasAnyMask(TfKerasCallMask(call));
  auto direction = [&](const RecurrentLayer& layer, size_t output) {
    const auto op = layer.TfKerasOutput(output, masked, false);
    return TfKerasTensorName(name() + "/" + layer.name(), op.first, op.second);
  };
  size_t outputs = 1;
  if (!merge_mode_) {
    if (index == 0) return direction(*forward_, 0);
    if (index == 1) {
      return forward_->return_sequences()
                 ? TfKerasTensorName(name(), "ReverseV2")
                 : direction(*backward_, 0);
    }
    outputs = 2;
  } else if (index == 0) {
    const std::string& m = *merge_mode_;
    return TfKerasTensorName(name(), m == "concat" ? "concat"
                                     : m == "sum"  ? "add"
                                     : m == "mul"  ? "mul"
                                     : m == "ave"  ? "truediv"
                                                   : "");
  }
  if (!forward_->return_state()) return "";
  const size_t states = forward_->state_count();
  const size_t state = index - outputs;
  if (state >= 2 * states) return "";
  return state < states ? direction(*forward_, 1 + state)
                        : direction(*backward_, 1 + state - states);
}

}  // namespace ap::keras
