#include "iterators.h"

#include <memory>
#include <utility>

#include "../error.h"
#include "classes.h"
#include "exceptions.h"
#include "runtime.h"

namespace ap::py {

Value MakeIterator(RunContext& ctx, std::string type_name, IteratorState state,
                   IteratorObject::NextFn next) {
  return Value::FromObject(std::make_shared<IteratorObject>(
      std::move(type_name), RuntimeOf(ctx).NewObjectAddress(), std::move(state),
      next));
}

void RaiseStopIteration(RunContext& ctx) {
  auto* cls = const_cast<ExceptionClass*>(FindExceptionClass("StopIteration"));
  throw PyException(cls->Call(ctx, CallArgs{}), 0, 0);
}

std::string IteratorObject::Repr() const {
  return "<" + type_name_ + " object at " + AddressText(address_) + ">";
}

std::optional<Value> IteratorObject::Next(RunContext& ctx) {
  if (!next_) return std::nullopt;
  // zip(zip(zip(...))) built in a loop nests one C++ call per level: keep
  // the stack bounded. (Items are charged by whoever iterates: Iterate's
  // work count, a loop's steps.)
  constexpr int kMaxNestedIterators = 200;
  static thread_local int depth = 0;
  if (depth >= kMaxNestedIterators) {
    RaiseText(ErrorClass::kLimitError,
              "nesting limit exceeded: iterators nested more than " +
                  std::to_string(kMaxNestedIterators) +
                  " deep (zip of a zip of ...)");
  }
  struct Depth {
    Depth() { ++depth; }
    ~Depth() { --depth; }
  } guard;
  std::optional<Value> item = next_(ctx, state_);
  if (!item) {
    next_ = nullptr;
    state_ = IteratorState();  // let go of what it walked
  }
  return item;
}

bool IsIterator(const Value& v) {
  if (v.kind() != Value::Kind::kObject) return false;
  if (dynamic_cast<const IteratorObject*>(v.as_object().get())) return true;
  const InstanceObject* inst = AsInstance(v);
  return inst && inst->cls()->LookupRaw("__next__").has_value();
}

std::optional<Value> NextItem(RunContext& ctx, const Value& iterator) {
  if (auto* it = dynamic_cast<IteratorObject*>(iterator.as_object().get())) {
    return it->Next(ctx);
  }
  try {
    return *CallSpecialMethod(ctx, iterator, "__next__", {});
  } catch (const PyException& e) {
    if (e.exception().class_name() == "StopIteration") return std::nullopt;
    throw;
  }
}

}  // namespace ap::py
