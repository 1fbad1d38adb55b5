#include "exceptions.h"

#include <map>
#include <vector>

#include "../repr.h"

namespace ap::py {

namespace {

struct Registry {
  std::vector<std::shared_ptr<ExceptionClass>> classes;
  std::map<std::string, std::shared_ptr<ExceptionClass>, std::less<>> by_name;
  std::vector<std::string> builtin_names;

  const ExceptionClass* Add(const std::string& name, const char* base,
                            std::optional<ErrorClass> cls,
                            const std::string& module = "builtins") {
    const ExceptionClass* parent = base ? by_name.at(base).get() : nullptr;
    auto c = std::make_shared<ExceptionClass>(name, parent, cls, module);
    classes.push_back(c);
    by_name[name] = c;
    if (module == "builtins") builtin_names.push_back(name);
    return c.get();
  }

  Registry() {
    using E = ErrorClass;
    Add("BaseException", nullptr, std::nullopt);
    Add("Exception", "BaseException", std::nullopt);
    Add("ArithmeticError", "Exception", std::nullopt);
    Add("ZeroDivisionError", "ArithmeticError", E::kZeroDivisionError);
    Add("OverflowError", "ArithmeticError", std::nullopt);
    Add("LookupError", "Exception", std::nullopt);
    Add("IndexError", "LookupError", E::kIndexError);
    Add("KeyError", "LookupError", E::kKeyError);
    Add("ValueError", "Exception", E::kValueError);
    Add("TypeError", "Exception", E::kTypeError);
    Add("NameError", "Exception", E::kNameError);
    Add("UnboundLocalError", "NameError", E::kNameError);
    Add("AttributeError", "Exception", E::kAttributeError);
    Add("RuntimeError", "Exception", E::kRuntimeError);
    Add("RecursionError", "RuntimeError", E::kRuntimeError);
    Add("NotImplementedError", "RuntimeError", E::kRuntimeError);
    Add("AssertionError", "Exception", E::kAssertionError);
    Add("ImportError", "Exception", std::nullopt);
    Add("ModuleNotFoundError", "ImportError", std::nullopt);
    Add("StopIteration", "Exception", std::nullopt);
    Add("SyntaxError", "Exception", E::kSyntaxError);
    const std::string tf = "tensorflow.python.framework.errors_impl";
    Add("OpError", "Exception", std::nullopt, tf);
    Add("InvalidArgumentError", "OpError", E::kInvalidArgumentError, tf);
    Add("ResourceExhaustedError", "OpError", E::kResourceExhaustedError, tf);
    Add("UnimplementedError", "OpError", E::kUnimplementedError, tf);
    // The playground's own: classes so that type(e).__name__ works on the
    // error record, but no program can catch them.
    Add("NotSupportedError", "Exception", E::kNotSupportedError, "playground");
    Add("LimitError", "Exception", E::kLimitError, "playground");
  }
};

const Registry& GetRegistry() {
  static const Registry* registry = new Registry();
  return *registry;
}

}  // namespace

std::string ExceptionClass::Repr() const {
  if (module_ == "builtins") return "<class '" + name_ + "'>";
  return "<class '" + module_ + "." + name_ + "'>";
}

std::optional<Value> ExceptionClass::GetAttr(std::string_view name) const {
  if (name == "__name__" || name == "__qualname__") return Value::Str(name_);
  if (name == "__module__") return Value::Str(module_);
  return std::nullopt;
}

std::shared_ptr<ExceptionClass> ExceptionClass::Derive(
    std::string name, std::shared_ptr<const ExceptionClass> base) {
  auto cls = std::make_shared<ExceptionClass>(std::move(name), base.get(),
                                              std::nullopt, "__main__");
  cls->base_keep_ = std::move(base);
  return cls;
}

bool ExceptionClass::IsSubclassOf(const ExceptionClass& other) const {
  for (const ExceptionClass* c = this; c; c = c->base_) {
    if (c == &other) return true;
  }
  return false;
}

bool ExceptionClass::IsOpError() const {
  const ExceptionClass* op = FindExceptionClass("OpError");
  return op && IsSubclassOf(*op);
}

ErrorClass ExceptionClass::NearestErrorClass() const {
  for (const ExceptionClass* c = this; c; c = c->base_) {
    if (c->error_class_) return *c->error_class_;
  }
  return ErrorClass::kRuntimeError;
}

Value ExceptionClass::Call(RunContext&, const CallArgs& args) {
  if (!args.keywords.empty()) {
    RaiseText(ErrorClass::kTypeError, name_ + "() takes no keyword arguments");
  }
  Error e;
  e.cls = NearestErrorClass();
  e.kind = ErrorKind::kText;
  e.raised_by_program = true;
  const ValueList& a = args.positional;
  if (IsOpError()) {
    // tf.errors.XError(node_def, op, message)
    if (a.size() < 3) {
      static const char* const names[] = {"'node_def'", "'op'", "'message'"};
      const size_t missing = 3 - a.size();
      std::string list;
      for (size_t i = a.size(); i < 3; ++i) {
        if (!list.empty()) list += (i == 2) ? " and " : ", ";
        list += names[i];
      }
      if (missing == 3) list = "'node_def', 'op', and 'message'";
      RaiseText(ErrorClass::kTypeError,
                "__init__() missing " + std::to_string(missing) +
                    " required positional argument" +
                    (missing == 1 ? "" : "s") + ": " + list);
    }
    e.text = ap::Str(a[2]);
    return Value::FromObject(
        std::make_shared<ExceptionObject>(std::move(e), this, ValueList{a[2]}));
  }
  if (a.empty()) {
    e.text = "";
  } else if (a.size() == 1) {
    e.text = name_ == "KeyError" ? ap::Repr(a[0]) : ap::Str(a[0]);
  } else {
    e.text = ap::Repr(Value::Tuple(a));
  }
  return Value::FromObject(
      std::make_shared<ExceptionObject>(std::move(e), this, a));
}

std::string ExceptionObject::Repr() const {
  // A KeyError raised by the core carries repr(key) as its text.
  if (cls_->name() == "KeyError" && args_.size() == 1 &&
      args_[0].kind() == Value::Kind::kStr &&
      args_[0].as_str() == error_.Message()) {
    return "KeyError(" + error_.Message() + ")";
  }
  if (args_.size() == 1) return cls_->name() + "(" + ap::Repr(args_[0]) + ")";
  std::string inner = ap::Repr(Value::Tuple(args_));
  if (args_.empty()) return cls_->name() + "()";
  return cls_->name() + inner;
}

std::string ExceptionObject::Str() const { return error_.Message(); }

std::optional<Value> ExceptionObject::GetAttr(std::string_view name) const {
  if (name == "args") return Value::Tuple(args_);
  if (name == "__class__") return ExceptionClassValue(cls_->name());
  if (cls_->IsOpError()) {
    if (name == "message") return Value::Str(error_.Message());
    // Eager errors carry no graph node: e.op and e.node_def are None.
    if (name == "op" || name == "node_def") return Value::None();
    if (name == "error_code") {
      // tensorflow/core/protobuf/error_codes.proto
      const std::string& n = cls_->name();
      return Value::Int(n == "InvalidArgumentError"     ? 3
                        : n == "ResourceExhaustedError" ? 8
                        : n == "UnimplementedError"     ? 12
                                                        : 2);
    }
  }
  return std::nullopt;
}

Value ExceptionClassValue(std::string_view name) {
  const Registry& r = GetRegistry();
  auto it = r.by_name.find(name);
  if (it == r.by_name.end()) return Value::None();
  return Value::FromObject(it->second);
}

const ExceptionClass* FindExceptionClass(std::string_view name) {
  const Registry& r = GetRegistry();
  auto it = r.by_name.find(name);
  return it == r.by_name.end() ? nullptr : it->second.get();
}

const ExceptionClass& ClassOfError(ErrorClass cls) {
  return *FindExceptionClass(ErrorClassName(cls));
}

const std::vector<std::string>& BuiltinExceptionNames() {
  return GetRegistry().builtin_names;
}

PyException::PyException(Value object, int line, int col)
    : ErrorException(
          static_cast<const ExceptionObject&>(*object.as_object()).error()),
      line(line),
      col(col),
      object_(std::move(object)) {}

const ExceptionObject& PyException::exception() const {
  return static_cast<const ExceptionObject&>(*object_.as_object());
}

Value MakeExceptionObject(const Error& error) {
  const ExceptionClass& cls = ClassOfError(error.cls);
  ValueList args{Value::Str(error.Message())};
  return Value::FromObject(
      std::make_shared<ExceptionObject>(error, &cls, std::move(args)));
}

bool ExceptionMatches(const ExceptionObject& raised, const Value& handler) {
  if (handler.kind() == Value::Kind::kTuple) {
    for (const Value& h : handler.items()) {
      if (ExceptionMatches(raised, h)) return true;
    }
    return false;
  }
  const auto* cls =
      handler.kind() == Value::Kind::kObject
          ? dynamic_cast<const ExceptionClass*>(handler.as_object().get())
          : nullptr;
  if (!cls) {
    RaiseText(ErrorClass::kTypeError,
              "catching classes that do not inherit from BaseException is "
              "not allowed");
  }
  if (!IsCatchableByProgram(raised.error().cls)) return false;
  return raised.cls().IsSubclassOf(*cls);
}

}  // namespace ap::py
