// Python's semantics for plain values: truth, equality, arithmetic with
// CPython's error texts, comparisons, containment, indexing and slicing,
// iteration. Tensor operands are handed to the run's Framework.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "../callable.h"
#include "../value.h"
#include "text.h"

namespace ap::py {

class Interpreter;

// range(start, stop, step): lazy, so `for i in range(10**9)` costs nothing
// until it iterates (and the step budget stops it).
class RangeObject : public Object {
 public:
  RangeObject(int64_t start, int64_t stop, int64_t step)
      : start(start), stop(stop), step(step) {}
  std::string TypeName() const override { return "range"; }
  std::string Repr() const override;
  int64_t Length() const;
  bool Truth() const override { return Length() > 0; }
  int64_t At(int64_t i) const { return start + i * step; }
  int64_t start, stop, step;
};

// bool(v) in a program: a tensor's truth is the framework's rule, the rest
// Python's (ap::Truthy).
bool IsTrue(RunContext& ctx, const Value& v);
bool PyEqual(RunContext& ctx, const Value& a, const Value& b);
// Python's operator `op` (+ - * / // % ** @ << >> & | ^).
Value BinaryOp(RunContext& ctx, std::string_view op, const Value& a,
               const Value& b);
// `x op= y`: lists extend in place; everything else is BinaryOp.
Value InPlaceOp(RunContext& ctx, std::string_view op, const Value& a,
                const Value& b);
Value UnaryOp(RunContext& ctx, std::string_view op, const Value& a);
// < <= > >= == != is `is not` in `not in`.
Value CompareOp(RunContext& ctx, std::string_view op, const Value& a,
                const Value& b);
bool Contains(RunContext& ctx, const Value& container, const Value& item);

Value GetItem(RunContext& ctx, const Value& container, const Value& index);
void SetItem(RunContext& ctx, const Value& container, const Value& index,
             const Value& value);
void DelItem(RunContext& ctx, const Value& container, const Value& index);

// Whether `for x in v` can run: a list, tuple, str, dict, tensor, range,
// iterator, or an instance whose class defines __iter__.
bool IsIterable(const Value& v);
// Calls `fn` on each item until it returns false.
void Iterate(RunContext& ctx, const Value& v,
             FunctionRef<bool(const Value&)> fn);
ValueList ToList(RunContext& ctx, const Value& v);
// len(v), or TypeError.
int64_t Length(const Value& v);
// An int (or bool) as int64, else TypeError with `what` as the context.
int64_t AsIndex(const Value& v);
// Raises TypeError "unhashable type: 'list'" for dict keys.
void CheckHashable(const Value& key);
// Position of `key` in a dict, or -1.
int64_t DictFind(RunContext& ctx, const Value& dict, const Value& key);

// Before `element` goes into a list/tuple/dict: fails with a LimitError if
// containers would nest more than 200 deep (`a = [a]` in a loop), so that
// freeing, printing and comparing values stays within the C++ stack.
void CheckNesting(RunContext& ctx, const Value& element);

// Overflow-checked int64 arithmetic (NotSupportedError on overflow).
int64_t CheckedAdd(int64_t a, int64_t b);
int64_t CheckedMul(int64_t a, int64_t b);

}  // namespace ap::py
