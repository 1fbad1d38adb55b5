// layers.Attention / layers.AdditiveAttention against Keras 3.15 and
// tf-keras 2.21 (docs/spec/keras-semantics.md §1, §2, §6; corpus a01, a02, a03,
// a08, b01, c01, g01).
#include <cmath>

#include "core/keras/attention.h"
#include "core/keras/common.h"
#include "core/repr.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace ::ap::keras::testing;

const char kT1200[] = "'tf.Tensor(shape=(1, 1200, 2), dtype=float32)'";

// Scenario (a): [query, key_tensor, value_tensor] runs; Keras reads inputs[1]
// as the value and the trace says so.
TEST(KerasAttentionTest, ScenarioAOrderQkvRunsWithSwappedRoles) {
  RecordingSink sink;
  RunContext ctx;
  ctx.trace = &sink;
  auto layer = MakeLayer(ctx, "Attention");
  CallArgs args;
  args.positional = {List({Normal({1, 32, 2}, 1), Normal({1, 1200, 2}, 2),
                           Normal({1, 1200, 2}, 3)})};
  args.positional_sources = {"[query_tensor, key_tensor, value_tensor]"};
  args.positional_item_sources = {
      {"query_tensor", "key_tensor", "value_tensor"}};
  const Value out = layer->Call(ctx, args);
  EXPECT_EQ(out.as_tensor().shape(), (Shape{1, 32, 2}));
  ASSERT_EQ(sink.events.size(), 1u);
  const CallEvent& ev = sink.events[0];
  EXPECT_FALSE(ev.failed);
  EXPECT_EQ(ev.layer_name, "attention");
  ASSERT_GE(ev.inputs.size(), 3u);
  EXPECT_EQ(ev.inputs[1].role, "value");
  EXPECT_EQ(ev.inputs[1].source, "key_tensor");
  EXPECT_EQ(ev.inputs[1].arg_path, "inputs[1]");
  EXPECT_EQ(ev.inputs[1].axes, "batch,Tv,dim");
  EXPECT_EQ(ev.inputs[2].role, "key");
  EXPECT_EQ(ev.inputs[2].source, "value_tensor");
  std::string notes;
  for (const auto& n : ev.notes) notes += n + "\n";
  EXPECT_THAT(notes, HasSubstr("`key_tensor` is passed as inputs[1], which "
                               "Keras uses as the value"));
  EXPECT_THAT(notes, HasSubstr("`value_tensor` is passed as inputs[2], which "
                               "Keras uses as the key"));
  bool has_scores = false;
  for (const auto& t : ev.intermediates) {
    if (t.label == "scores") {
      has_scores = true;
      EXPECT_EQ(t.axes, "batch,Tq,Tv");
      EXPECT_EQ(t.tensor.shape(), (Shape{1, 32, 1200}));
    }
  }
  EXPECT_TRUE(has_scores);
}

// return_attention_scores gives ((1,32,2), (1,32,1200))
// (docs/spec/keras-semantics.md §6(a)).
TEST(KerasAttentionTest, ReturnAttentionScoresTuple) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Attention");
  const Value out = CallLayer(
      ctx, *layer,
      {List({Normal({1, 32, 2}), Normal({1, 1200, 2}), Normal({1, 1200, 2})})},
      {{"return_attention_scores", Value::Bool(true)}});
  ASSERT_EQ(out.kind(), Value::Kind::kTuple);
  EXPECT_EQ(out.items()[0].as_tensor().shape(), (Shape{1, 32, 2}));
  EXPECT_EQ(out.items()[1].as_tensor().shape(), (Shape{1, 32, 1200}));
}

Tensor QueryMask() {
  Tensor lengths = Tensor::Zeros(DType::kInt32, {1});
  lengths.i32()[0] = 32;
  return ops::SequenceMask(lengths, 1200);
}

Value Scenario(RunContext& ctx, Value mask) {
  auto layer = MakeLayer(ctx, "Attention");
  const Tensor padded = ops::Pad(Normal({1, 32, 2}), [] {
    Tensor p = Tensor::Zeros(DType::kInt32, {3, 2});
    p.i32()[3] = 1168;
    return p;
  }());
  return CallLayer(
      ctx, *layer,
      {List({padded, Normal({1, 1200, 2}, 2), Normal({1, 1200, 2}, 3)})},
      {{"mask", mask}});
}

// Scenario (b), Keras 3: a length-1 mask list raises the wrapped ValueError
// whose message embeds the input and mask reprs.
TEST(KerasAttentionTest, ScenarioBMaskLengthOneKeras3Wrapper) {
  RunContext ctx;
  const Error e =
      CatchError([&] { Scenario(ctx, Value::List({T(QueryMask())})); });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  ASSERT_TRUE(e.keras_call.has_value());
  const std::string m = e.Message();
  EXPECT_THAT(m,
              StartsWith("Exception encountered when calling Attention.call()."
                         "\n\n\x1b[1mAttention layer accepts mask list of "
                         "length 2 or 3. Received: inputs=[<tf.Tensor: "
                         "shape=(1, 1200, 2), dtype=float32, numpy="));
  EXPECT_THAT(m, HasSubstr("], mask=[<tf.Tensor: shape=(1, 1200), dtype=bool, "
                           "numpy="));
  const std::string tail =
      std::string(
          ".\x1b[0m\n\nArguments received by Attention.call():\n"
          "  \u2022 inputs=[") +
      kT1200 + ", " + kT1200 + ", " + kT1200 +
      "]\n  \u2022 mask=['tf.Tensor(shape=(1, 1200), dtype=bool)']\n"
      "  \u2022 training=False\n  \u2022 return_attention_scores=False\n"
      "  \u2022 use_causal_mask=False";
  ASSERT_GE(m.size(), tail.size());
  EXPECT_EQ(m.substr(m.size() - tail.size()), tail);
}

// Scenario (b), tf_keras: the Keras 2 message and wrapper, exactly.
TEST(KerasAttentionTest, ScenarioBMaskLengthOneTfKerasExact) {
  RunContext ctx;
  ctx.profile = Profile::kTfKeras;
  const Error e =
      CatchError([&] { Scenario(ctx, Value::List({T(QueryMask())})); });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_EQ(
      e.Message(),
      std::string("Exception encountered when calling layer 'attention' "
                  "(type Attention).\n\nAttention layer mask must be a "
                  "list of length 2, namely [query_mask, value_mask]. "
                  "Received length: 1.\n\nCall arguments received by "
                  "layer 'attention' (type Attention):\n  \u2022 inputs=[") +
          kT1200 + ", " + kT1200 + ", " + kT1200 +
          "]\n  \u2022 mask=['tf.Tensor(shape=(1, 1200), dtype=bool)']\n"
          "  \u2022 training=None\n  \u2022 return_attention_scores=False\n"
          "  \u2022 use_causal_mask=False");
}

// The fix mask=[query_mask, None] gives (1,1200,2) with rows 32.. zero.
TEST(KerasAttentionTest, ScenarioBFixZeroesPaddedRows) {
  for (Profile profile : {Profile::kKeras3, Profile::kTfKeras}) {
    RunContext ctx;
    ctx.profile = profile;
    const Tensor out =
        Scenario(ctx, Value::List({T(QueryMask()), Value::None()})).as_tensor();
    ASSERT_EQ(out.shape(), (Shape{1, 1200, 2}));
    bool early_nonzero = false;
    for (int64_t i = 0; i < 32 * 2; ++i) early_nonzero |= At(out, i) != 0;
    EXPECT_TRUE(early_nonzero);
    for (int64_t i = 32 * 2; i < 1200 * 2; ++i)
      ASSERT_EQ(At(out, i), 0.0f) << i;
  }
}

// Scenario (c): Dense(128) on (32,2)/(1200,2), expand_dims, Attention ->
// (1,32,128).
TEST(KerasAttentionTest, ScenarioCDense128ThenAttention) {
  RunContext ctx;
  auto run_dense = [&](const Tensor& x) {
    auto dense = MakeLayer(ctx, "Dense", {Value::Int(128)});
    return ops::ExpandDims(CallLayer(ctx, *dense, {T(x)}).as_tensor(), 0);
  };
  const Tensor q = run_dense(Normal({32, 2}));
  const Tensor k = run_dense(Normal({1200, 2}));
  const Tensor v = run_dense(Normal({1200, 2}));
  EXPECT_EQ(q.shape(), (Shape{1, 32, 128}));
  auto layer = MakeLayer(ctx, "Attention");
  EXPECT_EQ(CallLayer(ctx, *layer, {List({q, k, v})}).as_tensor().shape(),
            (Shape{1, 32, 128}));
}

// c01: dq != dk -> BatchMatMulV2 error (K3 shows the transposed key) wrapped
// in Attention.call() with the auto-filled mask bullet.
TEST(KerasAttentionTest, C01MatMulErrorWrappedKeras3) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Attention");
  const Error e = CatchError([&] {
    CallLayer(ctx, *layer, {List({Normal({1, 10, 4}), Normal({1, 20, 6})})});
  });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_EQ(
      e.Message(),
      "Exception encountered when calling Attention.call().\n\n\x1b[1m"
      "{{function_node __wrapped__BatchMatMulV2_device_/job:localhost/"
      "replica:0/task:0/device:CPU:0}} Matrix size-incompatible: In[0]: "
      "[1,10,4], In[1]: [1,6,20] [Op:BatchMatMulV2] name: \x1b[0m\n\n"
      "Arguments received by Attention.call():\n"
      "  \u2022 inputs=['tf.Tensor(shape=(1, 10, 4), dtype=float32)', "
      "'tf.Tensor(shape=(1, 20, 6), dtype=float32)']\n"
      "  \u2022 mask=['None', 'None']\n  \u2022 training=False\n"
      "  \u2022 return_attention_scores=False\n  \u2022 use_causal_mask=False");
}

// c01 under tf_keras: transpose_b shows the untransposed key; mask=None.
TEST(KerasAttentionTest, C01MatMulErrorWrappedTfKeras) {
  RunContext ctx;
  ctx.profile = Profile::kTfKeras;
  auto layer = MakeLayer(ctx, "Attention");
  const Error e = CatchError([&] {
    CallLayer(ctx, *layer, {List({Normal({1, 10, 4}), Normal({1, 20, 6})})});
  });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_THAT(e.Message(), HasSubstr("In[0]: [1,10,4], In[1]: [1,20,6]"));
  EXPECT_THAT(e.Message(),
              StartsWith("Exception encountered when calling layer "
                         "'attention' (type Attention).\n\n{{function_node"));
  EXPECT_THAT(e.Message(),
              HasSubstr("\n  \u2022 mask=None\n  \u2022 training=None"));
}

// The trace records a failed call with the intermediates it reached.
TEST(KerasAttentionTest, FailedCallIsTraced) {
  RecordingSink sink;
  RunContext ctx;
  ctx.trace = &sink;
  auto layer = MakeLayer(ctx, "Attention");
  CatchError([&] {
    CallLayer(ctx, *layer, {List({Normal({1, 10, 4}), Normal({1, 20, 6})})});
  });
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.events[0].failed);
  EXPECT_EQ(sink.events[0].inputs.size(), 2u);
}

// g01: ones (1,3,2) vs ones (1,4,2) -> weights 0.25, output 1.
TEST(KerasAttentionTest, G01UniformWeights) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Attention");
  const Value out =
      CallLayer(ctx, *layer, {List({Ones({1, 3, 2}), Ones({1, 4, 2})})},
                {{"return_attention_scores", Value::Bool(true)}});
  const Tensor& o = out.items()[0].as_tensor();
  const Tensor& w = out.items()[1].as_tensor();
  EXPECT_EQ(o.shape(), (Shape{1, 3, 2}));
  EXPECT_EQ(w.shape(), (Shape{1, 3, 4}));
  for (int64_t i = 0; i < o.num_elements(); ++i)
    EXPECT_NEAR(At(o, i), 1.0, 1e-6);
  for (int64_t i = 0; i < w.num_elements(); ++i)
    EXPECT_NEAR(At(w, i), 0.25, 1e-6);
}

Tensor Weights(RunContext& ctx, Callable& layer, ValueList inputs,
               std::vector<std::pair<std::string, Value>> kw = {}) {
  kw.emplace_back("return_attention_scores", Value::Bool(true));
  return CallLayer(ctx, layer, {Value::List(std::move(inputs))}, std::move(kw))
      .items()[1]
      .as_tensor();
}

// Softmax rows sum to 1, with no 1/sqrt(d) scaling (scores = q . k).
TEST(KerasAttentionTest, DotScoresUnscaledAndRowsSumToOne) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Attention");
  const Tensor q = FromValues({1, 1, 2}, {1, 2});
  const Tensor k = FromValues({1, 3, 2}, {1, 0, 0, 1, 1, 1});
  const Tensor w = Weights(ctx, *layer, {T(q), T(k)});
  // scores = [1, 2, 3]
  const double z = std::exp(1) + std::exp(2) + std::exp(3);
  EXPECT_NEAR(At(w, 0), std::exp(1) / z, 1e-6);
  EXPECT_NEAR(At(w, 1), std::exp(2) / z, 1e-6);
  EXPECT_NEAR(At(w, 2), std::exp(3) / z, 1e-6);
  const Tensor w2 =
      Weights(ctx, *layer, {T(Normal({2, 5, 3})), T(Normal({2, 7, 3}, 9))});
  for (int r = 0; r < 10; ++r) {
    double s = 0;
    for (int c = 0; c < 7; ++c) s += At(w2, r * 7 + c);
    EXPECT_NEAR(s, 1.0, 1e-5);
  }
}

// A value mask gives masked keys ~0 weight.
TEST(KerasAttentionTest, ValueMaskZeroesKeys) {
  for (Profile profile : {Profile::kKeras3, Profile::kTfKeras}) {
    RunContext ctx;
    ctx.profile = profile;
    auto layer = MakeLayer(ctx, "Attention");
    Tensor vmask = Tensor::Zeros(DType::kBool, {1, 4});
    vmask.b8()[0] = vmask.b8()[2] = 1;
    const Tensor w =
        Weights(ctx, *layer, {T(Normal({1, 3, 2})), T(Normal({1, 4, 2}, 5))},
                {{"mask", Value::List({Value::None(), T(vmask)})}});
    for (int r = 0; r < 3; ++r) {
      EXPECT_LT(At(w, r * 4 + 1), 1e-6);
      EXPECT_LT(At(w, r * 4 + 3), 1e-6);
      EXPECT_NEAR(At(w, r * 4 + 0) + At(w, r * 4 + 2), 1.0, 1e-5);
    }
  }
}

// use_causal_mask: the upper triangle of the weights is 0 (b01 shapes).
TEST(KerasAttentionTest, CausalMaskUpperTriangleZero) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Attention");
  const Value out =
      CallLayer(ctx, *layer, {List({Normal({2, 5, 4}), Normal({2, 5, 4}, 4)})},
                {{"return_attention_scores", Value::Bool(true)},
                 {"use_causal_mask", Value::Bool(true)}});
  EXPECT_EQ(out.items()[0].as_tensor().shape(), (Shape{2, 5, 4}));
  const Tensor& w = out.items()[1].as_tensor();
  ASSERT_EQ(w.shape(), (Shape{2, 5, 5}));
  for (int b = 0; b < 2; ++b) {
    for (int i = 0; i < 5; ++i) {
      for (int j = i + 1; j < 5; ++j)
        EXPECT_LT(At(w, b * 25 + i * 5 + j), 1e-6);
    }
  }
  EXPECT_NEAR(At(w, 0), 1.0, 1e-6);  // row 0 sees only key 0
}

// use_scale creates a scalar `scale` = 1, so the weights are unchanged.
TEST(KerasAttentionTest, UseScaleScalarOne) {
  RunContext ctx;
  auto plain = MakeLayer(ctx, "Attention");
  auto scaled =
      MakeLayer(ctx, "Attention", {}, {{"use_scale", Value::Bool(true)}});
  const Tensor q = Normal({1, 2, 3}), v = Normal({1, 4, 3}, 8);
  const Tensor a = Weights(ctx, *plain, {T(q), T(v)});
  const Tensor b = Weights(ctx, *scaled, {T(q), T(v)});
  for (int64_t i = 0; i < a.num_elements(); ++i)
    EXPECT_FLOAT_EQ(At(a, i), At(b, i));
  auto* layer = static_cast<AttentionLayer*>(scaled.get());
  ASSERT_EQ(layer->Weights().size(), 1u);
  EXPECT_EQ(layer->Weights()[0].first, "scale");
  EXPECT_EQ(layer->Weights()[0].second.shape(), Shape{});
  EXPECT_EQ(layer->name(), "attention_1");
}

// score_mode="concat": scores = sum(tanh(q + k)) (concat_score_weight = 1).
TEST(KerasAttentionTest, ConcatModeHandComputed) {
  RunContext ctx;
  auto layer =
      MakeLayer(ctx, "Attention", {}, {{"score_mode", Value::Str("concat")}});
  const Tensor q = FromValues({1, 1, 2}, {0.5f, -0.25f});
  const Tensor k = FromValues({1, 2, 2}, {0.1f, 0.2f, -0.3f, 0.4f});
  const Tensor w = Weights(ctx, *layer, {T(q), T(k)});
  const double s0 = std::tanh(0.6) + std::tanh(-0.05);
  const double s1 = std::tanh(0.2) + std::tanh(0.15);
  const double z = std::exp(s0) + std::exp(s1);
  EXPECT_NEAR(At(w, 0), std::exp(s0) / z, 1e-6);
  EXPECT_NEAR(At(w, 1), std::exp(s1) / z, 1e-6);
}

// AdditiveAttention(use_scale=False): scores = sum(tanh(q + k)).
TEST(KerasAttentionTest, AdditiveWithoutScaleHandComputed) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "AdditiveAttention", {},
                         {{"use_scale", Value::Bool(false)}});
  const Tensor q = FromValues({1, 1, 2}, {0.5f, -0.25f});
  const Tensor k = FromValues({1, 2, 2}, {0.1f, 0.2f, -0.3f, 0.4f});
  const Tensor w = Weights(ctx, *layer, {T(q), T(k)});
  const double s0 = std::tanh(0.6) + std::tanh(-0.05);
  const double s1 = std::tanh(0.2) + std::tanh(0.15);
  EXPECT_NEAR(At(w, 0), std::exp(s0) / (std::exp(s0) + std::exp(s1)), 1e-6);
  EXPECT_EQ(static_cast<Layer*>(layer.get())->name(), "additive_attention");
}

// AdditiveAttention's scale vector: query dim in K3, value dim in tf_keras;
// with dv != dq tf_keras then fails in Mul (docs/spec/keras-semantics.md §2).
TEST(KerasAttentionTest, AdditiveScaleDimPerProfile) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "AdditiveAttention");
  const Value out = CallLayer(
      ctx, *layer,
      {List({Normal({1, 3, 4}), Normal({1, 5, 6}), Normal({1, 5, 4})})});
  EXPECT_EQ(out.as_tensor().shape(), (Shape{1, 3, 6}));
  EXPECT_EQ(static_cast<Layer*>(layer.get())->Weights()[0].second.shape(),
            Shape{4});

  RunContext tk;
  tk.profile = Profile::kTfKeras;
  auto layer2 = MakeLayer(tk, "AdditiveAttention");
  const Error e = CatchError([&] {
    CallLayer(
        tk, *layer2,
        {List({Normal({1, 3, 4}), Normal({1, 5, 6}), Normal({1, 5, 4})})});
  });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_THAT(e.Message(),
              HasSubstr("Incompatible shapes: [6] vs. [1,3,5,4] [Op:Mul]"));
  EXPECT_THAT(e.Message(),
              HasSubstr("layer 'additive_attention' (type AdditiveAttention)"));
}

// K3 validates in build: a single tensor shows its shape tuple, unwrapped.
TEST(KerasAttentionTest, BuildValidationUnwrappedShowsShapes) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Attention");
  Error e = CatchError([&] { CallLayer(ctx, *layer, {T(Normal({1, 2, 2}))}); });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_EQ(
      e.Message(),
      "Attention layer must be called on a list of inputs, namely "
      "[query, value] or [query, value, key]. Received: inputs=(1, 2, 2).");
  e = CatchError([&] { CallLayer(ctx, *layer, {List({Normal({1, 2, 2})})}); });
  EXPECT_EQ(e.Message(),
            "Attention layer accepts inputs list of length 2 or 3, namely "
            "[query, value] or [query, value, key]. Received length: 1.");
  EXPECT_FALSE(e.keras_call.has_value());
}

// Mask rules: K3 accepts 3 masks for 2 inputs; tf_keras rejects them; a bare
// tensor mask is "not a list" in K3 (wrapped; the f-string formats the
// tensor as numpy's str, as real Keras 3.15 prints it).
TEST(KerasAttentionTest, MaskLengthRulesPerProfile) {
  const Tensor q = Normal({1, 3, 2}), v = Normal({1, 4, 2});
  const Value three =
      Value::List({Value::None(), Value::None(), Value::None()});
  RunContext k3;
  auto a = MakeLayer(k3, "Attention");
  EXPECT_EQ(
      CallLayer(k3, *a, {List({q, v})}, {{"mask", three}}).as_tensor().shape(),
      (Shape{1, 3, 2}));
  RunContext tk;
  tk.profile = Profile::kTfKeras;
  auto b = MakeLayer(tk, "Attention");
  Error e = CatchError([&] {
    CallLayer(tk, *b, {List({q, v})}, {{"mask", three}});
  });
  EXPECT_THAT(e.Message(), HasSubstr("Received length: 3."));
  Tensor m = Tensor::Zeros(DType::kBool, {1, 3});
  e = CatchError([&] { CallLayer(k3, *a, {List({q, v})}, {{"mask", T(m)}}); });
  EXPECT_THAT(e.Message(),
              HasSubstr("\x1b[1mAttention layer mask must be a list, namely "
                        "[query_mask, value_mask]. Received: mask="
                        "[[False False False]].\x1b[0m"));
}

// Constructor errors: score_mode (both profiles) and unknown kwargs.
TEST(KerasAttentionTest, ConstructorMessages) {
  RunContext ctx;
  CallArgs args;
  args.keywords = {{"score_mode", Value::Str("add")}};
  Error e = CatchError([&] { CreateLayer("Attention", ctx, args); });
  EXPECT_EQ(e.Message(),
            "Invalid value for argument score_mode. Expected one of {'dot', "
            "'concat'}. Received: score_mode=add");
  RunContext tk;
  tk.profile = Profile::kTfKeras;
  e = CatchError([&] { CreateLayer("Attention", tk, args); });
  EXPECT_EQ(
      e.Message(),
      "Received: score_mode=add. Acceptable values are: [\"dot\", \"concat\"]");
  args.keywords = {{"foo", Value::Int(1)}};
  e = CatchError([&] { CreateLayer("Attention", ctx, args); });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_EQ(e.Message(),
            "Unrecognized keyword arguments passed to Attention: {'foo': 1}");
  e = CatchError([&] { CreateLayer("Attention", tk, args); });
  EXPECT_EQ(e.cls, ErrorClass::kTypeError);
  EXPECT_EQ(e.Message(), "('Keyword argument not understood:', 'foo')");
}

// Unique names per run, name=, repr and attributes.
TEST(KerasAttentionTest, NamesReprAndAttributes) {
  RunContext ctx;
  auto a = MakeLayer(ctx, "Attention");
  auto b = MakeLayer(ctx, "Attention", {}, {{"name", Value::Str("mine")}});
  auto c = MakeLayer(ctx, "Attention");
  EXPECT_EQ(a->Repr(), "<Attention name=attention, built=False>");
  EXPECT_EQ(b->GetAttr("name")->as_str(), "mine");
  EXPECT_EQ(c->GetAttr("name")->as_str(), "attention_1");
  CallLayer(ctx, *a, {List({Ones({1, 2, 2}), Ones({1, 2, 2})})});
  EXPECT_TRUE(a->GetAttr("built")->as_bool());
  EXPECT_EQ(a->GetAttr("weights")->items().size(), 0u);
  EXPECT_EQ(a->GetAttr("score_mode")->as_str(), "dot");
}

// An unknown call keyword fails as inspect.Signature.bind does (unwrapped).
TEST(KerasAttentionTest, UnknownCallKeyword) {
  RunContext ctx;
  auto a = MakeLayer(ctx, "Attention");
  const Error e = CatchError([&] {
    CallLayer(ctx, *a, {List({Ones({1, 2, 2}), Ones({1, 2, 2})})},
              {{"masks", Value::None()}});
  });
  EXPECT_EQ(e.cls, ErrorClass::kTypeError);
  EXPECT_EQ(e.Message(), "got an unexpected keyword argument 'masks'");
}

// d01: the swapped order makes the context follow inputs[0]: (1200, 2).
TEST(KerasAttentionTest, D01SwappedOrderShape) {
  RunContext ctx;
  auto a = MakeLayer(ctx, "Attention");
  const Value out =
      CallLayer(ctx, *a, {List({Normal({1, 1200, 2}), Normal({1, 32, 2})})});
  EXPECT_EQ(out.as_tensor().shape(), (Shape{1, 1200, 2}));
}

// K3 >= 3.15 accepts rank-4 inputs (swapaxes on the last two axes).
TEST(KerasAttentionTest, Rank4Inputs) {
  RunContext ctx;
  auto a = MakeLayer(ctx, "Attention");
  const Value out =
      CallLayer(ctx, *a, {List({Normal({2, 3, 5, 4}), Normal({2, 3, 7, 4})})});
  EXPECT_EQ(out.as_tensor().shape(), (Shape{2, 3, 5, 4}));
}

}  // namespace
}  // namespace ap::keras

namespace ap::keras {
namespace {

using ::testing::HasSubstr;
using namespace ::ap::keras::testing;

// Variable names suggest roles only when they are unambiguous.
TEST(KerasAttentionTest, RoleSuggestedByName) {
  EXPECT_EQ(RoleSuggestedByName("padded_query"), "query");
  EXPECT_EQ(RoleSuggestedByName("q[None]"), "query");
  EXPECT_EQ(RoleSuggestedByName("key_tensor"), "key");
  EXPECT_EQ(RoleSuggestedByName("v"), "value");
  EXPECT_EQ(RoleSuggestedByName("kv[None]"), "");
  EXPECT_EQ(RoleSuggestedByName("query_key"), "");
  EXPECT_EQ(RoleSuggestedByName("x"), "");
}

// A value mask of the wrong length: K3 >= 3.15 fails in SelectV2, tf_keras in
// Sub (docs/spec/keras-semantics.md §1.6), both wrapped.
TEST(KerasAttentionTest, WrongValueMaskLengthPerProfile) {
  Tensor vmask = Tensor::Zeros(DType::kBool, {1, 5});
  const Value mask = Value::List({Value::None(), T(vmask)});
  RunContext k3;
  auto a = MakeLayer(k3, "Attention");
  Error e = CatchError([&] {
    CallLayer(k3, *a, {List({Ones({1, 3, 2}), Ones({1, 4, 2})})},
              {{"mask", mask}});
  });
  EXPECT_THAT(e.Message(),
              HasSubstr("condition [1,1,5], then [1,3,4], and else "
                        "[1,3,4] must be broadcastable [Op:SelectV2]"));
  RunContext tk;
  tk.profile = Profile::kTfKeras;
  auto b = MakeLayer(tk, "Attention");
  e = CatchError([&] {
    CallLayer(tk, *b, {List({Ones({1, 3, 2}), Ones({1, 4, 2})})},
              {{"mask", mask}});
  });
  EXPECT_THAT(e.Message(),
              HasSubstr("Incompatible shapes: [1,3,4] vs. [1,1,5] [Op:Sub]"));
}

// Keras 3's ops.matmul of a rank-3 query and a rank-2 key is tf.tensordot:
// the query is reshaped to (-1, dim) and a rank-2 MatMul fails.
TEST(KerasAttentionTest, Keras3Rank3QueryRank2KeyIsTensordot) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Attention");
  const Error e = CatchError([&] {
    CallLayer(ctx, *layer, {List({Ones({4, 32, 2}), Ones({32, 8})})});
  });
  EXPECT_THAT(e.Message(),
              HasSubstr("{{function_node __wrapped__MatMul_device_/job:"
                        "localhost/replica:0/task:0/device:CPU:0}} Matrix "
                        "size-incompatible: In[0]: [128,2], In[1]: [8,32] "
                        "[Op:MatMul] name: "));
  // The successful case: the same values as a broadcast batch matmul.
  const Tensor q = Normal({2, 4, 3});
  const Tensor v = Normal({5, 3}, 2);
  const Value out = CallLayer(ctx, *MakeLayer(ctx, "Attention"), {List({q, v})},
                              {{"return_attention_scores", Value::Bool(true)}});
  const Tensor& o = out.items()[0].as_tensor();
  const Tensor& w = out.items()[1].as_tensor();
  ASSERT_EQ(o.shape(), (Shape{2, 4, 3}));
  ASSERT_EQ(w.shape(), (Shape{2, 4, 5}));
  const Tensor want_w = ops::Softmax(ops::MatMul(q, v, false, true), -1);
  const Tensor want_o = ops::MatMul(want_w, v);
  for (int64_t i = 0; i < w.num_elements(); ++i)
    EXPECT_NEAR(At(w, i), At(want_w, i), 1e-6);
  for (int64_t i = 0; i < o.num_elements(); ++i)
    EXPECT_NEAR(At(o, i), At(want_o, i), 1e-6);
}

// tf_keras builds the causal mask with the scores' rank: rank-2 inputs keep
// rank-2 outputs (Keras 3 builds (1, Tq, Tv) and adds a batch axis).
TEST(KerasAttentionTest, CausalRank2OutputRankPerProfile) {
  RunContext tk;
  tk.profile = Profile::kTfKeras;
  const Value out = CallLayer(tk, *MakeLayer(tk, "Attention"),
                              {List({Ones({32, 4}), Ones({32, 4})})},
                              {{"use_causal_mask", Value::Bool(true)}});
  EXPECT_EQ(out.as_tensor().shape(), (Shape{32, 4}));
  RunContext k3;
  const Value out3 = CallLayer(k3, *MakeLayer(k3, "Attention"),
                               {List({Ones({32, 4}), Ones({32, 4})})},
                               {{"use_causal_mask", Value::Bool(true)}});
  EXPECT_EQ(out3.as_tensor().shape(), (Shape{1, 32, 4}));
}

// tf_keras backend.softmax refuses rank <= 1 with a ValueError that shows
// the values; Keras 3 applies the softmax.
TEST(KerasSoftmaxTest, Rank1PerProfile) {
  RunContext tk;
  tk.profile = Profile::kTfKeras;
  auto layer = MakeLayer(tk, "Softmax", {}, {{"axis", Value::Int(0)}});
  const Error e = CatchError([&] { CallLayer(tk, *layer, {T(Ones({4}))}); });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_THAT(e.Message(),
              HasSubstr("\n\nCannot apply softmax to a tensor that is 1D. "
                        "Received input: [1. 1. 1. 1.]\n\n"));
  RunContext k3;
  const Value out =
      CallLayer(k3, *MakeLayer(k3, "Softmax", {}, {{"axis", Value::Int(0)}}),
                {T(Ones({4}))});
  EXPECT_NEAR(At(out.as_tensor(), 0), 0.25, 1e-6);
}

}  // namespace
}  // namespace ap::keras
