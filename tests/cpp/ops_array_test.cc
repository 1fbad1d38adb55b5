#include <gtest/gtest.h>

#include "ops_test_util.h"

namespace ap {
namespace {

using namespace ap::testing;  // NOLINT

// ExpandDims accepts axis in [-rank-1, rank].
TEST(OpsArrayTest, ExpandDims) {
  Tensor x = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(ops::ExpandDims(x, 0).shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(ops::ExpandDims(x, 2).shape(), (Shape{2, 3, 1}));
  EXPECT_EQ(ops::ExpandDims(x, -1).shape(), (Shape{2, 3, 1}));
  EXPECT_EQ(ops::ExpandDims(x, -3).shape(), (Shape{1, 2, 3}));
  EXPECT_EQ(Values(ops::ExpandDims(x, 1)), Values(x));
  Error e = ErrorOf([&] { ops::ExpandDims(x, 3); });
  EXPECT_EQ(e.Message(),
            Eager("ExpandDims",
                  "Tried to expand dim index 3 for tensor with 2 dimensions."));
  EXPECT_EQ(ErrorOf([&] { ops::ExpandDims(x, -4); }).KernelMessage(),
            "Tried to expand dim index -4 for tensor with 2 dimensions.");
}

// Squeeze removes size-1 dims (all, or the named ones).
TEST(OpsArrayTest, Squeeze) {
  Tensor x = Zf({1, 2, 1, 3});
  EXPECT_EQ(ops::Squeeze(x, {}).shape(), (Shape{2, 3}));
  EXPECT_EQ(ops::Squeeze(x, {0}).shape(), (Shape{2, 1, 3}));
  EXPECT_EQ(ops::Squeeze(x, {-2}).shape(), (Shape{1, 2, 3}));
  Error e = ErrorOf([&] { ops::Squeeze(x, {1}); });
  EXPECT_EQ(e.Message(),
            Eager("Squeeze",
                  "Can not squeeze dim[1], expected a dimension of 1, got 2"));
  Error n = ErrorOf([&] { ops::Squeeze(x, {-2, 3}); });
  EXPECT_EQ(n.KernelMessage(),
            "Can not squeeze dim[3], expected a dimension of 1, got 3");
  Error r = ErrorOf([&] { ops::Squeeze(x, {4}); });
  EXPECT_EQ(
      r.Message(),
      Eager("Squeeze",
            "Tried to squeeze dim index 4 for tensor with 4 dimensions."));
}

// Reshape keeps row-major order and infers one -1.
TEST(OpsArrayTest, Reshape) {
  Tensor x = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor r = ops::Reshape(x, {3, -1});
  EXPECT_EQ(r.shape(), (Shape{3, 2}));
  EXPECT_EQ(Values(r), Values(x));
  EXPECT_EQ(ops::Reshape(x, {-1}).shape(), (Shape{6}));
  EXPECT_EQ(ops::Reshape(F32({1}, {7}), {}).shape(), Shape{});
  // Zero-size inference: sizes with a 0 leave zero input dims out.
  EXPECT_EQ(ops::Reshape(Zf({0, 3}), {-1, 0}).shape(), (Shape{3, 0}));
  EXPECT_EQ(ops::Reshape(Zf({0, 3}), {-1, 5}).shape(), (Shape{0, 5}));
}

// Every Reshape message (reshape_op.h). tf.reshape hands a shape given as
// a Python list to the op unconverted: the slow path, no " name: ".
TEST(OpsArrayTest, ReshapeMessages) {
  Tensor x = Zf({2, 3});
  EXPECT_EQ(ErrorOf([&] { ops::Reshape(x, {4}); }).Message(),
            EagerNoName("Reshape",
                        "Input to reshape is a tensor with 6 values, but the "
                        "requested shape has 4"));
  EXPECT_EQ(ErrorOf([&] {
              ops::Reshape(x, {4, -1});
            }).Message(),
            EagerNoName("Reshape",
                        "Input to reshape is a tensor with 6 values, but the "
                        "requested shape requires a multiple of 4"));
  EXPECT_EQ(ErrorOf([&] {
              ops::Reshape(x, {-1, 2, -1});
            }).Message(),
            EagerNoName("Reshape",
                        "Only one input size may be -1, not both 0 and 2"));
  EXPECT_EQ(ErrorOf([&] {
              ops::Reshape(x, {3, -2});
            }).Message(),
            EagerNoName("Reshape", "Size 1 must be non-negative, not -2"));
  EXPECT_EQ(ErrorOf([&] {
              ops::Reshape(x, {int64_t{1} << 40, int64_t{1} << 40});
            }).Message(),
            EagerNoName("Reshape",
                        "Shape [1099511627776, 1099511627776] has too many "
                        "elements"));
}

// Transpose with a permutation and the default reversal.
TEST(OpsArrayTest, Transpose) {
  Tensor x = F32({2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor t = ops::Transpose(x, std::nullopt);
  EXPECT_EQ(t.shape(), (Shape{3, 2}));
  EXPECT_EQ(Values(t), (std::vector<double>{1, 4, 2, 5, 3, 6}));
  Tensor y = F32({2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  Tensor p = ops::Transpose(y, std::vector<int64_t>{0, 2, 1});
  EXPECT_EQ(Values(p), (std::vector<double>{0, 2, 1, 3, 4, 6, 5, 7}));
}

// Transpose's perm checks.
TEST(OpsArrayTest, TransposeMessages) {
  Tensor x = Zf({2, 3});
  EXPECT_EQ(
      ErrorOf([&] {
        ops::Transpose(x, std::vector<int64_t>{0, 1, 2});
      }).Message(),
      EagerNoName(
          "Transpose",
          "transpose expects a vector of size 2. But input(1) is a vector "
          "of size 3"));
  EXPECT_EQ(ErrorOf([&] {
              ops::Transpose(x, std::vector<int64_t>{0, 2});
            }).Message(),
            EagerNoName("Transpose", "2 is out of range [0 .. 2)"));
  // A negative entry counts from the end; the messages show it wrapped.
  EXPECT_EQ(ops::Transpose(x, std::vector<int64_t>{-1, 0}).shape(),
            (Shape{3, 2}));
  EXPECT_EQ(ErrorOf([&] {
              ops::Transpose(x, std::vector<int64_t>{-3, 0});
            }).KernelMessage(),
            "-1 is out of range [0 .. 2)");
  EXPECT_EQ(ErrorOf([&] {
              ops::Transpose(x, std::vector<int64_t>{1, 1});
            }).Message(),
            EagerNoName("Transpose", "0 is missing from {1,1}."));
  EXPECT_EQ(ErrorOf([&] {
              ops::Transpose(x, std::vector<int64_t>{-2, 0});
            }).KernelMessage(),
            "1 is missing from {0,0}.");
}

// Pad with zeros (Pad) or a constant (PadV2).
TEST(OpsArrayTest, Pad) {
  Tensor x = F32({1, 2}, {1, 2});
  Tensor p = I32({2, 2}, {1, 0, 0, 2});
  Tensor y = ops::Pad(x, p);
  EXPECT_EQ(y.shape(), (Shape{2, 4}));
  EXPECT_EQ(Values(y), (std::vector<double>{0, 0, 0, 0, 1, 2, 0, 0}));
  Tensor z = ops::Pad(x, p, 9);
  EXPECT_EQ(Values(z), (std::vector<double>{9, 9, 9, 9, 1, 2, 9, 9}));
  // The article's query padding: (1,32,2) -> (1,1200,2).
  Tensor q = ops::Pad(Zf({1, 32, 2}), I32({3, 2}, {0, 0, 0, 1168, 0, 0}));
  EXPECT_EQ(q.shape(), (Shape{1, 1200, 2}));
}

// Every Pad message (pad_op.cc), op Pad vs PadV2.
TEST(OpsArrayTest, PadMessages) {
  Tensor x = Zf({1, 27540, 3});
  EXPECT_EQ(
      ErrorOf([&] {
        ops::Pad(x, I32({4, 2}, {0, 0, 0, 0, 0, 0, 0, 0}));
      }).Message(),
      EagerNoName(
          "Pad",
          "The first dimension of paddings must be the rank of inputs[4,2] "
          "[1,27540,3]"));
  EXPECT_EQ(
      ErrorOf([&] {
        ops::Pad(x, I32({3, 3}, {0, 0, 0, 0, 0, 0, 0, 0, 0}), 1);
      }).Message(),
      EagerNoName("PadV2", "paddings must be a matrix with 2 columns: [3,3]"));
  EXPECT_EQ(
      ErrorOf([&] {
        ops::Pad(x, I32({6}, {0, 0, 0, 0, 0, 0}));
      }).Message(),
      EagerNoName("Pad", "paddings must be a matrix with 2 columns: [6]"));
  EXPECT_EQ(ErrorOf([&] {
              ops::Pad(x, I32({3, 2}, {0, 0, 0, -1, 0, 0}));
            }).Message(),
            EagerNoName("Pad", "Paddings must be non-negative: 0 -1"));
  Error r = ErrorOf([&] {
    ops::Pad(Zf({1, 1, 1, 1, 1, 1, 1, 1, 1}),
             I32({9, 2}, std::vector<int32_t>(18, 0)));
  });
  EXPECT_EQ(r.cls, ErrorClass::kUnimplementedError);
  EXPECT_EQ(r.Message(), EagerNoName("Pad", "inputs rank not in [0,8]: 9"));
}

// ConcatV2 values and its name/suffix in the envelope.
TEST(OpsArrayTest, Concat) {
  Tensor a = F32({2, 1}, {1, 2}), b = F32({2, 2}, {3, 4, 5, 6});
  Tensor c = ops::Concat({a, b}, 1);
  EXPECT_EQ(c.shape(), (Shape{2, 3}));
  EXPECT_EQ(Values(c), (std::vector<double>{1, 3, 4, 2, 5, 6}));
  Tensor d = ops::Concat({b, b, b}, -2);
  EXPECT_EQ(d.shape(), (Shape{6, 2}));
  // A single tensor is returned as is (no kernel, so no axis check).
  EXPECT_EQ(ops::Concat({a}, 7).shape(), (Shape{2, 1}));
}

// Every ConcatV2 message, with "_N_<count>" and name "concat".
TEST(OpsArrayTest, ConcatMessages) {
  Error r = ErrorOf([&] { ops::Concat({Zf({2, 3}), Zf({3})}, 0); });
  EXPECT_EQ(r.Message(),
            "{{function_node __wrapped__ConcatV2_N_2_device_/job:localhost/"
            "replica:0/task:0/device:CPU:0}} ConcatOp : Ranks of all input "
            "tensors should match: shape[0] = [2,3] vs. shape[1] = [3] "
            "[Op:ConcatV2] name: concat");
  Error d = ErrorOf([&] {
    ops::Concat({Zf({2, 3}), Zf({2, 3}), Zf({4, 4})}, 1);
  });
  EXPECT_EQ(d.Message(),
            Eager("ConcatV2",
                  "ConcatOp : Dimension 0 in both shapes must be equal: "
                  "shape[0] = [2,3] vs. shape[2] = [4,4]",
                  "concat", "_N_3"));
  EXPECT_EQ(d.failing_axes, (std::vector<int>{0, 0}));
  // Axis 0 passes the range check for scalars; each input in order is
  // then checked for a scalar, its rank, its dimensions.
  const std::string scalars =
      "ConcatOp : Can't concatenate scalars (use tf.stack instead)";
  EXPECT_EQ(ErrorOf([&] {
              ops::Concat({Zf({}), Zf({})}, 0);
            }).Message(),
            Eager("ConcatV2", scalars, "concat", "_N_2"));
  EXPECT_EQ(ErrorOf([&] {
              ops::Concat({Zf({2, 3}), Zf({})}, -1);
            }).KernelMessage(),
            scalars);
  EXPECT_EQ(ErrorOf([&] {
              ops::Concat({Zf({2, 3}), Zf({2, 3, 1}), Zf({})}, 0);
            }).KernelMessage(),
            "ConcatOp : Ranks of all input tensors should match: shape[0] = "
            "[2,3] vs. shape[1] = [2,3,1]");
  EXPECT_EQ(ErrorOf([&] {
              ops::Concat({Zf({}), Zf({2})}, 1);
            }).KernelMessage(),
            "ConcatOp : Expected concatenating dimensions in the range [0, "
            "0), but got 1");
  Error a = ErrorOf([&] { ops::Concat({Zf({2, 3}), Zf({2, 3})}, 2); });
  EXPECT_EQ(a.Message(),
            Eager("ConcatV2",
                  "ConcatOp : Expected concatenating dimensions in the range "
                  "[-2, 2), but got 2",
                  "concat", "_N_2"));
  Error t = ErrorOf([&] { ops::Concat({Zf({2}), I32({2}, {1, 2})}, 0); });
  EXPECT_EQ(t.Message(),
            "cannot compute ConcatV2 as input #1(zero-based) was expected to "
            "be a float tensor but is a int32 tensor [Op:ConcatV2] name: "
            "concat");
}

// Pack (tf.stack) values and messages.
TEST(OpsArrayTest, Stack) {
  Tensor a = F32({2}, {1, 2}), b = F32({2}, {3, 4});
  Tensor s0 = ops::Stack({a, b}, 0);
  EXPECT_EQ(s0.shape(), (Shape{2, 2}));
  EXPECT_EQ(Values(s0), (std::vector<double>{1, 2, 3, 4}));
  Tensor s1 = ops::Stack({a, b}, -1);
  EXPECT_EQ(s1.shape(), (Shape{2, 2}));
  EXPECT_EQ(Values(s1), (std::vector<double>{1, 3, 2, 4}));
  Error e = ErrorOf([&] { ops::Stack({Zf({2}), Zf({3})}, 0); });
  EXPECT_EQ(e.Message(),
            Eager("Pack",
                  "Shapes of all inputs must match: values[0].shape = [2] != "
                  "values[1].shape = [3]",
                  "stack", "_N_2"));
  Error ax = ErrorOf([&] { ops::Stack({Zf({2}), Zf({2})}, 2); });
  EXPECT_EQ(ax.cls, ErrorClass::kValueError);
  EXPECT_EQ(ax.Message(), "Argument `axis` = 2 not in range [-2, 2)");
}

// Tile repeats along each axis; multiples are validated.
TEST(OpsArrayTest, Tile) {
  Tensor x = F32({2, 2}, {1, 2, 3, 4});
  Tensor t = ops::Tile(x, {2, 3});
  EXPECT_EQ(t.shape(), (Shape{4, 6}));
  EXPECT_EQ(Values(t),
            (std::vector<double>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4,
                                 1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}));
  EXPECT_EQ(ops::Tile(x, {0, 1}).shape(), (Shape{0, 2}));
  EXPECT_EQ(
      ErrorOf([&] { ops::Tile(x, {2}); }).Message(),
      EagerNoName("Tile",
                  "Expected multiples argument to be a vector of length 2 but "
                  "got length 1"));
  EXPECT_EQ(ErrorOf([&] {
              ops::Tile(x, {1, -1});
            }).Message(),
            EagerNoName("Tile", "Expected multiples[1] >= 0, but got -1"));
}

// GatherV2 (gather_op.cc): indices given as a list take the slow path (no
// " name: "), a scalar index the fast one.
TEST(OpsArrayTest, GatherMessages) {
  Tensor p = Zf({3, 2});
  EXPECT_EQ(Values(ops::Gather(F32({3}, {4, 5, 6}), I32({2}, {2, 0}), 0)),
            (std::vector<double>{6, 4}));
  EXPECT_EQ(ErrorOf([&] {
              ops::Gather(p, I32({2}, {0, 3}), 0);
            }).Message(),
            EagerNoName("GatherV2", "indices[1] = 3 is not in [0, 3)"));
  EXPECT_EQ(ErrorOf([&] { ops::Gather(p, I32({}, {-1}), 0); }).Message(),
            Eager("GatherV2", "indices = -1 is not in [0, 3)"));
  EXPECT_EQ(ErrorOf([&] {
              ops::Gather(p, I32({2, 2}, {0, 1, 5, -1}), 0);
            }).KernelMessage(),
            "indices[1,0] = 5 is not in [0, 3)");
  EXPECT_EQ(
      ErrorOf([&] { ops::Gather(p, I32({1}, {0}), 2); }).Message(),
      EagerNoName("GatherV2", "Shape must be at least rank 3 but is rank 2"));
  EXPECT_EQ(ErrorOf([&] { ops::Gather(p, I32({1}, {0}), -3); }).KernelMessage(),
            "Shape must be at least rank 3 but is rank 2");
  EXPECT_EQ(
      ErrorOf([&] { ops::Gather(Zf({}), I32({1}, {0}), 0); }).KernelMessage(),
      "params must be at least 1 dimensional");
}

// Split and SplitV (split_op.cc, split_v_op.cc): name "split", and the
// function node carries the num_split attr.
TEST(OpsArrayTest, SplitMessages) {
  Tensor x = Zf({2, 3});
  EXPECT_EQ(ErrorOf([&] { ops::Split(x, 2, 1); }).Message(),
            Eager("Split",
                  "Number of ways to split should evenly divide the split "
                  "dimension, but got split_dim 1 (size = 3) and num_split 2",
                  "split", "_num_split_2"));
  EXPECT_EQ(ErrorOf([&] { ops::Split(x, 3, -3); }).Message(),
            Eager("Split",
                  "-input rank(-2) <= split_dim < input rank (2), but got -3",
                  "split", "_num_split_3"));
  // num_split < 1 fails the attr check before any kernel.
  const std::string attr =
      "\n\t; NodeDef: {{node Split}}; Op<name=Split; "
      "signature=split_dim:int32, "
      "value:T -> output:num_split*T; attr=num_split:int,min=1; "
      "attr=T:type> [Op:Split]";
  EXPECT_EQ(ErrorOf([&] { ops::Split(x, 0, 5); }).Message(),
            "Value for attr 'num_split' of 0 must be at least minimum 1" +
                attr + " name: split");
  EXPECT_EQ(
      ErrorOf([&] { ops::Split(x, -1, 0); }).Message(),
      "Value for attr 'num_split' of -1 must be at least minimum 1" + attr);
  // SplitV, in the kernel's order.
  EXPECT_EQ(ops::SplitV(x, {1, -1}, 1)[1].shape(), (Shape{2, 2}));
  EXPECT_EQ(ErrorOf([&] {
              ops::SplitV(x, {1, 2}, 4);
            }).Message(),
            Eager("SplitV",
                  "-input rank(-2) <= split_dim < input rank (2), but got 4",
                  "split", "_num_split_2"));
  EXPECT_EQ(ErrorOf([&] { ops::SplitV(x, {2}, 1); }).KernelMessage(),
            "If there is only one output, it must have the same size as the "
            "input. Input size: 3 output size: 2");
  EXPECT_EQ(ErrorOf([&] {
              ops::SplitV(x, {-1, 5, -1}, 1);
            }).KernelMessage(),
            "There can only be one -1 in the input.");
  const std::string determined =
      "Determined shape must either match input shape along split_dim "
      "exactly if fully specified, or be less than the size of the input "
      "along split_dim if not fully specified.  Got: ";
  EXPECT_EQ(ErrorOf([&] {
              ops::SplitV(x, {1, 1}, 1);
            }).Message(),
            Eager("SplitV", determined + "2", "split", "_num_split_2"));
  EXPECT_EQ(ErrorOf([&] {
              ops::SplitV(x, {-1, 5}, 1);
            }).KernelMessage(),
            determined + "5");
  EXPECT_EQ(ErrorOf([&] {
              ops::SplitV(x, {1, -2}, 1);
            }).KernelMessage(),
            determined + "-1");
  EXPECT_EQ(ErrorOf([&] {
              ops::SplitV(x, {-1, 1, -2}, 1);
            }).KernelMessage(),
            "Split size at index 2 must be >= 0. Got: -2");
  EXPECT_EQ(ErrorOf([&] { ops::SplitV(x, {}, 1); }).cls,
            ErrorClass::kNotSupportedError);
}

}  // namespace
}  // namespace ap
