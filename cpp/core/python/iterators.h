// Python 3's lazy iterators: iter() over the builtin containers, zip,
// enumerate, map, filter, reversed, and next(). Each is an object with
// CPython's type name and repr (`<zip object at 0x7f...>`) that yields one
// item per NextItem, so `zip(range(10**9), xs)` costs only what it yields.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "../call_args.h"
#include "../run_context.h"
#include "../value.h"

namespace ap::py {

class IteratorObject : public Object {
 public:
  using NextFn = std::function<std::optional<Value>(RunContext&)>;
  IteratorObject(std::string type_name, uint64_t address, NextFn next)
      : type_name_(std::move(type_name)),
        address_(address),
        next_(std::move(next)) {}
  std::string TypeName() const override { return type_name_; }
  std::string Repr() const override;
  // The next item, or nullopt once exhausted (and from then on).
  std::optional<Value> Next(RunContext& ctx);

 private:
  std::string type_name_;
  uint64_t address_;
  NextFn next_;  // null once exhausted
};

// An IteratorObject, or an instance whose class defines __next__.
bool IsIterator(const Value& v);
// The iterator's next item; nullopt when it is exhausted (StopIteration).
std::optional<Value> NextItem(RunContext& ctx, const Value& iterator);

// A new iterator of type `type_name` ("zip", "list_iterator") whose items
// `next` yields.
Value MakeIterator(RunContext& ctx, std::string type_name,
                   IteratorObject::NextFn next);
// raise StopIteration (next() of an exhausted iterator).
[[noreturn]] void RaiseStopIteration(RunContext& ctx);

}  // namespace ap::py
