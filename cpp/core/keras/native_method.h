// A method of a native Keras object (model.summary, layer.count_params):
// bound to its owner, called like a Python bound method.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "../callable.h"

namespace ap::keras {

class NativeMethod : public Callable {
 public:
  using Body = std::function<Value(RunContext&, const CallArgs&)>;
  // `owner` is kept alive by the method, as Python's bound method keeps
  // __self__.
  NativeMethod(std::shared_ptr<Object> owner, std::string qualname, Body body)
      : owner_(std::move(owner)),
        qualname_(std::move(qualname)),
        body_(std::move(body)) {}
  std::string TypeName() const override { return "method"; }
  std::string Repr() const override {
    return "<bound method " + qualname_ + " of " + owner_->Repr() + ">";
  }
  Value Call(RunContext& ctx, const CallArgs& args) override {
    return body_(ctx, args);
  }

 private:
  std::shared_ptr<Object> owner_;
  std::string qualname_;
  Body body_;
};

}  // namespace ap::keras
