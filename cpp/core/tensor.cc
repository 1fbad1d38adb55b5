#include "tensor.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "error.h"

// The budget's checks and messages run once per tensor, not per element:
// compiled for size in the -O3 WASM build (as AP_MINSIZE in ops/internal.h).
#if defined(__clang__)
#define AP_TENSOR_MINSIZE __attribute__((minsize))
#else
#define AP_TENSOR_MINSIZE
#endif

namespace ap {

struct Tensor::Storage {
  Storage(std::shared_ptr<MemoryBudget> b, int64_t n, bool zero)
      : budget(std::move(b)),
        bytes(n),
        data(zero ? new uint8_t[n > 0 ? n : 1]() : new uint8_t[n > 0 ? n : 1]) {
  }
  ~Storage() { budget->Release(bytes); }
  std::shared_ptr<MemoryBudget> budget;
  int64_t bytes;
  std::unique_ptr<uint8_t[]> data;
};

AP_TENSOR_MINSIZE void MemoryBudget::Charge(DType dtype, const Shape& shape,
                                            std::string_view op) {
  auto fail = [&](std::string note) {
    Error e = MakeOpError(ErrorKind::kOutOfMemory, std::string(op), {shape});
    e.dtypes = {dtype};
    e.note = std::move(note);
    if (op.empty()) e.eager_envelope = false;
    Raise(std::move(e));
  };
  for (int64_t d : shape) {
    if (d < 0) fail("a dimension is negative");
  }
  const auto elements = CheckedNumElements(shape);
  if (!elements) {
    fail("the element count overflows a 64-bit integer");
  }
  if (*elements > limits_.max_tensor_elements) {
    fail("the playground allows at most " +
         std::to_string(limits_.max_tensor_elements) +
         " elements in one tensor; this one needs " +
         std::to_string(*elements) + " (" +
         std::to_string(*elements / limits_.max_tensor_elements) + "x over)");
  }
  const int64_t bytes = *elements * DTypeSize(dtype);
  if (live_bytes_ + bytes > limits_.max_total_bytes) MakeRoom(bytes);
  if (live_bytes_ + bytes > limits_.max_total_bytes) {
    fail("the playground allows at most " +
         std::to_string(limits_.max_total_bytes >> 20) +
         " MiB of live tensors in a run; " + std::to_string(live_bytes_ >> 20) +
         " MiB are live and this tensor " + "needs " +
         std::to_string(bytes >> 20) + " MiB more");
  }
  ChargeElements(*elements, compute_cost::kWrite, op);
  live_bytes_ += bytes;
  if (live_bytes_ > peak_bytes_) peak_bytes_ = live_bytes_;
}

AP_TENSOR_MINSIZE void MemoryBudget::MakeRoom(int64_t bytes) {
  // A tensor larger than the whole limit fails anyway: keep the trace whole.
  if (!reclaimer_ || reclaiming_ || bytes > limits_.max_total_bytes) return;
  reclaiming_ = true;
  try {
    reclaimer_->Reclaim(*this, limits_.max_total_bytes - bytes);
  } catch (...) {
    reclaiming_ = false;
    throw;
  }
  reclaiming_ = false;
}

AP_TENSOR_MINSIZE void MemoryBudget::ChargeCompute(int64_t operations,
                                                   std::string_view op) {
  const int64_t limit = limits_.max_compute;
  if (operations >= 0 && operations <= limit - compute_) {
    compute_ += operations;
    return;
  }
  std::string text =
      "compute limit exceeded: the program's tensor operations would need "
      "more than " +
      std::to_string(limit) +
      " units of work (about a second natively: 2 per element written, 1 "
      "per element read, 1 per 8 matmul multiply-adds, more for exp, tanh, "
      "transposes and random samples) in one run; ";
  if (operations < 0) {
    text += "this op's count overflows a 64-bit integer";
  } else {
    const double total =
        static_cast<double>(compute_) + static_cast<double>(operations);
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.2f", total / limit);
    text += std::to_string(compute_) + " were done and this op";
    if (!op.empty()) text += " (" + std::string(op) + ")";
    text += " needs " + std::to_string(operations) + " more (" + ratio +
            "x the limit)";
  }
  RaiseText(ErrorClass::kLimitError, std::move(text));
}

namespace {
thread_local std::shared_ptr<MemoryBudget> current_budget;
}  // namespace

std::shared_ptr<MemoryBudget> CurrentBudget() {
  if (!current_budget) current_budget = std::make_shared<MemoryBudget>();
  return current_budget;
}

BudgetScope::BudgetScope(std::shared_ptr<MemoryBudget> budget)
    : previous_(current_budget) {
  current_budget = std::move(budget);
}

BudgetScope::~BudgetScope() { current_budget = std::move(previous_); }

ReclaimerScope::ReclaimerScope(std::shared_ptr<MemoryBudget> budget,
                               MemoryReclaimer* reclaimer)
    : budget_(std::move(budget)), previous_(budget_->reclaimer()) {
  budget_->set_reclaimer(reclaimer);
}

ReclaimerScope::~ReclaimerScope() { budget_->set_reclaimer(previous_); }

Tensor Tensor::Zeros(DType dtype, Shape shape, std::string_view op) {
  return Allocate(dtype, std::move(shape), op, /*zero=*/true);
}

Tensor Tensor::Uninitialized(DType dtype, Shape shape, std::string_view op) {
  return Allocate(dtype, std::move(shape), op, /*zero=*/false);
}

Tensor Tensor::Allocate(DType dtype, Shape shape, std::string_view op,
                        bool zero) {
  auto budget = CurrentBudget();
  budget->Charge(dtype, shape, op);
  Tensor t;
  t.dtype_ = dtype;
  t.num_elements_ = *CheckedNumElements(shape);
  t.shape_ = std::move(shape);
  t.storage_ = std::make_shared<Storage>(
      budget, t.num_elements_ * DTypeSize(dtype), zero);
  return t;
}

Tensor Tensor::ScalarF32(float v) {
  Tensor t = Zeros(DType::kFloat32, {});
  t.f32()[0] = v;
  return t;
}

Tensor Tensor::ScalarI32(int32_t v) {
  Tensor t = Zeros(DType::kInt32, {});
  t.i32()[0] = v;
  return t;
}

Tensor Tensor::ScalarBool(bool v) {
  Tensor t = Zeros(DType::kBool, {});
  t.b8()[0] = v ? 1 : 0;
  return t;
}

Tensor Tensor::ScalarF64(double v) {
  Tensor t = Zeros(DType::kFloat64, {});
  t.f64()[0] = v;
  return t;
}

Tensor Tensor::ScalarI64(int64_t v) {
  Tensor t = Zeros(DType::kInt64, {});
  t.i64()[0] = v;
  return t;
}

float* Tensor::f32() { return reinterpret_cast<float*>(storage_->data.get()); }
const float* Tensor::f32() const {
  return reinterpret_cast<const float*>(storage_->data.get());
}
int32_t* Tensor::i32() {
  return reinterpret_cast<int32_t*>(storage_->data.get());
}
const int32_t* Tensor::i32() const {
  return reinterpret_cast<const int32_t*>(storage_->data.get());
}
uint8_t* Tensor::b8() { return storage_->data.get(); }
const uint8_t* Tensor::b8() const { return storage_->data.get(); }
double* Tensor::f64() {
  return reinterpret_cast<double*>(storage_->data.get());
}
const double* Tensor::f64() const {
  return reinterpret_cast<const double*>(storage_->data.get());
}
int64_t* Tensor::i64() {
  return reinterpret_cast<int64_t*>(storage_->data.get());
}
const int64_t* Tensor::i64() const {
  return reinterpret_cast<const int64_t*>(storage_->data.get());
}

double Tensor::GetAsDouble(int64_t i) const {
  switch (dtype_) {
    case DType::kFloat32:
      return f32()[i];
    case DType::kInt32:
      return i32()[i];
    case DType::kBool:
      return b8()[i];
    case DType::kFloat64:
      return f64()[i];
    case DType::kInt64:
      return static_cast<double>(i64()[i]);
  }
  return 0;
}

namespace {

template <typename T>
Tensor::ValueStats StatsOf(const T* p, int64_t n) {
  Tensor::ValueStats st{__builtin_huge_val(), -__builtin_huge_val(), 0.0};
  for (int64_t i = 0; i < n; ++i) {
    const double v = static_cast<double>(p[i]);
    st.lo = v < st.lo ? v : st.lo;  // std::min(lo, v)
    st.hi = st.hi < v ? v : st.hi;  // std::max(hi, v)
    st.sum += v;
  }
  return st;
}

}  // namespace

Tensor::ValueStats Tensor::ComputeValueStats() const {
  if (!valid()) return StatsOf<float>(nullptr, 0);
  switch (dtype_) {
    case DType::kFloat32:
      return StatsOf(f32(), num_elements_);
    case DType::kInt32:
      return StatsOf(i32(), num_elements_);
    case DType::kBool:
      return StatsOf(b8(), num_elements_);
    case DType::kFloat64:
      return StatsOf(f64(), num_elements_);
    case DType::kInt64:
      return StatsOf(i64(), num_elements_);
  }
  return StatsOf<float>(nullptr, 0);
}

Tensor Tensor::WithShape(Shape shape) const {
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

}  // namespace ap
