// Python 3's lazy iterators: iter() over the builtin containers, zip,
// enumerate, map, filter, reversed, and next(). Each is an object with
// CPython's type name and repr (`<zip object at 0x7f...>`) that yields one
// item per NextItem, so `zip(range(10**9), xs)` costs only what it yields.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "../call_args.h"
#include "../run_context.h"
#include "../value.h"

namespace ap::py {

// What one iterator walks: the fields its `next` function uses.
struct IteratorState {
  Value source;       // the container, inner iterator or range walked
  Value fn;           // map's and filter's function
  ValueList items;    // a snapshot, or zip's and map's inner iterators
  int64_t index = 0;  // the position, or enumerate's count
  int64_t size = 0;   // a dict's size when the iteration began
};

class IteratorObject : public Object {
 public:
  // A plain function, not a std::function: every iterator kind then costs
  // no wrapper class (vtable, type name) in the engine's first-load module.
  using NextFn = std::optional<Value> (*)(RunContext&, IteratorState&);
  IteratorObject(std::string type_name, uint64_t address, IteratorState state,
                 NextFn next)
      : type_name_(std::move(type_name)),
        address_(address),
        state_(std::move(state)),
        next_(next) {}
  std::string TypeName() const override { return type_name_; }
  std::string Repr() const override;
  // The next item, or nullopt once exhausted (and from then on).
  std::optional<Value> Next(RunContext& ctx);

 private:
  std::string type_name_;
  uint64_t address_;
  IteratorState state_;
  NextFn next_;  // null once exhausted
};

// An IteratorObject, or an instance whose class defines __next__.
bool IsIterator(const Value& v);
// The iterator's next item; nullopt when it is exhausted (StopIteration).
std::optional<Value> NextItem(RunContext& ctx, const Value& iterator);

// A new iterator of type `type_name` ("zip", "list_iterator") whose items
// `next` yields from `state`.
Value MakeIterator(RunContext& ctx, std::string type_name, IteratorState state,
                   IteratorObject::NextFn next);
// raise StopIteration (next() of an exhausted iterator).
[[noreturn]] void RaiseStopIteration(RunContext& ctx);

}  // namespace ap::py
