#include "attention.h"

#include "../ops/ops.h"
#include "../repr.h"
#include "call_stages.h"
#include "common.h"
#include "keras_tensor.h"
#include "messages.h"
#include "native_method.h"
#include "symbolic_ops.h"
#include "tf_keras_node_names.h"

namespace ap::keras {

namespace {

const char* ClassName(bool additive) {
  return additive ? "AdditiveAttention" : "Attention";
}

std::vector<Param> AttentionCallParams(Profile profile) {
  // Keras 3 defaults training to False; tf_keras to None (learning phase).
  return {
      {"inputs", std::nullopt, false},
      {"mask", Value::None(), false},
      {"training",
       profile == Profile::kTfKeras ? Value::None() : Value::Bool(false),
       false},
      {"return_attention_scores", Value::Bool(false), false},
      {"use_causal_mask", Value::Bool(false), false},
  };
}

// The shapes Layer.__call__ hands to build(): map_structure(x.shape, inputs).
Value ShapeStructure(const Value& v) {
  if (const auto shape = ShapeOfTensorLike(v)) return ShapeTuple(*shape);
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    ValueList items;
    for (const Value& item : v.items()) {
      if (!ShapeOfTensorLike(item)) {
        RaiseText(ErrorClass::kAttributeError,
                  "'" + item.TypeName() + "' object has no attribute 'shape'");
      }
      items.push_back(ShapeStructure(item));
    }
    return v.kind() == Value::Kind::kList ? Value::List(std::move(items))
                                          : Value::Tuple(std::move(items));
  }
  RaiseNotModelled("Attention inputs that are neither tensors nor lists");
}

// Causal mask (1, ..., 1, Tq, Tv) of rank `rank` (>= 2): position i may
// attend to j <= i (top-left).
Tensor CausalMask(int64_t tq, int64_t tv, int rank) {
  Shape shape(rank - 2, 1);
  shape.push_back(tq);
  shape.push_back(tv);
  Tensor m = Tensor::Zeros(DType::kBool, shape, "GreaterEqual");
  uint8_t* p = m.b8();
  for (int64_t i = 0; i < tq; ++i) {
    for (int64_t j = 0; j < tv; ++j) p[i * tv + j] = (i >= j) ? 1 : 0;
  }
  return m;
}

// ops.matmul in Keras 3's TF backend (keras/src/backend/tensorflow/numpy.py,
// matmul, Keras 3.15): a rank > 2 operand times a rank-2 one is
// tf.tensordot(x1, x2, axes=[[-1], [0]]): x1 reshaped to (-1, last), a
// rank-2 MatMul (its error shows those shapes), reshaped back. Otherwise
// tf.matmul, which broadcasts batch dims.
Tensor Keras3MatMul(const Tensor& a, const Tensor& b) {
  if (a.rank() <= 2 || b.rank() != 2) return ops::MatMul(a, b);
  int64_t free = 1;
  for (int i = 0; i + 1 < a.rank(); ++i) free *= a.dim(i);
  const Tensor product =
      ops::MatMul(ops::Reshape(a, {free, a.shape().back()}), b);
  std::vector<int64_t> out(a.shape().begin(), a.shape().end() - 1);
  out.push_back(b.dim(1));
  return ops::Reshape(product, out);
}

// A (batch, Tq) mask's axes: "batch,Tq".
std::string MaskAxesNames(int rank, const char* seq) {
  const std::string with_feature = AxesNames(rank + 1, seq, "x");
  return with_feature.substr(0, with_feature.size() - 2);
}

std::string ElementPath(size_t i) {
  return "inputs[" + std::to_string(i) + "]";
}

}  // namespace

AttentionLayer::AttentionLayer(RunContext& ctx, const CallArgs& args,
                               bool additive)
    : Layer(ClassName(additive), ""), additive_(additive) {
  const Profile profile = ctx.profile;
  const bool k3 = profile == Profile::kKeras3;
  std::vector<Param> params;
  if (additive) {
    params = ParseParams("use_scale=True");
    if (k3) params.push_back({"dropout", Value::Float(0.0), false});
  } else {
    params = ParseParams("use_scale=False,score_mode='dot'");
    if (k3) {
      params.push_back({"dropout", Value::Float(0.0), false});
      params.push_back({"seed", Value::None(), false});
    }
  }
  BoundArgs bound =
      BindArguments(std::string(ClassName(additive)) + ".__init__", params,
                    args, /*accept_extra_keywords=*/true);
  Value score_mode = additive ? Value::Str("dot") : bound[1];
  Value dropout = k3 ? bound[additive ? 1 : 2] : Value::Float(0.0);
  // Keyword arguments the attention base class takes before Layer sees them.
  std::vector<std::pair<std::string, Value>> rest;
  for (const auto& kw : bound.extra_keywords) {
    if (kw.first == "dropout" && !k3) {
      dropout = kw.second;  // BaseDenseAttention(dropout=...)
    } else if (kw.first == "causal" && !k3) {
      // tf-keras 2.21 keeps the deprecated flag: every call is causal.
      causal_ = Truthy(kw.second);
    } else if (additive && k3 &&
               (kw.first == "score_mode" || kw.first == "seed")) {
      if (kw.first == "score_mode") score_mode = kw.second;
      if (kw.first == "seed") seed_arg_ = kw.second;
    } else {
      rest.push_back(kw);
    }
  }
  const BaseLayerKwargs base = ParseBaseLayerKwargs(ctx, class_name(), rest);
  ApplyBaseKwargs(base);
  trainable_ = base.trainable;

  use_scale_ = Truthy(bound[0]);
  if (!dropout.is_number()) {
    RaiseNotModelled("a non-numeric `dropout`");
  }
  dropout_ = dropout.as_number();
  dropout_arg_ = dropout;
  if (k3 && !additive) seed_arg_ = bound[3];
  const bool valid_mode =
      score_mode.kind() == Value::Kind::kStr &&
      (score_mode.as_str() == "dot" || score_mode.as_str() == "concat");
  if (!valid_mode)
    RaiseValueError(ScoreModeMessage(profile, ap::Str(score_mode)));
  score_mode_ = score_mode.as_str();
}

std::vector<std::pair<std::string, Tensor>> AttentionLayer::Weights() const {
  std::vector<std::pair<std::string, Tensor>> w;
  if (scale_.valid()) w.emplace_back("scale", scale_);
  if (concat_score_weight_.valid()) {
    w.emplace_back("concat_score_weight", concat_score_weight_);
  }
  return w;
}

Value AttentionLayer::Config(Profile profile) const {
  DictItems items;
  auto put = [&items](const char* key, Value v) {
    items.emplace_back(Value::Str(key), std::move(v));
  };
  put("name", Value::Str(name()));
  put("trainable", Value::Bool(trainable()));
  if (profile == Profile::kKeras3) {
    put("dtype",
        Value::Dict(
            {{Value::Str("module"), Value::Str("keras")},
             {Value::Str("class_name"), Value::Str("DTypePolicy")},
             {Value::Str("config"),
              Value::Dict({{Value::Str("name"), Value::Str("float32")}})},
             {Value::Str("registered_name"), Value::None()}}));
    put("use_scale", Value::Bool(use_scale_));
    if (!additive_) put("score_mode", Value::Str(score_mode_));
    put("dropout", dropout_arg_);
    put("seed", seed_arg_);
  } else {
    put("dtype", Value::Str("float32"));
    put("dropout", dropout_arg_);
    put("use_scale", Value::Bool(use_scale_));
    if (!additive_) put("score_mode", Value::Str(score_mode_));
  }
  return Value::Dict(std::move(items));
}

std::optional<Value> AttentionLayer::GetAttr(std::string_view name) const {
  if (name == "get_config") {
    auto self =
        std::static_pointer_cast<const AttentionLayer>(shared_from_this());
    return Value::FromObject(std::make_shared<NativeMethod>(
        std::const_pointer_cast<AttentionLayer>(self),
        class_name() + ".get_config",
        [self](RunContext& ctx, const CallArgs& args) {
          BindArguments("get_config", {}, args);
          return self->Config(ctx.profile);
        }));
  }
  if (name == "use_scale") return Value::Bool(use_scale_);
  if (name == "dropout") return Value::Float(dropout_);
  if (name == "score_mode" && !additive_) return Value::Str(score_mode_);
  if (name == "scale" && scale_.valid()) return WeightValue("scale", scale_);
  return Layer::GetAttr(name);
}

namespace {
// f"{value}" in Keras' messages: a tensor formats as numpy's str.
// (Out of line: only errors call it.)
__attribute__((noinline)) std::string FormatArg(const Value& v) {
  return v.is_tensor() ? TensorFormat(v.as_tensor()) : ap::Str(v);
}
}  // namespace

void AttentionLayer::ValidateCallInputs(Profile profile, const Value& inputs,
                                        const Value& mask) const {
  const std::string cls = class_name();
  if (inputs.kind() != Value::Kind::kList) {
    // (Keras 3 quotes inputs converted by its call binding already.)
    RaiseValueError(AttentionInputsNotListMessage(
        profile, cls,
        profile == Profile::kTfKeras ? FormatArg(inputs) : ap::Str(inputs)));
  }
  const size_t n = inputs.items().size();
  if (n < 2 || n > 3) RaiseValueError(AttentionInputsLengthMessage(cls, n));
  if (profile == Profile::kKeras3) {
    if (mask.is_none()) return;
    if (mask.kind() != Value::Kind::kList) {
      RaiseValueError(
          AttentionMaskNotListMessage(profile, cls, FormatArg(mask)));
    }
    const size_t m = mask.items().size();
    if (m < 2 || m > 3) {
      RaiseValueError(
          AttentionMaskLengthMessage(cls, ap::Str(inputs), ap::Str(mask)));
    }
    return;
  }
  // tf_keras: `if mask:` — an eager tensor with several elements has no
  // truth value (numpy's error), a one-element tensor uses its value.
  if (mask.is_tensor()) {
    const Tensor& t = mask.as_tensor();
    if (t.num_elements() != 1) {
      RaiseValueError(
          "The truth value of an array with more than one element is "
          "ambiguous. Use a.any() or a.all()");
    }
    if (t.GetAsDouble(0) == 0) return;
  } else if (!Truthy(mask)) {
    return;
  }
  if (mask.kind() != Value::Kind::kList) {
    RaiseValueError(AttentionMaskNotListMessage(profile, cls, FormatArg(mask)));
  }
  const size_t m = mask.items().size();
  if (m < 2 || m > n) {
    RaiseValueError(AttentionMaskLengthTfKerasMessage(cls, m));
  }
}

std::vector<Param> AttentionLayer::CallParams(Profile profile) const {
  return AttentionCallParams(profile);
}

void AttentionLayer::CheckCall(RunContext& ctx, LayerCall& call) {
  // K3's call() defaults training to False when Layer.__call__ passes None.
  if (ctx.profile == Profile::kKeras3 && call[2].is_none()) {
    call.bound.values[2] = Value::Bool(false);
  }
}

void AttentionLayer::Build(RunContext& ctx, const LayerCall& call) {
  const Value& inputs = call[0];
  const bool k3 = ctx.profile == Profile::kKeras3;
  if (k3) {
    // _validate_inputs(input_shape): errors show the shapes and are raised
    // outside call(), so Keras does not wrap them.
    const Value shapes = ShapeStructure(inputs);
    if (shapes.kind() != Value::Kind::kList) {
      RaiseValueError(AttentionInputsNotListMessage(ctx.profile, class_name(),
                                                    ap::Str(shapes)));
    }
    const size_t n = shapes.items().size();
    if (n < 2 || n > 3) {
      RaiseValueError(AttentionInputsLengthMessage(class_name(), n));
    }
  }
  if (additive_) {
    if (use_scale_) {
      // K3: dim = query last dim; tf_keras: value last dim
      // (docs/spec/keras-semantics.md §2).
      const size_t which = k3 ? 0 : 1;
      const std::optional<PartialShape> shape =
          inputs.kind() == Value::Kind::kList && inputs.items().size() > which
              ? ShapeOfTensorLike(inputs.items()[which])
              : std::nullopt;
      if (shape) {
        if (shape->empty()) RaiseNotModelled("rank-0 attention inputs");
        if (!shape->back().known() && !k3) {
          // add_weight(shape=[dim]) with dim None.
          RaiseTypeError(
              "int() argument must be a string, a bytes-like object or a "
              "real number, not 'NoneType'");
        }
        if (!shape->back().known()) {
          RaiseNotModelled("an AdditiveAttention input whose last dim is None");
        }
        scale_ = GlorotUniform({shape->back().size()}, ctx.rng);
      }
    }
  } else {
    if (use_scale_) scale_ = Tensor::ScalarF32(1.0f);
    if (score_mode_ == "concat") concat_score_weight_ = Tensor::ScalarF32(1.0f);
  }
}

Value AttentionLayer::ComputeMask(RunContext& ctx, const Value&,
                                  const Value& previous_mask) const {
  // compute_mask returns convert_to_tensor(mask[0]) when there is one
  // (keras/src/layers/attention/attention.py, Keras 3.15;
  // tf_keras/src/layers/attention/base_dense_attention.py, 2.21). call()
  // has validated the structure already.
  if (previous_mask.kind() != Value::Kind::kList &&
      previous_mask.kind() != Value::Kind::kTuple) {
    return Value::None();
  }
  const ValueList& m = previous_mask.items();
  if (m.empty() || !ShapeOfTensorLike(m[0])) return Value::None();
  if (AsKerasTensor(m[0]) && ctx.profile == Profile::kKeras3) {
    return SymbolicConvertToTensor(ctx, m[0]);
  }
  return m[0];
}

Value AttentionLayer::ComputeOutputSpec(RunContext& ctx,
                                        const LayerCall& call) {
  // compute_output_spec (keras/src/layers/attention/attention.py, Keras
  // 3.15): _validate_inputs, then (*query.shape[:-1], value.shape[-1]) and,
  // with return_attention_scores, (*query.shape[:-1], key.shape[-2]).
  ValidateCallInputs(ctx.profile, call[0], call[call.Index("mask")]);
  const ValueList& inputs = call[0].items();
  const PartialShape query = *ShapeOfTensorLike(inputs[0]);
  const PartialShape value = *ShapeOfTensorLike(inputs[1]);
  const PartialShape key =
      inputs.size() > 2 ? *ShapeOfTensorLike(inputs[2]) : value;
  if (query.empty() || value.empty() || key.size() < 2) {
    RaiseNotModelled("symbolic attention inputs of rank < 2");
  }
  PartialShape out(query.begin(), query.end() - 1);
  out.push_back(value.back());
  const Value output =
      Value::FromObject(NewKerasTensor(ctx, out, DType::kFloat32));
  if (!Truthy(call[call.Index("return_attention_scores")])) return output;
  PartialShape scores(query.begin(), query.end() - 1);
  scores.push_back(key[key.size() - 2]);
  return Value::Tuple({output, Value::FromObject(NewKerasTensor(
                                   ctx, scores, DType::kFloat32))});
}

Value AttentionLayer::CallBody(RunContext& ctx, LayerCall& call) {
  const Profile profile = ctx.profile;
  const bool k3 = profile == Profile::kKeras3;
  const CallArgs& args = call.args;
  const CallMasks& masks = call.masks;
  CallEvent& event = call.event;
  // Whether the program passed a mask: if not, Layer.__call__ filled `mask`
  // from the inputs' Keras masks ([None, ...] when they carry none in K3,
  // left None in tf_keras).
  bool mask_given = args.positional.size() > 1 && !args.positional[1].is_none();
  for (const auto& kw : args.keywords) {
    mask_given |= kw.first == "mask" && !kw.second.is_none();
  }
  const Value& inputs = call[0];
  const Value& mask = call[1];
  const bool training = Truthy(call[2]);
  const bool return_scores = Truthy(call[3]);
  const bool use_causal = Truthy(call[4]) || causal_;

  StageRecorder stages(&event, {"validate", "scores", "mask", "softmax",
                                "output", "query_mask"});
  stages.Start("validate");
  ValidateCallInputs(profile, inputs, mask);
  const ValueList& in = inputs.items();
  for (const Value& v : in) {
    if (!v.is_tensor()) RaiseNotModelled("non-tensor attention inputs");
    if (v.as_tensor().dtype() != DType::kFloat32) {
      RaiseNotModelled("attention inputs that are not float32");
    }
    if (v.as_tensor().rank() < 2) RaiseNotModelled("rank-1 attention inputs");
  }
  const Tensor& q = in[0].as_tensor();
  const Tensor& v = in[1].as_tensor();
  const Tensor& k = in.size() > 2 ? in[2].as_tensor() : v;

  // Which tensor plays which role, with the program's own names.
  const char* roles[] = {"query", "value", "key"};
  const char* seqs[] = {"Tq", "Tv", "Tv"};
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string source = call.ItemSource("inputs", i);
    const Tensor& t = in[i].as_tensor();
    RoleBinding binding = MakeRole(roles[i], ElementPath(i), source,
                                   AxesNames(t.rank(), seqs[i], "dim"), t);
    const std::string suggested = RoleSuggestedByName(source);
    if (!suggested.empty() && suggested != roles[i]) {
      binding.suggested_role = suggested;
      binding.role_note = "`" + source + "` is passed as " + ElementPath(i) +
                          ", which Keras uses as the " + roles[i] +
                          " (the list order is [query, value, key]), not as "
                          "the " +
                          suggested + ".";
      event.notes.push_back(binding.role_note);
    }
    event.inputs.push_back(std::move(binding));
  }
  if (in.size() == 2) {
    event.notes.push_back(
        "No key was given, so inputs[1] serves as both the value and the "
        "key.");
  }
  if (!mask_given && masks.from_inputs) {
    event.notes.push_back(
        "No mask was passed, so Keras used the masks the inputs carry (an "
        "earlier layer attached them to its output): mask=" +
        FormatArgumentValue(mask) + ".");
  } else if (!mask_given && k3) {
    event.notes.push_back(
        "No mask was passed; Keras filled mask=[None] * len(inputs), which "
        "means no masking.");
  }

  // Masks: mask[0] is the query mask, mask[1] the value (= key) mask.
  Tensor q_mask, v_mask;
  if (mask.kind() == Value::Kind::kList && !mask.items().empty()) {
    const ValueList& m = mask.items();
    const char* mask_roles[] = {"query_mask", "value_mask", "unused_mask"};
    for (size_t i = 0; i < m.size() && i < 3; ++i) {
      if (m[i].is_none()) continue;
      if (!m[i].is_tensor()) RaiseNotModelled("masks that are not tensors");
      const Tensor& t = m[i].as_tensor();
      std::string source = call.ItemSource("mask", i);
      if (!mask_given && masks.from_inputs) {
        source = call.ItemSource("inputs", i);
        if (!source.empty()) source += "._keras_mask";
      }
      event.inputs.push_back(
          MakeRole(mask_roles[i], "mask[" + std::to_string(i) + "]", source,
                   MaskAxesNames(t.rank(), i == 0 ? "Tq" : "Tv"), t));
    }
    // K3's ops cast masks to bool; tf_keras multiplies by the query mask
    // cast to float and feeds the value mask to logical_and / logical_not
    // as it is (an int mask fails there).
    auto as_given = [&](const Value& v) {
      return k3 ? AsBoolMask(v.as_tensor()) : v.as_tensor();
    };
    if (m[0].is_tensor()) q_mask = as_given(m[0]);
    if (m.size() > 1 && m[1].is_tensor()) v_mask = as_given(m[1]);
    if (m.size() > 2 && !m[2].is_none()) {
      event.notes.push_back("mask[2] is ignored by Keras.");
    }
    if (q_mask.valid()) {
      event.notes.push_back(
          "The query mask only zeroes output rows where it is False; those "
          "query rows still attend to every key. Key-side padding belongs "
          "in mask[1].");
    }
  }

  stages.Done("validate");

  // ---- 1. scores (batch, Tq, Tv) ----
  stages.Start("scores");
  Tensor scores;
  // Plain dot scores, no mask, no dropout: scores, softmax and weights ·
  // value run as one fused op (the same values, errors and budget).
  const bool fused = !additive_ && score_mode_ != "concat" && !use_scale_ &&
                     !v_mask.valid() && !use_causal &&
                     !(training && dropout_ > 0) &&
                     ops::DotAttentionFuses(q, k, v, /*transpose_k=*/true);
  ops::AttentionTensors fused_out;
  if (additive_ || score_mode_ == "concat") {
    const Tensor q_r = ops::ExpandDims(q, -2);  // (batch, Tq, 1, dim)
    const Tensor k_r = ops::ExpandDims(k, -3);  // (batch, 1, Tv, dim)
    Tensor sum = ops::Binary(ops::BinaryOp::kAdd, q_r, k_r);
    if (additive_) {
      Tensor t = ops::Unary(ops::UnaryOp::kTanh, sum);
      const Tensor scale = use_scale_ ? scale_ : Tensor::ScalarF32(1.0f);
      t = ops::Binary(ops::BinaryOp::kMul, scale, t);
      scores = ops::Reduce(ops::ReduceOp::kSum, t, std::vector<int>{-1}, false);
    } else {
      if (use_scale_) sum = ops::Binary(ops::BinaryOp::kMul, scale_, sum);
      Tensor t = ops::Unary(ops::UnaryOp::kTanh, sum);
      t = ops::Reduce(ops::ReduceOp::kSum, t, std::vector<int>{-1}, false);
      scores = ops::Binary(ops::BinaryOp::kMul, concat_score_weight_, t);
    }
  } else if (k3) {
    // ops.matmul(q, swapaxes(k, -2, -1)): the matmul sees (batch, dim, Tv).
    std::vector<int64_t> perm;
    for (int i = 0; i < k.rank(); ++i) perm.push_back(i);
    std::swap(perm[k.rank() - 1], perm[k.rank() - 2]);
    const Tensor k_t = ops::Transpose(k, perm);
    if (fused) {
      fused_out = ops::DotAttention(q, k_t, v, /*transpose_k=*/false);
      scores = fused_out.scores;
    } else {
      scores = Keras3MatMul(q, k_t);
    }
    if (use_scale_) scores = ops::Binary(ops::BinaryOp::kMul, scores, scale_);
  } else if (fused) {
    fused_out = ops::DotAttention(q, k, v, /*transpose_k=*/true);
    scores = fused_out.scores;
  } else {
    scores = ops::MatMul(q, k, false, /*transpose_b=*/true);
    if (use_scale_) scores = ops::Binary(ops::BinaryOp::kMul, scores, scale_);
  }
  event.intermediates.push_back(
      {"scores", AxesNames(scores.rank(), "Tq", "Tv"), scores});
  stages.Done("scores", scores, AxesNames(scores.rank(), "Tq", "Tv"));

  // ---- 2. score mask: value mask (batch, 1, Tv) AND causal (1, Tq, Tv) ----
  if (v_mask.valid() || use_causal) {
    stages.Start("mask");
    if (v_mask.valid()) stages.AddSource("mask", "value_mask");
    if (use_causal) stages.AddSource("mask", "causal");
  } else {
    stages.Skip("mask");
  }
  Tensor score_mask;
  if (v_mask.valid()) {
    // Keras 3.15 passes the value mask as given and adds the Tq axis in
    // _apply_scores only to a rank-2 one (a (batch, 1, Tv) mask broadcasts
    // as it is); its causal path and tf-keras add it always.
    const bool as_given = k3 && !use_causal && v_mask.rank() != 2;
    score_mask = as_given ? v_mask : ops::ExpandDims(v_mask, -2);
  }
  if (use_causal) {
    // K3 builds (1, Tq, Tv); tf_keras ones_like(shape(scores)[:-2]) +
    // (Tq, Tv), i.e. the scores' rank (base_dense_attention.py, 2.21).
    const Tensor causal =
        CausalMask(scores.dim(scores.rank() - 2), scores.dim(scores.rank() - 1),
                   k3 ? 3 : scores.rank());
    score_mask = score_mask.valid() ? ops::Binary(ops::BinaryOp::kLogicalAnd,
                                                  score_mask, causal)
                                    : causal;
  }

  // ---- 3. padding bias: subtract 1e9 where the score mask is False ----
  if (score_mask.valid()) {
    event.intermediates.push_back(
        {"score_mask", AxesNames(score_mask.rank(), "Tq", "Tv"), score_mask});
    const Tensor padding = ops::Unary(ops::UnaryOp::kLogicalNot, score_mask);
    const Tensor big = Tensor::ScalarF32(1.0e9f);
    if (k3) {
      // >= 3.15: where(~mask, scores - 1e9, scores) (SelectV2).
      const Tensor shifted = ops::Binary(ops::BinaryOp::kSub, scores, big);
      scores = ops::Where(padding, shifted, scores);
    } else {
      // tf_keras: scores -= 1e9 * cast(~mask) (Mul, then Sub).
      const Tensor bias = ops::Binary(ops::BinaryOp::kMul, big,
                                      ops::Cast(padding, DType::kFloat32));
      scores = ops::Binary(ops::BinaryOp::kSub, scores, bias);
    }
    stages.Done("mask", scores, AxesNames(scores.rank(), "Tq", "Tv"));
  }

  // ---- 4. weights = softmax over Tv; 5. dropout when training ----
  stages.Start("softmax");
  Tensor weights = fused ? fused_out.weights : ops::Softmax(scores, -1);
  if (training && dropout_ > 0)
    weights = DropoutValues(weights, dropout_, ctx.rng);
  event.intermediates.push_back(
      {"weights", AxesNames(weights.rank(), "Tq", "Tv"), weights});
  stages.Done("softmax", weights, AxesNames(weights.rank(), "Tq", "Tv"));

  // ---- 6. output = weights @ value: (batch, Tq, value_dim) ----
  stages.Start("output");
  Tensor output = fused ? fused_out.output
                  : k3  ? Keras3MatMul(weights, v)
                        : ops::MatMul(weights, v);
  stages.Done("output", output, AxesNames(output.rank(), "Tq", "dim"));

  // ---- 7. query mask (batch, Tq, 1) zeroes output rows ----
  if (!q_mask.valid()) stages.Skip("query_mask");
  if (q_mask.valid()) {
    stages.Start("query_mask");
    const Tensor qm = ops::ExpandDims(q_mask, -1);
    if (k3) {
      output = ops::Where(qm, output, Tensor::ScalarF32(0.0f));
    } else {
      output = ops::Binary(ops::BinaryOp::kMul, output,
                           ops::Cast(qm, DType::kFloat32));
    }
    stages.Done("query_mask", output, AxesNames(output.rank(), "Tq", "dim"));
  }
  event.outputs.push_back(
      {"output", AxesNames(output.rank(), "Tq", "dim"), output});
  if (return_scores) {
    event.outputs.push_back(
        {"attention_scores", AxesNames(weights.rank(), "Tq", "Tv"), weights});
  }
  if (return_scores) {
    return Value::Tuple(
        {Value::FromTensor(output), Value::FromTensor(weights)});
  }
  return Value::FromTensor(output);
}

// Probed over use_scale, score_mode, both masks, use_causal_mask, dropout
// and training (tf_keras/src/layers/attention/base_dense_attention.py,
// 2.21). The output is weights @ value (MatMul; dot scores are a MatMul
// before it) times the query mask when there is one: a mul numbered after
// the muls before it (the scale, concat's weight, additive's scale, the
// score mask's padding).
std::string AttentionLayer::TfKerasNodeName(const LayerCall& call,
                                            size_t index) const {
  const CallFlag causal = TfKerasCallFlag(call, "use_causal_mask");
  const CallFlag training = TfKerasCallFlag(call, "training");
  if (causal == CallFlag::kOther || training == CallFlag::kOther) return "";
  const Value mask = TfKerasCallMask(call);
  bool query_mask = false, value_mask = false;
  if (mask.kind() == Value::Kind::kList) {
    const ValueList& m = mask.items();
    query_mask = !m.empty() && !m[0].is_none();
    value_mask = m.size() > 1 && !m[1].is_none();
  } else if (!mask.is_none()) {
    return "";
  }
  if (index == 1) {
    if (dropout_ <= 0) return TfKerasTensorName(name(), "Softmax");
    return TfKerasTensorName(
        name(), training == CallFlag::kTrue ? "dropout/SelectV2" : "Identity");
  }
  if (index != 0) return "";
  const bool concat = !additive_ && score_mode_ == "concat";
  if (!query_mask) {
    return TfKerasTensorName(name(),
                             additive_ || concat ? "MatMul" : "MatMul_1");
  }
  int muls = additive_ ? 1 : concat ? 1 + use_scale_ : use_scale_;
  if (value_mask || causal == CallFlag::kTrue || causal_) ++muls;
  return TfKerasTensorName(name(),
                           muls == 0 ? "mul" : "mul_" + std::to_string(muls));
}

}  // namespace ap::keras
