// layers.Conv1D: weights as Keras creates them, exact outputs for 'valid',
// 'same' and 'causal' padding, the InputSpec pinned after build, Keras'
// constructor and output-size errors, symbolic output shapes. Texts are
// Keras 3.15's / tf-keras 2.21's, as tests/corpus/keras_conv_pool_layers.json
// records them.
#include "core/keras/convolution.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using namespace ::ap::keras::testing;

Tensor Iota(const Shape& shape) {
  Tensor t = Tensor::Zeros(DType::kFloat32, shape);
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    t.f32()[i] = static_cast<float>(i);
  }
  return t;
}

std::shared_ptr<Callable> OnesConv(
    RunContext& ctx, int64_t filters, int64_t kernel_size,
    std::vector<std::pair<std::string, Value>> keywords = {}) {
  keywords.emplace_back("kernel_initializer", Value::Str("ones"));
  return MakeLayer(ctx, "Conv1D",
                   {Value::Int(filters), Value::Int(kernel_size)},
                   std::move(keywords));
}

// kernel (kernel_size, channels, filters) and bias (filters,), in that order.
TEST(KerasConvolutionTest, WeightsAsKerasCreatesThem) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Conv1D", {Value::Int(16), Value::Int(5)});
  const Tensor y = CallLayer(ctx, *layer, {T(Normal({2, 10, 8}))}).as_tensor();
  EXPECT_EQ(y.shape(), (Shape{2, 6, 16}));
  const auto weights = static_cast<Layer&>(*layer).Weights();
  ASSERT_EQ(weights.size(), 2u);
  EXPECT_EQ(weights[0].first, "kernel");
  EXPECT_EQ(weights[0].second.shape(), (Shape{5, 8, 16}));
  EXPECT_EQ(weights[1].first, "bias");
  EXPECT_EQ(weights[1].second.shape(), (Shape{16}));
}

// A ones kernel sums each window: step t of 'valid' sees steps t..t+2.
TEST(KerasConvolutionTest, ValidSumsEachWindow) {
  RunContext ctx;
  auto layer = OnesConv(ctx, 1, 3);
  const Tensor y = CallLayer(ctx, *layer, {T(Iota({1, 5, 1}))}).as_tensor();
  ASSERT_EQ(y.shape(), (Shape{1, 3, 1}));
  EXPECT_EQ(At(y, 0), 0 + 1 + 2);
  EXPECT_EQ(At(y, 2), 2 + 3 + 4);
}

// 'same' pads one step on each side for a window of 3; 'causal' pads two
// steps before, so step t sees t-2..t only.
TEST(KerasConvolutionTest, SameAndCausalPadding) {
  RunContext ctx;
  auto same = OnesConv(ctx, 1, 3, {{"padding", Value::Str("same")}});
  const Tensor s = CallLayer(ctx, *same, {T(Iota({1, 5, 1}))}).as_tensor();
  ASSERT_EQ(s.shape(), (Shape{1, 5, 1}));
  EXPECT_EQ(At(s, 0), 0 + 1);
  EXPECT_EQ(At(s, 4), 3 + 4);
  auto causal = OnesConv(ctx, 1, 3, {{"padding", Value::Str("causal")}});
  const Tensor c = CallLayer(ctx, *causal, {T(Iota({1, 5, 1}))}).as_tensor();
  ASSERT_EQ(c.shape(), (Shape{1, 5, 1}));
  EXPECT_EQ(At(c, 0), 0);
  EXPECT_EQ(At(c, 1), 0 + 1);
  EXPECT_EQ(At(c, 4), 2 + 3 + 4);
}

// After build the channels are pinned: the InputSpec error, unwrapped.
TEST(KerasConvolutionTest, ChannelsPinnedAfterBuild) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Conv1D", {Value::Int(4), Value::Int(3)});
  CallLayer(ctx, *layer, {T(Ones({2, 5, 3}))});
  const Error e = CatchError([&] {
    CallLayer(ctx, *layer, {T(Ones({2, 5, 6}))});
  });
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_FALSE(e.keras_call.has_value());
  EXPECT_THAT(e.Message(),
              ::testing::HasSubstr("expected axis -1 of input shape to have "
                                   "value 3, but received input with shape "
                                   "(2, 5, 6)"));
}

// A window longer than the steps: each framework's build() error.
TEST(KerasConvolutionTest, OutputSizeNegativeBothProfiles) {
  RunContext k3;
  auto a = MakeLayer(k3, "Conv1D", {Value::Int(4), Value::Int(7)});
  const Error e3 = CatchError([&] { CallLayer(k3, *a, {T(Ones({2, 5, 3}))}); });
  EXPECT_EQ(e3.Message(),
            "Computed output size would be zero or negative. Received `inputs "
            "shape=(2, 5, 3)`, `kernel shape=(7, 3, 4)`, `dilation_rate=[1]`, "
            "`strides=(1,)`, `padding=valid`.");
  RunContext tk;
  tk.profile = Profile::kTfKeras;
  auto b = MakeLayer(tk, "Conv1D", {Value::Int(4), Value::Int(7)});
  const Error et = CatchError([&] { CallLayer(tk, *b, {T(Ones({2, 5, 3}))}); });
  EXPECT_THAT(et.Message(),
              ::testing::HasSubstr("One of the dimensions in the output is <= "
                                   "0 due to downsampling in conv1d."));
}

TEST(KerasConvolutionTest, ConstructorErrors) {
  RunContext ctx;
  EXPECT_EQ(CatchError([&] {
              MakeLayer(ctx, "Conv1D", {Value::Int(0), Value::Int(3)});
            }).Message(),
            "Invalid value for argument `filters`. Expected a strictly "
            "positive value. Received filters=0.");
  EXPECT_EQ(CatchError([&] {
              MakeLayer(ctx, "Conv1D", {Value::Int(2), Value::Int(0)});
            }).Message(),
            "The `kernel_size` argument must be a tuple of 1 integers. "
            "Received kernel_size=0, including values {0} that do not "
            "satisfy `value > 0`");
  EXPECT_EQ(CatchError([&] {
              MakeLayer(ctx, "Conv1D", {Value::Int(2), Value::Int(3)},
                        {{"strides", Value::Int(2)},
                         {"dilation_rate", Value::Int(2)}});
            }).Message(),
            "`strides > 1` not supported in conjunction with `dilation_rate "
            "> 1`. Received: strides=(2,) and dilation_rate=(2,)");
}

// int32 inputs meet the float32 kernel in Conv2D, inside call().
TEST(KerasConvolutionTest, IntInputFailsInConv2D) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Conv1D", {Value::Int(2), Value::Int(3)});
  const Error e = CatchError([&] {
    CallLayer(ctx, *layer, {T(ops::Fill({2, 5, 3}, 1.0, DType::kInt32))});
  });
  EXPECT_TRUE(e.keras_call.has_value());
  EXPECT_THAT(e.Message(),
              ::testing::HasSubstr("cannot compute Conv2D as input "
                                   "#1(zero-based) was expected to be a int32 "
                                   "tensor but is a float tensor"));
}

// Unknown steps stay unknown; known ones follow the padding and strides.
TEST(KerasConvolutionTest, SymbolicOutputShapes) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "Conv1D", {Value::Int(16), Value::Int(3)},
                         {{"strides", Value::Int(2)}});
  const auto none_steps =
      NewKerasTensor(ctx, PartialShape{Dim(), Dim(), 8}, DType::kFloat32);
  const auto out =
      AsKerasTensor(CallLayer(ctx, *layer, {Value::FromObject(none_steps)}));
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(out->shape(), (PartialShape{Dim(), Dim(), 16}));
  const auto ten =
      NewKerasTensor(ctx, PartialShape{Dim(), 10, 8}, DType::kFloat32);
  const auto out10 =
      AsKerasTensor(CallLayer(ctx, *layer, {Value::FromObject(ten)}));
  EXPECT_EQ(out10->shape(), (PartialShape{Dim(), 4, 16}));
}

}  // namespace
}  // namespace ap::keras
