#include "einsum.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "../error.h"
#include "../ops/ops.h"

namespace ap::keras {

namespace {

char Letter(int i) { return static_cast<char>('a' + i); }

struct ParsedEquation {
  std::string in0, in1, out;
};

ParsedEquation Parse(const std::string& eq) {
  ParsedEquation p;
  const size_t comma = eq.find(',');
  const size_t arrow = eq.find("->");
  p.in0 = eq.substr(0, comma);
  p.in1 = eq.substr(comma + 1, arrow - comma - 1);
  p.out = eq.substr(arrow + 2);
  return p;
}

// Renames the subscripts' letters to a, b, c, ... in order of first
// appearance (keras/src/backend/tensorflow/numpy.py,
// _normalize_einsum_subscripts, Keras 3.15).
std::string NormalizeSubscripts(const std::string& subscripts) {
  char mapping[128] = {};
  int next = 0;
  std::string out;
  for (char c : subscripts) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter) {
      out += c;
      continue;
    }
    if (!mapping[static_cast<int>(c)]) {
      mapping[static_cast<int>(c)] = next < 26
                                         ? static_cast<char>('a' + next)
                                         : static_cast<char>('A' + next - 26);
      ++next;
    }
    out += mapping[static_cast<int>(c)];
  }
  return out;
}

// The kernel permutations of the two-operand projection equations that
// Keras' backend einsum turns into Reshape + MatMul: each lists the kernel's
// axes contracted-first, then the output's (see BackendEinsum).
std::optional<std::vector<int64_t>> ContractedFirstPermutation(
    const std::string& s) {
  static const std::pair<const char*, std::vector<int64_t>> kForms[] = {
      {"abc,cde->abde", {0, 1, 2}}, {"abc,dce->abde", {1, 0, 2}},
      {"abc,dec->abde", {2, 0, 1}}, {"abcd,cde->abe", {0, 1, 2}},
      {"abcd,ced->abe", {0, 2, 1}}, {"abcd,ecd->abe", {1, 2, 0}},
  };
  for (const auto& [form, perm] : kForms) {
    if (s == form) return perm;
  }
  return std::nullopt;
}

struct ContractedFirstKernel {
  Tensor kernel;
  std::vector<int64_t> dims;  // the kernel's dims in the permuted order
};

ContractedFirstKernel PermuteContractedFirst(const Tensor& y,
                                             const std::vector<int64_t>& perm) {
  ContractedFirstKernel k{y, {}};
  bool identity = true;
  for (size_t i = 0; i < perm.size(); ++i) {
    k.dims.push_back(y.dim(perm[i]));
    identity = identity && perm[i] == static_cast<int64_t>(i);
  }
  if (!identity) k.kernel = ops::Transpose(y, perm);
  return k;
}

}  // namespace

// tf.einsum on two operands with TensorFlow's checks (named labels must
// agree exactly; no broadcasting) and its error texts.
Tensor Einsum(const std::string& equation, const Tensor& x, const Tensor& y) {
  const ParsedEquation p = Parse(equation);
  const std::string* labels[2] = {&p.in0, &p.in1};
  const Tensor* inputs[2] = {&x, &y};
  int64_t size[26];
  bool seen[26] = {};
  for (int i = 0; i < 2; ++i) {
    const Shape& shape = inputs[i]->shape();
    if (static_cast<size_t>(inputs[i]->rank()) != labels[i]->size()) {
      Error e;
      e.cls = ErrorClass::kInvalidArgumentError;
      e.kind = ErrorKind::kText;
      e.text = "Expected input " + std::to_string(i) + " to have rank " +
               std::to_string(labels[i]->size()) +
               " but got: " + std::to_string(inputs[i]->rank());
      e.op = "Einsum";
      e.op_suffix = "_N_2";
      Raise(std::move(e));
    }
    for (size_t axis = 0; axis < labels[i]->size(); ++axis) {
      const int l = (*labels[i])[axis] - 'a';
      if (seen[l] && size[l] != shape[axis]) {
        Error e =
            MakeOpError(ErrorKind::kEinsumDim, "Einsum", {shape},
                        {size[l], static_cast<int64_t>(axis), shape[axis]});
        e.op_suffix = "_N_2";
        e.failing_axes = {static_cast<int>(axis)};
        Raise(std::move(e));
      }
      seen[l] = true;
      size[l] = shape[axis];
    }
  }
  Shape out_shape;
  for (char c : p.out) out_shape.push_back(size[c - 'a']);
  std::string contracted;
  for (int l = 0; l < 26; ++l) {
    if (seen[l] && p.out.find(Letter(l)) == std::string::npos) {
      contracted += Letter(l);
    }
  }
  Tensor out = Tensor::Zeros(DType::kFloat32, out_shape, "Einsum");
  // Strides of every label in each input.
  int64_t stride[2][26] = {};
  for (int i = 0; i < 2; ++i) {
    const std::vector<int64_t> st = RowMajorStrides(inputs[i]->shape());
    for (size_t axis = 0; axis < labels[i]->size(); ++axis) {
      stride[i][(*labels[i])[axis] - 'a'] += st[axis];
    }
  }
  const std::string all = p.out + contracted;
  const size_t n_out = p.out.size();
  std::vector<int64_t> dims, sx, sy;
  for (char c : all) {
    dims.push_back(size[c - 'a']);
    sx.push_back(stride[0][c - 'a']);
    sy.push_back(stride[1][c - 'a']);
  }
  int64_t inner = 1;
  for (size_t k = n_out; k < all.size(); ++k) inner *= dims[k];
  // The scalar loop below: about a nanosecond (one unit) per multiply-add.
  const int64_t n = out.num_elements();
  CurrentBudget()->ChargeCompute(
      inner > 0 && n > INT64_MAX / inner ? -1 : n * inner, "Einsum");
  const float* xd = x.f32();
  const float* yd = y.f32();
  float* od = out.f32();
  const int64_t total_out = out.num_elements();
  std::vector<int64_t> idx(all.size(), 0);
  for (int64_t o = 0; o < total_out; ++o) {
    // idx[0..n_out) is the output multi-index of o (row-major).
    int64_t rem = o;
    for (size_t k = n_out; k-- > 0;) {
      idx[k] = dims[k] ? rem % dims[k] : 0;
      rem = dims[k] ? rem / dims[k] : 0;
    }
    int64_t bx = 0, by = 0;
    for (size_t k = 0; k < n_out; ++k) {
      bx += idx[k] * sx[k];
      by += idx[k] * sy[k];
    }
    double acc = 0;
    for (size_t k = n_out; k < all.size(); ++k) idx[k] = 0;
    for (int64_t c = 0; c < inner; ++c) {
      int64_t ox = bx, oy = by;
      for (size_t k = n_out; k < all.size(); ++k) {
        ox += idx[k] * sx[k];
        oy += idx[k] * sy[k];
      }
      acc += static_cast<double>(xd[ox]) * yd[oy];
      for (size_t k = all.size(); k-- > n_out;) {
        if (++idx[k] < dims[k]) break;
        idx[k] = 0;
      }
    }
    od[o] = static_cast<float>(acc);
  }
  return out;
}

// Keras 3's TF-backend ops.einsum (keras/src/backend/tensorflow/numpy.py,
// einsum, Keras 3.15): the common two-operand forms do not run tf.einsum but
// reshape/transpose + tf.matmul, so batch dims broadcast (BatchMatMulV2) and
// the kernel is reshaped with the input's contracted size ("c1 or c2"); the
// errors are then Reshape's and MatMul's. tf_keras calls tf.einsum.
Tensor BackendEinsum(Profile profile, const std::string& equation,
                     const Tensor& x, const Tensor& y) {
  if (profile != Profile::kKeras3) return Einsum(equation, x, y);
  const std::string s = NormalizeSubscripts(equation);
  const ParsedEquation p = Parse(s);
  if (static_cast<size_t>(x.rank()) != p.in0.size() ||
      static_cast<size_t>(y.rank()) != p.in1.size()) {
    // Not reachable from the layers (their InputSpecs fix the ranks).
    return Einsum(equation, x, y);
  }
  auto or_else = [](int64_t a, int64_t b) { return a ? a : b; };
  auto tr = [](const Tensor& t, std::vector<int64_t> perm) {
    return ops::Transpose(t, perm);
  };
  auto mm = [](const Tensor& a, const Tensor& b) { return ops::MatMul(a, b); };
  if (s == "a,b->ab") {
    return mm(ops::ExpandDims(x, -1), ops::ExpandDims(y, 0));
  }
  if (s == "ab,b->a") {
    return ops::Squeeze(mm(x, ops::ExpandDims(y, -1)), {-1});
  }
  if (s == "ab,bc->ac" || s == "abc,cd->abd" || s == "abcd,abde->abce") {
    return mm(x, y);
  }
  if (s == "ab,cb->ac" || s == "abc,dc->abd") return mm(x, tr(y, {1, 0}));
  // The projection forms: the kernel's axes are permuted so that its
  // contracted axes come first, then the operands are reshaped to a matmul.
  if (const auto perm = ContractedFirstPermutation(s)) {
    const ContractedFirstKernel k = PermuteContractedFirst(y, *perm);
    const int64_t b = x.dim(1), c = or_else(x.dim(2), k.dims[0]);
    if (x.rank() == 3) {  // abc,{cde,dce,dec}->abde
      const Tensor r = mm(x, ops::Reshape(k.kernel, {c, -1}));
      return ops::Reshape(r, {-1, b, k.dims[1], k.dims[2]});
    }
    // abcd,{cde,ced,ecd}->abe
    const int64_t d = or_else(x.dim(3), k.dims[1]);
    return mm(ops::Reshape(x, {-1, b, c * d}),
              ops::Reshape(k.kernel, {-1, k.dims[2]}));
  }
  if (s == "abcd,abed->abce") return mm(x, tr(y, {0, 1, 3, 2}));
  if (s == "abcd,acbe->adbe") {
    return tr(mm(tr(x, {0, 1, 3, 2}), tr(y, {0, 2, 1, 3})), {0, 2, 1, 3});
  }
  if (s == "abcd,adbe->acbe") {
    return tr(mm(x, tr(y, {0, 2, 1, 3})), {0, 2, 1, 3});
  }
  if (s == "abcd,aecd->acbe" || s == "abcd,aecd->aceb") {
    const Tensor r = mm(tr(x, {0, 2, 1, 3}), tr(y, {0, 2, 3, 1}));
    return s == "abcd,aecd->acbe" ? r : tr(r, {0, 1, 3, 2});
  }
  if (s == "abcde,aebf->adbcf") {
    const int64_t b = or_else(x.dim(1), y.dim(2)), c = x.dim(2), d = x.dim(3),
                  e = or_else(x.dim(4), y.dim(1)), f = y.dim(3);
    const Tensor x4 = ops::Reshape(x, {-1, b, c * d, e});
    const Tensor r = mm(x4, tr(y, {0, 2, 1, 3}));
    return tr(ops::Reshape(r, {-1, b, c, d, f}), {0, 3, 1, 2, 4});
  }
  if (s == "abcde,afce->acdbf") {
    const int64_t b = x.dim(1), c = or_else(x.dim(2), y.dim(2)), d = x.dim(3),
                  e = or_else(x.dim(4), y.dim(3)), f = y.dim(1);
    const Tensor x4 = ops::Reshape(tr(x, {0, 2, 3, 1, 4}), {-1, c, d * b, e});
    const Tensor r = mm(x4, tr(y, {0, 2, 3, 1}));
    return ops::Reshape(r, {-1, c, d, b, f});
  }
  return Einsum(equation, x, y);
}

}  // namespace ap::keras
