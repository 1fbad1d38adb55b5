#include "core/error.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ap {
namespace {

struct KindCase {
  ErrorKind kind;
  std::vector<Shape> shapes;
  std::vector<int64_t> ints;
  std::vector<DType> dtypes;
  std::vector<double> reals;
  std::string op;
  std::string kernel_message;
  ErrorClass cls;
};

// Every ErrorKind renders its TensorFlow (or Python) text from the
// structure alone, and MakeOpError picks the matching exception class.
TEST(ErrorTest, EveryKindRendersItsText) {
  using C = ErrorClass;
  const C kIA = C::kInvalidArgumentError;
  const std::vector<KindCase> cases = {
      {ErrorKind::kIncompatibleShapes,
       {{32, 2}, {1200, 2}},
       {},
       {},
       {},
       "AddV2",
       "Incompatible shapes: [32,2] vs. [1200,2]",
       kIA},
      {ErrorKind::kBroadcastNotSupported,
       {{2, 1, 2, 1, 2, 1}, {1, 2, 1, 2, 1, 2}},
       {},
       {},
       {},
       "Mul",
       "Broadcast between [2,1,2,1,2,1] and [1,2,1,2,1,2] is not supported "
       "yet.",
       C::kUnimplementedError},
      {ErrorKind::kSelectNotBroadcastable,
       {{2}, {3}, {}},
       {},
       {},
       {},
       "SelectV2",
       "condition [2], then [3], and else [] must be broadcastable",
       kIA},
      {ErrorKind::kMatMulSizeIncompatible,
       {{1, 4}, {3, 3}},
       {},
       {},
       {},
       "MatMul",
       "Matrix size-incompatible: In[0]: [1,4], In[1]: [3,3]",
       kIA},
      {ErrorKind::kMatMulNdimsDiffer,
       {{3}, {3, 3}},
       {},
       {},
       {},
       "MatMul",
       "In[0] and In[1] has different ndims: [3] vs. [3,3]",
       kIA},
      {ErrorKind::kMatMulRank2,
       {{3}, {3}},
       {1},
       {},
       {},
       "MatMul",
       "In[0] and In[1] ndims must be == 2: 1",
       kIA},
      {ErrorKind::kBatchMatMulRank,
       {},
       {1, 1},
       {},
       {},
       "BatchMatMulV2",
       "In[1] ndims must be >= 2: 1",
       kIA},
      {ErrorKind::kBatchMatMulBatchDims,
       {{2, 3, 4}, {3, 4, 5}},
       {},
       {},
       {},
       "BatchMatMulV2",
       "In[0] and In[1] must have compatible batch dimensions: [2,3,4] vs. "
       "[3,4,5]",
       kIA},
      {ErrorKind::kPadNotMatrix,
       {{3, 3}},
       {},
       {},
       {},
       "Pad",
       "paddings must be a matrix with 2 columns: [3,3]",
       kIA},
      {ErrorKind::kPadFirstDim,
       {{4, 2}, {1, 27540, 3}},
       {},
       {},
       {},
       "Pad",
       "The first dimension of paddings must be the rank of inputs[4,2] "
       "[1,27540,3]",
       kIA},
      {ErrorKind::kPadNegative,
       {},
       {0, -1},
       {},
       {},
       "Pad",
       "Paddings must be non-negative: 0 -1",
       kIA},
      {ErrorKind::kPadRank,
       {},
       {8, 9},
       {},
       {},
       "Pad",
       "inputs rank not in [0,8]: 9",
       C::kUnimplementedError},
      {ErrorKind::kExpandDimsAxis,
       {},
       {3, 2},
       {},
       {},
       "ExpandDims",
       "Tried to expand dim index 3 for tensor with 2 dimensions.",
       kIA},
      {ErrorKind::kSqueezeNotOne,
       {},
       {1, 2},
       {},
       {},
       "Squeeze",
       "Can not squeeze dim[1], expected a dimension of 1, got 2",
       kIA},
      {ErrorKind::kSqueezeAxis,
       {},
       {4, 4},
       {},
       {},
       "Squeeze",
       "Tried to squeeze dim index 4 for tensor with 4 dimensions.",
       kIA},
      {ErrorKind::kReshapeCount,
       {},
       {6, 4},
       {},
       {},
       "Reshape",
       "Input to reshape is a tensor with 6 values, but the requested shape "
       "has 4",
       kIA},
      {ErrorKind::kReshapeMultiple,
       {},
       {6, 4},
       {},
       {},
       "Reshape",
       "Input to reshape is a tensor with 6 values, but the requested shape "
       "requires a multiple of 4",
       kIA},
      {ErrorKind::kReshapeTwoUnknown,
       {},
       {0, 2},
       {},
       {},
       "Reshape",
       "Only one input size may be -1, not both 0 and 2",
       kIA},
      {ErrorKind::kReshapeEmptyInfer,
       {},
       {},
       {},
       {},
       "Reshape",
       "Reshape cannot infer the missing input size for an empty tensor "
       "unless all specified input sizes are non-zero",
       kIA},
      {ErrorKind::kReshapeNegativeDim,
       {},
       {1, -2},
       {},
       {},
       "Reshape",
       "Size 1 must be non-negative, not -2",
       kIA},
      {ErrorKind::kReshapeTooManyElements,
       {},
       {1 << 20, 1 << 30, 1 << 30},
       {},
       {},
       "Reshape",
       "Shape [1048576, 1073741824, 1073741824] has too many elements",
       kIA},
      {ErrorKind::kConcatAxis,
       {},
       {2, 2},
       {},
       {},
       "ConcatV2",
       "ConcatOp : Expected concatenating dimensions in the range [-2, 2), but "
       "got 2",
       kIA},
      {ErrorKind::kConcatRank,
       {{2, 3}, {3}},
       {1},
       {},
       {},
       "ConcatV2",
       "ConcatOp : Ranks of all input tensors should match: shape[0] = [2,3] "
       "vs. shape[1] = [3]",
       kIA},
      {ErrorKind::kConcatDim,
       {{2, 3}, {4, 4}},
       {0, 2},
       {},
       {},
       "ConcatV2",
       "ConcatOp : Dimension 0 in both shapes must be equal: shape[0] = "
       "[2,3] vs. shape[2] = [4,4]",
       kIA},
      {ErrorKind::kConcatScalars,
       {{}},
       {},
       {},
       {},
       "ConcatV2",
       "ConcatOp : Can't concatenate scalars (use tf.stack instead)",
       kIA},
      {ErrorKind::kPackShapes,
       {{2}, {3}},
       {1},
       {},
       {},
       "Pack",
       "Shapes of all inputs must match: values[0].shape = [2] != "
       "values[1].shape = [3]",
       kIA},
      {ErrorKind::kPackAxis,
       {},
       {2, 2},
       {},
       {},
       "",
       "Argument `axis` = 2 not in range [-2, 2)",
       C::kValueError},
      {ErrorKind::kTransposePermSize,
       {},
       {2, 3},
       {},
       {},
       "Transpose",
       "transpose expects a vector of size 2. But input(1) is a vector of "
       "size 3",
       kIA},
      {ErrorKind::kTransposePermInvalid,
       {},
       {2, 2},
       {},
       {},
       "Transpose",
       "2 is out of range [0 .. 2)",
       kIA},
      {ErrorKind::kTransposePermMissing,
       {},
       {0, 1, 1},
       {},
       {},
       "Transpose",
       "0 is missing from {1,1}.",
       kIA},
      {ErrorKind::kReductionAxis,
       {},
       {2, 2},
       {},
       {},
       "Sum",
       "Invalid reduction dimension (2 for input with 2 dimension(s)",
       kIA},
      {ErrorKind::kReductionDuplicateAxis,
       {},
       {0},
       {},
       {},
       "Sum",
       "Invalid reduction arguments: Axes contains duplicate dimension: 0",
       kIA},
      {ErrorKind::kSliceOutOfBounds,
       {},
       {3, 0, 3},
       {},
       {},
       "StridedSlice",
       "slice index 3 of dimension 0 out of bounds.",
       kIA},
      {ErrorKind::kSliceTooManyIndices,
       {},
       {2, 2},
       {},
       {},
       "StridedSlice",
       "Index out of range using input dim 2; input has only 2 dims",
       kIA},
      {ErrorKind::kSliceStrideZero,
       {},
       {0},
       {},
       {},
       "StridedSlice",
       "strides[0] must be non-zero",
       kIA},
      {ErrorKind::kSliceMultipleEllipsis,
       {},
       {},
       {},
       {},
       "StridedSlice",
       "Multiple ellipses in slice spec not allowed",
       kIA},
      {ErrorKind::kSliceScalarInput,
       {},
       {},
       {},
       {},
       "StridedSlice",
       "Attempting to slice scalar input.",
       kIA},
      {ErrorKind::kEinsumDim,
       {{2, 3}},
       {4, 1, 3},
       {},
       {},
       "Einsum",
       "Expected dimension 4 at axis 1 of the input shaped [2,3] but got "
       "dimension 3",
       kIA},
      {ErrorKind::kDTypeMismatch,
       {},
       {1},
       {DType::kFloat32, DType::kInt32},
       {},
       "AddV2",
       "cannot compute AddV2 as input #1(zero-based) was expected to be a "
       "float tensor but is a int32 tensor",
       kIA},
      {ErrorKind::kOutOfMemory,
       {{8192, 8192, 2}},
       {},
       {DType::kFloat32},
       {},
       "Fill",
       "OOM when allocating tensor with shape[8192,8192,2] and type float on "
       "/job:localhost/replica:0/task:0/device:CPU:0 by allocator cpu",
       C::kResourceExhaustedError},
      {ErrorKind::kIntegerDivisionByZero,
       {},
       {},
       {},
       {},
       "FloorDiv",
       "Integer division by zero",
       kIA},
      {ErrorKind::kIntegerNegativePower,
       {},
       {},
       {},
       {},
       "Pow",
       "Integers to negative integer powers are not allowed",
       kIA},
      {ErrorKind::kSoftmaxRank,
       {{}},
       {},
       {},
       {},
       "Softmax",
       "logits must have >= 1 dimension, got []",
       kIA},
      {ErrorKind::kSoftmaxAxis,
       {},
       {-3, 2},
       {},
       {},
       "",
       "`dim` must be in the range [-2, 2) where 2 is the number of "
       "dimensions in the input. Received: dim=-3",
       kIA},
      {ErrorKind::kTileMultiplesLength,
       {},
       {2, 1},
       {},
       {},
       "Tile",
       "Expected multiples argument to be a vector of length 2 but got length "
       "1",
       kIA},
      {ErrorKind::kTileMultipleNegative,
       {},
       {1, -1},
       {},
       {},
       "Tile",
       "Expected multiples[1] >= 0, but got -1",
       kIA},
      {ErrorKind::kArgMaxAxis,
       {},
       {-3, 2},
       {},
       {},
       "ArgMax",
       "Expected dimension in the range [-2, 2), but got -3",
       kIA},
      {ErrorKind::kArgMaxEmpty,
       {{2, 0}},
       {1},
       {},
       {},
       "ArgMax",
       "Reduction axis 1 is empty in shape [2,0]",
       kIA},
      {ErrorKind::kCumsumAxis,
       {},
       {2, 2},
       {},
       {},
       "Cumsum",
       "ScanOp: Expected scan axis in the range [-2, 2), but got 2",
       kIA},
      {ErrorKind::kRangeDeltaZero,
       {},
       {},
       {DType::kInt32},
       {0},
       "Range",
       "Requires delta != 0: 0",
       kIA},
      {ErrorKind::kRangeStartLimit,
       {},
       {},
       {DType::kInt32},
       {5, 1, 1},
       "Range",
       "Requires start <= limit when delta > 0: 5/1",
       kIA},
      {ErrorKind::kRangeStartLimit,
       {},
       {},
       {DType::kFloat32},
       {0.5, 2.25, -1},
       "Range",
       "Requires start >= limit when delta < 0: 0.5/2.25",
       kIA},
      {ErrorKind::kRangeTooLarge,
       {},
       {},
       {DType::kFloat32},
       {0, 1e30, 1e-30},
       "Range",
       "Requires ((limit - start) / delta) <= 9223372036854775807",
       kIA},
      {ErrorKind::kRandomIntRange,
       {},
       {5, 3},
       {},
       {},
       "RandomUniformInt",
       "Need minval < maxval, got 5 >= 3",
       kIA},
      {ErrorKind::kNegativeDimension,
       {},
       {-1},
       {},
       {},
       "Fill",
       "Dimension -1 must be >= 0",
       kIA},
      {ErrorKind::kShapeTooLarge,
       {{int64_t{1} << 40, int64_t{1} << 40}},
       {},
       {},
       {},
       "Fill",
       "Shape [1099511627776,1099511627776] would have more than 2**63 - 1 "
       "elements",
       kIA},
      {ErrorKind::kTooManyDimensions,
       {},
       {},
       {},
       {},
       "Fill",
       "Too many dimensions",
       kIA},
  };
  for (const KindCase& c : cases) {
    Error e = MakeOpError(c.kind, c.op, c.shapes, c.ints);
    e.dtypes = c.dtypes;
    e.reals = c.reals;
    EXPECT_EQ(e.KernelMessage(), c.kernel_message);
    EXPECT_EQ(e.cls, c.cls) << c.kernel_message;
  }
}

// kText carries its whole message.
TEST(ErrorTest, TextKindIsVerbatim) {
  Error e;
  e.kind = ErrorKind::kText;
  e.text = "anything at all";
  EXPECT_EQ(e.KernelMessage(), "anything at all");
  EXPECT_EQ(e.Message(), "anything at all");
}

// The eager envelope: function_node prefix, op suffix, [Op:..] and name.
TEST(ErrorTest, EagerEnvelope) {
  Error e = MakeOpError(ErrorKind::kConcatRank, "ConcatV2", {{2, 3}, {3}}, {1});
  e.op_suffix = "_N_2";
  e.op_name = "concat";
  EXPECT_EQ(e.Message(),
            "{{function_node __wrapped__ConcatV2_N_2_device_/job:localhost/"
            "replica:0/task:0/device:CPU:0}} ConcatOp : Ranks of all input "
            "tensors should match: shape[0] = [2,3] vs. shape[1] = [3] "
            "[Op:ConcatV2] name: concat");
  // Raised by the eager executor (dtype checks): no prefix, same suffix.
  Error d = MakeOpError(ErrorKind::kDTypeMismatch, "Sub", {}, {1});
  d.dtypes = {DType::kFloat32, DType::kInt32};
  d.eager_envelope = false;
  EXPECT_EQ(d.Message(),
            "cannot compute Sub as input #1(zero-based) was expected to be a "
            "float tensor but is a int32 tensor [Op:Sub] name: ");
  // An input given as a Python list sends the call down TF's slow path,
  // which appends no name; MakeOpError knows the usual call of each op.
  Error r = MakeOpError(ErrorKind::kReshapeCount, "Reshape", {{2, 3}}, {6, 4});
  EXPECT_FALSE(r.fast_path);
  EXPECT_EQ(r.Message(),
            "{{function_node __wrapped__Reshape_device_/job:localhost/"
            "replica:0/task:0/device:CPU:0}} Input to reshape is a tensor with "
            "6 values, but the requested shape has 4 [Op:Reshape]");
  r.fast_path = true;
  r.op_name = "r";
  EXPECT_EQ(r.Message(),
            "{{function_node __wrapped__Reshape_device_/job:localhost/"
            "replica:0/task:0/device:CPU:0}} Input to reshape is a tensor with "
            "6 values, but the requested shape has 4 [Op:Reshape] name: r");
  EXPECT_EQ(
      MakeOpError(ErrorKind::kPackShapes, "Pack", {{2}, {3}}, {1}).op_name,
      "stack");
  // Python-level errors (no op) have no envelope at all.
  Error p = MakeOpError(ErrorKind::kPackAxis, "", {}, {3, 2});
  EXPECT_EQ(p.Message(), "Argument `axis` = 3 not in range [-2, 2)");
}

// Inside a Keras 3 layer the op message is wrapped in bold.
TEST(ErrorTest, KerasWrapperKeepsOpMessage) {
  Error e = MakeOpError(ErrorKind::kIncompatibleShapes, "Mul",
                        {{1, 32, 1200}, {1, 1200, 1}});
  KerasCallFrame frame;
  frame.class_name = "Attention";
  frame.layer_name = "attention";
  e.keras_call = frame;
  const std::string m = e.Message();
  EXPECT_EQ(m.rfind("Exception encountered when calling Attention.call().", 0),
            0u);
  EXPECT_NE(m.find("\x1b[1m{{function_node __wrapped__Mul_device_"),
            std::string::npos);
  EXPECT_NE(m.find("Incompatible shapes: [1,32,1200] vs. [1,1200,1] [Op:Mul] "
                   "name: \x1b[0m"),
            std::string::npos);
}

// ErrorException carries the structured error and what() is the message.
TEST(ErrorTest, ExceptionCarriesError) {
  try {
    Raise(MakeOpError(ErrorKind::kExpandDimsAxis, "ExpandDims", {}, {5, 2}));
    FAIL() << "Raise returned";
  } catch (const ErrorException& ex) {
    EXPECT_EQ(ex.error().kind, ErrorKind::kExpandDimsAxis);
    EXPECT_EQ(std::string(ex.what()), ex.error().Message());
  }
}

}  // namespace
}  // namespace ap
