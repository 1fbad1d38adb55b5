// Classes, functions with *args/**kwargs, lambdas, unpacking, `with` and the
// lazy iterators, with CPython 3.11's results and error texts; and the seam
// through which a program class derives from a framework's native type.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/python/builtins.h"
#include "core/python/classes.h"
#include "core/python/framework.h"
#include "core/python/runtime.h"
#include "core/run/run.h"
#include "python_test_util.h"

namespace ap::py {
namespace {

using testing::Err;
using testing::Out;

// Methods, class attributes, docstrings, inheritance and both super() forms.
TEST(PythonClassTest, InheritanceAndSuper) {
  EXPECT_EQ(
      Out("class A:\n"
          "    '''doc'''\n"
          "    kind = 'a'\n"
          "    def __init__(self, n):\n"
          "        self.n = n\n"
          "    def f(self):\n"
          "        return self.n + 1\n"
          "class B(A):\n"
          "    def __init__(self, n):\n"
          "        super().__init__(n * 10)\n"
          "    def f(self):\n"
          "        return super(B, self).f() * 2\n"
          "b = B(2)\n"
          "print(b.f(), b.kind, A.__doc__, B.__doc__, type(b).__name__,\n"
          "      isinstance(b, A), issubclass(B, A), issubclass(A, B))\n"),
      "42 a doc None B True True False\n");
}

// C3 method resolution order for multiple inheritance.
TEST(PythonClassTest, MultipleInheritanceUsesC3) {
  EXPECT_EQ(Out("class A:\n    def f(self): return 'A'\n"
                "class B(A):\n    def f(self): return 'B' + super().f()\n"
                "class C(A):\n    def f(self): return 'C' + super().f()\n"
                "class D(B, C):\n    def f(self): return 'D' + super().f()\n"
                "print(D().f())\n"),
            "DBCA\n");
  EXPECT_EQ(
      Err("class A: pass\nclass B(A): pass\nclass C(A, B): pass\n").error.text,
      "Cannot create a consistent method resolution\norder (MRO) for "
      "bases A, B");
}

// Reprs follow CPython: classes, instances (a per-run address), methods.
TEST(PythonClassTest, Reprs) {
  const std::string out =
      Out("class Foo:\n    def m(self): pass\n"
          "f = Foo()\nprint(Foo)\nprint(f)\nprint(f.m)\nprint(Foo.m)\n"
          "print(zip([1], [2]))\n");
  EXPECT_NE(out.find("<class '__main__.Foo'>\n<__main__.Foo object at 0x7f"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<bound method Foo.m of <__main__.Foo object at 0x7f"),
            std::string::npos);
  EXPECT_NE(out.find("<function Foo.m at 0x7f"), std::string::npos);
  EXPECT_NE(out.find("<zip object at 0x7f"), std::string::npos);
  // The same program prints the same addresses in every run.
  EXPECT_EQ(out, Out("class Foo:\n    def m(self): pass\n"
                     "f = Foo()\nprint(Foo)\nprint(f)\nprint(f.m)\n"
                     "print(Foo.m)\nprint(zip([1], [2]))\n"));
}

// Special methods: __repr__, __str__, __len__, __getitem__, __eq__,
// __call__, __iter__, __contains__ through the builtins and operators.
TEST(PythonClassTest, SpecialMethods) {
  EXPECT_EQ(
      Out("class V:\n"
          "    def __init__(self, *xs): self.xs = list(xs)\n"
          "    def __repr__(self): return f'V{tuple(self.xs)}'\n"
          "    def __str__(self): return 'v'\n"
          "    def __len__(self): return len(self.xs)\n"
          "    def __getitem__(self, i): return self.xs[i]\n"
          "    def __eq__(self, o): return isinstance(o, V) and o.xs == "
          "self.xs\n"
          "    def __call__(self, k): return k * len(self)\n"
          "    def __iter__(self): return iter(self.xs)\n"
          "v = V(1, 2)\n"
          "print(repr(v), v, len(v), v[1], v == V(1, 2), v != V(3), v(5),\n"
          "      list(v), 2 in v, bool(V()))\n"),
      "V(1, 2) v 2 2 True True 10 [1, 2] True False\n");
}

// Operator methods, their reflected forms, and rich comparisons (sorted).
TEST(PythonClassTest, OperatorMethods) {
  EXPECT_EQ(Out("class V:\n"
                "    def __init__(self, x): self.x = x\n"
                "    def __add__(self, o): return V(self.x + o)\n"
                "    def __radd__(self, o): return V(o + self.x)\n"
                "    def __neg__(self): return V(-self.x)\n"
                "    def __lt__(self, o): return self.x < o.x\n"
                "    def __repr__(self): return f'V({self.x})'\n"
                "print(V(1) + 2, 3 + V(1), -V(2), sorted([V(2), V(1)]))\n"),
            "V(3) V(4) V(-2) [V(1), V(2)]\n");
  EXPECT_EQ(Err("class V: pass\nV() - V()\n").error.text,
            "unsupported operand type(s) for -: 'V' and 'V'");
}

// Attributes through getattr/setattr/delattr/hasattr and __dict__; a class
// body is not a scope of its methods.
TEST(PythonClassTest, AttributeBuiltinsAndScopes) {
  EXPECT_EQ(Out("class B:\n    size = 2\n    def f(self): return size\n"
                "b = B()\nsetattr(b, 'w', 3)\nb.h = 4\ndel b.h\n"
                "print(getattr(b, 'w'), hasattr(b, 'h'), getattr(b, 'd', 0),\n"
                "      b.__dict__, b.__class__.__name__)\n"),
            "3 False 0 {'w': 3} B\n");
  EXPECT_EQ(Err("class B:\n    size = 2\n    def f(self): return size\n"
                "B().f()\n")
                .error.text,
            "name 'size' is not defined");
}

// property (with a setter), staticmethod, classmethod, other decorators.
TEST(PythonClassTest, Decorators) {
  EXPECT_EQ(Out("def twice(f):\n"
                "    def g(*a, **k): return 2 * f(*a, **k)\n"
                "    return g\n"
                "class T:\n"
                "    def __init__(self): self._x = 1\n"
                "    @property\n"
                "    def x(self): return self._x\n"
                "    @x.setter\n"
                "    def x(self, v): self._x = v\n"
                "    @staticmethod\n"
                "    def s(a): return a + 1\n"
                "    @classmethod\n"
                "    def c(cls): return cls.__name__\n"
                "    @twice\n"
                "    def d(self, y): return y\n"
                "t = T(); t.x = 7\n"
                "print(t.x, T.s(1), t.s(2), T.c(), t.c(), t.d(y=4))\n"),
            "7 2 3 T T 8\n");
  EXPECT_EQ(Err("class T:\n    @property\n    def x(self): return 1\n"
                "T().x = 2\n")
                .error.text,
            "property 'x' of 'T' object has no setter");
}

// Errors with CPython 3.11's texts.
TEST(PythonClassTest, ErrorTexts) {
  struct Case {
    const char* src;
    const char* cls;
    const char* text;
  };
  const Case cases[] = {
      {"class A:\n    def f(self, x): pass\nA().f(1, 2)\n", "TypeError",
       "A.f() takes 2 positional arguments but 3 were given"},
      {"class A:\n    def __init__(self, x): pass\nA()\n", "TypeError",
       "A.__init__() missing 1 required positional argument: 'x'"},
      {"class A: pass\nA(1)\n", "TypeError", "A() takes no arguments"},
      {"class A: pass\nA().x\n", "AttributeError",
       "'A' object has no attribute 'x'"},
      {"class A: pass\nA.x\n", "AttributeError",
       "type object 'A' has no attribute 'x'"},
      {"super()\n", "RuntimeError", "super(): no arguments"},
      {"def g(x): return super()\ng(1)\n", "RuntimeError",
       "super(): __class__ cell not found"},
      {"class A: pass\nclass B: pass\nsuper(A, B())\n", "TypeError",
       "super(type, obj): obj must be an instance or subtype of type"},
      {"class A:\n    def f(self): super().g()\nA().f()\n", "AttributeError",
       "'super' object has no attribute 'g'"},
      {"class A: pass\nA()()\n", "TypeError", "'A' object is not callable"},
      {"class A: pass\nlen(A())\n", "TypeError",
       "object of type 'A' has no len()"},
      {"class A: pass\nwith A(): pass\n", "TypeError",
       "'A' object does not support the context manager protocol"},
      {"class A:\n    def __init__(self): return 1\nA()\n", "TypeError",
       "__init__() should return None, not 'int'"},
      {"class A: pass\nclass B(A, A): pass\n", "TypeError",
       "duplicate base class A"},
  };
  for (const Case& c : cases) {
    RunError e = Err(c.src);
    EXPECT_EQ(e.python_class, c.cls) << c.src;
    EXPECT_EQ(e.error.text, c.text) << c.src;
  }
}

// A program's exception classes: raised, caught by a base, named as
// CPython names them.
TEST(PythonClassTest, ExceptionSubclasses) {
  EXPECT_EQ(
      Out("class ShapeError(ValueError):\n    '''doc'''\n"
          "class RankError(ShapeError): pass\n"
          "try:\n    raise RankError('r')\n"
          "except ShapeError as e:\n"
          "    print(type(e).__name__, repr(e), isinstance(e, ValueError),\n"
          "          issubclass(RankError, ValueError), RankError)\n"),
      "RankError RankError('r') True True <class '__main__.RankError'>\n");
  RunError e = Err("class E(Exception): pass\nraise E('boom')\n");
  EXPECT_EQ(e.python_class, "E");
  EXPECT_EQ(e.error.text, "boom");
  EXPECT_EQ(Err("class E(Exception):\n    def __str__(self): return 'x'\n")
                .python_class,
            "NotSupportedError");
}

// *args, **kwargs, keyword-only parameters, lambdas, and unpacking in calls,
// displays and assignment targets.
TEST(PythonFunctionTest, ArgumentsAndUnpacking) {
  EXPECT_EQ(Out("def f(a, *rest, k=1, **kw): return a, rest, k, kw\n"
                "g = lambda x, y=2: x * y\n"
                "a, *b, c = range(5)\n"
                "print(f(1, 2, 3, k=4, z=5), f(*[1, 2], **{'k': 9}), g(3),\n"
                "      a, b, c, [*b, *'xy'], {**{'p': 1}, 'q': 2})\n"),
            "(1, (2, 3), 4, {'z': 5}) (1, (2,), 9, {}) 6 0 [1, 2, 3] 4 "
            "[1, 2, 3, 'x', 'y'] {'p': 1, 'q': 2}\n");
  EXPECT_EQ(Err("def f(a, b=1, *, c): pass\nf(1, 2, 3, c=1)\n").error.text,
            "f() takes from 1 to 2 positional arguments but 3 positional "
            "arguments (and 1 keyword-only argument) were given");
  EXPECT_EQ(Err("def f(a, *, b): pass\nf(1)\n").error.text,
            "f() missing 1 required keyword-only argument: 'b'");
  EXPECT_EQ(Err("def f(x): pass\nf(*1)\n").error.text,
            "__main__.f() argument after * must be an iterable, not int");
  EXPECT_EQ(Err("a, *b, c = [1]\n").error.text,
            "not enough values to unpack (expected at least 2, got 1)");
  EXPECT_EQ(Err("x = *[1]\n").error.text, "can't use starred expression here");
}

// `with`: __enter__'s result is bound, __exit__ sees the exception and may
// suppress it.
TEST(PythonWithTest, ContextManagerProtocol) {
  EXPECT_EQ(
      Out("class CM:\n"
          "    def __enter__(self): print('enter'); return 5\n"
          "    def __exit__(self, t, v, tb):\n"
          "        print('exit', t, v)\n"
          "        return t is ValueError\n"
          "with CM() as x:\n"
          "    raise ValueError('boom')\n"
          "with CM():\n"
          "    pass\n"
          "print(x)\n"),
      "enter\nexit <class 'ValueError'> boom\nenter\nexit None None\n5\n");
}

// zip, enumerate, map, filter, reversed and iter are lazy iterators.
TEST(PythonIteratorTest, LazyIterators) {
  EXPECT_EQ(Out("z = zip([1, 2], 'ab')\n"
                "print(list(z), list(z))\n"
                "it = iter([1, 2])\n"
                "print(next(it), next(it), next(it, 'end'))\n"
                "print(list(enumerate('xy', 1)), list(map(str, [1, 2])),\n"
                "      list(filter(None, [0, 1])), list(reversed([1, 2])))\n"
                "for i, (a, b) in enumerate(zip(range(10**9), 'pq')): print(i, "
                "a, b)\n"),
            "[(1, 'a'), (2, 'b')] []\n1 2 end\n[(1, 'x'), (2, 'y')] ['1', '2'] "
            "[1] [2, 1]\n0 0 p\n1 1 q\n");
  EXPECT_EQ(Err("next(iter([]))\n").python_class, "StopIteration");
  EXPECT_EQ(Err("next([1])\n").error.text, "'list' object is not an iterator");
}

// ----------------------------------------------------------- native seam

// A framework with one module `fakefw` whose type `Base` programs may
// derive from; its native part records what the seam hands it.
struct Record {
  std::vector<std::string> events;
};

class FakePart : public NativePart {
 public:
  explicit FakePart(Record* record) : record_(record) {}
  void Init(const Value&, const CallArgs& args, RunContext&) override {
    record_->events.push_back("init " + std::to_string(args.positional.size()) +
                              "+" + std::to_string(args.keywords.size()));
    initialised_ = true;
  }
  std::optional<Value> GetAttr(const Value&, std::string_view name,
                               RunContext&) override {
    if (name == "native_attr") return Value::Str("from native");
    return std::nullopt;
  }
  bool SetAttr(const Value&, std::string_view name, const Value&,
               RunContext&) override {
    record_->events.push_back("set " + std::string(name));
    return name == "trainable";  // the part keeps this one itself
  }
  std::optional<Value> Call(const Value& self, const CallArgs& args,
                            RunContext& ctx) override {
    if (!initialised_) RaiseTypeError("Base.__init__() was not called");
    // As a Keras layer's __call__: call back the program's `call`.
    std::optional<Value> call = FindProgramAttribute(self, "call");
    if (!call) RaiseTypeError("no call()");
    return RuntimeOf(ctx).CallValue(*call, args);
  }
  std::optional<std::string> Repr(const Value& self) const override {
    return "<Base " + self.TypeName() + ">";
  }

 private:
  Record* record_;
  bool initialised_ = false;
};

class FakeBase : public NativeBase {
 public:
  explicit FakeBase(Record* record) : record_(record) {}
  std::string Name() const override { return "Base"; }
  std::shared_ptr<NativePart> NewPart(std::string_view class_name,
                                      RunContext&) const override {
    record_->events.push_back("new " + std::string(class_name));
    return std::make_shared<FakePart>(record_);
  }

 private:
  Record* record_;
};

class FakeModule : public Object {
 public:
  FakeModule(Value base, Value other) : base_(base), other_(other) {}
  std::string TypeName() const override { return "module"; }
  std::string Repr() const override { return "<module 'fakefw'>"; }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "Base") return base_;
    if (name == "Other") return other_;
    return std::nullopt;
  }

 private:
  Value base_, other_;
};

class SubclassingFramework : public Framework {
 public:
  SubclassingFramework()
      : base_type_(MakeTypeObject("Base", nullptr)),
        other_type_(MakeTypeObject("Other", nullptr)),
        base_(&record) {}
  std::optional<Value> ImportModule(std::string_view dotted_name,
                                    RunContext&) const override {
    if (dotted_name != "fakefw") return std::nullopt;
    return Value::FromObject(
        std::make_shared<FakeModule>(base_type_, other_type_));
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
  const NativeBase* SubclassableBase(const Value& base) const override {
    return base.identity() == base_type_.identity() ? &base_ : nullptr;
  }

  mutable Record record;

 private:
  Value base_type_, other_type_;
  FakeBase base_;
};

RunResult RunWith(SubclassingFramework& fw, const std::string& src) {
  RunContext ctx;
  ctx.framework = &fw;
  return RunProgram(src, ctx);
}

// super().__init__ initialises the native part with the program's
// arguments; writes are observed; unknown reads reach the part; calling the
// instance reaches the part, which calls the program's `call` back.
TEST(NativeSubclassTest, SeamReachesTheNativePart) {
  SubclassingFramework fw;
  RunResult r =
      RunWith(fw,
              "import fakefw\n"
              "class MyLayer(fakefw.Base):\n"
              "    def __init__(self, units, **kwargs):\n"
              "        super().__init__(**kwargs)\n"
              "        self.units = units\n"
              "        self.trainable = False\n"
              "    def call(self, x):\n"
              "        return x * self.units\n"
              "m = MyLayer(3, name='m')\n"
              "print(m(2), m.native_attr, m.units, m,\n"
              "      isinstance(m, fakefw.Base), 'trainable' in m.__dict__)\n");
  ASSERT_TRUE(r.ok) << r.error->error.Message();
  EXPECT_EQ(r.stdout_text, "6 from native 3 <Base MyLayer> True False\n");
  EXPECT_EQ(fw.record.events,
            (std::vector<std::string>{"new MyLayer", "init 0+1", "set units",
                                      "set trainable"}));
}

// Without an __init__ of its own the class hands its arguments to the
// native type; super(Cls, self) reaches the part too.
TEST(NativeSubclassTest, InheritedInitAndTwoArgumentSuper) {
  SubclassingFramework fw;
  RunResult r = RunWith(fw,
                        "from fakefw import Base\n"
                        "class A(Base):\n"
                        "    def call(self, x): return x + 1\n"
                        "class B(A):\n"
                        "    def __init__(self):\n"
                        "        super(B, self).__init__(1, 2)\n"
                        "a = A(5)\nb = B()\n"
                        "print(a(1), b(2), super(B, b).native_attr)\n");
  ASSERT_TRUE(r.ok) << r.error->error.Message();
  EXPECT_EQ(r.stdout_text, "2 3 from native\n");
  EXPECT_EQ(fw.record.events, (std::vector<std::string>{"new A", "init 1+0",
                                                        "new B", "init 2+0"}));
}

// A native type that does not declare subclassing is refused by name.
TEST(NativeSubclassTest, UndeclaredNativeTypeIsNotSupported) {
  SubclassingFramework fw;
  RunResult r = RunWith(fw, "import fakefw\nclass C(fakefw.Other): pass\n");
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error->python_class, "NotSupportedError");
  EXPECT_NE(r.error->error.text.find("Other"), std::string::npos)
      << r.error->error.text;
}

}  // namespace
}  // namespace ap::py
