#include "embedding.h"

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "keras_tensor.h"
#include "symbolic_ops.h"
#include "tf_keras_node_names.h"
#include "weight_initializers.h"

namespace ap::keras {

namespace {

// Python's type(v).__name__ for the values a dimension argument can be.
std::string ShortTypeName(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kInt:
      return "int";
    case Value::Kind::kFloat:
      return "float";
    case Value::Kind::kBool:
      return "bool";
    case Value::Kind::kStr:
      return "str";
    case Value::Kind::kNone:
      return "NoneType";
    case Value::Kind::kList:
      return "list";
    case Value::Kind::kTuple:
      return "tuple";
    default:
      RaiseNotModelled("an Embedding dimension of type " + PyTypeName(v));
  }
}

// Keras 3: "`input_dim` must be a positive integer. Received: input_dim=0
// (of type int)." (embedding.py, Keras 3.15).
void CheckDimK3(const Value& v, const char* what) {
  if (v.kind() == Value::Kind::kInt && v.as_int() > 0) return;
  RaiseValueError(std::string("`") + what +
                  "` must be a positive integer. Received: " + what + "=" +
                  ap::Str(v) + " (of type " + ShortTypeName(v) + ").");
}

}  // namespace

EmbeddingLayer::EmbeddingLayer(RunContext& ctx, const CallArgs& args)
    : Layer("Embedding", ""), profile_(ctx.profile) {
  const bool k3 = ctx.profile == Profile::kKeras3;
  // Keras 3.15 and tf-keras 2.21 __init__ signatures.
  const std::vector<Param> params = ParseParams(
      k3 ? "input_dim,output_dim,embeddings_initializer='uniform',"
           "embeddings_regularizer=None,embeddings_constraint=None,"
           "mask_zero=False,weights=None,lora_rank=None,lora_alpha=None,"
           "quantization_config=None"
         : "input_dim,output_dim,embeddings_initializer='uniform',"
           "embeddings_regularizer=None,activity_regularizer=None,"
           "embeddings_constraint=None,mask_zero=False,input_length=None,"
           "sparse=False");
  const BoundArgs bound =
      BindArguments("Embedding.__init__", params, args, /*accept_extra=*/true);
  const Value& input_dim = bound[0];
  const Value& output_dim = bound[1];
  if (k3) {
    CheckDimK3(input_dim, "input_dim");
    CheckDimK3(output_dim, "output_dim");
  } else {
    if (input_dim.kind() != Value::Kind::kInt ||
        output_dim.kind() != Value::Kind::kInt) {
      RaiseNotModelled("tf-keras Embedding dimensions that are not ints");
    }
    if (input_dim.as_int() <= 0 || output_dim.as_int() <= 0) {
      RaiseValueError(
          "Both `input_dim` and `output_dim` should be positive, Received "
          "input_dim = " +
          std::to_string(input_dim.as_int()) +
          " and output_dim = " + std::to_string(output_dim.as_int()));
    }
  }
  std::vector<std::pair<std::string, Value>> base_kwargs;
  for (const auto& kw : bound.extra_keywords) {
    // Keras 3 pops input_length (deprecated: a warning) before
    // Layer.__init__.
    if (k3 && kw.first == "input_length") continue;
    base_kwargs.push_back(kw);
  }
  // tf-keras: (input_length,) is the layer's input_shape unless one is
  // given, (None,) without an input_length
  // (tf_keras/src/layers/core/embedding.py, 2.21), so a Sequential it
  // starts is built at once.
  if (!k3) {
    bool has_shape = false;
    for (const auto& kw : base_kwargs) {
      has_shape = has_shape || kw.first == "input_shape" ||
                  kw.first == "batch_input_shape";
    }
    if (!has_shape) {
      base_kwargs.emplace_back(
          "input_shape",
          Value::Tuple({Truthy(bound[7]) ? bound[7] : Value::None()}));
    }
  }
  const BaseLayerKwargs base =
      ParseBaseLayerKwargs(ctx, "Embedding", base_kwargs);
  ApplyBaseKwargs(base);
  input_dim_ = input_dim.as_int();
  output_dim_ = output_dim.as_int();
  initializer_ = InitializerName(bound[2], "embeddings_initializer",
                                 {"uniform", "zeros", "ones"});
  mask_zero_ = Truthy(bound[k3 ? 5 : 6]);
  const std::vector<size_t> unsupported =
      k3 ? std::vector<size_t>{3, 4, 6, 7, 8, 9} : std::vector<size_t>{3, 4, 5};
  for (size_t i : unsupported) {
    if (!bound[i].is_none())
      RaiseNotModelled("Embedding(" + params[i].name + "=...)");
  }
  if (!k3 && Truthy(bound[8])) RaiseNotModelled("Embedding(sparse=True)");
}

std::vector<std::pair<std::string, Tensor>> EmbeddingLayer::Weights() const {
  if (!embeddings_.valid()) return {};
  return {{"embeddings", embeddings_}};
}

std::optional<Value> EmbeddingLayer::GetAttr(std::string_view name) const {
  if (name == "input_dim") return Value::Int(input_dim_);
  if (name == "output_dim") return Value::Int(output_dim_);
  if (name == "mask_zero") return Value::Bool(mask_zero_);
  if (name == "supports_masking") return Value::Bool(mask_zero_);
  if (name == "embeddings") {
    if (embeddings_.valid()) return WeightValue("embeddings", embeddings_);
    // Keras 3's property; tf_keras has no attribute before build.
    if (profile_ == Profile::kKeras3) {
      RaiseText(ErrorClass::kAttributeError,
                "You must build the layer before accessing `embeddings`.");
    }
  }
  return Layer::GetAttr(name);
}

std::optional<PartialShape> EmbeddingLayer::ComputeOutputShape(
    const PartialShape& input) const {
  PartialShape out = input;
  out.push_back(output_dim_);
  return out;
}

std::vector<Param> EmbeddingLayer::CallParams(Profile) const {
  return ParseParams("inputs");
}

void EmbeddingLayer::CheckCall(RunContext&, LayerCall& call) {
  InputShape(call);
  const std::optional<DType> dtype = DTypeOfTensorLike(call[0]);
  if (dtype && *dtype != DType::kInt32 && *dtype != DType::kInt64 &&
      *dtype != DType::kFloat32 && *dtype != DType::kBool) {
    RaiseNotModelled("Embedding inputs of dtype " +
                     std::string(DTypeName(*dtype)));
  }
}

void EmbeddingLayer::Build(RunContext& ctx, const LayerCall&) {
  // build() ignores the input shape: the table is (input_dim, output_dim).
  embeddings_ = InitializeWeight(initializer_, {input_dim_, output_dim_},
                                 ctx.rng, /*uniform_limit=*/0.05);
}

Value EmbeddingLayer::CallBody(RunContext& ctx, LayerCall& call) {
  const Tensor& x = call[0].as_tensor();
  call.AddInputRole(x, "batch,T");
  // Both versions cast anything but int32/int64 to int32 (truncation).
  Tensor indices = x.dtype() == DType::kInt32 ? x : ops::Cast(x, DType::kInt32);
  Tensor out;
  if (ctx.profile == Profile::kKeras3) {
    // ops.take's fix_negative_indices: where(i < 0, i + input_dim, i).
    const Tensor negative =
        ops::Binary(ops::BinaryOp::kLess, indices, Tensor::ScalarI32(0));
    const Tensor shifted =
        ops::Binary(ops::BinaryOp::kAdd, indices,
                    Tensor::ScalarI32(static_cast<int32_t>(input_dim_)));
    indices = ops::Where(negative, shifted, indices);
    out = ops::Gather(embeddings_, indices, 0);
  } else {
    try {
      out = ops::Gather(embeddings_, indices, 0);
    } catch (const ErrorException& e) {
      // embedding_lookup reads the variable with ResourceGather, through
      // the fast path (its message ends in " name: ").
      Error error = e.error();
      if (error.op == "GatherV2") {
        error.op = "ResourceGather";
        error.fast_path = true;
      }
      Raise(std::move(error));
    }
  }
  call.event.outputs.push_back({"output", "batch,T,output_dim", out});
  return Value::FromTensor(out);
}

Value EmbeddingLayer::ComputeOutputSpec(RunContext& ctx,
                                        const LayerCall& call) {
  return Value::FromObject(NewKerasTensor(
      ctx, *ComputeOutputShape(InputShape(call)), DType::kFloat32));
}

Value EmbeddingLayer::ComputeMask(RunContext& ctx, const Value& inputs,
                                  const Value&) const {
  if (!mask_zero_) return Value::None();
  if (AsKerasTensor(inputs)) {
    // ops.not_equal on a KerasTensor: a NotEqual operation in the graph
    // ("not_equal" in model.summary() once a layer takes the mask).
    return SymbolicBinaryOperator(ctx, "!=", inputs, Value::Int(0));
  }
  if (!inputs.is_tensor()) return Value::None();
  const Tensor& x = inputs.as_tensor();
  // ops.not_equal(inputs, 0) on the inputs as given (before the cast).
  const Tensor zero = x.dtype() == DType::kFloat32 ? Tensor::ScalarF32(0)
                      : x.dtype() == DType::kBool  ? Tensor::ScalarBool(false)
                      : x.dtype() == DType::kInt64 ? Tensor::ScalarI64(0)
                                                   : Tensor::ScalarI32(0);
  return Value::FromTensor(ops::Binary(ops::BinaryOp::kNotEqual, x, zero));
}

// Probed on int32, int64, float32, bool and rank 1-3 inputs, with and without
// mask_zero (tf_keras/src/layers/core/embedding.py, 2.21: embedding_lookup).
std::string EmbeddingLayer::TfKerasNodeName(const LayerCall& call,
                                            size_t index) const {
  const std::optional<DType> dtype = DTypeOfTensorLike(call[0]);
  if (index != 0 || !dtype ||
      (*dtype != DType::kInt32 && *dtype != DType::kInt64 &&
       *dtype != DType::kFloat32 && *dtype != DType::kBool)) {
    return "";
  }
  return TfKerasTensorName(name(), "embedding_lookup/Identity");
}

}  // namespace ap::keras
