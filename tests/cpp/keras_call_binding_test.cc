// Layer.__call__'s argument handling (keras/call_binding.h and Layer::Call):
// training= dropped when call() does not take it, tf_keras' CPython binding
// texts (self counted, the defining class named, keywords before the
// count), the checks and their order. Texts are Keras 3.15's / tf-keras
// 2.21's, as the corpus (tests/corpus/keras_layers.json, ids
// keras_layers_call_*) records them.
#include "core/keras/call_binding.h"
#include "keras_test_util.h"

namespace ap::keras {
namespace {

using namespace ::ap::keras::testing;

Error CallError(Profile profile, std::string_view cls, ValueList positional,
                std::vector<std::pair<std::string, Value>> keywords = {},
                ValueList constructor = {}) {
  RunContext ctx;
  ctx.profile = profile;
  auto layer = MakeLayer(ctx, cls, std::move(constructor));
  return CatchError([&] {
    CallLayer(ctx, *layer, std::move(positional), std::move(keywords));
  });
}

// Both profiles drop a training= that call() does not take.
TEST(KerasCallBindingTest, TrainingDroppedWhenCallDoesNotTakeIt) {
  for (Profile profile : {Profile::kKeras3, Profile::kTfKeras}) {
    RunContext ctx;
    ctx.profile = profile;
    auto norm = MakeLayer(ctx, "LayerNormalization");
    const Value y = CallLayer(ctx, *norm, {T(Ones({2, 3, 4}))},
                              {{"training", Value::Bool(true)}});
    EXPECT_EQ(y.as_tensor().shape(), (Shape{2, 3, 4}));
    auto add = MakeLayer(ctx, "Add");
    const Value s = CallLayer(ctx, *add, {List({Ones({2, 3}), Ones({2, 3})})},
                              {{"training", Value::Bool(false)}});
    EXPECT_EQ(s.as_tensor().shape(), (Shape{2, 3}));
  }
}

// A mask= is not dropped: call() rejects it.
TEST(KerasCallBindingTest, MaskKeywordReachesCall) {
  const Error k3 =
      CallError(Profile::kKeras3, "Add", {List({Ones({2, 3}), Ones({2, 3})})},
                {{"mask", Value::None()}});
  EXPECT_EQ(k3.Message(), "got an unexpected keyword argument 'mask'");
  const Error tf =
      CallError(Profile::kTfKeras, "Add", {List({Ones({2, 3}), Ones({2, 3})})},
                {{"mask", Value::None()}});
  EXPECT_EQ(tf.Message(),
            "_Merge.call() got an unexpected keyword argument 'mask'");
}

// tf_keras: CPython counts the bound self.
TEST(KerasCallBindingTest, TfKerasCountsSelf) {
  const Error one = CallError(Profile::kTfKeras, "LayerNormalization",
                              {T(Ones({2, 3})), T(Ones({2, 3}))});
  EXPECT_EQ(one.cls, ErrorClass::kTypeError);
  EXPECT_EQ(one.Message(),
            "LayerNormalization.call() takes 2 positional arguments but 3 "
            "were given");
  const Error range =
      CallError(Profile::kTfKeras, "Softmax",
                {T(Ones({2, 3})), T(Ones({2, 3})), T(Ones({2, 3}))});
  EXPECT_EQ(range.Message(),
            "Softmax.call() takes from 2 to 3 positional arguments but 4 were "
            "given");
}

// tf_keras: an unknown keyword is reported before the positional count.
TEST(KerasCallBindingTest, TfKerasKeywordsBeforeCount) {
  const Error e =
      CallError(Profile::kTfKeras, "LayerNormalization",
                {T(Ones({2, 3})), T(Ones({2, 3}))}, {{"foo", Value::Int(1)}});
  EXPECT_EQ(e.Message(),
            "LayerNormalization.call() got an unexpected keyword argument "
            "'foo'");
}

// tf_keras: the first argument must be passed, else a ValueError first.
TEST(KerasCallBindingTest, TfKerasFirstArgumentMissing) {
  const Error e = CallError(Profile::kTfKeras, "LayerNormalization", {},
                            {{"training", Value::Bool(true)}});
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_EQ(e.Message(),
            "The first argument to `Layer.call` must always be passed.");
}

// K3: training given positionally as a tensor is also passed as a keyword
// by Layer.__call__, after build().
TEST(KerasCallBindingTest, Keras3PositionalTrainingAfterBuild) {
  RunContext ctx;
  auto dense = MakeLayer(ctx, "Dense", {Value::Int(3)});
  const Tensor x = Ones({2, 4});
  const Error e = CatchError([&] { CallLayer(ctx, *dense, {T(x), T(x)}); });
  EXPECT_EQ(e.cls, ErrorClass::kTypeError);
  EXPECT_EQ(e.Message(),
            "Dense.call() got multiple values for argument 'training'");
  EXPECT_TRUE(dense->GetAttr("built")->as_bool());
}

// K3: a mask given positionally as None is also filled in as a keyword.
TEST(KerasCallBindingTest, Keras3PositionalNoneMask) {
  const Error e =
      CallError(Profile::kKeras3, "Softmax", {T(Ones({2, 3})), Value::None()});
  EXPECT_EQ(e.Message(),
            "Softmax.call() got multiple values for argument 'mask'");
}

// Python rejects self= before Layer.__call__ runs, in both profiles.
TEST(KerasCallBindingTest, SelfKeyword) {
  for (Profile profile : {Profile::kKeras3, Profile::kTfKeras}) {
    const Error e = CallError(profile, "LayerNormalization", {T(Ones({2, 3}))},
                              {{"self", Value::Int(1)}});
    EXPECT_EQ(e.Message(),
              "Layer.__call__() got multiple values for argument 'self'");
  }
}

// The input spec counts the flattened inputs; a non-tensor is a TypeError
// under tf_keras, which first turns Python numbers into tensors.
TEST(KerasCallBindingTest, InputSpecCountAndType) {
  const Error count = CallError(
      Profile::kKeras3, "Dense", {},
      {{"inputs", Value::List({Value::Float(1.0), Value::Float(2.0)})}},
      {Value::Int(3)});
  EXPECT_EQ(count.Message(),
            "Layer \"dense\" expects 1 input(s), but it received 2 input "
            "tensors. Inputs received: [1.0, 2.0]");
  const Error none = CallError(Profile::kTfKeras, "Dense", {Value::None()}, {},
                               {Value::Int(3)});
  EXPECT_EQ(none.cls, ErrorClass::kTypeError);
  EXPECT_EQ(none.Message(),
            "Inputs to a layer should be tensors. Got 'None' (of type <class "
            "'NoneType'>) as input for layer 'dense'.");
  const Error number = CallError(Profile::kTfKeras, "Dense",
                                 {Value::Float(3.0)}, {}, {Value::Int(3)});
  EXPECT_EQ(number.Message(),
            "Input 0 of layer \"dense\" is incompatible with the layer: "
            "expected min_ndim=2, found ndim=0. Full shape received: ()");
}

TEST(KerasCallBindingTest, CallOwner) {
  EXPECT_EQ(CallOwner(Profile::kTfKeras, "Concatenate"), "_Merge");
  EXPECT_EQ(CallOwner(Profile::kKeras3, "Add"), "Merge");
  EXPECT_EQ(CallOwner(Profile::kTfKeras, "AdditiveAttention"),
            "BaseDenseAttention");
  EXPECT_EQ(CallOwner(Profile::kKeras3, "AdditiveAttention"), "Attention");
  EXPECT_EQ(CallOwner(Profile::kKeras3, "Dense"), "Dense");
}

TEST(KerasCallBindingTest, BindLenientlyKeepsWhatFits) {
  CallArgs args;
  args.positional = {Value::Int(1), Value::Int(2), Value::Int(3)};
  args.keywords = {{"inputs", Value::Int(4)}, {"foo", Value::Int(5)}};
  bool complete = false;
  const BoundArgs bound =
      BindLeniently(ParseParams("inputs,mask=None"), args, &complete);
  EXPECT_TRUE(complete);
  EXPECT_EQ(bound[0].as_int(), 1);
  EXPECT_EQ(bound[1].as_int(), 2);
  CallArgs none;
  BindLeniently(ParseParams("query,value"), none, &complete);
  EXPECT_FALSE(complete);
}

}  // namespace
}  // namespace ap::keras
