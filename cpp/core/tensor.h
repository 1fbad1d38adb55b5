// A dense, row-major tensor with TensorFlow's dtypes, and the memory budget
// every allocation is charged to.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "dtype.h"
#include "shape.h"

namespace ap {

// What one op costs against the compute budget, in units of about one
// nanosecond of native work on the reference machine (2-core x86-64; the
// figures come from tests/bench/limits.mjs and docs/performance.md). Counts
// the engine makes, not clocks read, so every verdict is deterministic; the
// weights only keep the counts proportional to the real work, so that the
// budget stops any loop of tensor ops within about a second.
namespace compute_cost {
// Every element allocated: fresh pages from the OS plus the write
// (tf.ones, x + x, concat: 1.4-1.8 ns per element).
inline constexpr int64_t kWrite = 2;
// Every element a reduction reads or the run's trace summarises (0.5 ns).
inline constexpr int64_t kRead = 1;
// Matmul multiply-adds per unit (the SIMD GEMM: ~0.02 ns each).
inline constexpr int64_t kMultiplyAddsPerUnit = 8;
// Extra per element, beyond the write: exp, log, sigmoid and tanh call the
// C library per element (2.9-9.2 ns); a transpose or gather copies with
// strides (6.7 ns); the Philox stream makes normal (15 ns) and uniform
// (6.5 ns) samples.
inline constexpr int64_t kTranscendental = 7;
inline constexpr int64_t kStridedCopy = 5;
inline constexpr int64_t kRandomNormal = 13;
inline constexpr int64_t kRandomUniform = 5;
// Each tensor an op returns (a part of tf.split: its object and shape,
// ~0.1 us), however few its elements: 10**9 empty parts are work too.
inline constexpr int64_t kTensorObject = 100;
}  // namespace compute_cost

// Limits for one run. A tensor or a run that would exceed them fails with a
// ResourceExhaustedError before anything is allocated. The compute budget
// bounds the time tensor ops take in all (a Python loop is bounded by steps,
// but each iteration may call a large op), in the units of compute_cost;
// past it, a LimitError before the op runs. 1e9 units is about one second
// natively, far above the article's programs (article-1: ~0.2 ms).
struct ResourceLimits {
  int64_t max_tensor_elements = int64_t{64} << 20;  // 64 Mi elements
  int64_t max_total_bytes = int64_t{256} << 20;     // 256 MiB live at once
  int64_t max_compute = 1000000000;                 // ~1 s natively
};

class MemoryBudget;

// Something that holds tensors only for later display (the run's trace) and
// can give their storage back when the program needs the memory.
class MemoryReclaimer {
 public:
  virtual ~MemoryReclaimer() = default;
  // Releases what it can, oldest first, until budget.live_bytes() is at most
  // `target_live_bytes` or nothing more can go. Must not allocate tensors.
  virtual void Reclaim(const MemoryBudget& budget,
                       int64_t target_live_bytes) = 0;
};

// Tracks live tensor bytes for one run. Storage keeps its budget alive and
// gives its bytes back when freed.
class MemoryBudget {
 public:
  explicit MemoryBudget(ResourceLimits limits = {}) : limits_(limits) {}
  const ResourceLimits& limits() const { return limits_; }
  int64_t live_bytes() const { return live_bytes_; }
  int64_t peak_bytes() const { return peak_bytes_; }

  // Throws ResourceExhaustedError (kind kOutOfMemory, `op` in the envelope)
  // if `shape` of `dtype` does not fit; otherwise charges its bytes. Before
  // failing for the live limit it asks the reclaimer (if any) to free room,
  // so tensors kept only for display never cause an OOM the program would
  // not have in TensorFlow.
  void Charge(DType dtype, const Shape& shape, std::string_view op);
  void Release(int64_t bytes) { live_bytes_ -= bytes; }
  // Throws a LimitError naming `op` if `units` more units of compute_cost
  // would pass max_compute; otherwise counts them. Negative counts are
  // treated as overflow (over the limit).
  void ChargeCompute(int64_t units, std::string_view op);
  // `elements` at `cost` units each, with overflow checked.
  void ChargeElements(int64_t elements, int64_t cost, std::string_view op) {
    ChargeCompute(elements > INT64_MAX / cost ? -1 : elements * cost, op);
  }
  // Counts work that has to happen whatever the budget says (the trace
  // summarising a tensor it keeps) without failing here: the next charge
  // fails if the total has passed the limit.
  void CountCompute(int64_t units) {
    compute_ = units > limits_.max_compute - compute_ ? limits_.max_compute
                                                      : compute_ + units;
  }
  // `outputs` elements of `inner` multiply-adds each.
  void ChargeMultiplyAdds(int64_t outputs, int64_t inner, std::string_view op) {
    constexpr int64_t kPer = compute_cost::kMultiplyAddsPerUnit;
    ChargeCompute(inner > 0 && outputs > INT64_MAX / inner
                      ? -1
                      : (outputs * inner + kPer - 1) / kPer,
                  op);
  }
  int64_t compute() const { return compute_; }
  // May be null. The budget does not own it (see ReclaimerScope).
  MemoryReclaimer* reclaimer() const { return reclaimer_; }
  void set_reclaimer(MemoryReclaimer* reclaimer) { reclaimer_ = reclaimer; }

 private:
  // Asks the reclaimer to make room for `bytes` more; never re-entered.
  void MakeRoom(int64_t bytes);

  ResourceLimits limits_;
  MemoryReclaimer* reclaimer_ = nullptr;
  bool reclaiming_ = false;
  int64_t live_bytes_ = 0;
  int64_t peak_bytes_ = 0;
  int64_t compute_ = 0;
};

// The budget allocations are charged to on this thread. A run installs its
// own with BudgetScope; outside any scope a default budget applies.
std::shared_ptr<MemoryBudget> CurrentBudget();

class BudgetScope {
 public:
  explicit BudgetScope(std::shared_ptr<MemoryBudget> budget);
  ~BudgetScope();
  BudgetScope(const BudgetScope&) = delete;
  BudgetScope& operator=(const BudgetScope&) = delete;

 private:
  std::shared_ptr<MemoryBudget> previous_;
};

// Installs `reclaimer` on `budget` for its lifetime, then restores the
// previous one (the reclaimer usually dies with the scope).
class ReclaimerScope {
 public:
  ReclaimerScope(std::shared_ptr<MemoryBudget> budget,
                 MemoryReclaimer* reclaimer);
  ~ReclaimerScope();
  ReclaimerScope(const ReclaimerScope&) = delete;
  ReclaimerScope& operator=(const ReclaimerScope&) = delete;

 private:
  std::shared_ptr<MemoryBudget> budget_;
  MemoryReclaimer* previous_;
};

class Tensor {
 public:
  // An empty float32 scalar-less placeholder; valid() is false.
  Tensor() = default;

  // Zero-filled tensor. Checks the budget first; `op` names the TF op that
  // would have allocated it (used in the ResourceExhaustedError envelope).
  static Tensor Zeros(DType dtype, Shape shape, std::string_view op = "");
  // Same checks and budget charge as Zeros, but the elements are left
  // uninitialised: only for outputs the caller writes in full before anyone
  // reads them (saves a pass over memory on large tensors).
  static Tensor Uninitialized(DType dtype, Shape shape,
                              std::string_view op = "");
  static Tensor ScalarF32(float v);
  static Tensor ScalarI32(int32_t v);
  static Tensor ScalarBool(bool v);
  static Tensor ScalarF64(double v);
  static Tensor ScalarI64(int64_t v);

  bool valid() const { return storage_ != nullptr; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int axis) const { return shape_[axis]; }
  int64_t num_elements() const { return num_elements_; }

  // Typed access. The caller must match dtype(): float32 → f32, int32 → i32,
  // bool → b8 (one byte per element, 0 or 1), float64 → f64, int64 → i64.
  float* f32();
  const float* f32() const;
  int32_t* i32();
  const int32_t* i32() const;
  uint8_t* b8();
  const uint8_t* b8() const;
  double* f64();
  const double* f64() const;
  int64_t* i64();
  const int64_t* i64() const;

  // Element i of the flattened tensor as a double (any dtype; an int64
  // beyond 2**53 rounds).
  double GetAsDouble(int64_t i) const;

  // min, max and sum of the elements as doubles, exactly what a loop over
  // GetAsDouble(i) with lo = std::min(lo, v), hi = std::max(hi, v),
  // sum += v computes (the same order, so the same sum; a NaN element never
  // becomes lo or hi but makes the sum NaN), without a call and a dtype
  // switch per element (about 3x faster). lo = +inf, hi = -inf, sum = 0 for
  // an empty tensor.
  struct ValueStats {
    double lo, hi, sum;
  };
  ValueStats ComputeValueStats() const;

  // Same storage, new shape with the same element count.
  Tensor WithShape(Shape shape) const;

  // Identity of the storage (shared by copies and WithShape views), and how
  // many Tensor objects reference it: a holder that can account for every
  // reference knows nobody else can read the values. Null / 0 if !valid().
  const void* storage_id() const { return storage_.get(); }
  int64_t storage_refs() const { return storage_.use_count(); }

 private:
  struct Storage;
  static Tensor Allocate(DType dtype, Shape shape, std::string_view op,
                         bool zero);
  DType dtype_ = DType::kFloat32;
  Shape shape_;
  int64_t num_elements_ = 0;
  std::shared_ptr<Storage> storage_;
};

}  // namespace ap
