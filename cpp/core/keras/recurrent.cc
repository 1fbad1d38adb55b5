#include "recurrent.h"

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "keras_tensor.h"
#include "tf_keras_node_names.h"
#include "weight_initializers.h"

namespace ap::keras {

namespace {

// Compute units (compute_cost, tensor.h) of one time step's op overhead.
constexpr int64_t kStepOverhead = 6000;

// __init__'s signature per layer and profile (inspect.signature of Keras
// 3.15's and tf-keras 2.21's classes).
std::string InitSignature(RecurrentKind kind, bool k3) {
  const std::string common =
      "kernel_initializer='glorot_uniform',recurrent_initializer='orthogonal',"
      "bias_initializer='zeros',";
  const std::string regularizers =
      "kernel_regularizer=None,recurrent_regularizer=None,"
      "bias_regularizer=None,activity_regularizer=None,kernel_constraint=None,"
      "recurrent_constraint=None,bias_constraint=None,dropout=0.0,"
      "recurrent_dropout=0.0,";
  switch (kind) {
    case RecurrentKind::kSimpleRNN:
      return "units,activation='tanh',use_bias=True," + common + regularizers +
             "return_sequences=False,return_state=False,go_backwards=False,"
             "stateful=False,unroll=False" +
             (k3 ? ",seed=None" : "");
    case RecurrentKind::kLSTM:
      return "units,activation='tanh',recurrent_activation='sigmoid',"
             "use_bias=True," +
             common + "unit_forget_bias=True," + regularizers +
             (k3 ? "seed=None,return_sequences=False,return_state=False,"
                   "go_backwards=False,stateful=False,unroll=False,"
                   "use_cudnn='auto'"
                 : "return_sequences=False,return_state=False,"
                   "go_backwards=False,stateful=False,time_major=False,"
                   "unroll=False");
    case RecurrentKind::kGRU:
      return "units,activation='tanh',recurrent_activation='sigmoid',"
             "use_bias=True," +
             common + regularizers +
             (k3 ? "seed=None,return_sequences=False,return_state=False,"
                   "go_backwards=False,stateful=False,unroll=False,"
                   "reset_after=True,use_cudnn='auto'"
                 : "return_sequences=False,return_state=False,"
                   "go_backwards=False,stateful=False,unroll=False,"
                   "time_major=False,reset_after=True");
  }
  return "";
}

const char* ClassName(RecurrentKind kind) {
  switch (kind) {
    case RecurrentKind::kSimpleRNN:
      return "SimpleRNN";
    case RecurrentKind::kLSTM:
      return "LSTM";
    case RecurrentKind::kGRU:
      return "GRU";
  }
  return "";
}

// An activation by name: 'tanh', 'sigmoid', 'relu', 'linear' or None ("").
std::string ActivationName(const Value& v, const char* what) {
  if (v.is_none()) return "";
  if (v.kind() == Value::Kind::kStr) {
    const std::string& s = v.as_str();
    if (s == "linear") return "";
    if (s == "tanh" || s == "sigmoid" || s == "relu") return s;
  }
  RaiseNotModelled(std::string(what) + "=" + ap::Repr(v) +
                   " (supported: 'tanh', 'sigmoid', 'relu', 'linear', None)");
}

Tensor Activate(const std::string& activation, const Tensor& x) {
  if (activation == "tanh") return ops::Unary(ops::UnaryOp::kTanh, x);
  if (activation == "sigmoid") return ops::Unary(ops::UnaryOp::kSigmoid, x);
  if (activation == "relu") return ops::Unary(ops::UnaryOp::kRelu, x);
  return x;
}

Tensor Add(const Tensor& a, const Tensor& b) {
  return ops::Binary(ops::BinaryOp::kAdd, a, b);
}
Tensor Mul(const Tensor& a, const Tensor& b) {
  return ops::Binary(ops::BinaryOp::kMul, a, b);
}

// x[:, t] of a (batch, time, ...) tensor.
Tensor TimeStep(const Tensor& x, int64_t t) {
  ops::SliceItem all;
  all.kind = ops::SliceItem::Kind::kRange;
  ops::SliceItem at;
  at.index = t;
  return ops::StridedSlice(x, {all, at});
}

}  // namespace

RecurrentLayer::RecurrentLayer(RunContext& ctx, const CallArgs& args,
                               RecurrentKind kind)
    : Layer(ClassName(kind), ""), kind_(kind) {
  const bool k3 = ctx.profile == Profile::kKeras3;
  const std::vector<Param> params = ParseParams(InitSignature(kind, k3));
  const std::string owner = std::string(ClassName(kind)) + ".__init__";
  const BoundArgs bound =
      BindArguments(owner, params, args, /*accept_extra=*/true);
  auto arg = [&](std::string_view name) -> const Value& {
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].name == name) return bound[i];
    }
    static const Value none = Value::None();
    return none;
  };
  // The cell checks units before the layer's Layer.__init__.
  const Value& units = arg("units");
  if (units.kind() != Value::Kind::kInt) {
    RaiseNotModelled(std::string(ClassName(kind)) +
                     " units that are not an int");
  }
  if (units.as_int() <= 0) {
    RaiseValueError(
        "Received an invalid value for argument `units`, expected a positive "
        "integer, got " +
        std::to_string(units.as_int()) + ".");
  }
  units_ = units.as_int();
  std::vector<std::pair<std::string, Value>> base_kwargs;
  for (const auto& kw : bound.extra_keywords) {
    // implementation=1|2 changes the cell's op order, not its results.
    if (kw.first == "implementation") continue;
    base_kwargs.push_back(kw);
  }
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, ClassName(kind), base_kwargs);
  ApplyBaseKwargs(base);

  activation_ = ActivationName(arg("activation"), "activation");
  if (kind != RecurrentKind::kSimpleRNN) {
    recurrent_activation_ =
        ActivationName(arg("recurrent_activation"), "recurrent_activation");
  }
  use_bias_ = Truthy(arg("use_bias"));
  kernel_initializer_ = InitializerName(
      arg("kernel_initializer"), "kernel_initializer",
      {"glorot_uniform", "orthogonal", "uniform", "zeros", "ones"});
  recurrent_initializer_ = InitializerName(
      arg("recurrent_initializer"), "recurrent_initializer",
      {"glorot_uniform", "orthogonal", "uniform", "zeros", "ones"});
  bias_initializer_ = InitializerName(arg("bias_initializer"),
                                      "bias_initializer", {"zeros", "ones"});
  if (kind == RecurrentKind::kLSTM) {
    unit_forget_bias_ = Truthy(arg("unit_forget_bias"));
  }
  if (kind == RecurrentKind::kGRU) reset_after_ = Truthy(arg("reset_after"));
  for (const char* unsupported :
       {"kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "activity_regularizer", "kernel_constraint", "recurrent_constraint",
        "bias_constraint"}) {
    if (!arg(unsupported).is_none()) {
      RaiseNotModelled(std::string(ClassName(kind)) + "(" + unsupported +
                       "=...)");
    }
  }
  for (const char* rate : {"dropout", "recurrent_dropout"}) {
    const Value& v = arg(rate);
    if (!v.is_number() || v.as_number() != 0) {
      RaiseNotModelled(std::string(ClassName(kind)) + "(" + rate +
                       "=...) other than 0");
    }
  }
  for (const char* flag : {"stateful", "unroll", "time_major"}) {
    if (Truthy(arg(flag))) {
      RaiseNotModelled(std::string(ClassName(kind)) + "(" + flag + "=True)");
    }
  }
  const Value& use_cudnn = arg("use_cudnn");
  if (!use_cudnn.is_none() &&
      !(use_cudnn.kind() == Value::Kind::kStr &&
        use_cudnn.as_str() == "auto") &&
      !(use_cudnn.kind() == Value::Kind::kBool && !use_cudnn.as_bool())) {
    RaiseNotModelled(std::string(ClassName(kind)) +
                     "(use_cudnn=" + ap::Repr(use_cudnn) + ")");
  }
  return_sequences_ = Truthy(arg("return_sequences"));
  return_state_ = Truthy(arg("return_state"));
  go_backwards_ = Truthy(arg("go_backwards"));
  input_spec_ = InputSpec{};
  input_spec_->ndim = 3;
}

std::shared_ptr<RecurrentLayer> RecurrentLayer::CopyForBidirectional(
    std::string name, bool backward) const {
  auto copy = std::make_shared<RecurrentLayer>(*this);
  copy->set_name(std::move(name));
  copy->built_ = false;
  copy->kernel_ = Tensor();
  copy->recurrent_kernel_ = Tensor();
  copy->bias_ = Tensor();
  if (backward) copy->go_backwards_ = true;
  copy->zero_output_for_mask_ = return_sequences_;
  return copy;
}

int RecurrentLayer::gates() const {
  switch (kind_) {
    case RecurrentKind::kSimpleRNN:
      return 1;
    case RecurrentKind::kLSTM:
      return 4;
    case RecurrentKind::kGRU:
      return 3;
  }
  return 1;
}

std::string RecurrentLayer::CellClassName() const {
  return std::string(ClassName(kind_)) + "Cell";
}

std::string RecurrentLayer::CellName() const {
  // Keras names the cell it creates explicitly ("lstm_cell").
  return ToSnakeCase(CellClassName());
}

std::vector<std::pair<std::string, Tensor>> RecurrentLayer::Weights() const {
  std::vector<std::pair<std::string, Tensor>> w;
  if (kernel_.valid()) w.emplace_back("kernel", kernel_);
  if (recurrent_kernel_.valid()) {
    w.emplace_back("recurrent_kernel", recurrent_kernel_);
  }
  if (bias_.valid()) w.emplace_back("bias", bias_);
  return w;
}

std::optional<Value> RecurrentLayer::GetAttr(std::string_view name) const {
  if (name == "units") return Value::Int(units_);
  if (name == "use_bias") return Value::Bool(use_bias_);
  if (name == "return_sequences") return Value::Bool(return_sequences_);
  if (name == "return_state") return Value::Bool(return_state_);
  if (name == "go_backwards") return Value::Bool(go_backwards_);
  if (name == "supports_masking") return Value::Bool(true);
  if (kind_ == RecurrentKind::kGRU && name == "reset_after") {
    return Value::Bool(reset_after_);
  }
  return Layer::GetAttr(name);
}

std::optional<PartialShape> RecurrentLayer::ComputeOutputShape(
    const PartialShape& input) const {
  if (input.size() != 3) return std::nullopt;
  if (return_sequences_) return PartialShape{input[0], input[1], units_};
  return PartialShape{input[0], units_};
}

std::vector<Param> RecurrentLayer::CallParams(Profile profile) const {
  return ParseParams(profile == Profile::kKeras3
                         ? "sequences,initial_state=None,mask=None,"
                           "training=False"
                         : "inputs,mask=None,training=None,initial_state=None");
}

void RecurrentLayer::CheckCall(RunContext& ctx, LayerCall& call) {
  const PartialShape shape = InputShape(call);
  if (ctx.profile != Profile::kKeras3 && built_ && shape.size() == 3 &&
      shape[2].known() && shape[2].size() != kernel_.dim(0)) {
    // tf_keras' RNN.build pins the input spec to (None, None, features).
    RaiseValueError("Input 0 of layer \"" + name() +
                    "\" is incompatible with the layer: expected "
                    "shape=(None, None, " +
                    std::to_string(kernel_.dim(0)) +
                    "), found shape=" + ap::Repr(ShapeTuple(shape)));
  }
  const std::optional<DType> dtype = DTypeOfTensorLike(call[0]);
  if (dtype && *dtype != DType::kFloat32 &&
      (ctx.profile != Profile::kKeras3 || *dtype != DType::kInt32)) {
    RaiseNotModelled(std::string(ClassName(kind_)) + " inputs of dtype " +
                     std::string(DTypeName(*dtype)));
  }
  const Value& states = call[call.Index("initial_state")];
  if (states.is_none()) return;
  std::vector<Value> items;
  if (states.kind() == Value::Kind::kList ||
      states.kind() == Value::Kind::kTuple) {
    items = states.items();
  } else {
    items.push_back(states);
  }
  if (items.empty()) RaiseNotModelled("an empty initial_state list");
  for (const Value& s : items) {
    if (!ShapeOfTensorLike(s)) {
      RaiseNotModelled("initial_state items that are not tensors");
    }
    const std::optional<DType> sd = DTypeOfTensorLike(s);
    if (sd && *sd != DType::kFloat32) {
      RaiseNotModelled("initial_state tensors that are not float32");
    }
  }
  if (ctx.profile != Profile::kKeras3 && built_) {
    // tf_keras validates the states against state_size in build() only: a
    // later call with states of (batch, units) runs as the first did (a
    // functional model replayed by predict), others fail elsewhere.
    const std::optional<PartialShape> input = ShapeOfTensorLike(call[0]);
    for (const Value& st : items) {
      const std::optional<PartialShape> shape = ShapeOfTensorLike(st);
      const bool fits = shape && shape->size() == 2 && (*shape)[1].known() &&
                        (*shape)[1].size() == units_ && input &&
                        !input->empty() &&
                        (!(*shape)[0].known() || !(*input)[0].known() ||
                         (*shape)[0].size() == (*input)[0].size());
      if (!fits) {
        RaiseNotModelled(
            "an initial_state on a second call under tf-keras whose states "
            "are not (batch, units)");
      }
    }
  }
}

void RecurrentLayer::BuildForShape(RunContext& ctx, const PartialShape& shape) {
  if (built_) return;
  const int64_t k = gates();
  const Dim features = shape.back();
  if (!features.known() && ctx.profile == Profile::kTfKeras) {
    // The cell's build: int(input_shape[-1]) (tf_keras/src/layers/rnn).
    RaiseTypeError(
        "int() argument must be a string, a bytes-like object or a real "
        "number, not 'NoneType'");
  }
  if (!features.known()) {
    RaiseValueError(
        "Shapes used to initialize variables must be fully-defined (no "
        "`None` dimensions). Received: shape=(None, " +
        std::to_string(k * units_) + ") for variable path='" + name() + "/" +
        CellName() + "/kernel'");
  }
  kernel_ = InitializeWeight(kernel_initializer_, {features.size(), k * units_},
                             ctx.rng);
  recurrent_kernel_ =
      InitializeWeight(recurrent_initializer_, {units_, k * units_}, ctx.rng);
  if (use_bias_) {
    if (kind_ == RecurrentKind::kGRU && reset_after_) {
      bias_ = InitializeWeight(bias_initializer_, {2, k * units_}, ctx.rng);
    } else if (kind_ == RecurrentKind::kLSTM && unit_forget_bias_) {
      // bias_initializer(units), ones(units), bias_initializer(2 * units).
      const Tensor b = InitializeWeight(bias_initializer_, {units_}, ctx.rng);
      const Tensor rest =
          InitializeWeight(bias_initializer_, {2 * units_}, ctx.rng);
      bias_ =
          ops::Concat({b, ops::Fill({units_}, 1.0, DType::kFloat32), rest}, 0);
    } else {
      bias_ = InitializeWeight(bias_initializer_, {k * units_}, ctx.rng);
    }
  }
  built_ = true;
}

void RecurrentLayer::Build(RunContext& ctx, const LayerCall& call) {
  BuildForShape(ctx, InputShape(call));
  if (ctx.profile == Profile::kKeras3) return;
  // tf_keras' RNN.build: _validate_state_spec against cell.state_size
  // (tf_keras/src/layers/rnn/base_rnn.py, 2.21).
  const Value& states = call[call.Index("initial_state")];
  if (states.is_none()) return;
  std::vector<Value> items;
  if (states.kind() == Value::Kind::kList ||
      states.kind() == Value::Kind::kTuple) {
    items = states.items();
  } else {
    items.push_back(states);
  }
  bool compatible = static_cast<int>(items.size()) == state_count();
  std::string specs;
  for (const Value& s : items) {
    const PartialShape ps = *ShapeOfTensorLike(s);
    compatible =
        compatible && ps.size() == 2 && ps[1].known() && ps[1].size() == units_;
    specs += std::string(specs.empty() ? "" : ", ") +
             "InputSpec(shape=" + PartialShapeToPyString(ps) +
             ", ndim=" + std::to_string(ps.size()) + ")";
  }
  if (!compatible) {
    std::string sizes = "[";
    for (int i = 0; i < state_count(); ++i) {
      sizes += (i ? ", " : "") + std::to_string(units_);
    }
    RaiseValueError(
        "An `initial_state` was passed that is not compatible with "
        "`cell.state_size`. Received `state_spec`=ListWrapper([" +
        specs + "]); however `cell.state_size` is " + sizes + "]");
  }
}

std::vector<Tensor> RecurrentLayer::Step(
    const Tensor& x_t, const std::vector<Tensor>& states) const {
  const Tensor& h_tm1 = states[0];
  switch (kind_) {
    case RecurrentKind::kSimpleRNN: {
      // simple_rnn.py SimpleRNNCell.call.
      Tensor h = ops::MatMul(x_t, kernel_);
      if (bias_.valid()) h = Add(h, bias_);
      Tensor output = Add(h, ops::MatMul(h_tm1, recurrent_kernel_));
      return {Activate(activation_, output)};
    }
    case RecurrentKind::kLSTM: {
      // lstm.py LSTMCell.call, implementation 2.
      const Tensor& c_tm1 = states[1];
      Tensor z = ops::MatMul(x_t, kernel_);
      z = Add(z, ops::MatMul(h_tm1, recurrent_kernel_));
      if (bias_.valid()) z = Add(z, bias_);
      const std::vector<Tensor> parts = ops::Split(z, 4, 1);
      const Tensor i = Activate(recurrent_activation_, parts[0]);
      const Tensor f = Activate(recurrent_activation_, parts[1]);
      const Tensor c =
          Add(Mul(f, c_tm1), Mul(i, Activate(activation_, parts[2])));
      const Tensor o = Activate(recurrent_activation_, parts[3]);
      const Tensor h = Mul(o, Activate(activation_, c));
      return {h, c};
    }
    case RecurrentKind::kGRU: {
      // gru.py GRUCell.call, implementation 2.
      Tensor input_bias, recurrent_bias;
      if (bias_.valid()) {
        if (reset_after_) {
          const std::vector<Tensor> rows = ops::Split(bias_, 2, 0);
          input_bias = ops::Squeeze(rows[0], {0});
          recurrent_bias = ops::Squeeze(rows[1], {0});
        } else {
          input_bias = bias_;
        }
      }
      Tensor matrix_x = ops::MatMul(x_t, kernel_);
      if (input_bias.valid()) matrix_x = Add(matrix_x, input_bias);
      const std::vector<Tensor> x_parts = ops::Split(matrix_x, 3, -1);
      std::vector<Tensor> rec;
      if (reset_after_) {
        Tensor matrix_inner = ops::MatMul(h_tm1, recurrent_kernel_);
        if (recurrent_bias.valid()) {
          matrix_inner = Add(matrix_inner, recurrent_bias);
        }
        rec = ops::Split(matrix_inner, 3, -1);
      } else {
        const std::vector<Tensor> kernels =
            ops::SplitV(recurrent_kernel_, {2 * units_, units_}, 1);
        const Tensor matrix_inner = ops::MatMul(h_tm1, kernels[0]);
        rec = ops::SplitV(matrix_inner, {units_, units_}, -1);
        rec.push_back(kernels[1]);
      }
      const Tensor z = Activate(recurrent_activation_, Add(x_parts[0], rec[0]));
      const Tensor r = Activate(recurrent_activation_, Add(x_parts[1], rec[1]));
      const Tensor recurrent_h =
          reset_after_ ? Mul(r, rec[2]) : ops::MatMul(Mul(r, h_tm1), rec[2]);
      const Tensor hh = Activate(activation_, Add(x_parts[2], recurrent_h));
      // h = z * h_tm1 + (1 - z) * hh
      const Tensor one_minus_z =
          ops::Binary(ops::BinaryOp::kSub, Tensor::ScalarF32(1), z);
      return {Add(Mul(z, h_tm1), Mul(one_minus_z, hh))};
    }
  }
  return {};
}

std::vector<Tensor> RecurrentLayer::InitialStates(const LayerCall& call,
                                                  int64_t batch) const {
  const Value& given = call[call.Index("initial_state")];
  std::vector<Tensor> states;
  if (given.is_none()) {
    for (int i = 0; i < state_count(); ++i) {
      states.push_back(ops::Fill({batch, units_}, 0.0, DType::kFloat32));
    }
    return states;
  }
  if (given.kind() == Value::Kind::kList ||
      given.kind() == Value::Kind::kTuple) {
    for (const Value& s : given.items()) states.push_back(s.as_tensor());
  } else {
    states.push_back(given.as_tensor());
  }
  return states;
}

Value RecurrentLayer::CallBody(RunContext& ctx, LayerCall& call) {
  const bool k3 = ctx.profile == Profile::kKeras3;
  Tensor x = call[0].as_tensor();
  call.AddInputRole(x, "batch,T,features");
  if (x.dtype() != DType::kFloat32) x = ops::Cast(x, DType::kFloat32);
  const int64_t batch = x.dim(0), steps = x.dim(1);
  std::vector<Tensor> states = InitialStates(call, batch);
  const size_t given_states = states.size();
  if (k3 && given_states < static_cast<size_t>(state_count())) {
    // LSTMCell.call reads states[1].
    RaiseText(ErrorClass::kIndexError, "list index out of range");
  }
  Tensor mask;
  const Value& mask_arg = call[call.Index("mask")];
  if (mask_arg.is_tensor()) {
    mask = AsBoolMask(mask_arg.as_tensor());
    if (mask.rank() != 2 || mask.dim(0) != batch || mask.dim(1) != steps) {
      RaiseNotModelled("an RNN mask whose shape is not (batch, time)");
    }
  } else if (!mask_arg.is_none()) {
    RaiseNotModelled("an RNN mask that is not a tensor");
  }
  if (steps == 0) RaiseNotModelled("an RNN input with no timesteps");
  std::vector<Tensor> outputs;
  Tensor prev_output;  // zeros before the first step (backend rnn)
  const std::shared_ptr<MemoryBudget> budget = CurrentBudget();
  for (int64_t s = 0; s < steps; ++s) {
    // Each step runs 10-25 small ops; their fixed cost (objects, shapes,
    // dispatch: ~6 us a step natively) is beyond what the ops charge.
    if (budget) budget->ChargeCompute(kStepOverhead, "While");
    const int64_t t = go_backwards_ ? steps - 1 - s : s;
    const Tensor x_t = TimeStep(x, t);
    std::vector<Tensor> new_states;
    try {
      new_states = Step(x_t, states);
    } catch (const ErrorException& e) {
      if (!k3) throw;
      // Keras 3 calls the cell as a layer: its own call frame.
      ValueList state_values;
      for (const Tensor& st : states) {
        state_values.push_back(Value::FromTensor(st));
      }
      const std::string first =
          kind_ == RecurrentKind::kSimpleRNN ? "sequence" : "inputs";
      RethrowInCall(e, ctx.profile, CellClassName(), CellName(),
                    {{first, FormatArgumentValue(Value::FromTensor(x_t))},
                     {"states", FormatArgumentValue(
                                    Value::Tuple(std::move(state_values)))},
                     {"training", "False"}});
    }
    if (k3 && given_states > new_states.size()) {
      // backend rnn packs the new states into the initial states' structure.
      RaiseValueError("Too few leaves for PyTreeSpec; expected: " +
                      std::to_string(given_states) +
                      ", got: " + std::to_string(new_states.size()) + ".");
    }
    Tensor output = new_states[0];
    if (mask.valid()) {
      // A masked step keeps the states and repeats the previous output
      // (zeros with zero_output_for_mask).
      const Tensor keep = ops::ExpandDims(TimeStep(mask, t), -1);
      const Tensor zeros = ops::Fill(output.shape(), 0.0, DType::kFloat32);
      if (!prev_output.valid() || zero_output_for_mask_) prev_output = zeros;
      output = ops::Where(keep, output, prev_output);
      for (size_t i = 0; i < new_states.size(); ++i) {
        new_states[i] = ops::Where(keep, new_states[i], states[i]);
      }
    }
    states = std::move(new_states);
    prev_output = output;
    if (return_sequences_) outputs.push_back(output);
  }
  const Tensor output =
      return_sequences_ ? ops::Stack(outputs, 1) : prev_output;
  call.event.outputs.push_back(
      {"output", return_sequences_ ? "batch,T,units" : "batch,units", output});
  if (!return_state_) return Value::FromTensor(output);
  ValueList items = {Value::FromTensor(output)};
  for (const Tensor& st : states) {
    call.event.outputs.push_back({"state", "batch,units", st});
    items.push_back(Value::FromTensor(st));
  }
  // Keras 3 returns a tuple, tf_keras a list.
  return k3 ? Value::Tuple(std::move(items)) : Value::List(std::move(items));
}

Value RecurrentLayer::ComputeOutputSpec(RunContext& ctx,
                                        const LayerCall& call) {
  const PartialShape input = InputShape(call);
  const Value output = Value::FromObject(
      NewKerasTensor(ctx, *ComputeOutputShape(input), DType::kFloat32));
  if (!return_state_) return output;
  ValueList items = {output};
  for (int i = 0; i < state_count(); ++i) {
    items.push_back(Value::FromObject(
        NewKerasTensor(ctx, PartialShape{input[0], units_}, DType::kFloat32)));
  }
  return Value::Tuple(std::move(items));
}

Value RecurrentLayer::ComputeMask(RunContext&, const Value&,
                                  const Value& previous_mask) const {
  // tree.flatten(mask)[0]: the sequences' mask.
  Value mask = previous_mask;
  while (mask.kind() == Value::Kind::kList ||
         mask.kind() == Value::Kind::kTuple) {
    if (mask.items().empty()) {
      mask = Value::None();
      break;
    }
    mask = mask.items()[0];
  }
  const Value output_mask = return_sequences_ ? mask : Value::None();
  if (!return_state_) return output_mask;
  ValueList items = {output_mask};
  for (int i = 0; i < state_count(); ++i) items.push_back(Value::None());
  return Value::List(std::move(items));
}

// Probed over return_sequences, return_state, masks, initial_state,
// go_backwards, activations and use_bias (tf_keras/src/layers/rnn/
// {lstm,gru}.py, 2.21). An LSTM / GRU that could use cuDNN (tanh, sigmoid,
// a bias, GRU's reset_after) runs as one function call whose outputs are
// (last_output, outputs, *states, runtime); otherwise backend.rnn's while
// loop: its outputs transposed back to batch-major, the last one sliced
// out, the states from the loop (one more loop output with a mask).
std::pair<std::string, int> RecurrentLayer::TfKerasOutput(
    size_t index, bool masked, bool initial_state) const {
  const size_t states = return_state_ ? state_count() : 0;
  if (index > states) return {"", 0};
  const bool cudnn = kind_ != RecurrentKind::kSimpleRNN &&
                     activation_ == "tanh" &&
                     recurrent_activation_ == "sigmoid" && use_bias_ &&
                     (kind_ != RecurrentKind::kGRU || reset_after_);
  if (cudnn) {
    if (index > 0) return {"PartitionedCall", static_cast<int>(index) + 1};
    return {"PartitionedCall", return_sequences_ ? 1 : 0};
  }
  if (index > 0) return {"while", static_cast<int>(index) + 3 + masked};
  if (return_sequences_) return {masked ? "transpose_2" : "transpose_1", 0};
  return {initial_state ? "strided_slice_2" : "strided_slice_3", 0};
}

std::string RecurrentLayer::TfKerasNodeName(const LayerCall& call,
                                            size_t index) const {
  const auto [op, output] =
      TfKerasOutput(index, TfKerasAnyMask(TfKerasCallMask(call)),
                    TfKerasArgumentGiven(call, "initial_state"));
  return TfKerasTensorName(name(), op, output);
}

}  // namespace ap::keras
