#include "error.h"

#include <cstdio>
#include <type_traits>

namespace ap {

std::string_view ErrorClassName(ErrorClass cls) {
  switch (cls) {
    case ErrorClass::kInvalidArgumentError:
      return "InvalidArgumentError";
    case ErrorClass::kResourceExhaustedError:
      return "ResourceExhaustedError";
    case ErrorClass::kUnimplementedError:
      return "UnimplementedError";
    case ErrorClass::kValueError:
      return "ValueError";
    case ErrorClass::kTypeError:
      return "TypeError";
    case ErrorClass::kIndexError:
      return "IndexError";
    case ErrorClass::kKeyError:
      return "KeyError";
    case ErrorClass::kNameError:
      return "NameError";
    case ErrorClass::kAttributeError:
      return "AttributeError";
    case ErrorClass::kZeroDivisionError:
      return "ZeroDivisionError";
    case ErrorClass::kRuntimeError:
      return "RuntimeError";
    case ErrorClass::kAssertionError:
      return "AssertionError";
    case ErrorClass::kSyntaxError:
      return "SyntaxError";
    case ErrorClass::kNotSupportedError:
      return "NotSupportedError";
    case ErrorClass::kLimitError:
      return "LimitError";
  }
  return "Error";
}

bool IsOpErrorClass(ErrorClass cls) {
  return cls == ErrorClass::kInvalidArgumentError ||
         cls == ErrorClass::kResourceExhaustedError ||
         cls == ErrorClass::kUnimplementedError;
}

bool IsCatchableByProgram(ErrorClass cls) {
  return cls != ErrorClass::kSyntaxError &&
         cls != ErrorClass::kNotSupportedError &&
         cls != ErrorClass::kLimitError;
}

namespace {

int64_t IntAt(const Error& e, size_t i) {
  return i < e.ints.size() ? e.ints[i] : 0;
}

std::string ShapeAt(const Error& e, size_t i) {
  return i < e.shapes.size() ? ShapeToTfString(e.shapes[i]) : "[]";
}

std::string_view DTypeAt(const Error& e, size_t i) {
  return i < e.dtypes.size() ? DTypeKernelName(e.dtypes[i]) : "float";
}

double RealValue(const Error& e, size_t i) {
  return i < e.reals.size() ? e.reals[i] : 0;
}

// absl::StrCat of a float/double prints six significant digits (%g); an
// int32 operand (dtypes[0] == int32) prints as an integer.
std::string RealAt(const Error& e, size_t i) {
  const double v = RealValue(e, i);
  if (!e.dtypes.empty() && e.dtypes[0] != DType::kFloat32) {
    return std::to_string(static_cast<int64_t>(v));
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

// A string builder with the `<<` of the std::ostringstream it replaced:
// iostreams pull the whole locale machinery (about 40 KB) into the WASM
// engine for these few messages.
class MessageBuilder {
 public:
  MessageBuilder& operator<<(std::string_view s) {
    text_.append(s);
    return *this;
  }
  MessageBuilder& operator<<(char c) {
    text_.push_back(c);
    return *this;
  }
  template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
  MessageBuilder& operator<<(T v) {
    text_ += std::to_string(v);
    return *this;
  }
  std::string str() const { return text_; }

 private:
  std::string text_;
};

// The kinds whose message is literal text and operands only, as one string
// each: "\1" k inserts ShapeAt(k), "\2" k inserts IntAt(k). (A table
// instead of a builder expression per kind: less code in the WASM engine.)
const char* SimpleKernelFormat(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kIncompatibleShapes:
      return "Incompatible shapes: \0010 vs. \0011";
    case ErrorKind::kBroadcastNotSupported:
      return "Broadcast between \0010 and \0011 is not supported yet.";
    case ErrorKind::kSelectNotBroadcastable:
      return "condition \0010, then \0011, and else \0012 must be "
             "broadcastable";
    case ErrorKind::kMatMulSizeIncompatible:
      return "Matrix size-incompatible: In[0]: \0010, In[1]: \0011";
    case ErrorKind::kMatMulNdimsDiffer:
      return "In[0] and In[1] has different ndims: \0010 vs. \0011";
    case ErrorKind::kBatchMatMulRank:
      return "In[\0020] ndims must be >= 2: \0021";
    case ErrorKind::kBatchMatMulBatchDims:
      return "In[0] and In[1] must have compatible batch dimensions: \0010 vs. "
             "\0011";
    case ErrorKind::kPadNotMatrix:
      return "paddings must be a matrix with 2 columns: \0010";
    case ErrorKind::kPadFirstDim:
      return "The first dimension of paddings must be the rank of inputs\0010 "
             "\0011";
    case ErrorKind::kPadNegative:
      return "Paddings must be non-negative: \0020 \0021";
    case ErrorKind::kPadRank:
      return "inputs rank not in [0,\0020]: \0021";
    case ErrorKind::kExpandDimsAxis:
      return "Tried to expand dim index \0020 for tensor with \0021 "
             "dimensions.";
    case ErrorKind::kSqueezeNotOne:
      return "Can not squeeze dim[\0020], expected a dimension of 1, got \0021";
    case ErrorKind::kSqueezeAxis:
      return "Tried to squeeze dim index \0020 for tensor with \0021 "
             "dimensions.";
    case ErrorKind::kReshapeCount:
      return "Input to reshape is a tensor with \0020 values, but the "
             "requested shape has \0021";
    case ErrorKind::kReshapeMultiple:
      return "Input to reshape is a tensor with \0020 values, but the "
             "requested shape requires a multiple of \0021";
    case ErrorKind::kReshapeEmptyInfer:
      return "Reshape cannot infer the missing input size for an empty tensor "
             "unless all specified input sizes are non-zero";
    case ErrorKind::kReshapeNegativeDim:
      return "Size \0020 must be non-negative, not \0021";
    case ErrorKind::kConcatRank:
      return "ConcatOp : Ranks of all input tensors should match: shape[0] = "
             "\0010 vs. shape[\0020] = \0011";
    case ErrorKind::kConcatDim:
      return "ConcatOp : Dimension \0020 in both shapes must be equal: "
             "shape[0] = \0010 vs. shape[\0021] = \0011";
    case ErrorKind::kConcatScalars:
      return "ConcatOp : Can't concatenate scalars (use tf.stack instead)";
    case ErrorKind::kPackShapes:
      return "Shapes of all inputs must match: values[0].shape = \0010 != "
             "values[\0020].shape = \0011";
    case ErrorKind::kTransposePermSize:
      return "transpose expects a vector of size \0020. But input(1) is a "
             "vector of size \0021";
    case ErrorKind::kTransposePermInvalid:
      return "\0020 is out of range [0 .. \0021)";
    case ErrorKind::kReductionDuplicateAxis:
      return "Invalid reduction arguments: Axes contains duplicate dimension: "
             "\0020";
    case ErrorKind::kSliceOutOfBounds:
      return "slice index \0020 of dimension \0021 out of bounds.";
    case ErrorKind::kEinsumDim:
      return "Expected dimension \0020 at axis \0021 of the input shaped \0010 "
             "but got dimension \0022";
    case ErrorKind::kIntegerDivisionByZero:
      return "Integer division by zero";
    case ErrorKind::kIntegerNegativePower:
      return "Integers to negative integer powers are not allowed";
    case ErrorKind::kSoftmaxRank:
      return "logits must have >= 1 dimension, got \0010";
    case ErrorKind::kTileMultiplesLength:
      return "Expected multiples argument to be a vector of length \0020 but "
             "got length \0021";
    case ErrorKind::kTileMultipleNegative:
      return "Expected multiples[\0020] >= 0, but got \0021";
    case ErrorKind::kSliceTooManyIndices:
      return "Index out of range using input dim \0020; input has only \0021 "
             "dims";
    case ErrorKind::kSliceStrideZero:
      return "strides[\0020] must be non-zero";
    case ErrorKind::kSliceMultipleEllipsis:
      return "Multiple ellipses in slice spec not allowed";
    case ErrorKind::kSliceScalarInput:
      return "Attempting to slice scalar input.";
    case ErrorKind::kArgMaxEmpty:
      return "Reduction axis \0020 is empty in shape \0010";
    case ErrorKind::kRangeTooLarge:
      return "Requires ((limit - start) / delta) <= 9223372036854775807";
    case ErrorKind::kRandomIntRange:
      return "Need minval < maxval, got \0020 >= \0021";
    case ErrorKind::kNegativeDimension:
      return "Dimension \0020 must be >= 0";
    case ErrorKind::kShapeTooLarge:
      return "Shape \0010 would have more than 2**63 - 1 elements";
    case ErrorKind::kTooManyDimensions:
      return "Too many dimensions";
    // matrix_band_part_op.cc, gather_op.cc, split_op.cc and split_v_op.cc
    // (TF 2.21); the attr errors are op_def_util.cc's, with the OpDef.
    case ErrorKind::kBandPartRank:
      return "input must be at least 2-dim, received shape: \0010";
    case ErrorKind::kBandPartLower:
      return "num_lower must be negative or less or equal to number of rows "
             "(\0020) got: \0021";
    case ErrorKind::kBandPartUpper:
      return "num_upper must be negative or less or equal to number of "
             "columns (\0020) got: \0021";
    case ErrorKind::kGatherParamsScalar:
      return "params must be at least 1 dimensional";
    case ErrorKind::kGatherAxis:
      return "Shape must be at least rank \0020 but is rank \0021";
    case ErrorKind::kSplitNumAttr:
      return "Value for attr 'num_split' of \0020 must be at least minimum "
             "1\n\t; NodeDef: {{node Split}}; Op<name=Split; "
             "signature=split_dim:int32, value:T -> output:num_split*T; "
             "attr=num_split:int,min=1; attr=T:type>";
    case ErrorKind::kSplitAxis:
      return "-input rank(-\0021) <= split_dim < input rank (\0021), but got "
             "\0020";
    case ErrorKind::kSplitUneven:
      return "Number of ways to split should evenly divide the split "
             "dimension, but got split_dim \0020 (size = \0021) and num_split "
             "\0022";
    case ErrorKind::kSplitVOneOutput:
      return "If there is only one output, it must have the same size as the "
             "input. Input size: \0020 output size: \0021";
    case ErrorKind::kSplitVTwoUnknown:
      return "There can only be one -1 in the input.";
    case ErrorKind::kSplitVDetermined:
      return "Determined shape must either match input shape along split_dim "
             "exactly if fully specified, or be less than the size of the "
             "input along split_dim if not fully specified.  Got: \0020";
    case ErrorKind::kSplitVNegative:
      return "Split size at index \0020 must be >= 0. Got: \0021";
    default:
      return nullptr;
  }
}

}  // namespace

std::string Error::KernelMessage() const {
  MessageBuilder m;
  if (const char* f = SimpleKernelFormat(kind)) {
    for (const char* p = f; *p != '\0'; ++p) {
      if (*p == '\1') {
        m << ShapeAt(*this, static_cast<size_t>(*++p - '0'));
      } else if (*p == '\2') {
        m << IntAt(*this, static_cast<size_t>(*++p - '0'));
      } else {
        m << *p;
      }
    }
    return m.str();
  }
  switch (kind) {
    case ErrorKind::kText:
      return text;
    case ErrorKind::kReshapeTwoUnknown:
      // reshape_op.h ValidateSizes (capital O; the lowercase "only ..." is
      // the XLA kernel's text).
      m << "Only one input size may be -1, not both " << IntAt(*this, 0)
        << " and " << IntAt(*this, 1);
      break;
    case ErrorKind::kConcatAxis:
      m << "ConcatOp : Expected concatenating dimensions in the range ["
        << -IntAt(*this, 1) << ", " << IntAt(*this, 1) << "), but got "
        << IntAt(*this, 0);
      break;
    case ErrorKind::kPackAxis:
      // array_ops.py stack(): Python ValueError before the Pack kernel.
      m << "Argument `axis` = " << IntAt(*this, 0) << " not in range ["
        << -IntAt(*this, 1) << ", " << IntAt(*this, 1) << ")";
      break;
    case ErrorKind::kReductionAxis:
      // reduction_ops_common.cc SimplifyHelper, which eager runs (the
      // unbalanced "(" is TF's). Graph-mode shape inference says instead
      // "Invalid reduction dimension 2 for input with 2 dimensions.".
      m << "Invalid reduction dimension (" << IntAt(*this, 0)
        << " for input with " << IntAt(*this, 1) << " dimension(s)";
      break;
    case ErrorKind::kDTypeMismatch:
      m << "cannot compute " << op << " as input #" << IntAt(*this, 0)
        << "(zero-based) was expected to be a " << DTypeAt(*this, 0)
        << " tensor but is a " << DTypeAt(*this, 1) << " tensor";
      break;
    case ErrorKind::kMatMulRank2:
      // matmul_op_impl.h BatchMatMulOp::ValidateInputTensors with
      // is_legacy_matmul (the CPU MatMul kernel since TF 2.14); oneDNN's
      // _MklMatMul would say "In[0] is not a matrix. Instead it has shape".
      m << "In[0] and In[1] ndims must be == 2: " << IntAt(*this, 0);
      break;
    case ErrorKind::kSoftmaxAxis:
      m << "`dim` must be in the range [" << -IntAt(*this, 1) << ", "
        << IntAt(*this, 1) << ") where " << IntAt(*this, 1)
        << " is the number of dimensions in the input. Received: dim="
        << IntAt(*this, 0);
      break;
    case ErrorKind::kTransposePermMissing:
      m << IntAt(*this, 0) << " is missing from {";
      for (size_t i = 1; i < ints.size(); ++i) {
        m << (i > 1 ? "," : "") << ints[i];
      }
      m << "}.";
      break;
    case ErrorKind::kGatherIndex:
      // SliceDebugString of the bad index: "indices[1,0]", or "indices".
      m << "indices";
      for (size_t i = 2; i < ints.size(); ++i) {
        m << (i == 2 ? "[" : ",") << ints[i];
      }
      if (ints.size() > 2) m << "]";
      m << " = " << IntAt(*this, 0) << " is not in [0, " << IntAt(*this, 1)
        << ")";
      break;
    case ErrorKind::kReshapeTooManyElements:
      m << "Shape [";
      for (size_t i = 0; i < ints.size(); ++i) {
        m << (i > 0 ? ", " : "") << ints[i];
      }
      m << "] has too many elements";
      break;
    case ErrorKind::kArgMaxAxis:
      m << "Expected dimension in the range [" << -IntAt(*this, 1) << ", "
        << IntAt(*this, 1) << "), but got " << IntAt(*this, 0);
      break;
    case ErrorKind::kCumsumAxis:
      m << "ScanOp: Expected scan axis in the range [" << -IntAt(*this, 1)
        << ", " << IntAt(*this, 1) << "), but got " << IntAt(*this, 0);
      break;
    case ErrorKind::kRangeDeltaZero:
      m << "Requires delta != 0: " << RealAt(*this, 0);
      break;
    case ErrorKind::kRangeStartLimit:
      if (RealValue(*this, 2) > 0) {
        m << "Requires start <= limit when delta > 0: " << RealAt(*this, 0)
          << "/" << RealAt(*this, 1);
      } else {
        m << "Requires start >= limit when delta < 0: " << RealAt(*this, 0)
          << "/" << RealAt(*this, 1);
      }
      break;
    case ErrorKind::kOutOfMemory:
      m << "OOM when allocating tensor with shape" << ShapeAt(*this, 0)
        << " and type " << DTypeAt(*this, 0)
        << " on /job:localhost/replica:0/task:0/device:CPU:0 by allocator "
           "cpu";
      break;
    default:  // SimpleKernelFormat
      break;
  }
  return m.str();
}

std::string Error::OpMessage() const {
  if (op.empty()) return KernelMessage();
  std::string out;
  if (eager_envelope) {
    out += "{{function_node __wrapped__" + op + op_suffix +
           "_device_/job:localhost/replica:0/task:0/device:CPU:0}} ";
  }
  out += KernelMessage();
  out += " [Op:" + op + "]";
  if (fast_path) out += " name: " + op_name;
  return out;
}

std::string Error::Message() const {
  const std::string inner = OpMessage();
  if (!keras_call) return inner;
  const KerasCallFrame& f = *keras_call;
  std::string out;
  if (f.profile == Profile::kKeras3) {
    out = "Exception encountered when calling " + f.class_name +
          ".call().\n\n\x1b[1m" + inner + "\x1b[0m\n\nArguments received by " +
          f.class_name + ".call():";
  } else {
    const char quote = f.functional ? '"' : '\'';
    const std::string who = "layer " + std::string(1, quote) + f.layer_name +
                            quote + " (type " + f.class_name + ")";
    out = "Exception encountered when calling " + who + ".\n\n" + inner +
          "\n\nCall arguments received by " + who + ":";
  }
  for (const auto& [name, value] : f.arguments) {
    out += "\n  \u2022 " + name + "=" + value;
  }
  return out;
}

ErrorException::ErrorException(Error error)
    : error_(std::move(error)), what_(error_.Message()) {}

void Raise(Error error) { throw ErrorException(std::move(error)); }

void RaiseText(ErrorClass cls, std::string text) {
  Error e;
  e.cls = cls;
  e.kind = ErrorKind::kText;
  e.text = std::move(text);
  Raise(std::move(e));
}

void RaiseValueError(std::string text) {
  RaiseText(ErrorClass::kValueError, std::move(text));
}

void RaiseTypeError(std::string text) {
  RaiseText(ErrorClass::kTypeError, std::move(text));
}

void RaiseNotSupported(std::string text) {
  RaiseText(ErrorClass::kNotSupportedError, std::move(text));
}

void RaiseNotModelled(std::string_view what) {
  RaiseNotSupported("The playground does not model " + std::string(what) + ".");
}

Error::Error() = default;
Error::Error(const Error&) = default;
Error::Error(Error&&) noexcept = default;
Error& Error::operator=(const Error&) = default;
Error& Error::operator=(Error&&) noexcept = default;
Error::~Error() = default;

void RaiseOpError(ErrorKind kind, std::string_view op, ShapeList shapes,
                  std::initializer_list<int64_t> ints) {
  Raise(MakeOpError(kind, op, shapes, ints));
}

Error MakeOpError(ErrorKind kind, std::string_view op,
                  std::vector<Shape> shapes, std::vector<int64_t> ints) {
  Error e = MakeOpError(kind, op, ShapeList{});
  e.shapes = std::move(shapes);
  e.ints = std::move(ints);
  return e;
}

namespace {

// The Python side of the eager envelope for the usual call of each op
// (tensorflow/python/ops/array_ops.py, TF 2.21). tf.concat, tf.stack and
// tf.split name their ops by default, and tensor[...] opens
// name_scope("strided_slice", skip_on_eager=False); the rest pass no name.
constexpr const char* kDefaultNames[][2] = {
    {"ConcatV2", "concat"},
    {"Pack", "stack"},
    {"Split", "split"},
    {"SplitV", "split"},
    {"StridedSlice", "strided_slice/"},
};
// tf.reshape, tf.transpose, tf.pad, tf.tile and tf.gather hand the shape,
// perm, paddings, multiples or indices to the op as given, usually a Python
// list: the slow path (Error::fast_path).
constexpr const char* kSlowPathOps[] = {"Reshape", "Transpose", "Pad",
                                        "PadV2",   "Tile",      "GatherV2"};

}  // namespace

Error MakeOpError(ErrorKind kind, std::string_view op, ShapeList shapes,
                  std::initializer_list<int64_t> ints) {
  Error e;
  e.kind = kind;
  e.op = std::string(op);
  for (const auto& d : kDefaultNames) {
    if (op == d[0]) e.op_name = d[1];
  }
  for (const char* slow : kSlowPathOps) {
    if (op == slow) e.fast_path = false;
  }
  e.shapes.assign(shapes.begin(), shapes.end());
  e.ints.assign(ints.begin(), ints.end());
  switch (kind) {
    case ErrorKind::kBroadcastNotSupported:
    case ErrorKind::kPadRank:
      e.cls = ErrorClass::kUnimplementedError;
      break;
    case ErrorKind::kOutOfMemory:
      e.cls = ErrorClass::kResourceExhaustedError;
      break;
    // Raised by TensorFlow's Python wrappers before any kernel runs.
    case ErrorKind::kPackAxis:
      e.cls = ErrorClass::kValueError;
      break;
    // Attr errors fail when the eager op is built: no function_node.
    case ErrorKind::kSplitNumAttr:
      e.cls = ErrorClass::kInvalidArgumentError;
      e.eager_envelope = false;
      break;
    default:
      e.cls = ErrorClass::kInvalidArgumentError;
  }
  return e;
}

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kText:
      return "Text";
    case ErrorKind::kIncompatibleShapes:
      return "IncompatibleShapes";
    case ErrorKind::kBroadcastNotSupported:
      return "BroadcastNotSupported";
    case ErrorKind::kSelectNotBroadcastable:
      return "SelectNotBroadcastable";
    case ErrorKind::kMatMulSizeIncompatible:
      return "MatMulSizeIncompatible";
    case ErrorKind::kMatMulNdimsDiffer:
      return "MatMulNdimsDiffer";
    case ErrorKind::kBatchMatMulRank:
      return "BatchMatMulRank";
    case ErrorKind::kBatchMatMulBatchDims:
      return "BatchMatMulBatchDims";
    case ErrorKind::kPadNotMatrix:
      return "PadNotMatrix";
    case ErrorKind::kPadFirstDim:
      return "PadFirstDim";
    case ErrorKind::kPadNegative:
      return "PadNegative";
    case ErrorKind::kPadRank:
      return "PadRank";
    case ErrorKind::kExpandDimsAxis:
      return "ExpandDimsAxis";
    case ErrorKind::kSqueezeNotOne:
      return "SqueezeNotOne";
    case ErrorKind::kSqueezeAxis:
      return "SqueezeAxis";
    case ErrorKind::kReshapeCount:
      return "ReshapeCount";
    case ErrorKind::kReshapeMultiple:
      return "ReshapeMultiple";
    case ErrorKind::kReshapeTwoUnknown:
      return "ReshapeTwoUnknown";
    case ErrorKind::kReshapeEmptyInfer:
      return "ReshapeEmptyInfer";
    case ErrorKind::kReshapeNegativeDim:
      return "ReshapeNegativeDim";
    case ErrorKind::kConcatAxis:
      return "ConcatAxis";
    case ErrorKind::kConcatRank:
      return "ConcatRank";
    case ErrorKind::kConcatDim:
      return "ConcatDim";
    case ErrorKind::kConcatScalars:
      return "ConcatScalars";
    case ErrorKind::kPackShapes:
      return "PackShapes";
    case ErrorKind::kPackAxis:
      return "PackAxis";
    case ErrorKind::kTransposePermSize:
      return "TransposePermSize";
    case ErrorKind::kTransposePermInvalid:
      return "TransposePermInvalid";
    case ErrorKind::kReductionAxis:
      return "ReductionAxis";
    case ErrorKind::kSliceOutOfBounds:
      return "SliceOutOfBounds";
    case ErrorKind::kEinsumDim:
      return "EinsumDim";
    case ErrorKind::kDTypeMismatch:
      return "DTypeMismatch";
    case ErrorKind::kOutOfMemory:
      return "OutOfMemory";
    case ErrorKind::kMatMulRank2:
      return "MatMulRank2";
    case ErrorKind::kIntegerDivisionByZero:
      return "IntegerDivisionByZero";
    case ErrorKind::kIntegerNegativePower:
      return "IntegerNegativePower";
    case ErrorKind::kSoftmaxRank:
      return "SoftmaxRank";
    case ErrorKind::kSoftmaxAxis:
      return "SoftmaxAxis";
    case ErrorKind::kTransposePermMissing:
      return "TransposePermMissing";
    case ErrorKind::kReshapeTooManyElements:
      return "ReshapeTooManyElements";
    case ErrorKind::kTileMultiplesLength:
      return "TileMultiplesLength";
    case ErrorKind::kTileMultipleNegative:
      return "TileMultipleNegative";
    case ErrorKind::kSliceTooManyIndices:
      return "SliceTooManyIndices";
    case ErrorKind::kSliceStrideZero:
      return "SliceStrideZero";
    case ErrorKind::kSliceMultipleEllipsis:
      return "SliceMultipleEllipsis";
    case ErrorKind::kSliceScalarInput:
      return "SliceScalarInput";
    case ErrorKind::kArgMaxAxis:
      return "ArgMaxAxis";
    case ErrorKind::kArgMaxEmpty:
      return "ArgMaxEmpty";
    case ErrorKind::kCumsumAxis:
      return "CumsumAxis";
    case ErrorKind::kRangeDeltaZero:
      return "RangeDeltaZero";
    case ErrorKind::kRangeStartLimit:
      return "RangeStartLimit";
    case ErrorKind::kRangeTooLarge:
      return "RangeTooLarge";
    case ErrorKind::kRandomIntRange:
      return "RandomIntRange";
    case ErrorKind::kNegativeDimension:
      return "NegativeDimension";
    case ErrorKind::kShapeTooLarge:
      return "ShapeTooLarge";
    case ErrorKind::kTooManyDimensions:
      return "TooManyDimensions";
    case ErrorKind::kReductionDuplicateAxis:
      return "ReductionDuplicateAxis";
    case ErrorKind::kBandPartRank:
      return "BandPartRank";
    case ErrorKind::kBandPartLower:
      return "BandPartLower";
    case ErrorKind::kBandPartUpper:
      return "BandPartUpper";
    case ErrorKind::kGatherParamsScalar:
      return "GatherParamsScalar";
    case ErrorKind::kGatherAxis:
      return "GatherAxis";
    case ErrorKind::kGatherIndex:
      return "GatherIndex";
    case ErrorKind::kSplitNumAttr:
      return "SplitNumAttr";
    case ErrorKind::kSplitAxis:
      return "SplitAxis";
    case ErrorKind::kSplitUneven:
      return "SplitUneven";
    case ErrorKind::kSplitVOneOutput:
      return "SplitVOneOutput";
    case ErrorKind::kSplitVTwoUnknown:
      return "SplitVTwoUnknown";
    case ErrorKind::kSplitVDetermined:
      return "SplitVDetermined";
    case ErrorKind::kSplitVNegative:
      return "SplitVNegative";
  }
  return "Text";
}

}  // namespace ap
