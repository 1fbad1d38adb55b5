#include "keras_utils.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "../numpy/ndarray.h"
#include "../ops/ops.h"
#include "../repr.h"
#include "convert.h"

namespace ap::tf {

namespace {

using Args = const BoundArgs&;
using Fn = NativeFunction::DataBody;

struct Entry {
  const char* name;
  const char* params;
  Fn body;
};

[[noreturn]] void RaiseIndexError(std::string text) {
  RaiseText(ErrorClass::kIndexError, std::move(text));
}

// numpy's reduction of an empty array: np.max([]).
[[noreturn]] void RaiseEmptyMax() {
  RaiseValueError(
      "zero-size array to reduction operation maximum which has no identity");
}

// Python's `type(v)` as printed: <class 'float'>.
std::string PyClassOf(const Value& v) {
  const char* name = "object";
  switch (v.kind()) {
    case Value::Kind::kNone:
      name = "NoneType";
      break;
    case Value::Kind::kBool:
      name = "bool";
      break;
    case Value::Kind::kInt:
      name = "int";
      break;
    case Value::Kind::kFloat:
      name = "float";
      break;
    case Value::Kind::kStr:
      name = "str";
      break;
    case Value::Kind::kList:
      name = "list";
      break;
    case Value::Kind::kTuple:
      name = "tuple";
      break;
    default:
      break;
  }
  return std::string("<class '") + name + "'>";
}

// The elements as float64 (a tensor, so the copy is charged to the run's
// memory budget): the helpers build numpy arrays element by element.
Tensor Elements(const Tensor& t) {
  return t.dtype() == DType::kFloat64 ? t : ops::Cast(t, DType::kFloat64);
}

// A sequence of pad_sequences: `len` values of `data` from `begin`.
struct Row {
  Tensor data;
  int64_t begin = 0, len = 0;
  double operator[](int64_t i) const { return data.f64()[begin + i]; }
};

// np.array(v) of a list, tuple, number, ndarray or tensor.
Tensor AsArray(const Value& v) {
  if (np::IsNdarray(v)) return np::NdarrayTensor(v);
  return ToTensor(v);
}

// ---- to_categorical ---------------------------------------------------------

// np.array(labels, dtype="int64") of one label (truncated toward zero).
int64_t ClassIndex(double v) {
  if (!(std::abs(v) < 1e15)) RaiseNotModelled("class labels this large");
  return static_cast<int64_t>(v);
}
// -----------------------------------------------------------

// keras.utils.to_categorical (keras/src/utils/numerical_utils.py, Keras
// 3.15): a float64 array with one 1 per row at the class index (negative
// indices wrap, as numpy's assignment does); a trailing axis of 1 is
// dropped. tf-keras' (tf_keras/src/utils/np_utils.py) makes float32 or
// `dtype`. A Keras 3 tensor goes through the backend's one_hot instead.
Value ToCategorical(RunContext& ctx, Args a, int64_t) {
  const bool tf_keras = ctx.profile == Profile::kTfKeras;
  const Value& nc = a[1];
  if (!nc.is_none() && nc.kind() != Value::Kind::kInt) {
    RaiseNotModelled("a non-int num_classes");
  }
  if (a[0].is_tensor() && !tf_keras) {
    if (nc.is_none()) {
      RaiseValueError(
          "Attempt to convert a value (None) with an unsupported type "
          "(<class 'NoneType'>) to a Tensor.");
    }
    Tensor x = a[0].as_tensor();
    if (x.rank() > 1 && x.dim(x.rank() - 1) == 1) {
      x = ops::Squeeze(x, {x.rank() - 1});
    }
    if (!IsIntegerDType(x.dtype())) x = ops::Cast(x, DType::kInt32);
    return Value::FromTensor(OneHot(x, nc.as_int()));
  }
  const Tensor x = AsArray(a[0]);
  if (x.dtype() == DType::kBool) RaiseNotModelled("bool class labels");
  Shape shape = x.shape();
  if (shape.size() > 1 && shape.back() == 1) shape.pop_back();
  const Tensor values = Elements(x);
  const int64_t n = values.num_elements();
  int64_t num_classes = nc.is_none() ? 0 : nc.as_int();
  if (num_classes == 0) {  // `if not num_classes`
    if (n == 0) RaiseEmptyMax();
    double max = values.f64()[0];
    for (int64_t i = 0; i < n; ++i) max = std::max(max, values.f64()[i]);
    num_classes = ClassIndex(max) + 1;
  }
  if (num_classes < 0) RaiseValueError("negative dimensions are not allowed");
  DType dtype = tf_keras ? ToDType(a[2]) : DType::kFloat64;
  shape.push_back(num_classes);
  Tensor out =
      Tensor::Zeros(DType::kFloat64, {n, num_classes}, "to_categorical");
  for (int64_t i = 0; i < n; ++i) {
    const int64_t k = ClassIndex(values.f64()[i]);
    if (k >= num_classes || k < -num_classes) {
      RaiseIndexError("index " + std::to_string(k) +
                      " is out of bounds for axis 1 with size " +
                      std::to_string(num_classes));
    }
    out.f64()[i * num_classes + (k < 0 ? k + num_classes : k)] = 1.0;
  }
  out = ops::Reshape(out, std::vector<int64_t>(shape.begin(), shape.end()));
  return np::MakeNdarray(dtype == DType::kFloat64 ? out
                                                  : ops::Cast(out, dtype));
}

// ---- pad_sequences ----------------------------------------------------------

// One sequence's numbers; nullopt for a value without len().
std::optional<Row> SequenceValues(const Value& v) {
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    const int64_t len = static_cast<int64_t>(v.items().size());
    Tensor out = Tensor::Zeros(DType::kFloat64, {len}, "pad_sequences");
    for (int64_t i = 0; i < len; ++i) {
      const Value& item = v.items()[i];
      if (!item.is_number()) {
        RaiseNotModelled("pad_sequences of sequences of non-numbers");
      }
      out.f64()[i] = item.as_number();
    }
    return Row{out, 0, len};
  }
  if (v.is_tensor() || np::IsNdarray(v)) {
    const Tensor t = AsArray(v);
    if (t.rank() != 1) RaiseNotModelled("pad_sequences of nested sequences");
    return Row{Elements(t), 0, t.num_elements()};
  }
  if (v.kind() == Value::Kind::kStr || v.kind() == Value::Kind::kDict) {
    RaiseNotModelled("pad_sequences of this kind of sequence");
  }
  return std::nullopt;
}

std::string DTypeText(const Value& v) {
  return v.kind() == Value::Kind::kStr ? v.as_str() : Str(v);
}

// keras.utils.pad_sequences (keras/src/utils/sequence_utils.py, Keras
// 3.15; tf-keras has the same code): a (samples, maxlen) array of `dtype`
// filled with `value`, each sequence truncated and placed per
// `truncating` / `padding`.
Value PadSequences(RunContext&, Args a, int64_t) {
  const Value& seqs = a[0];
  std::vector<Row> rows;
  if (seqs.is_tensor() || np::IsNdarray(seqs)) {
    const Tensor t = AsArray(seqs);
    if (t.rank() == 0) RaiseValueError("`sequences` must be iterable.");
    if (t.rank() != 2) RaiseNotModelled("pad_sequences of nested sequences");
    const Tensor all = Elements(t);
    for (int64_t r = 0; r < t.dim(0); ++r) {
      rows.push_back(Row{all, r * t.dim(1), t.dim(1)});
    }
  } else if (seqs.kind() == Value::Kind::kList ||
             seqs.kind() == Value::Kind::kTuple) {
    for (const Value& item : seqs.items()) {
      auto values = SequenceValues(item);
      if (!values) {
        RaiseValueError(
            "`sequences` must be a list of iterables. Found non-iterable: " +
            Str(item));
      }
      rows.push_back(std::move(*values));
    }
  } else if (seqs.is_number() || seqs.is_none()) {
    RaiseValueError("`sequences` must be iterable.");
  } else {
    RaiseNotModelled("pad_sequences of this kind of sequences");
  }
  int64_t maxlen = 0;
  if (a[1].is_none()) {
    if (rows.empty()) RaiseEmptyMax();
    for (const auto& r : rows) {
      maxlen = std::max(maxlen, r.len);
    }
  } else {
    maxlen = ToInt(a[1], "maxlen");
  }
  const DType dtype = ToDType(a[2]);
  if (dtype == DType::kBool) RaiseNotModelled("pad_sequences to bool");
  if (a[5].kind() == Value::Kind::kStr) {
    RaiseValueError("`dtype` " + DTypeText(a[2]) +
                    " is not compatible with `value`'s type: <class "
                    "'str'>\nYou should set `dtype=object` for variable "
                    "length strings.");
  }
  if (maxlen < 0) RaiseValueError("negative dimensions are not allowed");
  const double fill = ToDouble(a[5], "value");
  const int64_t n = static_cast<int64_t>(rows.size());
  const bool integer = IsIntegerDType(dtype);
  // np.full(..., dtype=int) and np.asarray(trunc, dtype=int) truncate.
  auto convert = [integer](double v) { return integer ? std::trunc(v) : v; };
  Tensor out = ops::Fill({n, maxlen}, convert(fill), DType::kFloat64);
  for (int64_t i = 0; i < n; ++i) {
    const Row& s = rows[i];
    const int64_t len = s.len;
    if (len == 0) continue;
    // s[-maxlen:] keeps everything when maxlen is 0.
    int64_t begin = 0, end = len;
    const std::string trunc =
        a[4].kind() == Value::Kind::kStr ? a[4].as_str() : "";
    if (trunc == "pre") {
      if (maxlen > 0 && len > maxlen) begin = len - maxlen;
    } else if (trunc == "post") {
      end = std::min(len, maxlen);
    } else {
      RaiseValueError("Truncating type \"" + Str(a[4]) + "\" not understood");
    }
    const int64_t kept = end - begin;
    const std::string pad =
        a[3].kind() == Value::Kind::kStr ? a[3].as_str() : "";
    if (pad != "pre" && pad != "post") {
      RaiseValueError("Padding type \"" + Str(a[3]) + "\" not understood");
    }
    if (kept > maxlen) {
      RaiseValueError("could not broadcast input array from shape (" +
                      std::to_string(kept) + ",) into shape (" +
                      std::to_string(maxlen) + ",)");
    }
    const int64_t offset = pad == "post" ? 0 : maxlen - kept;
    for (int64_t j = 0; j < kept; ++j) {
      out.f64()[i * maxlen + offset + j] = convert(s[begin + j]);
    }
  }
  return np::MakeNdarray(dtype == DType::kFloat64 ? out
                                                  : ops::Cast(out, dtype));
}

// ---- normalize
// ----------------------------------------------------------------

// keras.utils.normalize: an ndarray is divided by its `order`-norm along
// `axis` (numpy; a zero norm counts as 1); anything else goes through
// keras.ops.normalize under Keras 3 (x * min(rsqrt(sum(x**2)), 1/eps)).
Value Normalize(RunContext& ctx, Args a, int64_t) {
  const int64_t axis = ToInt(a[1], "axis");
  if (a[2].kind() != Value::Kind::kInt ||
      (a[2].as_int() != 1 && a[2].as_int() != 2)) {
    RaiseNotModelled("normalize with this order (1 and 2 are modelled)");
  }
  const int64_t order = a[2].as_int();
  const bool numpy_path =
      np::IsNdarray(a[0]) ||
      (ctx.profile == Profile::kTfKeras && !a[0].is_tensor());
  if (!numpy_path) {
    const Tensor x = ToTensor(a[0]);
    if (x.dtype() != DType::kFloat32 || order != 2 || x.rank() == 0) {
      RaiseNotModelled("normalize of this tensor (float32, order 2)");
    }
    const Tensor sum =
        ops::Reduce(ops::ReduceOp::kSum, ops::Unary(ops::UnaryOp::kSquare, x),
                    std::vector<int>{static_cast<int>(axis)}, true);
    const Tensor inv = ops::Binary(ops::BinaryOp::kMinimum,
                                   ops::Unary(ops::UnaryOp::kRsqrt, sum),
                                   ops::Fill({}, 1e7, DType::kFloat32));
    return Value::FromTensor(ops::Binary(ops::BinaryOp::kMul, x, inv));
  }
  if (axis == 0) RaiseNotModelled("normalize along axis 0");
  Tensor x = AsArray(a[0]);
  if (x.rank() == 0) RaiseNotModelled("normalize of a scalar");
  if (x.dtype() != DType::kFloat32) x = ops::Cast(x, DType::kFloat64);
  const std::vector<int> axes{static_cast<int>(axis)};
  Tensor norm =
      order == 1 ? ops::Reduce(ops::ReduceOp::kSum,
                               ops::Unary(ops::UnaryOp::kAbs, x), axes, true)
                 : ops::Unary(ops::UnaryOp::kSqrt,
                              ops::Reduce(ops::ReduceOp::kSum,
                                          ops::Unary(ops::UnaryOp::kSquare, x),
                                          axes, true));
  const Tensor zero = ops::Fill({}, 0, norm.dtype());
  norm = ops::Where(ops::Binary(ops::BinaryOp::kEqual, norm, zero),
                    ops::Fill(norm.shape(), 1, norm.dtype()), norm);
  return np::MakeNdarray(ops::Binary(ops::BinaryOp::kDiv, x, norm));
}

// keras.utils.set_random_seed: the run's draws restart from the seed
// (their values are the playground's, not TensorFlow's).
Value SetRandomSeed(RunContext& ctx, Args a, int64_t) {
  if (a[0].kind() != Value::Kind::kInt && a[0].kind() != Value::Kind::kBool) {
    RaiseValueError(
        "Expected `seed` argument to be an integer. Received: seed=" +
        Repr(a[0]) + " (of type " + PyClassOf(a[0]) + ")");
  }
  ctx.rng.Seed(static_cast<uint64_t>(a[0].as_int()));
  return Value::None();
}

template <size_t K>
void DefAll(Module& m, const Entry (&entries)[K]) {
  for (const Entry& e : entries) {
    m.Set(e.name,
          Value::FromObject(std::make_shared<NativeFunction>(
              m.name() + "." + e.name, ParseParams(e.params), e.body, 0)));
  }
}

// The decorator register_keras_serializable returns: it registers the
// class or function for loading saved models (which the playground never
// does) and returns it unchanged; a class needs get_config
// (keras/src/saving/object_registration.py, Keras 3.15; tf-keras alike).
class RegisterDecorator : public Callable {
 public:
  std::string TypeName() const override { return "function"; }
  std::string Repr() const override {
    return "<function register_keras_serializable.<locals>.decorator>";
  }
  Value Call(RunContext&, const CallArgs& args) override {
    const BoundArgs bound =
        BindArguments("decorator", ParseParams("arg"), args);
    const Value& arg = bound[0];
    if (arg.kind() == Value::Kind::kObject &&
        arg.as_object()->TypeName() == "type" &&
        !arg.as_object()->GetAttr("get_config")) {
      RaiseValueError(
          "Cannot register a class that does not have a get_config() "
          "method.");
    }
    return arg;
  }
};

Value RegisterKerasSerializable(RunContext&, Args, int64_t) {
  return Value::FromObject(std::make_shared<RegisterDecorator>());
}

constexpr char kPadParams[] =
    "sequences,maxlen=None,dtype='int32',padding='pre',truncating='pre',"
    "value=0.0";

}  // namespace

void AddKerasUtils(Module& utils, Profile profile) {
  static constexpr Entry kKeras3[] = {
      {"to_categorical", "x,num_classes=None", ToCategorical},
  };
  static constexpr Entry kTfKeras[] = {
      {"to_categorical", "y,num_classes=None,dtype='float32'", ToCategorical},
  };
  static constexpr Entry kCommon[] = {
      {"pad_sequences", kPadParams, PadSequences},
      {"normalize", "x,axis=-1,order=2", Normalize},
      {"set_random_seed", "seed", SetRandomSeed},
      {"register_keras_serializable", "package='Custom',name=None",
       RegisterKerasSerializable},
  };
  if (profile == Profile::kTfKeras) {
    DefAll(utils, kTfKeras);
  } else {
    DefAll(utils, kKeras3);
  }
  DefAll(utils, kCommon);
  for (const char* name : {"plot_model", "model_to_dot"}) {
    utils.SetUnsupported(name,
                         "draws a picture; the playground shows "
                         "model.summary()");
  }
}

Value MakeKerasUtilsModule(Profile profile) {
  auto utils = std::make_shared<Module>(
      profile == Profile::kTfKeras ? "tensorflow.keras.utils" : "keras.utils");
  utils->SetUnknownIsUnsupported(true);
  AddKerasUtils(*utils, profile);
  return Value::FromObject(utils);
}

Value MakeKerasSavingModule(Profile profile) {
  auto saving = std::make_shared<Module>(profile == Profile::kTfKeras
                                             ? "tensorflow.keras.saving"
                                             : "keras.saving");
  saving->SetUnknownIsUnsupported(true);
  static constexpr Entry kSaving[] = {{"register_keras_serializable",
                                       "package='Custom',name=None",
                                       RegisterKerasSerializable}};
  DefAll(*saving, kSaving);
  return Value::FromObject(saving);
}

Value MakePreprocessingModule(Profile profile) {
  const std::string base = profile == Profile::kTfKeras
                               ? "tensorflow.keras.preprocessing"
                               : "keras.preprocessing";
  auto preprocessing = std::make_shared<Module>(base);
  preprocessing->SetUnknownIsUnsupported(true);
  auto sequence = std::make_shared<Module>(base + ".sequence");
  sequence->SetUnknownIsUnsupported(true);
  static constexpr Entry kSequence[] = {
      {"pad_sequences", kPadParams, PadSequences}};
  DefAll(*sequence, kSequence);
  preprocessing->Set("sequence", Value::FromObject(sequence));
  return Value::FromObject(preprocessing);
}

Tensor OneHot(const Tensor& indices, int64_t depth) {
  if (!IsIntegerDType(indices.dtype())) RaiseNotModelled("float indices");
  if (depth < 0) RaiseNotModelled("a negative one_hot depth");
  Shape shape = indices.shape();
  shape.push_back(depth);
  const Tensor idx = ops::Cast(indices, DType::kInt64);
  Tensor out = Tensor::Zeros(DType::kFloat32, shape, "OneHot");
  for (int64_t i = 0; i < idx.num_elements(); ++i) {
    const int64_t k = idx.i64()[i];
    if (k >= 0 && k < depth) out.f32()[i * depth + k] = 1.0f;
  }
  return out;
}

}  // namespace ap::tf
