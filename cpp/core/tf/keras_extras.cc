#include "keras_extras.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "../keras/einsum.h"
#include "../keras/keras_tensor.h"
#include "../keras/layer_registry.h"
#include "../numpy/ndarray.h"
#include "../ops/ops.h"
#include "../random.h"
#include "convert.h"

namespace ap::tf {

namespace {

// The versions the oracle reports (tests/oracle/real_tf.py versions()).
constexpr char kTensorFlowVersion[] = "2.21.0";
constexpr char kKeras3Version[] = "3.15.1";

using Args = const BoundArgs&;
using Fn = NativeFunction::DataBody;

// One function of a module: its name, Python parameters, body and the
// integer the body receives. Tables of these keep the registration (which
// runs for the first verdict) one loop; the bodies load on demand.
struct Entry {
  const char* name;
  const char* params;
  Fn body;
  int64_t data;
};

template <size_t N>
void DefAll(Module& m, const Entry (&entries)[N]) {
  for (const Entry& e : entries) {
    m.Set(e.name,
          Value::FromObject(std::make_shared<NativeFunction>(
              m.name() + "." + e.name, ParseParams(e.params), e.body, e.data)));
  }
}

Value T(Tensor t) { return Value::FromTensor(std::move(t)); }

// backend.get_keras_mask: getattr(x, "_keras_mask", None). Not a
// NativeFunction, which refuses KerasTensors: it reads their masks.
class GetKerasMask : public Callable {
 public:
  std::string TypeName() const override { return "function"; }
  std::string Repr() const override { return "<function get_keras_mask>"; }
  Value Call(RunContext&, const CallArgs& args) override {
    static const std::vector<Param> params = ParseParams("x");
    const BoundArgs a = BindArguments("get_keras_mask", params, args);
    if (a[0].is_tensor()) {
      const Tensor* mask = a[0].keras_mask();
      return mask ? Value::FromTensor(*mask) : Value::None();
    }
    if (const auto kt = keras::AsKerasTensor(a[0]); kt && kt->mask()) {
      return Value::FromObject(kt->mask());
    }
    return Value::None();
  }
};

// "ab,bc->ac": two operands, an explicit output whose labels are distinct
// and each in an operand, lowercase labels only (what keras/einsum.h
// computes; '...', implicit outputs and other operand counts are not).
bool TwoOperandEquation(const std::string& eq) {
  const size_t comma = eq.find(','), arrow = eq.find("->");
  if (comma == std::string::npos || arrow == std::string::npos ||
      comma > arrow) {
    return false;
  }
  const std::string in = eq.substr(0, arrow), out = eq.substr(arrow + 2);
  bool seen[26] = {}, in_output[26] = {};
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (i == comma) continue;
    if (c < 'a' || c > 'z') return false;
    seen[c - 'a'] = true;
  }
  for (char c : out) {
    if (c < 'a' || c > 'z' || !seen[c - 'a'] || in_output[c - 'a']) {
      return false;
    }
    in_output[c - 'a'] = true;
  }
  return true;
}

// tf.einsum(equation, *inputs) with two float32 operands: tf.einsum's
// checks and texts (keras/einsum.h).
class TfEinsum : public Callable {
 public:
  std::string TypeName() const override { return "function"; }
  std::string Repr() const override { return "<function einsum>"; }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    const ValueList& p = args.positional;
    if (p.size() != 3 || p[0].kind() != Value::Kind::kStr ||
        args.keywords.size() > 1 ||
        (!args.keywords.empty() && args.keywords[0].first != "name")) {
      RaiseNotModelled("this einsum form");
    }
    const Tensor x = ToTensor(p[1]), y = ToTensor(p[2]);
    const std::string& eq = p[0].as_str();
    const bool plain = x.dtype() == DType::kFloat32 &&
                       y.dtype() == DType::kFloat32 && TwoOperandEquation(eq);
    if (!plain) RaiseNotModelled("this einsum form");
    CallEvent event;
    event.kind = "op";
    event.callee = "tf.einsum";
    for (const Tensor* t : {&x, &y}) {
      RoleBinding role;
      role.role = role.arg_path = t == &x ? "x" : "y";
      role.shape = t->shape();
      role.dtype = t->dtype();
      event.inputs.push_back(std::move(role));
    }
    try {
      Tensor out = keras::Einsum(eq, x, y);
      event.outputs.push_back({"output", "", out});
      ctx.Emit(std::move(event));
      return Value::FromTensor(std::move(out));
    } catch (const ErrorException&) {
      event.failed = true;
      ctx.Emit(std::move(event));
      throw;
    }
  }
};

// keras.ops.tril / triu (keras/src/backend/tensorflow/numpy.py, Keras
// 3.15): band_part for k >= 0 (tril) / k <= 0 (triu), else a mask of
// i >= j - k (tril) / i <= j - k (triu).
Tensor Triangle(const Tensor& x, int64_t k, bool lower) {
  if (lower && k >= 0) return ops::BandPart(x, -1, k);
  if (!lower && k <= 0) return ops::BandPart(x, -k, -1);
  if (x.rank() < 2) return ops::BandPart(x, -1, 0);  // MatrixBandPart's error
  const int64_t rows = x.dim(x.rank() - 2), cols = x.dim(x.rank() - 1);
  Tensor mask = Tensor::Zeros(DType::kBool, {rows, cols}, "GreaterEqual");
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < cols; ++j) {
      mask.b8()[i * cols + j] = lower ? i >= j - k : i <= j - k;
    }
  }
  return ops::Where(mask, x, ops::Fill(x.shape(), 0.0, x.dtype()));
}

// numpy's tile: repeats shorter than the rank are padded with 1s in
// front, longer ones add leading axes.
Tensor NumpyTile(const Tensor& x, std::vector<int64_t> repeats) {
  Tensor t = x;
  while (static_cast<size_t>(t.rank()) < repeats.size()) {
    t = ops::ExpandDims(t, 0);
  }
  repeats.insert(repeats.begin(), t.rank() - repeats.size(), 1);
  return ops::Tile(t, repeats);
}

// tf.repeat with one int count: each element `count` times along axis
// (the flattened tensor when axis is None).
Tensor Repeat(const Tensor& x, int64_t count, std::optional<int64_t> axis) {
  Tensor t = axis ? x : ops::Reshape(x, {-1});
  int64_t a = axis.value_or(0);
  if (a < 0) a += t.rank();
  if (a < 0 || a >= t.rank()) {
    RaiseNotModelled("keras.ops.repeat with this axis");
  }
  if (count < 0) RaiseNotModelled("keras.ops.repeat with a negative count");
  std::vector<int64_t> multiples(t.rank() + 1, 1);
  multiples[a + 1] = count;
  const Tensor tiled = ops::Tile(ops::ExpandDims(t, a + 1), multiples);
  std::vector<int64_t> shape(t.shape().begin(), t.shape().end());
  shape[a] *= count;
  return ops::Reshape(tiled, shape);
}

Value TensorList(std::vector<Tensor> parts) {
  ValueList out;
  for (Tensor& t : parts) out.push_back(Value::FromTensor(std::move(t)));
  return Value::List(std::move(out));
}

DType FloatOr(const Value& dtype) {
  return dtype.is_none() ? DType::kFloat32 : ToDType(dtype);
}

Value Tril(RunContext&, Args a, int64_t lower) {
  return T(Triangle(ToTensor(a[0]), ToInt(a[1], "k"), lower != 0));
}

Value Tile(RunContext&, Args a, int64_t) {
  const std::vector<int64_t> repeats = a[1].kind() == Value::Kind::kInt
                                           ? std::vector<int64_t>{a[1].as_int()}
                                           : ToIntList(a[1], "repeats");
  return T(NumpyTile(ToTensor(a[0]), repeats));
}

Value RepeatOp(RunContext&, Args a, int64_t) {
  if (a[1].kind() != Value::Kind::kInt) RaiseNotModelled("list repeats");
  std::optional<int64_t> axis;
  if (!a[2].is_none()) axis = ToInt(a[2], "axis");
  return T(Repeat(ToTensor(a[0]), a[1].as_int(), axis));
}

Value SplitOp(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  const int64_t axis = ToInt(a[2], "axis");
  if (a[1].kind() == Value::Kind::kInt) {
    return TensorList(ops::Split(x, a[1].as_int(), axis));
  }
  // Split points become sizes: [i0, i1 - i0, ..., size - i_last].
  const std::vector<int64_t> points = ToIntList(a[1], "indices_or_sections");
  const int64_t norm = axis < 0 ? axis + x.rank() : axis;
  if (points.empty() || norm < 0 || norm >= x.rank()) {
    RaiseNotModelled("these split points");
  }
  std::vector<int64_t> sizes{points[0]};
  for (size_t i = 1; i < points.size(); ++i) {
    sizes.push_back(points[i] - points[i - 1]);
  }
  sizes.push_back(x.dim(norm) - points.back());
  return TensorList(ops::SplitV(x, sizes, axis));
}

// zeros_like / ones_like (data: the value), full_like (data -1).
Value FillLike(RunContext&, Args a, int64_t value) {
  const Tensor x = ToTensor(a[0]);
  const Value& dtype = a[value < 0 ? 2 : 1];
  return T(ops::Fill(
      x.shape(),
      value < 0 ? ToDouble(a[1], "fill_value") : static_cast<double>(value),
      dtype.is_none() ? x.dtype() : ToDType(dtype)));
}

Value Full(RunContext&, Args a, int64_t) {
  return T(ops::Fill(ToShape(a[0], "keras.ops.full"),
                     ToDouble(a[1], "fill_value"), FloatOr(a[2])));
}

Value EyeOp(RunContext&, Args a, int64_t) {
  const int64_t rows = ToInt(a[0], "N");
  const int64_t cols = a[1].is_none() ? rows : ToInt(a[1], "M");
  const int64_t k = ToInt(a[2], "k");
  if (rows < 0 || cols < 0) RaiseNotModelled("a negative eye size");
  // Ones where j - i == k.
  Tensor eye = ops::Fill({rows, cols}, 0.0, DType::kFloat32);
  for (int64_t r = 0; r < rows; ++r) {
    if (r + k >= 0 && r + k < cols) eye.f32()[r * cols + r + k] = 1.0f;
  }
  const DType dtype = FloatOr(a[3]);
  return T(dtype == DType::kFloat32 ? eye : ops::Cast(eye, dtype));
}

Value EinsumOp(RunContext& ctx, Args a, int64_t) {
  const Tensor x = ToTensor(a[1]), y = ToTensor(a[2]);
  const bool plain =
      a[0].kind() == Value::Kind::kStr && x.dtype() == DType::kFloat32 &&
      y.dtype() == DType::kFloat32 && TwoOperandEquation(a[0].as_str());
  if (!plain) RaiseNotModelled("this einsum form");
  return T(keras::BackendEinsum(ctx.profile, a[0].as_str(), x, y));
}

Value Clip(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  const Tensor lo = ToTensor(a[1], x.dtype()), hi = ToTensor(a[2], x.dtype());
  return T(ops::Binary(ops::BinaryOp::kMinimum,
                       ops::Binary(ops::BinaryOp::kMaximum, x, lo), hi));
}

Value Rsqrt(RunContext&, Args a, int64_t) {
  Tensor x = ToTensor(a[0]);
  if (x.dtype() != DType::kFloat32) x = ops::Cast(x, DType::kFloat32);
  return T(ops::Unary(ops::UnaryOp::kRsqrt, x));
}

Value Take(RunContext&, Args a, int64_t) {
  Tensor x = ToTensor(a[0]);
  const Tensor indices = ToTensor(a[1]);
  if (!IsIntegerDType(indices.dtype())) RaiseNotModelled("float indices");
  if (a[2].is_none()) x = ops::Reshape(x, {-1});
  return T(ops::Gather(x, indices, a[2].is_none() ? 0 : ToInt(a[2], "axis")));
}

std::optional<std::vector<int>> Axes(const Value& v) {
  if (v.is_none()) return std::nullopt;
  std::vector<int> axes;
  for (int64_t a : ToIntList(v, "axis")) axes.push_back(static_cast<int>(a));
  return axes;
}

Tensor Float32(const Value& v) {
  Tensor x = ToTensor(v);
  return x.dtype() == DType::kFloat32 ? x : ops::Cast(x, DType::kFloat32);
}

Tensor Mul(const Tensor& a, const Tensor& b) {
  return ops::Binary(ops::BinaryOp::kMul, a, b);
}

// var (0), std (1) and norm (2) over axis, in float32.
Value Moment(RunContext&, Args a, int64_t which) {
  const Tensor x = Float32(a[0]);
  const std::optional<std::vector<int>> axes = Axes(a[which == 2 ? 2 : 1]);
  const bool keepdims = Truthy(a[which == 2 ? 3 : 2]);
  if (which == 2) {
    if (!a[1].is_none()) RaiseNotModelled("norm with ord=");
    return T(ops::Unary(
        ops::UnaryOp::kSqrt,
        ops::Reduce(ops::ReduceOp::kSum, ops::Unary(ops::UnaryOp::kSquare, x),
                    axes, keepdims)));
  }
  const Tensor mean = ops::Reduce(ops::ReduceOp::kMean, x, axes, true);
  const Tensor sq = ops::Unary(ops::UnaryOp::kSquare,
                               ops::Binary(ops::BinaryOp::kSub, x, mean));
  const Tensor var = ops::Reduce(ops::ReduceOp::kMean, sq, axes, keepdims);
  return T(which == 1 ? ops::Unary(ops::UnaryOp::kSqrt, var) : var);
}

// log_softmax (0), silu (1), gelu (2; approximate=True, Keras' default:
// 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))).
Value Activation(RunContext&, Args a, int64_t which) {
  const Tensor x = Float32(a[0]);
  if (which == 0) {
    // (x - max) - log(sum(exp(x - max))): finite where softmax underflows.
    const std::vector<int> axis{static_cast<int>(ToInt(a[1], "axis"))};
    const Tensor d =
        ops::Binary(ops::BinaryOp::kSub, x,
                    ops::Reduce(ops::ReduceOp::kMax, x, axis, true));
    const Tensor sum = ops::Reduce(
        ops::ReduceOp::kSum, ops::Unary(ops::UnaryOp::kExp, d), axis, true);
    return T(ops::Binary(ops::BinaryOp::kSub, d,
                         ops::Unary(ops::UnaryOp::kLog, sum)));
  }
  if (which == 1) return T(Mul(x, ops::Unary(ops::UnaryOp::kSigmoid, x)));
  if (!Truthy(a[1])) RaiseNotModelled("gelu(approximate=False)");
  const Tensor cube = Mul(Mul(x, x), x);
  const Tensor inner = Mul(ops::Binary(ops::BinaryOp::kAdd, x,
                                       Mul(cube, Tensor::ScalarF32(0.044715f))),
                           Tensor::ScalarF32(0.7978845608f));
  const Tensor one_plus = ops::Binary(ops::BinaryOp::kAdd, Tensor::ScalarF32(1),
                                      ops::Unary(ops::UnaryOp::kTanh, inner));
  return T(Mul(Mul(x, Tensor::ScalarF32(0.5f)), one_plus));
}

// one_hot(x, num_classes): float32 1.0 where the last axis equals x.
Value OneHot(RunContext&, Args a, int64_t) {
  const Tensor x = ToTensor(a[0]);
  const int64_t n = ToInt(a[1], "num_classes");
  if (!IsIntegerDType(x.dtype()) || n < 0 || ToInt(a[2], "axis") != -1 ||
      Truthy(a[4])) {
    RaiseNotModelled("this one_hot call");
  }
  const Tensor classes = ops::Range(0, static_cast<double>(n), 1, x.dtype());
  const Tensor hot =
      ops::Binary(ops::BinaryOp::kEqual, ops::ExpandDims(x, -1), classes);
  return T(ops::Cast(hot, FloatOr(a[3])));
}

// keras.version().
Value Version(RunContext&, Args, int64_t) { return Value::Str(kKeras3Version); }

// ---- keras.random ---------------------------------------------------------

// normal (0), uniform (1), randint (2). An int seed makes the draw
// repeatable (a SeedGenerator is not modelled); the values are the
// playground's, not TensorFlow's.
Value Draw(RunContext& ctx, Args a, int64_t kind) {
  std::optional<Random> local;
  if (!a[4].is_none()) {
    if (a[4].kind() != Value::Kind::kInt) RaiseNotModelled("a SeedGenerator");
    local.emplace(static_cast<uint64_t>(a[4].as_int()));
  }
  Random& rng = local ? *local : ctx.rng;
  const Shape shape = ToShape(a[0], "keras.random");
  const double p1 = ToDouble(a[1], "minval"), p2 = ToDouble(a[2], "maxval");
  if (kind == 0) return T(ops::RandomNormal(shape, p1, p2, rng, FloatOr(a[3])));
  const DType dtype = FloatOr(a[3]);
  if (kind == 2 && !IsIntegerDType(dtype)) RaiseNotModelled("a float randint");
  return T(ops::RandomUniform(shape, p1, p2, dtype, rng));
}

}  // namespace

// keras.ops.convert_to_numpy: the tensor's values as an ndarray (its
// dtype kept).
Value ConvertToNumpy(RunContext&, Args a, int64_t) {
  return np::MakeNdarray(ToTensor(a[0]));
}

void AddMoreKerasOps(Module& kops) {
  static constexpr Entry kEntries[] = {
      {"tril", "x,k=0", Tril, 1},
      {"triu", "x,k=0", Tril, 0},
      {"tile", "x,repeats", Tile, 0},
      {"repeat", "x,repeats,axis=None", RepeatOp, 0},
      {"split", "x,indices_or_sections,axis=0", SplitOp, 0},
      {"zeros_like", "x,dtype=None", FillLike, 0},
      {"ones_like", "x,dtype=None", FillLike, 1},
      {"full_like", "x,fill_value,dtype=None", FillLike, -1},
      {"full", "shape,fill_value,dtype=None", Full, 0},
      {"eye", "N,M=None,k=0,dtype=None", EyeOp, 0},
      {"einsum", "subscripts,x,y", EinsumOp, 0},
      {"clip", "x,x_min,x_max", Clip, 0},
      {"rsqrt", "x", Rsqrt, 0},
      {"take", "x,indices,axis=None", Take, 0},
      {"var", "x,axis=None,keepdims=False", Moment, 0},
      {"std", "x,axis=None,keepdims=False", Moment, 1},
      {"norm", "x,ord=None,axis=None,keepdims=False", Moment, 2},
      {"log_softmax", "x,axis=-1", Activation, 0},
      {"silu", "x", Activation, 1},
      {"gelu", "x,approximate=True", Activation, 2},
      {"one_hot", "x,num_classes,axis=-1,dtype=None,sparse=False", OneHot, 0},
      {"convert_to_numpy", "x", ConvertToNumpy, 0},
  };
  DefAll(kops, kEntries);
}

void AddVersions(Module& tf, Module& keras, Profile profile) {
  tf.Set("__version__", Value::Str(kTensorFlowVersion));
  if (profile == Profile::kTfKeras) {
    // tf.keras is tf_keras.api._v2.keras there: an AttributeError naming
    // that module, which the playground's tf.keras does not reproduce.
    keras.SetUnsupported("__version__",
                         "is absent in tf-keras: use tf.__version__");
    return;
  }
  keras.Set("__version__", Value::Str(kKeras3Version));
  static constexpr Entry kVersion[] = {{"version", "", Version, 0}};
  DefAll(keras, kVersion);
}

void AddTfEinsum(Module& tf) {
  tf.Set("einsum", Value::FromObject(std::make_shared<TfEinsum>()));
}

void AddLayerHints(Module& layers) {
  layers.SetUnsupported("ReLU", "is not modelled: use Activation('relu')");
  const std::string two_d = "is not modelled: the 1-D layers are";
  for (const char* name : {"Conv2D", "MaxPooling2D", "AveragePooling2D",
                           "GlobalAveragePooling2D", "GlobalMaxPooling2D"}) {
    layers.SetUnsupported(name, two_d);
  }
}

namespace {

// keras.layers.concatenate(inputs, axis=-1, **kwargs) and the other merge
// layers' functions: the layer made from the keywords, called on `inputs`
// (keras/src/layers/merging/*.py, Keras 3.15; tf_keras/src/layers/merging/,
// 2.21, where dot's `axes` is required).
class MergeFunction : public Callable {
 public:
  MergeFunction(const char* name, const char* layer, const char* params)
      : name_(name), layer_(layer), params_(ParseParams(params)) {}
  std::string TypeName() const override { return "function"; }
  std::string Repr() const override {
    return "<function " + std::string(name_) + ">";
  }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    const BoundArgs bound = BindArguments(name_, params_, args, true);
    const bool dot = std::string_view(layer_) == "Dot";
    if (dot && ctx.profile == Profile::kTfKeras && !bound.was_given[1]) {
      RaiseTypeError("dot() missing 1 required positional argument: 'axes'");
    }
    CallArgs layer_args;
    for (size_t i = 1; i < params_.size(); ++i) {
      if (bound.was_given[i] || (dot && i == 1)) {
        layer_args.keywords.emplace_back(params_[i].name, bound[i]);
      }
    }
    for (const auto& kw : bound.extra_keywords) {
      layer_args.keywords.push_back(kw);
    }
    const std::shared_ptr<Callable> layer =
        keras::CreateLayer(layer_, ctx, layer_args);
    CallArgs call_args;
    call_args.positional = {bound[0]};
    call_args.positional_sources = {bound.sources[0]};
    if (!args.positional_item_sources.empty()) {
      call_args.positional_item_sources = {args.positional_item_sources[0]};
    }
    return layer->Call(ctx, call_args);
  }

 private:
  const char* name_;
  const char* layer_;
  std::vector<Param> params_;
};

}  // namespace

void AddMergeFunctions(Module& layers) {
  static constexpr const char* kFunctions[][3] = {
      {"add", "Add", "inputs"},
      {"subtract", "Subtract", "inputs"},
      {"multiply", "Multiply", "inputs"},
      {"average", "Average", "inputs"},
      {"maximum", "Maximum", "inputs"},
      {"minimum", "Minimum", "inputs"},
      {"concatenate", "Concatenate", "inputs,axis=-1"},
      {"dot", "Dot", "inputs,axes=-1"},
  };
  for (const auto& f : kFunctions) {
    layers.Set(f[0], Value::FromObject(
                         std::make_shared<MergeFunction>(f[0], f[1], f[2])));
  }
}

std::shared_ptr<Module> MakeKerasRandomModule() {
  auto random = std::make_shared<Module>("keras.random");
  random->SetUnknownIsUnsupported(true);
  static constexpr Entry kEntries[] = {
      {"normal", "shape,mean=0.0,stddev=1.0,dtype=None,seed=None", Draw, 0},
      {"uniform", "shape,minval=0.0,maxval=1.0,dtype=None,seed=None", Draw, 1},
      {"randint", "shape,minval,maxval,dtype='int32',seed=None", Draw, 2},
  };
  DefAll(*random, kEntries);
  return random;
}

std::shared_ptr<Module> MakeKerasSrcModule(const Module& keras) {
  auto src = std::make_shared<Module>("keras.src");
  src->SetUnknownIsUnsupported(true);
  auto backend = std::make_shared<Module>("keras.src.backend");
  backend->SetUnknownIsUnsupported(true);
  backend->Set("get_keras_mask",
               Value::FromObject(std::make_shared<GetKerasMask>()));
  src->Set("backend", Value::FromObject(backend));
  for (const char* name :
       {"layers", "ops", "activations", "losses", "models", "random"}) {
    src->Set(name, *keras.GetAttr(name));
  }
  return src;
}

std::optional<Value> ImportKerasSubmodule(const Module& keras,
                                          std::string_view rest) {
  Value current;
  const Module* module = &keras;
  while (!rest.empty()) {
    const size_t dot = rest.find('.');
    const std::string part(rest.substr(0, dot));
    rest = dot == std::string_view::npos ? "" : rest.substr(dot + 1);
    std::optional<Value> next;
    try {
      next = module->GetAttr(part);
    } catch (const ErrorException&) {  // not modelled: other routes decide
      return std::nullopt;
    }
    if (!next || next->kind() != Value::Kind::kObject) return std::nullopt;
    module = dynamic_cast<const Module*>(next->as_object().get());
    if (!module) return std::nullopt;
    current = *next;
  }
  return current;
}

}  // namespace ap::tf
