#include <gtest/gtest.h>

#include <string>

#include "core/python/exceptions.h"
#include "python_test_util.h"

namespace ap::py {
namespace {

using testing::Err;
using testing::Out;
using testing::RunSrc;

// A callable that raises the given core error (what a failing tf op does).
class Raiser : public Callable {
 public:
  explicit Raiser(Error e) : e_(std::move(e)) {}
  std::string TypeName() const override { return "function"; }
  Value Call(RunContext&, const CallArgs&) override { Raise(e_); }

 private:
  Error e_;
};

std::vector<std::pair<std::string, Value>> Env() {
  Error matmul = MakeOpError(ErrorKind::kMatMulSizeIncompatible, "MatMul",
                             {{3, 4}, {5, 6}});
  Error not_supported;
  not_supported.cls = ErrorClass::kNotSupportedError;
  not_supported.text = "not modelled";
  return {
      {"matmul_fails", Value::FromObject(std::make_shared<Raiser>(matmul))},
      {"unsupported",
       Value::FromObject(std::make_shared<Raiser>(not_supported))},
      {"InvalidArgumentError", ExceptionClassValue("InvalidArgumentError")},
      {"OpError", ExceptionClassValue("OpError")},
  };
}

RunResult RunEnv(const std::string& src) {
  RunContext ctx;
  return RunProgram(src, ctx, {}, Env());
}

// The class hierarchy: op errors derive from OpError, not ValueError.
TEST(InterpExceptionsTest, Hierarchy) {
  auto cls = [](const char* n) { return FindExceptionClass(n); };
  EXPECT_TRUE(cls("InvalidArgumentError")->IsSubclassOf(*cls("OpError")));
  EXPECT_TRUE(cls("ResourceExhaustedError")->IsSubclassOf(*cls("OpError")));
  EXPECT_TRUE(cls("UnimplementedError")->IsSubclassOf(*cls("Exception")));
  EXPECT_FALSE(cls("InvalidArgumentError")->IsSubclassOf(*cls("ValueError")));
  EXPECT_TRUE(cls("ZeroDivisionError")->IsSubclassOf(*cls("ArithmeticError")));
  EXPECT_TRUE(cls("KeyError")->IsSubclassOf(*cls("LookupError")));
  EXPECT_TRUE(cls("Exception")->IsSubclassOf(*cls("BaseException")));
  EXPECT_TRUE(ExceptionClassValue("Nope").is_none());
  EXPECT_EQ(&ClassOfError(ErrorClass::kInvalidArgumentError),
            cls("InvalidArgumentError"));
  EXPECT_EQ(
      cls("InvalidArgumentError")->Repr(),
      "<class 'tensorflow.python.framework.errors_impl.InvalidArgumentError'>");
}

// `except InvalidArgumentError as e` catches an op error; e.message and
// str(e) give the TF text; the name is unbound after the handler.
TEST(InterpExceptionsTest, CatchOpErrorByClass) {
  RunResult r = RunEnv(
      "try:\n"
      "    c = matmul_fails()\n"
      "except InvalidArgumentError as e:\n"
      "    print(type(e).__name__, isinstance(e, OpError), isinstance(e, "
      "ValueError))\n"
      "    print(e.message == str(e), 'Matrix size-incompatible' in f'{e}')\n"
      "print('e' in dir if False else 'after')\n");
  ASSERT_TRUE(r.ok) << r.error->error.Message();
  EXPECT_EQ(r.stdout_text,
            "InvalidArgumentError True False\nTrue True\nafter\n");
  ASSERT_EQ(r.caught.size(), 1u);
  EXPECT_EQ(r.caught[0].python_class, "InvalidArgumentError");
  EXPECT_EQ(r.caught[0].line, 2);
  for (const auto& [name, v] : r.globals) EXPECT_NE(name, "e");
}

// `except ValueError` does not catch an op error (corpus h07); the error
// keeps the line of the statement that raised.
TEST(InterpExceptionsTest, ValueErrorMissesOpError) {
  RunResult r = RunEnv(
      "x = 1\n"
      "try:\n"
      "    c = matmul_fails()\n"
      "except ValueError as e:\n"
      "    c = 0\n"
      "print(c)\n");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error->python_class, "InvalidArgumentError");
  EXPECT_EQ(r.error->error.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_EQ(r.error->line, 3);
  EXPECT_TRUE(r.caught.empty());
  ASSERT_EQ(r.globals.size(), 1u + Env().size());
}

// `except Exception`, tuples of classes, bare except; else and finally.
TEST(InterpExceptionsTest, HandlerForms) {
  EXPECT_EQ(
      Out("try:\n    [][1]\nexcept (KeyError, IndexError) as e:\n    "
          "print('tuple', e)\n"
          "try:\n    {}['k']\nexcept LookupError as e:\n    print('base', "
          "repr(e))\n"
          "try:\n    1 / 0\nexcept Exception:\n    print('exception')\nelse:\n "
          "   print('no')\nfinally:\n    print('fin')\n"
          "try:\n    pass\nexcept:\n    print('no')\nelse:\n    print('else')\n"
          "try:\n    x = undefined\nexcept:\n    print('bare')\n"),
      "tuple list index out of range\nbase "
      "KeyError('k')\nexception\nfin\nelse\nbare\n");
}

// raise with classes, instances, messages; bare re-raise; unmatched errors
// propagate through finally.
TEST(InterpExceptionsTest, Raise) {
  EXPECT_EQ(Out("try:\n    raise ValueError('bad value')\nexcept ValueError as "
                "e:\n    print(e, e.args)\n"
                "try:\n    raise KeyError\nexcept KeyError as e:\n    "
                "print(repr(e))\n"
                "try:\n    try:\n        raise TypeError('t')\n    except "
                "TypeError:\n        raise\n"
                "except Exception as e:\n    print('re-raised', e)\n"),
            "bad value ('bad value',)\nKeyError()\nre-raised t\n");
  EXPECT_EQ(
      RunEnv("try:\n    raise InvalidArgumentError(None, None, 'custom')\n"
             "except OpError as e:\n    print(e.message)\n")
          .stdout_text,
      "custom\n");
  RunResult r = RunSrc(
      "try:\n    raise ValueError('x')\nfinally:\n    print('cleanup')\n");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.stdout_text, "cleanup\n");
  EXPECT_EQ(r.error->python_class, "ValueError");
  EXPECT_EQ(r.error->line, 2);
  EXPECT_EQ(Err("raise Exception('plain')").python_class, "Exception");
  EXPECT_EQ(Err("raise 5").error.Message(),
            "exceptions must derive from BaseException");
  EXPECT_EQ(Err("raise").error.Message(), "No active exception to reraise");
  EXPECT_EQ(
      Err("try:\n    1/0\nexcept 5:\n    pass").error.Message(),
      "catching classes that do not inherit from BaseException is not allowed");
}

// The playground's own errors are never caught, not even by a bare except.
TEST(InterpExceptionsTest, PlaygroundErrorsAreNotCatchable) {
  RunResult r = RunEnv(
      "try:\n    unsupported()\nexcept Exception:\n    print('caught')\n");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error->python_class, "NotSupportedError");
  RunLimits limits;
  limits.max_steps = 50;
  RunContext ctx;
  r = RunProgram(
      "try:\n    while True:\n        pass\nexcept:\n    print('caught')\n",
      ctx, limits);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error->python_class, "LimitError");
  EXPECT_EQ(r.stdout_text, "");
}

// Caught errors are recorded in order, with the raising line.
TEST(InterpExceptionsTest, CaughtList) {
  RunResult r = RunSrc(
      "for i in range(2):\n    try:\n        x = [][i]\n    except "
      "IndexError:\n        pass\n"
      "try:\n    int('z')\nexcept ValueError:\n    pass\n");
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(r.caught.size(), 3u);
  EXPECT_EQ(r.caught[0].line, 3);
  EXPECT_EQ(r.caught[2].python_class, "ValueError");
  EXPECT_EQ(r.caught[2].line, 7);
}

// return inside try runs finally; break inside except leaves the loop.
TEST(InterpExceptionsTest, FlowThroughTry) {
  EXPECT_EQ(Out("def f():\n    try:\n        return 1\n    finally:\n        "
                "print('fin')\n"
                "print(f())\n"
                "for i in range(3):\n    try:\n        1 / 0\n    except "
                "ZeroDivisionError:\n        break\n"
                "print(i)\n"),
            "fin\n1\n0\n");
}

}  // namespace
}  // namespace ap::py
