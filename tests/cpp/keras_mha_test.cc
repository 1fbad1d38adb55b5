// layers.MultiHeadAttention against Keras 3.15 / tf-keras 2.21
// (docs/spec/keras-semantics.md §3; corpus b06, c10), numerics checked by an
// independent per-head loop.
#include <cmath>

#include "core/keras/multi_head_attention.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace ::ap::keras::testing;

MultiHeadAttentionLayer& Mha(const std::shared_ptr<Callable>& c) {
  return static_cast<MultiHeadAttentionLayer&>(*c);
}

// Straightforward reference: per batch, head, query step and key step.
// Kernels: query/key (dim, heads, key_dim), value (dim, heads, value_dim),
// output (heads, value_dim, out); biases broadcast on the trailing dims.
std::vector<float> ReferenceMha(const MultiHeadAttentionLayer& l,
                                const Tensor& q, const Tensor& v,
                                const Tensor& k,
                                const std::vector<uint8_t>* mask /*B*T*S*/,
                                std::vector<float>* weights_out) {
  const int64_t B = q.dim(0), T = q.dim(1), S = v.dim(1);
  const int64_t H = l.num_heads(), KD = l.key_dim(), VD = l.value_dim();
  const Tensor& wq = l.query_dense().kernel;
  const Tensor& wk = l.key_dense().kernel;
  const Tensor& wv = l.value_dense().kernel;
  const Tensor& wo = l.output_dense().kernel;
  const Tensor& bq = l.query_dense().bias;
  const Tensor& bk = l.key_dense().bias;
  const Tensor& bv = l.value_dense().bias;
  const Tensor& bo = l.output_dense().bias;
  const int64_t dq = q.dim(2), dk = k.dim(2), dv = v.dim(2), E = wo.dim(2);
  auto proj = [](const Tensor& x, int64_t b, int64_t t, int64_t d,
                 const Tensor& w, const Tensor& bias, int64_t h, int64_t j,
                 int64_t heads, int64_t width) {
    double s = bias.valid() ? bias.f32()[h * width + j] : 0.0;
    for (int64_t c = 0; c < d; ++c) {
      s += double(x.f32()[(b * x.dim(1) + t) * d + c]) *
           w.f32()[(c * heads + h) * width + j];
    }
    return s;
  };
  std::vector<float> out(B * T * E, 0.0f);
  if (weights_out) weights_out->assign(B * H * T * S, 0.0f);
  for (int64_t b = 0; b < B; ++b) {
    std::vector<double> ctx(T * H * VD, 0.0);
    for (int64_t h = 0; h < H; ++h) {
      for (int64_t t = 0; t < T; ++t) {
        std::vector<double> logits(S);
        for (int64_t s = 0; s < S; ++s) {
          double dot = 0;
          for (int64_t j = 0; j < KD; ++j) {
            dot += proj(q, b, t, dq, wq, bq, h, j, H, KD) /
                   std::sqrt(double(KD)) *
                   proj(k, b, s, dk, wk, bk, h, j, H, KD);
          }
          logits[s] = dot;
        }
        double mx = -1e300;
        bool any = false;
        for (int64_t s = 0; s < S; ++s) {
          const bool keep = !mask || (*mask)[(b * T + t) * S + s];
          if (keep) mx = std::max(mx, logits[s]), any = true;
        }
        std::vector<double> p(S, 0.0);
        if (any) {
          double z = 0;
          for (int64_t s = 0; s < S; ++s) {
            const bool keep = !mask || (*mask)[(b * T + t) * S + s];
            p[s] = keep ? std::exp(logits[s] - mx) : 0.0;
            z += p[s];
          }
          for (double& x : p) x /= z;
        }
        for (int64_t s = 0; s < S; ++s) {
          if (weights_out) (*weights_out)[((b * H + h) * T + t) * S + s] = p[s];
          for (int64_t j = 0; j < VD; ++j) {
            ctx[(t * H + h) * VD + j] +=
                p[s] * proj(v, b, s, dv, wv, bv, h, j, H, VD);
          }
        }
      }
    }
    for (int64_t t = 0; t < T; ++t) {
      for (int64_t e = 0; e < E; ++e) {
        double s = bo.valid() ? bo.f32()[e] : 0.0;
        for (int64_t h = 0; h < H; ++h) {
          for (int64_t j = 0; j < VD; ++j) {
            s += ctx[(t * H + h) * VD + j] * wo.f32()[(h * VD + j) * E + e];
          }
        }
        out[(b * T + t) * E + e] = static_cast<float>(s);
      }
    }
  }
  return out;
}

// b06: shapes (2,10,16)/(2,20,16), 4 heads of 8 -> (2,10,16), (2,4,10,20).
TEST(KerasMhaTest, B06Shapes) {
  RunContext ctx;
  auto mha =
      MakeLayer(ctx, "MultiHeadAttention", {},
                {{"num_heads", Value::Int(4)}, {"key_dim", Value::Int(8)}});
  const Value out =
      CallLayer(ctx, *mha, {T(Normal({2, 10, 16})), T(Normal({2, 20, 16}, 2))},
                {{"return_attention_scores", Value::Bool(true)}});
  EXPECT_EQ(out.items()[0].as_tensor().shape(), (Shape{2, 10, 16}));
  EXPECT_EQ(out.items()[1].as_tensor().shape(), (Shape{2, 4, 10, 20}));
  EXPECT_EQ(Mha(mha).query_dense().kernel.shape(), (Shape{16, 4, 8}));
  EXPECT_EQ(Mha(mha).output_dense().kernel.shape(), (Shape{4, 8, 16}));
  EXPECT_EQ(mha->GetAttr("weights")->items().size(), 8u);
}

// Output and weights match an independent per-head loop, on the fused path
// (no scores returned) and the explicit path (scores returned).
TEST(KerasMhaTest, NumericsMatchPerHeadLoop) {
  RunContext ctx;
  auto mha = MakeLayer(
      ctx, "MultiHeadAttention", {Value::Int(2), Value::Int(3)},
      {{"value_dim", Value::Int(5)}, {"bias_initializer", Value::Str("ones")}});
  const Tensor q = Normal({2, 4, 6}, 1), v = Normal({2, 5, 7}, 2),
               k = Normal({2, 5, 3}, 3);
  const Tensor fused = CallLayer(ctx, *mha, {T(q), T(v), T(k)}).as_tensor();
  const Value both =
      CallLayer(ctx, *mha, {T(q), T(v), T(k)},
                {{"return_attention_scores", Value::Bool(true)}});
  std::vector<float> ref_w;
  const std::vector<float> ref =
      ReferenceMha(Mha(mha), q, v, k, nullptr, &ref_w);
  ASSERT_EQ(fused.shape(), (Shape{2, 4, 6}));
  for (size_t i = 0; i < ref.size(); ++i) {
    EXPECT_NEAR(At(fused, i), ref[i], 1e-4) << i;
    EXPECT_NEAR(At(both.items()[0].as_tensor(), i), ref[i], 1e-4) << i;
  }
  const Tensor& w = both.items()[1].as_tensor();
  ASSERT_EQ(w.shape(), (Shape{2, 2, 4, 5}));
  for (size_t i = 0; i < ref_w.size(); ++i)
    EXPECT_NEAR(At(w, i), ref_w[i], 1e-5);
}

// Causal mask and an explicit attention_mask combine with AND; masked
// weights are 0, and a fully masked row is 0 on the explicit path (K3 Softmax).
TEST(KerasMhaTest, MasksCombineAndFullyMaskedRowIsZero) {
  RunContext ctx;
  auto mha =
      MakeLayer(ctx, "MultiHeadAttention", {Value::Int(2), Value::Int(4)});
  const Tensor x = Normal({1, 4, 8});
  Tensor am = Tensor::Zeros(DType::kBool, {1, 4, 4});
  for (int i = 0; i < 16; ++i) am.b8()[i] = 1;
  for (int j = 0; j < 4; ++j) am.b8()[3 * 4 + j] = 0;  // row 3 fully masked
  am.b8()[2 * 4 + 0] = 0;
  const Value out = CallLayer(ctx, *mha, {T(x), T(x)},
                              {{"attention_mask", T(am)},
                               {"use_causal_mask", Value::Bool(true)},
                               {"return_attention_scores", Value::Bool(true)}});
  const Tensor& w = out.items()[1].as_tensor();
  std::vector<uint8_t> mask(16);
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) mask[i * 4 + j] = am.b8()[i * 4 + j] && j <= i;
  }
  std::vector<float> ref_w;
  const std::vector<float> ref = ReferenceMha(Mha(mha), x, x, x, &mask, &ref_w);
  for (size_t i = 0; i < ref_w.size(); ++i)
    EXPECT_NEAR(At(w, i), ref_w[i], 1e-5) << i;
  for (int h = 0; h < 2; ++h) {
    for (int j = 0; j < 4; ++j) EXPECT_EQ(At(w, (h * 4 + 3) * 4 + j), 0.0f);
    EXPECT_EQ(At(w, (h * 4 + 0) * 4 + 1), 0.0f);  // causal
    EXPECT_EQ(At(w, (h * 4 + 2) * 4 + 0), 0.0f);  // explicit mask
  }
}

// c10: value and key lengths differ -> the build ValueError, unwrapped.
TEST(KerasMhaTest, C10ValueKeyMismatchInBuild) {
  RunContext ctx;
  auto mha =
      MakeLayer(ctx, "MultiHeadAttention", {},
                {{"num_heads", Value::Int(2)}, {"key_dim", Value::Int(4)}});
  const Error e = CatchError([&] {
    CallLayer(ctx, *mha, {T(Normal({1, 32, 8})), T(Normal({1, 20, 8}))},
              {{"key", T(Normal({1, 18, 8}))}});
  });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_FALSE(e.keras_call.has_value());
  EXPECT_EQ(e.Message(),
            "All dimensions of `value` and `key`, except the last one, must be "
            "equal. Received: value_shape=(1, 20, 8) and key_shape=(1, 18, 8)");
}

// tf_keras has no build check: the mismatch surfaces in the combine einsum.
TEST(KerasMhaTest, C10TfKerasFailsInEinsum) {
  RunContext ctx;
  ctx.profile = Profile::kTfKeras;
  auto mha =
      MakeLayer(ctx, "MultiHeadAttention", {Value::Int(2), Value::Int(4)});
  const Error e = CatchError([&] {
    CallLayer(ctx, *mha, {T(Normal({1, 32, 8})), T(Normal({1, 20, 8}))},
              {{"key", T(Normal({1, 18, 8}))}});
  });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_THAT(e.Message(),
              StartsWith("Exception encountered when calling layer "
                         "'multi_head_attention' (type MultiHeadAttention).\n\n"
                         "{{function_node __wrapped__Einsum_N_2_device_"));
  EXPECT_THAT(e.Message(),
              HasSubstr("Expected dimension 18 at axis 1 of the input "
                        "shaped [1,20,2,4] but got dimension 20 "
                        "[Op:Einsum] name: "));
}

// A batch mismatch fails in the TF Einsum kernel, wrapped in the MHA frame.
TEST(KerasMhaTest, BatchMismatchEinsumErrorWrapped) {
  RunContext ctx;
  auto mha =
      MakeLayer(ctx, "MultiHeadAttention", {Value::Int(2), Value::Int(4)});
  const Error e = CatchError([&] {
    CallLayer(ctx, *mha, {T(Normal({1, 5, 8})), T(Normal({2, 6, 8}))});
  });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_EQ(e.kind, ErrorKind::kEinsumDim);
  const std::string m = e.Message();
  EXPECT_THAT(
      m,
      StartsWith(
          "Exception encountered when calling MultiHeadAttention.call()."
          "\n\n\x1b[1m{{function_node __wrapped__Einsum_N_2_device_/job:"
          "localhost/replica:0/task:0/device:CPU:0}} Expected dimension 1 "
          "at axis 0 of the input shaped [2,6,2,4] but got dimension 2 "
          "[Op:Einsum] name: \x1b[0m\n\nArguments received by "
          "MultiHeadAttention.call():\n  \u2022 query=tf.Tensor(shape=(1, 5, "
          "8), dtype=float32)\n  \u2022 value=tf.Tensor(shape=(2, 6, 8), "
          "dtype=float32)\n  \u2022 key=None\n  \u2022 query_mask=None"));
  EXPECT_THAT(
      m, HasSubstr("\n  \u2022 training=None\n  \u2022 use_causal_mask=False"));
}

// A feature dim that changes after the first call fails in the query
// projection, wrapped by the innermost layer (EinsumDense). Keras 3's TF
// backend runs "abc,cde->abde" as reshape(kernel, [c, -1]) + matmul, with c
// the input's feature dim, so the Reshape fails.
TEST(KerasMhaTest, FeatureDimChangeFailsInEinsumDense) {
  RunContext ctx;
  auto mha =
      MakeLayer(ctx, "MultiHeadAttention", {Value::Int(2), Value::Int(4)});
  CallLayer(ctx, *mha, {T(Normal({1, 5, 8})), T(Normal({1, 6, 8}))});
  const Error e = CatchError([&] {
    CallLayer(ctx, *mha, {T(Normal({1, 5, 6})), T(Normal({1, 6, 8}))});
  });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_EQ(
      e.Message(),
      "Exception encountered when calling EinsumDense.call().\n\n\x1b[1m"
      "{{function_node __wrapped__Reshape_device_/job:localhost/replica:0/"
      "task:0/device:CPU:0}} Input to reshape is a tensor with 64 values, "
      "but the requested shape requires a multiple of 6 [Op:Reshape]"
      "\x1b[0m\n\n"
      "Arguments received by EinsumDense.call():\n"
      "  \u2022 inputs=tf.Tensor(shape=(1, 5, 6), dtype=float32)\n"
      "  \u2022 training=None");
  // A rank change hits the sublayer's InputSpec, wrapped by the MHA frame.
  const Error r = CatchError([&] {
    CallLayer(ctx, *mha, {T(Normal({1, 2, 5, 8})), T(Normal({1, 2, 6, 8}))});
  });
  EXPECT_THAT(r.Message(),
              HasSubstr("\x1b[1mInput 0 with name 'None' of layer 'query' is "
                        "incompatible with the layer: expected ndim=3, found "
                        "ndim=4. Full shape received: (1, 2, 5, 8)\x1b[0m"));
  EXPECT_EQ(r.keras_call->class_name, "MultiHeadAttention");
}

// K3 >= 3.15 constructor validation texts.
TEST(KerasMhaTest, ConstructorMessages) {
  RunContext ctx;
  auto make = [&](std::vector<std::pair<std::string, Value>> kw) {
    CallArgs args;
    args.keywords = std::move(kw);
    return CatchError([&] { CreateLayer("MultiHeadAttention", ctx, args); })
        .Message();
  };
  EXPECT_EQ(make({{"num_heads", Value::Int(0)}, {"key_dim", Value::Int(4)}}),
            "Received an invalid value for argument `num_heads`, expected a "
            "positive integer. Received: num_heads=0");
  EXPECT_EQ(
      make({{"num_heads", Value::Int(2)}, {"key_dim", Value::Float(4.5)}}),
      "Received an invalid value for argument `key_dim`, expected a "
      "positive integer. Received: key_dim=4.5");
  EXPECT_EQ(make({{"num_heads", Value::Int(2)},
                  {"key_dim", Value::Int(4)},
                  {"value_dim", Value::Int(-1)}}),
            "Received an invalid value for argument `value_dim`, expected a "
            "positive integer or `None`. Received: value_dim=-1");
  EXPECT_EQ(make({{"num_heads", Value::Int(2)},
                  {"key_dim", Value::Int(4)},
                  {"attention_axes", Value::Str("x")}}),
            "`attention_axes` must be an int, list, or tuple.Received: "
            "attention_axes=x");
  EXPECT_EQ(make({{"num_heads", Value::Int(2)},
                  {"key_dim", Value::Int(4)},
                  {"output_shape", Value::Float(1.5)}}),
            "Invalid `output_shape`: 1.5. When specified, the `output_shape` "
            "should be of type tuple, list, or int.");
}

// output_shape sets the trailing output dims; explicit query_mask is ignored
// in K3 and the trace says so.
TEST(KerasMhaTest, OutputShapeAndIgnoredQueryMask) {
  RecordingSink sink;
  RunContext ctx;
  ctx.trace = &sink;
  auto mha =
      MakeLayer(ctx, "MultiHeadAttention", {Value::Int(2), Value::Int(4)},
                {{"output_shape", Value::Int(3)}});
  Tensor qm = Tensor::Zeros(DType::kBool, {1, 5});
  CallArgs args;
  args.positional = {T(Normal({1, 5, 8})), T(Normal({1, 6, 8}))};
  args.positional_sources = {"key_tensor", "value_tensor"};
  args.keywords = {{"query_mask", T(qm)}};
  const Tensor out = mha->Call(ctx, args).as_tensor();
  EXPECT_EQ(out.shape(), (Shape{1, 5, 3}));
  bool nonzero = false;
  for (int64_t i = 0; i < out.num_elements(); ++i) nonzero |= At(out, i) != 0;
  EXPECT_TRUE(nonzero);
  ASSERT_EQ(sink.events.size(), 1u);
  std::string notes;
  for (const auto& n : sink.events[0].notes) notes += n + "\n";
  EXPECT_THAT(notes, HasSubstr("ignores an explicit query_mask"));
  EXPECT_THAT(notes, HasSubstr("`key_tensor` is bound to `query`"));
  bool has_scores = false;
  for (const auto& t : sink.events[0].intermediates) {
    if (t.label == "scores") {
      has_scores = true;
      EXPECT_EQ(t.axes, "batch,num_heads,Tq,Tv");
      EXPECT_EQ(t.tensor.shape(), (Shape{1, 2, 5, 6}));
    }
  }
  EXPECT_TRUE(has_scores);
}

// Rank-4 inputs use attention over axes (1, 2) by default.
TEST(KerasMhaTest, Rank4DefaultAttentionAxes) {
  RunContext ctx;
  auto mha =
      MakeLayer(ctx, "MultiHeadAttention", {Value::Int(2), Value::Int(3)});
  const Value out =
      CallLayer(ctx, *mha, {T(Normal({2, 3, 4, 5})), T(Normal({2, 2, 6, 5}))},
                {{"return_attention_scores", Value::Bool(true)}});
  EXPECT_EQ(out.items()[0].as_tensor().shape(), (Shape{2, 3, 4, 5}));
  EXPECT_EQ(out.items()[1].as_tensor().shape(), (Shape{2, 2, 3, 4, 2, 6}));
}

// Keras 3 runs the explicit path's einsums as transposes + BatchMatMulV2,
// which broadcasts a batch of 1; tf_keras's tf.einsum does not.
TEST(KerasMhaTest, ScoresPathBroadcastsBatchOneKeras3Only) {
  RunContext ctx;
  auto mha =
      MakeLayer(ctx, "MultiHeadAttention", {Value::Int(4), Value::Int(2)});
  const Value out =
      CallLayer(ctx, *mha, {T(Ones({2, 32, 4})), T(Ones({1, 8, 4}))},
                {{"return_attention_scores", Value::Bool(true)}});
  EXPECT_EQ(out.items()[0].as_tensor().shape(), (Shape{2, 32, 4}));
  EXPECT_EQ(out.items()[1].as_tensor().shape(), (Shape{2, 4, 32, 8}));
  RunContext tk;
  tk.profile = Profile::kTfKeras;
  auto b = MakeLayer(tk, "MultiHeadAttention", {Value::Int(4), Value::Int(2)});
  const Error e = CatchError([&] {
    CallLayer(tk, *b, {T(Ones({2, 32, 4})), T(Ones({1, 8, 4}))},
              {{"return_attention_scores", Value::Bool(true)}});
  });
  EXPECT_EQ(e.kind, ErrorKind::kEinsumDim);
}

// Built on 16 features, called on 1: Keras 3 reshapes the (16, 1, 16) kernel
// to (1, 256), so the projections come out with batch 16.
TEST(KerasMhaTest, FeatureOneReshapesKernelIntoBatch) {
  RunContext ctx;
  auto mha =
      MakeLayer(ctx, "MultiHeadAttention", {Value::Int(1), Value::Int(16)});
  CallLayer(ctx, *mha, {T(Ones({2, 32, 16})), T(Ones({2, 12, 16}))});
  const Value out =
      CallLayer(ctx, *mha, {T(Ones({1, 8, 1})), T(Ones({1, 12, 1}))},
                {{"return_attention_scores", Value::Bool(true)}});
  EXPECT_EQ(out.items()[0].as_tensor().shape(), (Shape{16, 8, 16}));
  EXPECT_EQ(out.items()[1].as_tensor().shape(), (Shape{16, 1, 8, 12}));
}

// tf_keras names each MHA's Softmax sublayer uniquely, and shows that name.
TEST(KerasMhaTest, TfKerasSoftmaxSublayerNameIsUnique) {
  RunContext ctx;
  ctx.profile = Profile::kTfKeras;
  auto first =
      MakeLayer(ctx, "MultiHeadAttention", {Value::Int(2), Value::Int(2)});
  CallLayer(ctx, *first, {T(Ones({2, 8, 1})), T(Ones({2, 8, 1}))});
  auto second =
      MakeLayer(ctx, "MultiHeadAttention", {Value::Int(4), Value::Int(8)});
  const Error e = CatchError([&] {
    CallLayer(ctx, *second, {T(Ones({2, 8, 1})), T(Ones({2, 8, 1}))},
              {{"attention_mask", T(ops::Fill({2, 8, 128}, 1, DType::kBool))}});
  });
  EXPECT_THAT(e.Message(),
              StartsWith("Exception encountered when calling layer "
                         "'softmax_1' (type Softmax)."));
}

}  // namespace
}  // namespace ap::keras
