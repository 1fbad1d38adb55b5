// The seams of the Python runtime: one truthiness, the immutable builtin
// table, and the run context's runtime and framework pointers.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/error.h"
#include "core/python/builtins.h"
#include "core/python/framework.h"
#include "core/python/object_ops.h"
#include "core/run/run.h"
#include "core/value.h"
#include "python_test_util.h"

namespace ap::py {
namespace {

// Python's bool() of plain values: empty and zero are false.
TEST(TruthyTest, PlainValuesFollowPython) {
  EXPECT_FALSE(Truthy(Value::None()));
  EXPECT_FALSE(Truthy(Value::Bool(false)));
  EXPECT_FALSE(Truthy(Value::Int(0)));
  EXPECT_FALSE(Truthy(Value::Float(0.0)));
  EXPECT_FALSE(Truthy(Value::Str("")));
  EXPECT_FALSE(Truthy(Value::List({})));
  EXPECT_FALSE(Truthy(Value::Tuple({})));
  EXPECT_FALSE(Truthy(Value::Dict({})));
  EXPECT_FALSE(Truthy(Value::FromShape(Shape{})));
  EXPECT_TRUE(Truthy(Value::Int(-1)));
  EXPECT_TRUE(Truthy(Value::Float(0.5)));
  EXPECT_TRUE(Truthy(Value::Str("0")));
  EXPECT_TRUE(Truthy(Value::List({Value::None()})));
  EXPECT_TRUE(Truthy(Value::FromDType(DType::kFloat32)));
}

// An object answers for itself (range(0) is false); others are true.
TEST(TruthyTest, ObjectsAnswerThroughTruth) {
  EXPECT_FALSE(
      Truthy(Value::FromObject(std::make_shared<RangeObject>(0, 0, 1))));
  EXPECT_TRUE(
      Truthy(Value::FromObject(std::make_shared<RangeObject>(0, 2, 1))));
}

// The builtin table is built once: the same value on every lookup, and
// NoneType is a type but not a builtin name.
TEST(BuiltinTableTest, OneImmutableTable) {
  const Value* print = FindBuiltin("print");
  ASSERT_NE(print, nullptr);
  EXPECT_EQ(print, FindBuiltin("print"));
  EXPECT_NE(FindBuiltin("int"), nullptr);
  EXPECT_NE(FindBuiltin("ValueError"), nullptr);
  EXPECT_NE(FindBuiltin("open"), nullptr);  // named, NotSupportedError
  EXPECT_EQ(FindBuiltin("NoneType"), nullptr);
  EXPECT_EQ(FindBuiltin("no_such_builtin"), nullptr);
}

// A builtin called outside a run fails cleanly instead of reaching a
// finished interpreter.
TEST(BuiltinTableTest, CallOutsideARunFails) {
  RunContext ctx;
  auto* print =
      dynamic_cast<Callable*>(FindBuiltin("print")->as_object().get());
  ASSERT_NE(print, nullptr);
  try {
    print->Call(ctx, CallArgs{});
    FAIL() << "expected an error";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().cls, ErrorClass::kRuntimeError);
    EXPECT_EQ(e.error().text, "run finished");
  }
}

// A run installs its runtime and framework on the context and takes them
// away again, so nothing refers to the finished interpreter.
TEST(RunContextTest, RunLeavesNoRuntimeBehind) {
  RunContext ctx;
  RunResult r = RunProgram("x = len([1, 2]) + int(True)\nprint(x)", ctx);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.stdout_text, "3\n");
  EXPECT_EQ(ctx.runtime, nullptr);
  EXPECT_EQ(ctx.framework, nullptr);
}

// Builtins keep working across runs: nothing per run is captured.
TEST(RunContextTest, BuiltinsAreSharedBetweenRuns) {
  EXPECT_EQ(testing::Out("print(type(3) == int, isinstance('a', str))"),
            "True True\n");
  EXPECT_EQ(testing::Out("print(sorted([3, 1, 2]), 'a,b'.split(','))"),
            "[1, 2, 3] ['a', 'b']\n");
}

// A framework that knows one module: the evaluator reaches imports only
// through the seam, so a second front end is a second implementation.
class OneModuleFramework : public Framework {
 public:
  std::optional<Value> ImportModule(std::string_view dotted_name,
                                    RunContext&) const override {
    if (dotted_name == "torch") return Value::Str("the torch module");
    return std::nullopt;
  }
  bool IsTensorOperand(const Value& v) const override { return v.is_tensor(); }
  Value BinaryOperator(std::string_view, const Value&, const Value&,
                       RunContext&) const override {
    RaiseText(ErrorClass::kNotSupportedError, "no tensors");
  }
  Value UnaryOperator(std::string_view, const Value&,
                      RunContext&) const override {
    RaiseText(ErrorClass::kNotSupportedError, "no tensors");
  }
  Value Subscript(const Value&, const Value&, RunContext&) const override {
    RaiseText(ErrorClass::kNotSupportedError, "no tensors");
  }
  std::optional<Value> Attribute(const Value&, std::string_view,
                                 RunContext&) const override {
    return std::nullopt;
  }
  bool Truth(const Value&) const override { return true; }
};

// The run uses the framework the caller put on the context.
TEST(RunContextTest, ImportsGoThroughTheContextsFramework) {
  OneModuleFramework framework;
  RunContext ctx;
  ctx.framework = &framework;
  RunResult r = RunProgram("import torch\nprint(torch)", ctx);
  ASSERT_TRUE(r.ok) << r.error->error.Message();
  EXPECT_EQ(r.stdout_text, "the torch module\n");
  EXPECT_FALSE(RunProgram("import tensorflow", ctx).ok);
  EXPECT_EQ(ctx.framework, &framework);
}

}  // namespace
}  // namespace ap::py
