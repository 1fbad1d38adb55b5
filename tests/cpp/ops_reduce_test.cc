#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "ops_test_util.h"

namespace ap {
namespace {

using namespace ap::testing;  // NOLINT
using ops::ReduceOp;

// Softmax rows sum to 1 and match hand-computed values.
TEST(OpsReduceTest, SoftmaxRowsSumToOne) {
  Tensor x = F32({2, 3}, {1, 2, 3, 0, 0, 0});
  Tensor s = ops::Softmax(x);
  EXPECT_EQ(s.shape(), (Shape{2, 3}));
  const double e1 = std::exp(1.0), e2 = std::exp(2.0), e3 = std::exp(3.0);
  EXPECT_NEAR(s.f32()[0], e1 / (e1 + e2 + e3), 1e-6);
  EXPECT_NEAR(s.f32()[2], e3 / (e1 + e2 + e3), 1e-6);
  for (int r = 0; r < 2; ++r) {
    double sum = 0;
    for (int c = 0; c < 3; ++c) sum += s.f32()[r * 3 + c];
    EXPECT_NEAR(sum, 1.0, 1e-6);
  }
  EXPECT_NEAR(s.f32()[3], 1.0 / 3, 1e-6);
}

// Subtracting the row max keeps huge logits finite.
TEST(OpsReduceTest, SoftmaxIsStable) {
  Tensor s = ops::Softmax(F32({3}, {1000, 1000, -1e9f}));
  EXPECT_NEAR(s.f32()[0], 0.5, 1e-6);
  EXPECT_NEAR(s.f32()[1], 0.5, 1e-6);
  EXPECT_EQ(s.f32()[2], 0.0f);
}

// Softmax along a non-last axis normalises columns.
TEST(OpsReduceTest, SoftmaxOtherAxis) {
  Tensor s = ops::Softmax(F32({2, 2}, {0, 5, 0, 5}), 0);
  EXPECT_EQ(Values(s), (std::vector<double>{0.5, 0.5, 0.5, 0.5}));
  Tensor t = ops::Softmax(F32({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}), -2);
  for (int i = 0; i < 2; ++i) {
    for (int c = 0; c < 2; ++c) {
      EXPECT_NEAR(t.f32()[i * 4 + c] + t.f32()[i * 4 + 2 + c], 1.0, 1e-6);
    }
  }
}

// Softmax errors: rank 0 (kernel) and axis out of range (Python).
TEST(OpsReduceTest, SoftmaxErrors) {
  Error r = ErrorOf([&] { ops::Softmax(F32({}, {1})); });
  EXPECT_EQ(r.Message(),
            Eager("Softmax", "logits must have >= 1 dimension, got []"));
  Error a = ErrorOf([&] { ops::Softmax(Zf({2, 3}), 2); });
  EXPECT_EQ(a.cls, ErrorClass::kInvalidArgumentError);
  EXPECT_EQ(a.Message(),
            "`dim` must be in the range [-2, 2) where 2 is the number of "
            "dimensions in the input. Received: dim=2");
  // A scalar with axis 0 fails the Python range check, not the kernel.
  EXPECT_EQ(ErrorOf([&] { ops::Softmax(F32({}, {1}), 0); }).Message(),
            "`dim` must be in the range [0, 0) where 0 is the number of "
            "dimensions in the input. Received: dim=0");
}

// Sum/Mean/Max/Min/Prod over axes with and without keepdims.
TEST(OpsReduceTest, ReduceValues) {
  Tensor x = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor s0 = ops::Reduce(ReduceOp::kSum, x, std::vector<int>{0}, false);
  EXPECT_EQ(s0.shape(), (Shape{3}));
  EXPECT_EQ(Values(s0), (std::vector<double>{5, 7, 9}));
  Tensor s1 = ops::Reduce(ReduceOp::kSum, x, std::vector<int>{-1}, true);
  EXPECT_EQ(s1.shape(), (Shape{2, 1}));
  EXPECT_EQ(Values(s1), (std::vector<double>{6, 15}));
  Tensor all = ops::Reduce(ReduceOp::kMean, x, std::nullopt, false);
  EXPECT_EQ(all.shape(), Shape{});
  EXPECT_DOUBLE_EQ(all.f32()[0], 3.5);
  Tensor allk = ops::Reduce(ReduceOp::kMax, x, std::nullopt, true);
  EXPECT_EQ(allk.shape(), (Shape{1, 1}));
  EXPECT_EQ(Values(allk), (std::vector<double>{6}));
  EXPECT_EQ(Values(ops::Reduce(ReduceOp::kMin, x, std::vector<int>{1}, false)),
            (std::vector<double>{1, 4}));
  EXPECT_EQ(Values(ops::Reduce(ReduceOp::kProd, x, std::vector<int>{1}, false)),
            (std::vector<double>{6, 120}));
  // An empty axis list reduces nothing.
  EXPECT_EQ(ops::Reduce(ReduceOp::kSum, x, std::vector<int>{}, false).shape(),
            (Shape{2, 3}));
}

// Mean of int32 is integer division (truncation), like TF.
TEST(OpsReduceTest, IntMeanTruncates) {
  Tensor x = I32({4}, {1, 2, 2, 2});
  Tensor m = ops::Reduce(ReduceOp::kMean, x, std::nullopt, false);
  EXPECT_EQ(m.dtype(), DType::kInt32);
  EXPECT_EQ(m.i32()[0], 1);
  EXPECT_EQ(ops::Reduce(ReduceOp::kMean, I32({2}, {-3, 0}), std::nullopt, false)
                .i32()[0],
            -1);
}

// Any/All need bool.
TEST(OpsReduceTest, AnyAll) {
  Tensor b = Bool({2, 2}, {1, 0, 0, 0});
  EXPECT_EQ(Values(ops::Reduce(ReduceOp::kAny, b, std::vector<int>{1}, false)),
            (std::vector<double>{1, 0}));
  EXPECT_EQ(Values(ops::Reduce(ReduceOp::kAll, b, std::nullopt, false)),
            (std::vector<double>{0}));
  Error e = ErrorOf(
      [&] { ops::Reduce(ReduceOp::kAny, Zf({2}), std::nullopt, false); });
  EXPECT_EQ(e.Message(),
            "cannot compute Any as input #0(zero-based) was expected to be a "
            "bool tensor but is a float tensor [Op:Any] name: ");
}

// Invalid axes name the reduction op.
TEST(OpsReduceTest, ReductionAxisMessages) {
  const std::vector<std::pair<ReduceOp, std::string>> table = {
      {ReduceOp::kSum, "Sum"},   {ReduceOp::kMean, "Mean"},
      {ReduceOp::kMax, "Max"},   {ReduceOp::kMin, "Min"},
      {ReduceOp::kProd, "Prod"}, {ReduceOp::kAny, "Any"},
      {ReduceOp::kAll, "All"}};
  for (const auto& entry : table) {
    const ReduceOp op = entry.first;
    const std::string& name = entry.second;
    const bool logical = op == ReduceOp::kAny || op == ReduceOp::kAll;
    Tensor x = logical ? Bool({2, 3}, {0, 0, 0, 0, 0, 0}) : Zf({2, 3});
    Error e = ErrorOf([&] { ops::Reduce(op, x, std::vector<int>{2}, false); });
    EXPECT_EQ(e.Message(),
              Eager(name,
                    "Invalid reduction dimension (2 for input with 2 "
                    "dimension(s)"));
    Error n = ErrorOf([&] { ops::Reduce(op, x, std::vector<int>{-3}, true); });
    EXPECT_EQ(n.KernelMessage(),
              "Invalid reduction dimension (-3 for input with 2 dimension(s)");
    // Duplicate axes (after wrapping) are rejected by the kernel. Several
    // axes come as a Python list: the slow path, no " name: ".
    Error d = ErrorOf([&] {
      ops::Reduce(op, x, std::vector<int>{0, -2}, false);
    });
    EXPECT_EQ(d.Message(), EagerNoName(name,
                                       "Invalid reduction arguments: Axes "
                                       "contains duplicate dimension: 0"));
    EXPECT_FALSE(ErrorOf([&] {
                   ops::Reduce(op, x, std::vector<int>{0, 4}, false);
                 }).fast_path);
  }
}

// Reductions over empty axes give the identity values.
TEST(OpsReduceTest, EmptyReductions) {
  Tensor e = Zf({0, 2});
  EXPECT_EQ(Values(ops::Reduce(ReduceOp::kSum, e, std::vector<int>{0}, false)),
            (std::vector<double>{0, 0}));
  EXPECT_EQ(Values(ops::Reduce(ReduceOp::kProd, e, std::vector<int>{0}, false)),
            (std::vector<double>{1, 1}));
  EXPECT_TRUE(std::isnan(
      ops::Reduce(ReduceOp::kMean, e, std::nullopt, false).f32()[0]));
  EXPECT_EQ(
      ops::Reduce(ReduceOp::kMean, I32({0}, {}), std::nullopt, false).i32()[0],
      0);
}

// Cumsum along an axis, and its axis message.
TEST(OpsReduceTest, CumSum) {
  Tensor x = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(Values(ops::CumSum(x, 1)),
            (std::vector<double>{1, 3, 6, 4, 9, 15}));
  EXPECT_EQ(Values(ops::CumSum(x, -2)),
            (std::vector<double>{1, 2, 3, 5, 7, 9}));
  EXPECT_EQ(Values(ops::CumSum(I32({3}, {1, 1, 1}), 0)),
            (std::vector<double>{1, 2, 3}));
  Error e = ErrorOf([&] { ops::CumSum(x, 2); });
  EXPECT_EQ(
      e.Message(),
      Eager("Cumsum",
            "ScanOp: Expected scan axis in the range [-2, 2), but got 2"));
}

// ArgMax returns the first maximal index as int32.
TEST(OpsReduceTest, ArgMax) {
  Tensor x = F32({2, 3}, {1, 3, 3, 9, 0, 2});
  Tensor a = ops::ArgMax(x, 1);
  EXPECT_EQ(a.dtype(), DType::kInt32);
  EXPECT_EQ(a.shape(), (Shape{2}));
  EXPECT_EQ(Values(a), (std::vector<double>{1, 0}));
  EXPECT_EQ(Values(ops::ArgMax(x, 0)), (std::vector<double>{1, 0, 0}));
  Error e = ErrorOf([&] { ops::ArgMax(x, -3); });
  EXPECT_EQ(
      e.Message(),
      Eager("ArgMax", "Expected dimension in the range [-2, 2), but got -3"));
  Error z = ErrorOf([&] { ops::ArgMax(Zf({2, 0}), 1); });
  EXPECT_EQ(z.Message(),
            Eager("ArgMax", "Reduction axis 1 is empty in shape [2,0]"));
}

// Huge outputs reduce in place (no unbudgeted double accumulator).
TEST(OpsReduceTest, HugeOutputReducesInPlace) {
  const int64_t n = (int64_t{1} << 20) + 3;
  Tensor x = Tensor::Zeros(DType::kFloat32, {2, n});
  for (int64_t i = 0; i < 2 * n; ++i) x.f32()[i] = float(i % n);
  Tensor s = ops::Reduce(ReduceOp::kSum, x, std::vector<int>{0}, false);
  EXPECT_EQ(s.shape(), (Shape{n}));
  EXPECT_EQ(s.f32()[5], 10.0f);
  Tensor m = ops::Reduce(ReduceOp::kMean, x, std::vector<int>{0}, true);
  EXPECT_EQ(m.shape(), (Shape{1, n}));
  EXPECT_EQ(m.f32()[n - 1], float(n - 1));
  Tensor mx = ops::Reduce(ReduceOp::kMax, x, std::vector<int>{0}, false);
  EXPECT_EQ(mx.f32()[7], 7.0f);
}

// The float reductions combine each output's inputs in input order (double
// accumulator, then float): the Eigen path over adjacent reduced axes and
// the walk for the others give exactly the floats of a plain loop, for
// every axis set, with -0.0, NaN and size-1 axes in the way.
TEST(OpsReduceTest, FloatReductionsSumInInputOrder) {
  for (const Shape& shape : {Shape{2, 3, 4, 5}, Shape{3, 1, 4, 1}}) {
    Tensor x = Zf(shape);
    const int64_t n = x.num_elements();
    for (int64_t i = 0; i < n; ++i) {
      x.f32()[i] =
          std::sin(float(i) * 1.7f) * std::pow(10.0f, float(i % 7) - 3);
    }
    x.f32()[1] = -0.0f;
    x.f32()[n - 2] = std::nanf("");
    const int rank = x.rank();
    for (ReduceOp op : {ReduceOp::kSum, ReduceOp::kMean, ReduceOp::kMax,
                        ReduceOp::kMin, ReduceOp::kProd}) {
      for (int mask = 0; mask < (1 << rank); ++mask) {
        std::vector<int> axes;
        for (int a = 0; a < rank; ++a) {
          if (mask >> a & 1) axes.push_back(a);
        }
        const Tensor got = ops::Reduce(op, x, axes, false);
        // The reference: every element in row-major order into its output.
        std::vector<double> acc(got.num_elements(),
                                op == ReduceOp::kMax    ? -INFINITY
                                : op == ReduceOp::kMin  ? INFINITY
                                : op == ReduceOp::kProd ? 1.0
                                                        : 0.0);
        int64_t count = 1;
        for (int a : axes) count *= shape[a];
        std::vector<int64_t> idx(rank, 0);
        for (int64_t i = 0; i < n; ++i) {
          int64_t o = 0;
          for (int a = 0; a < rank; ++a) {
            if (!(mask >> a & 1)) o = o * shape[a] + idx[a];
          }
          const double v = x.f32()[i];
          double& r = acc[o];
          if (op == ReduceOp::kMax) {
            if (v > r || std::isnan(v)) r = v;
          } else if (op == ReduceOp::kMin) {
            if (v < r || std::isnan(v)) r = v;
          } else if (op == ReduceOp::kProd) {
            r *= v;
          } else {
            r += v;
          }
          for (int a = rank - 1; a >= 0 && ++idx[a] == shape[a]; --a)
            idx[a] = 0;
        }
        for (size_t o = 0; o < acc.size(); ++o) {
          const float want = static_cast<float>(
              op == ReduceOp::kMean ? acc[o] / double(count) : acc[o]);
          const float have = got.f32()[o];
          EXPECT_TRUE(std::memcmp(&want, &have, sizeof want) == 0 ||
                      (std::isnan(want) && std::isnan(have)))
              << "op " << int(op) << " mask " << mask << " out " << o << ": "
              << have << " != " << want;
        }
      }
    }
  }
}

}  // namespace
}  // namespace ap
