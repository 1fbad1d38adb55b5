// numpy's semantics on ndarrays (NumPy 2.4): conversion of Python values,
// dtype promotion, broadcasting, operators, indexing, reductions, matmul,
// each with numpy's error texts. The compute reuses ops/ (so every
// allocation is charged to the run's budget) after numpy's own checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../run_context.h"
#include "../value.h"

namespace ap::np {

// np.asarray(v): ndarrays and numpy scalars as they are, tf tensors by
// value, nested lists of numbers with numpy's inference (int -> int64,
// float -> float64, bool -> bool); ragged lists raise numpy's ValueError.
Tensor ToArray(const Value& v, std::optional<DType> dtype = std::nullopt);

// Whether a list or tuple holds numpy arrays or scalars (searched through
// its first 4096 values): tf.constant([a, b]) then converts it as numpy
// does.
bool ContainsNumpyValue(const Value& v);

// A dtype= argument: numpy types and dtype objects, their names, tf dtypes
// and the builtins float / int / bool; nullopt for None.
std::optional<DType> ParseNumpyDType(const Value& v);

// An ndarray for a result, or a numpy scalar when it is 0-d (what numpy's
// ufuncs and reductions return).
Value Wrap(Tensor t);

// np.result_type of two array dtypes (an int with float32 is float64).
DType Promote(DType a, DType b);

// A copy with its own storage (Cast to the same dtype shares it).
Tensor Copy(const Tensor& t);

// numpy's astype: a cast of the values (float to int truncates).
Tensor AsType(const Tensor& t, DType dtype);

// Python operators with numpy semantics; one operand at least is an ndarray
// or a numpy scalar, neither a tf tensor.
Value BinaryOperator(std::string_view op, const Value& lhs, const Value& rhs,
                     RunContext& ctx);
Value UnaryOperator(std::string_view op, const Value& x);
bool Truth(const Value& x);

// Helpers the numpy files share: ndarrays, numpy scalars and tf tensors
// are array-like; numpy's shape text in errors, "(32,2)"; a broadcast copy
// (shapes known to broadcast); the bytes of a tensor of any dtype; an int
// index (a Python int or a numpy integer).
bool IsArrayLike(const Value& v);
const Tensor& ArrayTensorOf(const Value& v);
std::string NumpyShapeText(const Shape& shape);
Tensor BroadcastTo(const Tensor& t, const Shape& shape);
uint8_t* MutableBytes(Tensor& t);
std::optional<int64_t> IndexInt(const Value& v);

// np.matmul / @ and np.dot with numpy's texts.
Tensor MatMul(const Tensor& a, const Tensor& b);
Tensor Dot(const Tensor& a, const Tensor& b);

enum class Reduction {
  kSum,
  kMean,
  kMax,
  kMin,
  kArgMax,
  kArgMin,
  kAny,
  kAll,
  kProd,
  kVar,  // population variance (ddof=0)
  kStd,
};
// axis: None, an int or a tuple of ints (arg reductions: None or an int).
Value Reduce(Reduction r, const Tensor& t, const Value& axis, bool keepdims);

// np.round(a, decimals): numpy's scale, rint (half to even), unscale, in
// the array's dtype; integers are returned as they are.
Tensor Round(const Tensor& t, int64_t decimals);

// np.cumsum (axis None: over the flattened array; small ints sum as int64).
Tensor CumSum(const Tensor& t, const Value& axis);

// Axes as numpy normalises them ("axis 2 is out of bounds for array of
// dimension 2").
int64_t NormalizeAxis(int64_t axis, int64_t ndim);

Tensor Transpose(const Tensor& t, const std::vector<int64_t>& axes);
// numpy's reshape (one -1 allowed) with its text.
Tensor Reshape(const Tensor& t, std::vector<int64_t> shape);
// The shape argument of reshape/zeros: an int, or a tuple/list of ints.
std::vector<int64_t> ToShapeArg(const Value& v);

// The list of Python values of t (tolist()).
Value ToList(const Tensor& t);
// The Python scalar of element i (item()).
Value Item(const Tensor& t, int64_t i);

}  // namespace ap::np
