// The Keras 2-era helpers: the legacy backend's functions (K.dot's
// reshapes, batch_dot's checks, what a KerasTensor meets in their Python
// bodies) and keras.utils' to_categorical / pad_sequences. The corpus file
// keras_legacy_backend.json holds real Keras' verdicts for whole programs;
// these tests call the functions directly.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "core/keras/keras_tensor.h"
#include "core/numpy/ndarray.h"
#include "core/ops/ops.h"
#include "core/repr.h"
#include "core/tf/keras_utils.h"
#include "core/tf/legacy_backend.h"
#include "python_test_util.h"

namespace ap::tf {
namespace {

Value Ones(Shape shape) {
  return Value::FromTensor(ops::Fill(shape, 1.0, DType::kFloat32));
}

Value IntList(std::initializer_list<int64_t> xs) {
  ValueList items;
  for (int64_t x : xs) items.push_back(Value::Int(x));
  return Value::List(std::move(items));
}

class LegacyBackendTest : public ::testing::Test {
 protected:
  Value Call(const char* name, ValueList args,
             std::vector<std::pair<std::string, Value>> keywords = {}) {
    const auto& module = profile_ == Profile::kTfKeras ? tf_keras_ : keras3_;
    const Value fn = *module->GetAttr(name);
    CallArgs call;
    call.positional = std::move(args);
    call.keywords = std::move(keywords);
    ctx_.profile = profile_;
    return static_cast<Callable&>(*fn.as_object()).Call(ctx_, call);
  }
  // The error `name(args)` raises.
  Error Fails(const char* name, ValueList args) {
    try {
      Call(name, std::move(args));
    } catch (const ErrorException& e) {
      return e.error();
    }
    ADD_FAILURE() << name << " did not raise";
    return Error{};
  }
  Value KerasInput(PartialShape shape) {
    return Value::FromObject(
        keras::NewKerasTensor(ctx_, std::move(shape), DType::kFloat32));
  }

  RunContext ctx_;
  Profile profile_ = Profile::kKeras3;
  std::shared_ptr<Module> keras3_ = MakeLegacyBackendModule(Profile::kKeras3);
  std::shared_ptr<Module> tf_keras_ =
      MakeLegacyBackendModule(Profile::kTfKeras);
};

// K.dot beyond rank 2: x.shape[:-1] + y.shape[:-2] + y.shape[-1:].
TEST_F(LegacyBackendTest, DotContractsLastAxisWithSecondToLast) {
  EXPECT_EQ(Call("dot", {Ones({2, 3, 4}), Ones({4, 5})}).as_tensor().shape(),
            (Shape{2, 3, 5}));
  EXPECT_EQ(Call("dot", {Ones({2, 3, 4}), Ones({6, 4, 5})}).as_tensor().shape(),
            (Shape{2, 3, 6, 5}));
}

// MatMul fails on the reshaped operands: x as (6, 4), y as (3, 5).
TEST_F(LegacyBackendTest, DotErrorShowsReshapedOperands) {
  const Error e = Fails("dot", {Ones({2, 3, 4}), Ones({3, 5})});
  EXPECT_EQ(e.op, "MatMul");
  EXPECT_NE(e.Message().find("In[0]: [6,4], In[1]: [3,5]"), std::string::npos)
      << e.Message();
  EXPECT_EQ(Fails("dot", {Ones({2, 3, 4}), Ones({4})}).cls,
            ErrorClass::kIndexError);
}

// batch_dot's default axes and its 2-D and 4-D forms.
TEST_F(LegacyBackendTest, BatchDotShapes) {
  EXPECT_EQ(
      Call("batch_dot", {Ones({2, 3, 4}), Ones({2, 4, 5})}).as_tensor().shape(),
      (Shape{2, 3, 5}));
  EXPECT_EQ(Call("batch_dot", {Ones({2, 4}), Ones({2, 4}), Value::Int(1)})
                .as_tensor()
                .shape(),
            (Shape{2, 1}));
  EXPECT_EQ(Call("batch_dot", {Ones({2, 3, 4, 6}), Ones({2, 6, 5})})
                .as_tensor()
                .shape(),
            (Shape{2, 3, 4, 5}));
}

// Keras 3 says "tf.shapes", tf-keras "shapes".
TEST_F(LegacyBackendTest, BatchDotMismatchTextPerProfile) {
  const std::string keras3 =
      Fails("batch_dot", {Ones({2, 3, 4}), Ones({2, 5, 5})}).Message();
  EXPECT_EQ(keras3,
            "Cannot do batch_dot on inputs with tf.shapes (2, 3, 4) and (2, "
            "5, 5) with axes=[2, 1]. x.shape[2] != y.shape[1] (4 != 5).");
  profile_ = Profile::kTfKeras;
  EXPECT_NE(Fails("batch_dot", {Ones({2, 3, 4}), Ones({2, 5, 5})})
                .Message()
                .find("with shapes (2, 3, 4)"),
            std::string::npos);
}

// int_shape reads x.shape only, so a KerasTensor gives its tuple; ndim
// and dtype read .rank / .base_dtype, which a KerasTensor's tuple and str
// lack; a TF op raises Keras' KerasTensor ValueError.
TEST_F(LegacyBackendTest, KerasTensorsMeetThePythonBodies) {
  const Value kt = KerasInput({Dim(), Dim(), 8});
  EXPECT_EQ(Repr(Call("int_shape", {kt})), "(None, None, 8)");
  Error e = Fails("ndim", {kt});
  EXPECT_EQ(e.cls, ErrorClass::kAttributeError);
  EXPECT_EQ(e.Message(), "'tuple' object has no attribute 'rank'");
  EXPECT_EQ(Fails("dtype", {kt}).Message(),
            "'str' object has no attribute 'base_dtype'");
  e = Fails("sum", {kt});
  EXPECT_EQ(e.cls, ErrorClass::kValueError);
  EXPECT_EQ(e.Message().rfind("A KerasTensor cannot be used", 0), 0u);
}

// K.softmax refuses rank 1 itself, quoting the tensor's format().
TEST_F(LegacyBackendTest, SoftmaxRank1) {
  EXPECT_EQ(Fails("softmax", {Ones({3})}).Message(),
            "Cannot apply softmax to a tensor that is 1D. Received input: "
            "[1. 1. 1.]");
}

// K.repeat's rank check: a ValueError in Keras 3, a bare assert in tf-keras.
TEST_F(LegacyBackendTest, RepeatRankPerProfile) {
  EXPECT_EQ(Fails("repeat", {Ones({2, 3, 4}), Value::Int(2)}).Message(),
            "Expected input `x` to have rank 2. Received: rank(x)=3");
  profile_ = Profile::kTfKeras;
  EXPECT_EQ(Fails("repeat", {Ones({2, 3, 4}), Value::Int(2)}).cls,
            ErrorClass::kAssertionError);
}

// Functions the playground does not model are refused by name.
TEST_F(LegacyBackendTest, UnmodelledFunctionsAreRefused) {
  for (const char* name : {"rnn", "zeros", "variable"}) {
    try {
      keras3_->GetAttr(name);
      ADD_FAILURE() << name;
    } catch (const ErrorException& e) {
      EXPECT_EQ(e.error().cls, ErrorClass::kNotSupportedError);
      EXPECT_NE(e.error().Message().find(name), std::string::npos);
    }
  }
}

class KerasUtilsTest : public ::testing::Test {
 protected:
  Value Call(Profile profile, const char* name, ValueList args,
             std::vector<std::pair<std::string, Value>> keywords = {}) {
    Module utils("keras.utils");
    AddKerasUtils(utils, profile);
    CallArgs call;
    call.positional = std::move(args);
    call.keywords = std::move(keywords);
    ctx_.profile = profile;
    return static_cast<Callable&>(*utils.GetAttr(name)->as_object())
        .Call(ctx_, call);
  }
  RunContext ctx_;
};

// to_categorical: float64 under Keras 3, float32 (its dtype=) in tf-keras;
// a trailing axis of 1 is dropped.
TEST_F(KerasUtilsTest, ToCategoricalDTypeAndShape) {
  const Value labels = Value::List({IntList({0}), IntList({2})});
  const Value k3 = Call(Profile::kKeras3, "to_categorical", {labels});
  ASSERT_TRUE(np::IsNdarray(k3));
  EXPECT_EQ(np::NdarrayTensor(k3).dtype(), DType::kFloat64);
  EXPECT_EQ(np::NdarrayTensor(k3).shape(), (Shape{2, 3}));
  const Value tfk = Call(Profile::kTfKeras, "to_categorical", {labels});
  EXPECT_EQ(np::NdarrayTensor(tfk).dtype(), DType::kFloat32);
}

// numpy's IndexError for a class index beyond num_classes.
TEST_F(KerasUtilsTest, ToCategoricalIndexOutOfBounds) {
  try {
    Call(Profile::kKeras3, "to_categorical", {IntList({0, 2})},
         {{"num_classes", Value::Int(2)}});
    ADD_FAILURE();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().Message(),
              "index 2 is out of bounds for axis 1 with size 2");
  }
}

// pad_sequences: 'pre' by default, int32, truncation keeps the end.
TEST_F(KerasUtilsTest, PadSequencesPreAndPost) {
  const Value seqs = Value::List({IntList({1, 2, 3}), IntList({4})});
  const Tensor pre = np::NdarrayTensor(Call(
      Profile::kKeras3, "pad_sequences", {seqs}, {{"maxlen", Value::Int(2)}}));
  EXPECT_EQ(pre.dtype(), DType::kInt32);
  EXPECT_EQ(std::vector<int32_t>(pre.i32(), pre.i32() + 4),
            (std::vector<int32_t>{2, 3, 0, 4}));
  const Tensor post =
      np::NdarrayTensor(Call(Profile::kKeras3, "pad_sequences", {seqs},
                             {{"maxlen", Value::Int(2)},
                              {"padding", Value::Str("post")},
                              {"truncating", Value::Str("post")}}));
  EXPECT_EQ(std::vector<int32_t>(post.i32(), post.i32() + 4),
            (std::vector<int32_t>{1, 2, 4, 0}));
}

// set_random_seed takes ints only, with Keras' text.
TEST_F(KerasUtilsTest, SetRandomSeedNeedsAnInt) {
  try {
    Call(Profile::kKeras3, "set_random_seed", {Value::Float(1.5)});
    ADD_FAILURE();
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().Message(),
              "Expected `seed` argument to be an integer. Received: seed=1.5 "
              "(of type <class 'float'>)");
  }
}

// ---- whole programs (the modules as programs import them) -------------------

// Under Keras 3, tf.keras.backend is the legacy module while keras.utils
// and tensorflow.keras.utils are one module with the data helpers.
TEST(LegacyProgramTest, TfKerasBackendIsTheLegacyOne) {
  EXPECT_EQ(py::testing::Out(
                "import tensorflow as tf\n"
                "from tensorflow.keras import backend as K\n"
                "import keras\n"
                "print(K.dot(tf.ones((2, 3, 4)), tf.ones((4, 5))).shape)\n"
                "print(tf.keras.backend.int_shape(keras.Input((None, 8))))\n"
                "print(tf.keras.utils is keras.utils)\n"),
            "(2, 3, 5)\n(None, None, 8)\nTrue\n");
}

// A Keras 2-era attention layer (add_weight in build, K.* in call) in a
// functional LSTM model: its output shape comes from running call().
TEST(LegacyProgramTest, CustomAttentionLayerInFunctionalModel) {
  EXPECT_EQ(
      py::testing::Out(
          "import tensorflow as tf\n"
          "from tensorflow import keras\n"
          "from tensorflow.keras.layers import Layer, LSTM\n"
          "from tensorflow.keras import backend as K\n"
          "class attention(Layer):\n"
          "    def build(self, input_shape):\n"
          "        self.W = self.add_weight(name='w', shape=(input_shape[-1], "
          "1))\n"
          "        self.b = self.add_weight(name='b', shape=(input_shape[1], "
          "1))\n"
          "    def call(self, x):\n"
          "        et = K.squeeze(K.tanh(K.dot(x, self.W) + self.b), axis=-1)\n"
          "        at = K.expand_dims(K.softmax(et), axis=-1)\n"
          "        return K.sum(x * at, axis=1)\n"
          "inputs = keras.Input(shape=(10, 8))\n"
          "a = attention()(LSTM(16, return_sequences=True)(inputs))\n"
          "model = keras.Model(inputs, a)\n"
          "print(a.shape, model(tf.ones((4, 10, 8))).shape)\n"),
      "(None, 16) (4, 16)\n");
}

// tensorflow.keras.preprocessing.sequence still exists under Keras 3.
TEST(LegacyProgramTest, PreprocessingSequencePath) {
  EXPECT_EQ(
      py::testing::Out("import tensorflow as tf\n"
                       "from tensorflow.keras.preprocessing.sequence import "
                       "pad_sequences\n"
                       "print(pad_sequences([[1, 2, 3], [4]], maxlen=2))\n"),
      "[[2 3]\n [0 4]]\n");
}

}  // namespace
}  // namespace ap::tf
