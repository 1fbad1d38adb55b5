// layers.LSTM, layers.GRU and layers.SimpleRNN: Keras' weights, the
// recurrence's values for deterministic weights (numbers from real Keras
// 3.15), return_sequences / return_state, masks, initial_state errors, the
// InputSpec, and symbolic calls. The corpus
// tests/corpus/keras_embedding_recurrent.json records the same in both
// profiles.
#include "core/keras/bidirectional.h"
#include "core/keras/keras_tensor.h"
#include "core/keras/recurrent.h"
#include "core/keras/weight_initializers.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using namespace ::ap::keras::testing;

using Keywords = std::vector<std::pair<std::string, Value>>;

Keywords OnesWeights(Keywords more = {}) {
  Keywords k = {{"kernel_initializer", Value::Str("ones")},
                {"recurrent_initializer", Value::Str("ones")}};
  k.insert(k.end(), more.begin(), more.end());
  return k;
}

Tensor Bools(const Shape& shape, const std::vector<bool>& values) {
  Tensor t = Tensor::Zeros(DType::kBool, shape);
  for (size_t i = 0; i < values.size(); ++i) t.b8()[i] = values[i];
  return t;
}

Shape WeightShape(const Callable& layer, size_t i) {
  return static_cast<const Layer&>(layer).Weights().at(i).second.shape();
}

// Keras' order and shapes: kernel (features, k*units), recurrent_kernel
// (units, k*units), bias (k*units), or (2, 3*units) for GRU(reset_after).
TEST(KerasRecurrentTest, WeightShapesPerCell) {
  RunContext ctx;
  struct Case {
    const char* cls;
    int64_t k;
    Shape bias;
  };
  for (const Case& c : {Case{"SimpleRNN", 1, {4}}, Case{"LSTM", 4, {16}},
                        Case{"GRU", 3, {2, 12}}}) {
    auto layer = MakeLayer(ctx, c.cls, {Value::Int(4)});
    CallLayer(ctx, *layer, {T(Normal({2, 3, 5}))});
    const auto weights = static_cast<Layer&>(*layer).Weights();
    ASSERT_EQ(weights.size(), 3u) << c.cls;
    EXPECT_EQ(weights[0].first, "kernel");
    EXPECT_EQ(weights[1].first, "recurrent_kernel");
    EXPECT_EQ(weights[2].first, "bias");
    EXPECT_EQ(WeightShape(*layer, 0), (Shape{5, c.k * 4})) << c.cls;
    EXPECT_EQ(WeightShape(*layer, 1), (Shape{4, c.k * 4})) << c.cls;
    EXPECT_EQ(WeightShape(*layer, 2), c.bias) << c.cls;
  }
}

// 'orthogonal' (the recurrent kernels' default): orthonormal rows when the
// matrix is wide, orthonormal columns when it is tall.
TEST(KerasRecurrentTest, OrthogonalWeightIsOrthonormal) {
  Random rng(7);
  for (const Shape& shape : {Shape{4, 16}, Shape{6, 3}, Shape{5, 5}}) {
    const Tensor q = OrthogonalWeight(shape, rng);
    const bool wide = shape[0] < shape[1];
    const int64_t count = wide ? shape[0] : shape[1];
    const int64_t length = wide ? shape[1] : shape[0];
    auto at = [&](int64_t vec, int64_t i) {
      return wide ? At(q, vec * shape[1] + i) : At(q, i * shape[1] + vec);
    };
    for (int64_t a = 0; a < count; ++a) {
      for (int64_t b = 0; b < count; ++b) {
        double dot = 0;
        for (int64_t i = 0; i < length; ++i) dot += at(a, i) * at(b, i);
        EXPECT_NEAR(dot, a == b ? 1.0 : 0.0, 1e-5);
      }
    }
  }
}

// unit_forget_bias: the forget gate's quarter of the bias starts at one.
TEST(KerasRecurrentTest, LstmForgetBiasIsOne) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "LSTM", {Value::Int(2)});
  CallLayer(ctx, *layer, {T(Ones({1, 1, 1}))});
  const Tensor bias = static_cast<Layer&>(*layer).Weights()[2].second;
  const std::vector<float> want = {0, 0, 1, 1, 0, 0, 0, 0};
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(At(bias, i), want[i]);
}

// Values printed by real Keras 3.15 for the same weights and inputs.
TEST(KerasRecurrentTest, ValuesMatchKerasForOnesWeights) {
  RunContext ctx;
  auto lstm = MakeLayer(ctx, "LSTM", {Value::Int(2)},
                        OnesWeights({{"return_sequences", Value::Bool(true)}}));
  const Tensor x = FromValues({1, 3, 2}, {0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f});
  const Tensor y = CallLayer(ctx, *lstm, {T(x)}).as_tensor();
  EXPECT_EQ(y.shape(), (Shape{1, 3, 2}));
  EXPECT_NEAR(At(y, 0), 0.05943685f, 1e-6);
  EXPECT_NEAR(At(y, 2), 0.14955156f, 1e-6);
  EXPECT_NEAR(At(y, 4), 0.28907883f, 1e-6);

  auto gru = MakeLayer(ctx, "GRU", {Value::Int(2)},
                       OnesWeights({{"return_sequences", Value::Bool(true)},
                                    {"bias_initializer", Value::Str("ones")}}));
  const Tensor g = CallLayer(ctx, *gru, {T(x)}).as_tensor();
  EXPECT_NEAR(At(g, 0), 0.09680448f, 1e-6);
  EXPECT_NEAR(At(g, 4), 0.2301353f, 1e-6);

  auto rnn = MakeLayer(ctx, "SimpleRNN", {Value::Int(2)},
                       OnesWeights({{"return_sequences", Value::Bool(true)},
                                    {"go_backwards", Value::Bool(true)}}));
  const Tensor s =
      CallLayer(ctx, *rnn, {T(FromValues({1, 3, 1}, {0.1f, 0.2f, 0.3f}))})
          .as_tensor();
  // Outputs in processing order: the last step first.
  EXPECT_NEAR(At(s, 0), 0.29131263f, 1e-6);
  EXPECT_NEAR(At(s, 4), 0.8871585f, 1e-6);
}

// A masked step keeps the states and repeats the previous output (zeros
// before the first); the mask passes through with return_sequences.
TEST(KerasRecurrentTest, MaskedStepsKeepTheState) {
  RunContext ctx;
  auto lstm = MakeLayer(ctx, "LSTM", {Value::Int(2)},
                        OnesWeights({{"return_sequences", Value::Bool(true)},
                                     {"return_state", Value::Bool(true)}}));
  const Value out =
      CallLayer(ctx, *lstm, {T(FromValues({1, 3, 1}, {0.1f, 0.2f, 0.3f}))},
                {{"mask", T(Bools({1, 3}, {true, true, false}))}});
  ASSERT_EQ(out.kind(), Value::Kind::kTuple);
  ASSERT_EQ(out.items().size(), 3u);
  const Tensor seq = out.items()[0].as_tensor();
  EXPECT_NEAR(At(seq, 2), 0.1010266f, 1e-6);
  EXPECT_NEAR(At(seq, 4), 0.1010266f, 1e-6);
  EXPECT_NEAR(At(out.items()[2].as_tensor(), 0), 0.18128267f, 1e-6);
  ASSERT_NE(out.items()[0].keras_mask(), nullptr);
  EXPECT_EQ(out.items()[1].keras_mask(), nullptr);

  auto gru = MakeLayer(ctx, "GRU", {Value::Int(2)},
                       OnesWeights({{"return_sequences", Value::Bool(true)}}));
  const Tensor g =
      CallLayer(ctx, *gru, {T(FromValues({1, 3, 1}, {0.1f, 0.2f, 0.3f}))},
                {{"mask", T(Bools({1, 3}, {false, true, true}))}})
          .as_tensor();
  EXPECT_EQ(At(g, 0), 0.0f);
  EXPECT_NEAR(At(g, 2), 0.08885166f, 1e-6);
}

TEST(KerasRecurrentTest, ReturnStateIsAListUnderTfKeras) {
  RunContext ctx;
  ctx.profile = Profile::kTfKeras;
  auto gru = MakeLayer(ctx, "GRU", {Value::Int(3)},
                       {{"return_state", Value::Bool(true)}});
  const Value out = CallLayer(ctx, *gru, {T(Normal({2, 4, 5}))});
  ASSERT_EQ(out.kind(), Value::Kind::kList);
  EXPECT_EQ(out.items()[0].as_tensor().shape(), (Shape{2, 3}));
  EXPECT_EQ(out.items()[1].as_tensor().shape(), (Shape{2, 3}));
}

TEST(KerasRecurrentTest, InputSpecWantsRank3) {
  RunContext ctx;
  auto lstm = MakeLayer(ctx, "LSTM", {Value::Int(4)});
  const Error e = CatchError([&] { CallLayer(ctx, *lstm, {T(Ones({2, 3}))}); });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_FALSE(e.keras_call.has_value());
  EXPECT_EQ(
      e.Message(),
      "Input 0 with name 'None' of layer 'lstm' is incompatible with the "
      "layer: expected ndim=3, found ndim=2. Full shape received: (2, 3)");
}

TEST(KerasRecurrentTest, UnitsMustBePositive) {
  RunContext ctx;
  const Error e = CatchError([&] { MakeLayer(ctx, "GRU", {Value::Int(0)}); });
  EXPECT_EQ(e.Message(),
            "Received an invalid value for argument `units`, expected a "
            "positive integer, got 0.");
}

TEST(KerasRecurrentTest, InitialStateCountErrorsInKeras3) {
  RunContext ctx;
  auto lstm = MakeLayer(ctx, "LSTM", {Value::Int(4)});
  const Error one = CatchError([&] {
    CallLayer(ctx, *lstm, {T(Ones({2, 3, 5}))},
              {{"initial_state", List({Ones({2, 4})})}});
  });
  EXPECT_EQ(one.cls, ErrorClass::kIndexError);
  ASSERT_TRUE(one.keras_call.has_value());
  EXPECT_EQ(one.keras_call->class_name, "LSTM");
  const Error three = CatchError([&] {
    CallLayer(
        ctx, *lstm, {T(Ones({2, 3, 5}))},
        {{"initial_state", List({Ones({2, 4}), Ones({2, 4}), Ones({2, 4})})}});
  });
  EXPECT_EQ(three.text, "Too few leaves for PyTreeSpec; expected: 3, got: 2.");
}

// A state of the wrong width fails in the cell's MatMul, inside the cell's
// own call frame (Keras 3 calls the cell as a layer).
TEST(KerasRecurrentTest, WrongStateWidthFailsInTheCell) {
  RunContext ctx;
  auto rnn = MakeLayer(ctx, "SimpleRNN", {Value::Int(4)});
  const Error e = CatchError([&] {
    CallLayer(ctx, *rnn, {T(Ones({2, 3, 5}))},
              {{"initial_state", T(Ones({2, 3}))}});
  });
  EXPECT_EQ(e.cls, ErrorClass::kInvalidArgumentError);
  ASSERT_TRUE(e.keras_call.has_value());
  EXPECT_EQ(e.keras_call->class_name, "SimpleRNNCell");
  ASSERT_EQ(e.keras_call->arguments.size(), 3u);
  EXPECT_EQ(e.keras_call->arguments[0].first, "sequence");
}

TEST(KerasRecurrentTest, TfKerasValidatesInitialStateInBuild) {
  RunContext ctx;
  ctx.profile = Profile::kTfKeras;
  auto lstm = MakeLayer(ctx, "LSTM", {Value::Int(4)});
  const Error e = CatchError([&] {
    CallLayer(ctx, *lstm, {T(Ones({2, 3, 5}))},
              {{"initial_state", List({Ones({2, 4})})}});
  });
  EXPECT_EQ(e.Message(),
            "An `initial_state` was passed that is not compatible with "
            "`cell.state_size`. Received `state_spec`=ListWrapper("
            "[InputSpec(shape=(2, 4), ndim=2)]); however `cell.state_size` "
            "is [4, 4]");
}

// Symbolic: (None, 256) for the output and each state.
TEST(KerasRecurrentTest, SymbolicReturnState) {
  RunContext ctx;
  auto lstm = MakeLayer(ctx, "LSTM", {Value::Int(256)},
                        {{"return_state", Value::Bool(true)}});
  const auto input =
      NewKerasTensor(ctx, PartialShape{Dim(), Dim(), 71}, DType::kFloat32);
  const Value out = CallLayer(ctx, *lstm, {Value::FromObject(input)});
  ASSERT_EQ(out.items().size(), 3u);
  for (const Value& v : out.items()) {
    EXPECT_EQ(AsKerasTensor(v)->shape(), (PartialShape{Dim(), 256}));
  }
  EXPECT_EQ(WeightShape(*lstm, 0), (Shape{71, 1024}));
}

TEST(KerasRecurrentTest, SymbolicUnknownFeaturesCannotBuild) {
  RunContext ctx;
  auto lstm = MakeLayer(ctx, "LSTM", {Value::Int(4)});
  const auto input =
      NewKerasTensor(ctx, PartialShape{Dim(), Dim(), Dim()}, DType::kFloat32);
  const Error e =
      CatchError([&] { CallLayer(ctx, *lstm, {Value::FromObject(input)}); });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
}

// Bidirectional: forward and go_backwards copies, the backward sequence
// flipped back, concatenated; a masked step gives zeros in both directions
// (force_zero_output_for_mask). Values printed by real Keras 3.15.
TEST(KerasRecurrentTest, BidirectionalConcatAndMask) {
  RunContext ctx;
  auto inner =
      MakeLayer(ctx, "SimpleRNN", {Value::Int(2)},
                OnesWeights({{"return_sequences", Value::Bool(true)}}));
  auto bi = MakeLayer(ctx, "Bidirectional", {Value::FromObject(inner)});
  const Tensor x = FromValues({1, 3, 1}, {0.1f, 0.2f, 0.3f});
  const Tensor y = CallLayer(ctx, *bi, {T(x)}).as_tensor();
  EXPECT_EQ(y.shape(), (Shape{1, 3, 4}));
  EXPECT_NEAR(At(y, 0), 0.099668f, 1e-6);
  EXPECT_NEAR(At(y, 2), 0.8871585f, 1e-6);
  EXPECT_NEAR(At(y, 10), 0.29131263f, 1e-6);
  EXPECT_EQ(static_cast<Layer&>(*bi).Weights().size(), 6u);
  const Tensor ym = CallLayer(ctx, *bi, {T(x)},
                              {{"mask", T(Bools({1, 3}, {true, true, false}))}})
                        .as_tensor();
  EXPECT_NEAR(At(ym, 2), 0.45797884f, 1e-6);
  for (int64_t i = 8; i < 12; ++i) EXPECT_EQ(At(ym, i), 0.0f);
  const auto fwd = bi->GetAttr("forward_layer");
  ASSERT_TRUE(fwd.has_value());
  EXPECT_EQ(static_cast<const Layer&>(*fwd->as_object()).name(),
            "forward_simple_rnn");
}

TEST(KerasRecurrentTest, BidirectionalMergeModeErrors) {
  RunContext ctx;
  auto inner = MakeLayer(ctx, "LSTM", {Value::Int(3)});
  const Error bad = CatchError([&] {
    MakeLayer(ctx, "Bidirectional", {Value::FromObject(inner)},
              {{"merge_mode", Value::Str("max")}});
  });
  EXPECT_EQ(bad.Message(),
            "Invalid merge mode. Received: max. Merge mode should be one of "
            "{\"sum\", \"mul\", \"ave\", \"concat\", None}");
  const Error not_layer =
      CatchError([&] { MakeLayer(ctx, "Bidirectional", {Value::Int(3)}); });
  EXPECT_EQ(not_layer.Message(),
            "Please initialize `Bidirectional` layer with a "
            "`keras.layers.Layer` instance. Received: 3");
}

// Symbolic: merge_mode=None and return_state give two outputs, then the
// forward and the backward states.
TEST(KerasRecurrentTest, BidirectionalSymbolicOutputs) {
  RunContext ctx;
  auto inner = MakeLayer(ctx, "LSTM", {Value::Int(8)},
                         {{"return_state", Value::Bool(true)}});
  auto bi = MakeLayer(ctx, "Bidirectional", {Value::FromObject(inner)},
                      {{"merge_mode", Value::None()}});
  const auto input =
      NewKerasTensor(ctx, PartialShape{Dim(), 5, 3}, DType::kFloat32);
  const Value out = CallLayer(ctx, *bi, {Value::FromObject(input)});
  ASSERT_EQ(out.items().size(), 6u);
  for (const Value& v : out.items()) {
    EXPECT_EQ(AsKerasTensor(v)->shape(), (PartialShape{Dim(), 8}));
  }
  EXPECT_EQ(static_cast<Layer&>(*bi).Weights().size(), 6u);
}

}  // namespace
}  // namespace ap::keras
