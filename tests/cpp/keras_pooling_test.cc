// MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D and
// GlobalMaxPooling1D: window arithmetic with 'valid' and 'same', the masked
// average, which of them keep a mask, symbolic shapes and Keras 3's
// output-size error. Texts as tests/corpus/keras_conv_pool_layers.json
// records them.
#include "core/keras/pooling.h"
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

TEST(KerasPoolingTest, MaxPoolingValidDropsTheLastStep) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "MaxPooling1D");
  const Tensor y = CallLayer(ctx, *layer, {T(Iota({1, 5, 1}))}).as_tensor();
  ASSERT_EQ(y.shape(), (Shape{1, 2, 1}));
  EXPECT_EQ(At(y, 0), 1);
  EXPECT_EQ(At(y, 1), 3);
}

// 'same': the last window holds one real step; the average counts only it.
TEST(KerasPoolingTest, AveragePoolingSameCountsRealSteps) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "AveragePooling1D", {Value::Int(2)},
                         {{"padding", Value::Str("same")}});
  const Tensor y = CallLayer(ctx, *layer, {T(Iota({1, 5, 1}))}).as_tensor();
  ASSERT_EQ(y.shape(), (Shape{1, 3, 1}));
  EXPECT_EQ(At(y, 0), 0.5f);
  EXPECT_EQ(At(y, 2), 4.0f);
}

// Keras 3's AveragePooling1D has no default pool_size; tf_keras' has 2.
TEST(KerasPoolingTest, AveragePoolingPoolSizeRequiredInKeras3) {
  RunContext k3;
  const Error e = CatchError([&] { MakeLayer(k3, "AveragePooling1D"); });
  EXPECT_EQ(e.cls, ErrorClass::kTypeError);
  RunContext tk;
  tk.profile = Profile::kTfKeras;
  auto layer = MakeLayer(tk, "AveragePooling1D");
  EXPECT_EQ(CallLayer(tk, *layer, {T(Ones({1, 4, 2}))}).as_tensor().shape(),
            (Shape{1, 2, 2}));
}

// The masked average: only the kept steps, and no mask on the output.
TEST(KerasPoolingTest, GlobalAverageWithMask) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "GlobalAveragePooling1D");
  Tensor mask = Tensor::Zeros(DType::kBool, {1, 4});
  mask.b8()[0] = mask.b8()[1] = 1;
  const Value y =
      CallLayer(ctx, *layer, {T(Iota({1, 4, 1}))}, {{"mask", T(mask)}});
  ASSERT_EQ(y.as_tensor().shape(), (Shape{1, 1}));
  EXPECT_EQ(At(y.as_tensor(), 0), 0.5f);
  EXPECT_TRUE(KerasMasksOf(y).is_none());
}

TEST(KerasPoolingTest, GlobalMaxKeepdims) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "GlobalMaxPooling1D", {},
                         {{"keepdims", Value::Bool(true)}});
  const Tensor y = CallLayer(ctx, *layer, {T(Iota({2, 3, 2}))}).as_tensor();
  ASSERT_EQ(y.shape(), (Shape{2, 1, 2}));
  EXPECT_EQ(At(y, 0), 4);
  EXPECT_EQ(At(y, 3), 11);
}

// A symbolic pool wider than the steps: Keras 3's compute_output_spec
// error, framed with args=/kwargs=.
TEST(KerasPoolingTest, SymbolicOutputSizeError) {
  RunContext ctx;
  auto layer = MakeLayer(ctx, "MaxPooling1D", {Value::Int(6)});
  const auto input =
      NewKerasTensor(ctx, PartialShape{Dim(), 5, 3}, DType::kFloat32);
  const Error e =
      CatchError([&] { CallLayer(ctx, *layer, {Value::FromObject(input)}); });
  ASSERT_TRUE(e.keras_call.has_value());
  ASSERT_EQ(e.keras_call->arguments.size(), 2u);
  EXPECT_EQ(e.keras_call->arguments[0].first, "args");
  EXPECT_THAT(e.Message(),
              ::testing::HasSubstr("`inputs.shape=[None 5 3]`, "
                                   "`pool_size=[6]`, `strides=(6,)`"));
}

TEST(KerasPoolingTest, SymbolicShapes) {
  RunContext ctx;
  const auto input =
      NewKerasTensor(ctx, PartialShape{Dim(), Dim(), 8}, DType::kFloat32);
  auto pool = MakeLayer(ctx, "MaxPooling1D");
  EXPECT_EQ(
      AsKerasTensor(CallLayer(ctx, *pool, {Value::FromObject(input)}))->shape(),
      (PartialShape{Dim(), Dim(), 8}));
  auto gap = MakeLayer(ctx, "GlobalAveragePooling1D");
  EXPECT_EQ(
      AsKerasTensor(CallLayer(ctx, *gap, {Value::FromObject(input)}))->shape(),
      (PartialShape{Dim(), 8}));
}

}  // namespace
}  // namespace ap::keras
