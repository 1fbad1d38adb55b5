#include "weight_initializers.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "../error.h"
#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"

namespace ap::keras {

std::string InitializerName(const Value& v, const char* what,
                            std::initializer_list<const char*> allowed) {
  std::string names;
  for (const char* name : allowed) {
    if (v.kind() == Value::Kind::kStr && v.as_str() == name) return name;
    names += std::string(names.empty() ? "" : ", ") + "'" + name + "'";
  }
  RaiseNotModelled(std::string(what) + "=" + ap::Repr(v) +
                   " (supported: " + names + ")");
}

Tensor OrthogonalWeight(const Shape& shape, Random& rng) {
  const int64_t rows = shape.size() == 2 ? shape[0] : 1;
  const int64_t cols = shape.size() == 2 ? shape[1] : 1;
  Tensor t = Tensor::Zeros(DType::kFloat32, shape, "Qr");
  // A tall n x m matrix with orthonormal columns, stored column by column:
  // m columns of a random signed permutation, then three Householder
  // reflections I - 2 v v^T / |v|^2 with normal v. Orthogonal like Keras'
  // QR factor at O(n * m) work instead of QR's O(n * m^2) (an LSTM(256)'s
  // recurrent kernel is 256 x 1024); the values are the playground's anyway.
  const int64_t n = std::max(rows, cols), m = std::min(rows, cols);
  constexpr int kReflections = 3;
  if (auto budget = CurrentBudget()) {
    budget->ChargeElements(n * m, 4 * kReflections + 1, "Qr");
  }
  std::vector<int64_t> perm(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) perm[i] = i;
  for (int64_t i = n - 1; i > 0; --i) {
    std::swap(perm[i], perm[rng.NextU32() % static_cast<uint32_t>(i + 1)]);
  }
  std::vector<double> a(static_cast<size_t>(n * m), 0.0);
  for (int64_t j = 0; j < m; ++j) {
    a[j * n + perm[j]] = rng.UniformFloat() < 0.5f ? -1.0 : 1.0;
  }
  std::vector<double> v(static_cast<size_t>(n));
  for (int r = 0; r < kReflections; ++r) {
    double norm2 = 0;
    for (double& x : v) {
      x = rng.Normal();
      norm2 += x * x;
    }
    if (norm2 == 0) continue;
    for (int64_t j = 0; j < m; ++j) {
      double* col = &a[j * n];
      double dot = 0;
      for (int64_t i = 0; i < n; ++i) dot += v[i] * col[i];
      const double scale = 2 * dot / norm2;
      for (int64_t i = 0; i < n; ++i) col[i] -= scale * v[i];
    }
  }
  float* out = t.f32();
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      // rows >= cols: the tall matrix itself; rows < cols: its transpose.
      const double x = rows >= cols ? a[c * n + r] : a[r * n + c];
      out[r * cols + c] = static_cast<float>(x);
    }
  }
  return t;
}

Tensor InitializeWeight(const std::string& name, const Shape& shape,
                        Random& rng, double uniform_limit) {
  if (name == "glorot_uniform") return GlorotUniform(shape, rng);
  if (name == "orthogonal") return OrthogonalWeight(shape, rng);
  if (name == "uniform") {
    return ops::RandomUniform(shape, -uniform_limit, uniform_limit,
                              DType::kFloat32, rng);
  }
  return ops::Fill(shape, name == "ones" ? 1.0 : 0.0, DType::kFloat32);
}

}  // namespace ap::keras
