// Python exception classes and objects as program values, with CPython's and
// TensorFlow's hierarchy: InvalidArgumentError, ResourceExhaustedError and
// UnimplementedError derive from tf.errors.OpError, which derives from
// Exception (not from ValueError), so `except ValueError` does not catch a
// failed matmul. Errors the playground raises for itself (SyntaxError from
// the parser, NotSupportedError, LimitError) are never caught by a program.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "../callable.h"
#include "../error.h"
#include "../value.h"

namespace ap::py {

class ExceptionClass : public Callable,
                       public std::enable_shared_from_this<ExceptionClass> {
 public:
  ExceptionClass(std::string name, const ExceptionClass* base,
                 std::optional<ErrorClass> error_class, std::string module)
      : name_(std::move(name)),
        base_(base),
        error_class_(error_class),
        module_(std::move(module)) {}
  std::string TypeName() const override { return "type"; }
  // <class 'ValueError'>, <class
  // 'tensorflow.python.framework.errors_impl.InvalidArgumentError'>
  std::string Repr() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  // ValueError("msg") / tf.errors.InvalidArgumentError(None, None, "msg").
  Value Call(RunContext& ctx, const CallArgs& args) override;

  const std::string& name() const { return name_; }
  const ExceptionClass* base() const { return base_; }
  bool IsSubclassOf(const ExceptionClass& other) const;
  bool IsOpError() const;
  // The ErrorClass an instance reports: its own, or the nearest ancestor's;
  // classes with none (Exception, LookupError, ...) report kRuntimeError and
  // keep their real name in ExceptionObject::class_name().
  ErrorClass NearestErrorClass() const;

  // A program's `class MyError(ValueError): ...`: a class of module
  // __main__ that keeps its (possibly program-defined) base alive.
  static std::shared_ptr<ExceptionClass> Derive(
      std::string name, std::shared_ptr<const ExceptionClass> base);

 private:
  std::string name_;
  const ExceptionClass* base_;
  std::shared_ptr<const ExceptionClass> base_keep_;  // program classes only
  std::optional<ErrorClass> error_class_;
  std::string module_;
};

// An exception instance: the structured error plus its Python class.
class ExceptionObject : public Object {
 public:
  ExceptionObject(Error error, const ExceptionClass* cls, ValueList args)
      : error_(std::move(error)),
        cls_(cls),
        cls_keep_(cls->weak_from_this().lock()),
        args_(std::move(args)) {}
  std::string TypeName() const override { return cls_->name(); }
  std::string Repr() const override;  // ValueError('msg')
  std::string Str() const override;   // the message (str(e))
  std::optional<Value> GetAttr(std::string_view name) const override;

  const Error& error() const { return error_; }
  const ExceptionClass& cls() const { return *cls_; }
  const std::string& class_name() const { return cls_->name(); }

  // Where the exception was first raised (0 until an except clause caught
  // it). Re-raising the same object (`raise`, `raise e`) keeps CPython's
  // traceback, whose innermost entry is still this first raise.
  mutable int origin_line = 0, origin_col = 0;

 private:
  Error error_;
  const ExceptionClass* cls_;
  std::shared_ptr<const ExceptionClass> cls_keep_;  // a program's class
  ValueList args_;
};

// The class value for a builtin or tf.errors name ("ValueError",
// "InvalidArgumentError", "OpError", ...), or None if unknown.
Value ExceptionClassValue(std::string_view name);
// The same as a C++ pointer (null if unknown).
const ExceptionClass* FindExceptionClass(std::string_view name);
// The Python class of an error the core raised.
const ExceptionClass& ClassOfError(ErrorClass cls);
// Names of all builtin exception classes (for the interpreter's builtins).
const std::vector<std::string>& BuiltinExceptionNames();

// An exception in flight through the interpreter: the exception object plus
// where it was raised (0 until the evaluator knows).
class PyException : public ErrorException {
 public:
  PyException(Value object, int line, int col);
  const Value& object() const { return object_; }
  const ExceptionObject& exception() const;
  int line, col;

 private:
  Value object_;
};

// Wraps an error raised by the core (plain ErrorException) as a program
// exception of the matching class.
Value MakeExceptionObject(const Error& error);

// `except <handler>`: does an exception of class `raised` match `handler`
// (a class or a tuple of classes)? Raises TypeError for non-classes, as
// CPython does.
bool ExceptionMatches(const ExceptionObject& raised, const Value& handler);

}  // namespace ap::py
