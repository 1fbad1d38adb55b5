// tf-keras 2.21 builds a functional model by running each layer's call() in
// a TensorFlow graph on placeholders whose unknown dims are unknown
// (tf_keras/src/engine/base_layer.py, _functional_construction_call and
// _infer_output_signature). The playground runs the layer's eager call on
// stand-ins (stand_ins.h) to meet the errors that call raises and the
// output shapes and dtypes; the layer's shape inference (ComputeOutputSpec)
// stands in only when the stand-ins are too large to run.
#include <algorithm>
#include <optional>
#include <string>

#include "../partial_shape.h"
#include "../python/runtime.h"
#include "attention.h"
#include "dense.h"
#include "keras_tensor.h"
#include "layer.h"
#include "multi_head_attention.h"
#include "stand_ins.h"

namespace ap::keras {

namespace {

// The stand-ins' sizes: the batch small (MultiHeadAttention holds (batch,
// heads, T, T) scores), the other unknown dims large enough for the
// windows of convolutions and pools. An error whose text differs between
// the worlds depends on the unknown dims and is refused.
constexpr int64_t kBatchSizes[2] = {2, 3};
constexpr int64_t kDimSizes[2] = {13, 17};

bool IsResourceError(ErrorClass cls) {
  return cls == ErrorClass::kLimitError ||
         cls == ErrorClass::kResourceExhaustedError;
}

// The refusal of a call whose graph-mode outcome the stand-ins cannot
// tell: `eager` is what the eager call raised.
[[noreturn]] void RefuseGraphError(const std::string& class_name,
                                   const Error& eager) {
  RaiseNotModelled(
      "this call of " + class_name +
      " on keras.Input tensors under tf-keras: tf-keras runs it in a "
      "TensorFlow graph, whose error texts the playground does not model "
      "(on concrete tensors it raises " +
      std::string(ErrorClassName(eager.cls)) + ": " +
      eager.Message().substr(0, 300) +
      "); call the layer on concrete tensors to see that error, or use the "
      "Keras 3 profile");
}

// "Dimensions must be equal" of a graph op's shape function, as TensorFlow
// words it for node `node` (tensorflow/core/framework/shape_inference.cc).
Error DimensionsMustBeEqual(int64_t a, int64_t b, const std::string& node,
                            const std::string& op,
                            const std::vector<PartialShape>& inputs) {
  Error e;
  e.cls = ErrorClass::kValueError;
  e.text = "Dimensions must be equal, but are " + std::to_string(a) + " and " +
           std::to_string(b) + " for '{{node " + node + "}} = " + op +
           "' with input shapes: ";
  for (size_t i = 0; i < inputs.size(); ++i) {
    e.text += (i ? ", " : "") + PartialShapeToGraphString(inputs[i]);
  }
  e.text += ".";
  return e;
}

// The additive scores (AdditiveAttention, Attention's "concat" mode) add
// the query, expanded at -2, to the key, expanded at -3
// (tf_keras/src/layers/attention/additive_attention.py and attention.py,
// _calculate_scores, 2.21). The add's broadcast shape function checks the
// dims from the left (BroadcastBinaryOpOutputShapeFnHelper,
// tensorflow/core/framework/common_shape_fns.cc, TF 2.21).
std::optional<Error> AdditiveScoresError(const std::string& scope,
                                         const PartialShape& query,
                                         const PartialShape& key) {
  PartialShape q = query, k = key;
  q.insert(q.end() - 1, Dim(1));
  k.insert(k.end() - 2, Dim(1));
  const size_t rank = std::max(q.size(), k.size());
  for (size_t i = 0; i < rank; ++i) {
    const size_t pad_q = rank - q.size(), pad_k = rank - k.size();
    if (i < pad_q || i < pad_k) continue;
    const Dim a = q[i - pad_q], b = k[i - pad_k];
    if (!a.known() || !b.known() || a == b || a.Is(1) || b.Is(1)) continue;
    return DimensionsMustBeEqual(a.size(), b.size(), scope + "/add",
                                 "AddV2[T=DT_FLOAT](" + scope +
                                     "/ExpandDims, " + scope + "/ExpandDims_1)",
                                 {q, k});
  }
  return std::nullopt;
}

// The graph-mode text of the op error the call meets in tf-keras' scratch
// graph, where the playground knows it: the first matmul of a dot-product
// Attention (query times key, transposed), the add of additive scores, a
// Dense on rank-2 inputs whose
// features differ from its kernel's. The call's KerasTensors are the
// graph's placeholders, named in the order of its inputs.
std::optional<Error> GraphModeOpError(const Layer& layer,
                                      const LayerCall& call) {
  if (const auto* attention = dynamic_cast<const AttentionLayer*>(&layer)) {
    const Value& inputs = call[0];
    if (inputs.kind() != Value::Kind::kList &&
        inputs.kind() != Value::Kind::kTuple) {
      return std::nullopt;
    }
    const ValueList& items = inputs.items();
    if (items.size() < 2 || items.size() > 3) return std::nullopt;
    const size_t key = items.size() == 3 ? 2 : 1;
    const std::optional<PartialShape> q = ShapeOfTensorLike(items[0]);
    const std::optional<PartialShape> k = ShapeOfTensorLike(items[key]);
    if (!q || !k || q->size() != 3 || k->size() != 3) return std::nullopt;
    if (attention->additive() || attention->score_mode() == "concat") {
      return AdditiveScoresError(layer.name(), *q, *k);
    }
    if (attention->score_mode() != "dot") return std::nullopt;
    const Dim dq = q->back(), dk = k->back();
    const Dim bq = (*q)[0], bk = (*k)[0];
    const bool batches_fit =
        !bq.known() || !bk.known() || bq == bk || bq.Is(1) || bk.Is(1);
    if (!batches_fit || !dq.known() || !dk.known() || dq == dk) {
      return std::nullopt;
    }
    return DimensionsMustBeEqual(
        dq.size(), dk.size(), layer.name() + "/MatMul",
        "BatchMatMulV2[T=DT_FLOAT, adj_x=false, adj_y=true, grad_x=false, "
        "grad_y=false](Placeholder, Placeholder" +
            (key == 1 ? std::string("_1") : std::string("_2")) + ")",
        {*q, *k});
  }
  if (const auto* mha = dynamic_cast<const MultiHeadAttentionLayer*>(&layer)) {
    // Rank 3, attention over the sequence: the scores (batch, heads, Tq,
    // Tk) times the projected value (batch, Tv, heads, value_dim) fail in
    // the combine einsum when the key and the value differ in length.
    const std::optional<PartialShape> q = ShapeOfTensorLike(call[0]);
    const std::optional<PartialShape> v = ShapeOfTensorLike(call[1]);
    const std::optional<PartialShape> k =
        call[2].is_none() ? v : ShapeOfTensorLike(call[2]);
    if (!mha->attends_over_axis_1() || !q || !v || !k || q->size() != 3 ||
        v->size() != 3 || k->size() != 3) {
      return std::nullopt;
    }
    const Dim tk = (*k)[1], tv = (*v)[1];
    const Dim bq = (*q)[0], bk = (*k)[0], bv = (*v)[0];
    const bool same_batch = !bq.known() && !bk.known() && !bv.known();
    if (!same_batch || !tk.known() || !tv.known() || tk == tv) {
      return std::nullopt;
    }
    const std::string scope = layer.name() + "/";
    const std::string value_op = mha->value_dense().bias.valid()
                                     ? scope + "value/add"
                                     : scope + "value/einsum/Einsum";
    return DimensionsMustBeEqual(
        tk.size(), tv.size(), scope + "einsum_1/Einsum",
        "Einsum[N=2, T=DT_FLOAT, equation=\"acbe,aecd->abcd\"](" + scope +
            mha->dropout_name() + "/Identity, " + value_op + ")",
        {PartialShape{Dim(), Dim(mha->num_heads()), (*q)[1], tk},
         PartialShape{Dim(), tv, Dim(mha->num_heads()),
                      Dim(mha->value_dim())}});
  }
  if (const auto* dense = dynamic_cast<const DenseLayer*>(&layer)) {
    const std::optional<PartialShape> x = ShapeOfTensorLike(call[0]);
    const Tensor& kernel = dense->kernel();
    if (!x || x->size() != 2 || !x->back().known() || !kernel.valid() ||
        kernel.rank() != 2 || x->back().size() == kernel.dim(0)) {
      return std::nullopt;
    }
    return DimensionsMustBeEqual(
        x->back().size(), kernel.dim(0), layer.name() + "/MatMul",
        "MatMul[T=DT_FLOAT, grad_a=false, grad_b=false, transpose_a=false, "
        "transpose_b=false](Placeholder, " +
            layer.name() + "/MatMul/ReadVariableOp)",
        {*x, ToPartialShape(kernel.shape())});
  }
  return std::nullopt;
}

}  // namespace

Value Layer::TfKerasSymbolicCall(RunContext& ctx, LayerCall& call) {
  TfKerasGraphChecks(call);
  Value outs[2];
  std::optional<Error> errors[2];
  std::string stdout_of[2];
  bool ran = true;
  {
    StandInRunScope scope(ctx);
    for (int w = 0; w < 2 && ran; ++w) {
      auto stand_in = [&](const Value& v) {
        return StandIn(v, kDimSizes[w], true, kBatchSizes[w]);
      };
      LayerCall world(call.args);
      world.params = call.params;
      world.bound = call.bound;
      for (Value& v : world.bound.values) v = stand_in(v);
      world.masks.inputs = stand_in(call.masks.inputs);
      world.masks.previous_mask = stand_in(call.masks.previous_mask);
      world.masks.from_inputs = call.masks.from_inputs;
      StandInStdout keep(ctx, &stdout_of[w]);
      try {
        outs[w] = CallBody(ctx, world);
      } catch (const ErrorException& e) {
        const ErrorClass cls = e.error().cls;
        if (cls == ErrorClass::kNotSupportedError) throw;
        // Too large to run twice: the shapes come from inference alone.
        if (IsResourceError(cls)) {
          ran = false;
          break;
        }
        errors[w] = e.error();
      }
    }
  }
  // A program's call() prints once, on the graph's placeholders.
  if (!ran && !stdout_of[0].empty()) {
    RaiseNotModelled("what this call() of " + class_name() +
                     " prints on keras.Input tensors this large");
  }
  if (ran && (!stdout_of[0].empty() || !stdout_of[1].empty())) {
    const std::optional<std::string> text =
        MergeStandInTexts(stdout_of[0], stdout_of[1]);
    if (!text) {
      RaiseNotModelled(
          "what this call() of " + class_name() +
          " prints on keras.Input tensors: tf-keras prints its graph "
          "placeholders there; print their .shape, or call the layer on "
          "concrete tensors");
    }
    py::RuntimeOf(ctx).Write(*text);
  }
  if (errors[0] || errors[1]) {
    const Error& e = errors[0] ? *errors[0] : *errors[1];
    // Keras' own checks raise the same text in a graph; TensorFlow's ops
    // raise graph-mode texts (node names, `?` dims) not modelled.
    const bool same = errors[0] && errors[1] &&
                      errors[0]->cls == errors[1]->cls &&
                      errors[0]->Message() == errors[1]->Message();
    if (!same || !e.op.empty() || e.keras_call ||
        e.cls == ErrorClass::kInvalidArgumentError) {
      if (std::optional<Error> graph = GraphModeOpError(*this, call)) {
        throw ErrorException(*graph);
      }
      RefuseGraphError(class_name(), e);
    }
    throw ErrorException(e);
  }
  // Keras 3's shape inference checks what eager ops let pass and graph
  // ops do not (a convolution window longer than the input).
  Value inferred;
  try {
    StandInRunScope scope(ctx);
    inferred = ComputeOutputSpec(ctx, call);
  } catch (const ErrorException& e) {
    // Keras 3's shape inference raised where the graph ran: its text is
    // not tf-keras'.
    if (e.error().cls == ErrorClass::kNotSupportedError) throw;
    RaiseNotModelled("the output shape of " + class_name() +
                     " on these keras.Input tensors under tf-keras (Keras 3 "
                     "raises " +
                     std::string(ErrorClassName(e.error().cls)) + " there)");
  }
  // The graph's shapes and dtypes are those of the ops that ran: a dim the
  // two worlds agree on is known.
  if (!ran) return inferred;
  return MergeStandIns(ctx, outs[0], outs[1], std::nullopt, true, "this call");
}

void Layer::MarkTfKerasOutputs(const LayerCall& call,
                               const Value& outputs) const {
  std::vector<std::shared_ptr<KerasTensor>> flat;
  CollectKerasTensors(outputs, &flat);
  for (size_t i = 0; i < flat.size(); ++i) {
    const auto& kt = flat[i];
    if (!kt->tf_keras())
      kt->SetTfKeras(name(), TfKerasNodeName(call, i), false);
    if (const auto& mask = kt->mask(); mask && !mask->tf_keras()) {
      mask->SetTfKeras("", "", false);
    }
  }
}

}  // namespace ap::keras
