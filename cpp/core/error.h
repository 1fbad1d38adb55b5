// Structured errors. Every failure the playground reports is an `Error`: the
// Python class a program would catch, the kind of failure, the op and operand
// shapes, the failing axes, and (inside a Keras layer) the call frame Keras
// wraps the message in. The framework's text is rendered from this structure
// in exactly one place per kind (error.cc), so the UI can show the same facts
// structurally (which op, which axis, expected versus got).
#pragma once

#include <exception>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dtype.h"
#include "profile.h"
#include "shape.h"

namespace ap {

// The Python exception class a program sees. Op errors are subclasses of
// tf.errors.OpError (not of ValueError); the last three are the playground's
// own and cannot be caught by the program (they mean "we cannot tell you what
// Keras would do", so continuing would risk a silent wrong answer).
enum class ErrorClass {
  kInvalidArgumentError,
  kResourceExhaustedError,
  kUnimplementedError,
  kValueError,
  kTypeError,
  kIndexError,
  kKeyError,
  kNameError,
  kAttributeError,
  kZeroDivisionError,
  kRuntimeError,
  kAssertionError,
  kSyntaxError,        // program text rejected by the parser
  kNotSupportedError,  // valid Python/Keras outside the playground's subset
  kLimitError,         // a playground resource limit (steps, depth, time)
};
std::string_view ErrorClassName(ErrorClass cls);
bool IsOpErrorClass(ErrorClass cls);
bool IsCatchableByProgram(ErrorClass cls);

// One enumerator per message format. Kernel formats follow
// docs/spec/keras-semantics.md §4.2.
enum class ErrorKind {
  // Free text already rendered by a named formatter (Keras/Python messages).
  kText,
  // --- TensorFlow kernel messages (InvalidArgument unless noted) ---
  kIncompatibleShapes,      // shapes[0], shapes[1]
  kBroadcastNotSupported,   // Unimplemented; shapes[0], shapes[1]
  kSelectNotBroadcastable,  // shapes = {cond, then, else}
  kMatMulSizeIncompatible,  // shapes[0], shapes[1] as the kernel saw them
  kMatMulNdimsDiffer,       // shapes[0], shapes[1]
  kBatchMatMulRank,         // ints = {operand index, rank}
  kBatchMatMulBatchDims,    // shapes[0], shapes[1]
  kPadNotMatrix,            // shapes[0] = paddings shape
  kPadFirstDim,             // shapes = {paddings shape, input shape}
  kPadNegative,             // ints = {before, after}
  kPadRank,                 // Unimplemented; ints = {max dims, rank}
  kExpandDimsAxis,          // ints = {axis, rank}
  kSqueezeNotOne,           // ints = {axis, dim}
  kSqueezeAxis,             // ints = {axis, rank}
  kReshapeCount,            // ints = {n_in, n_out}
  kReshapeMultiple,         // ints = {n_in, product of known}
  kReshapeTwoUnknown,       // ints = {i, j}
  kReshapeEmptyInfer,
  kReshapeNegativeDim,    // ints = {index, value}
  kConcatAxis,            // ints = {axis, rank}
  kConcatRank,            // shapes = {s0, si}, ints = {i}
  kConcatDim,             // shapes = {s0, si}, ints = {dim j, i}
  kConcatScalars,         // a rank-0 input
  kPackShapes,            // shapes = {s0, si}, ints = {i}
  kPackAxis,              // ints = {axis, rank+1}
  kTransposePermSize,     // ints = {rank, perm size}
  kTransposePermInvalid,  // ints = {value, rank}
  kReductionAxis,         // ints = {axis, rank}
  kSliceOutOfBounds,      // ints = {index, axis, dim}
  kEinsumDim,             // shapes[0], ints = {expected, axis, got}
  kDTypeMismatch,         // ints = {input index}, dtypes = {expected, got}
  kOutOfMemory,           // ResourceExhausted; shapes[0], dtypes[0]
  // --- added with the op implementations (ops/*.cc) ---
  kMatMulRank2,             // ints = {rank} (both operands have it)
  kIntegerDivisionByZero,   // FloorDiv/FloorMod on ints
  kIntegerNegativePower,    // Pow on ints with a negative exponent
  kSoftmaxRank,             // shapes[0] = logits shape
  kSoftmaxAxis,             // ints = {axis, rank} (Python-level check)
  kTransposePermMissing,    // ints = {missing value, perm...}
  kReshapeTooManyElements,  // ints = requested sizes
  kTileMultiplesLength,     // ints = {rank, multiples length}
  kTileMultipleNegative,    // ints = {index, value}
  kSliceTooManyIndices,     // ints = {index, rank}
  kSliceStrideZero,         // ints = {sparse index}
  kSliceMultipleEllipsis,
  kSliceScalarInput,
  kArgMaxAxis,              // ints = {axis, rank}
  kArgMaxEmpty,             // ints = {axis}, shapes[0]
  kCumsumAxis,              // ints = {axis, rank}
  kRangeDeltaZero,          // reals = {delta}
  kRangeStartLimit,         // reals = {start, limit, delta}
  kRangeTooLarge,           // Range size overflows int64
  kRandomIntRange,          // ints = {minval, maxval}
  kNegativeDimension,       // ints = {dim}
  kShapeTooLarge,           // shapes[0]
  kTooManyDimensions,       // more than TensorShape::MaxDimensions() (254)
  kReductionDuplicateAxis,  // ints = {wrapped axis}
  kBandPartRank,            // shapes[0] = input shape
  kBandPartLower,           // ints = {rows, num_lower}
  kBandPartUpper,           // ints = {cols, num_upper}
  kGatherParamsScalar,
  kGatherAxis,       // ints = {minimum rank, rank}
  kGatherIndex,      // shapes[0] = indices shape, ints = {value, limit, at...}
  kSplitNumAttr,     // ints = {num_split} (an attr error: no envelope)
  kSplitAxis,        // ints = {axis, rank}
  kSplitUneven,      // ints = {axis, size, num_split}
  kSplitVOneOutput,  // ints = {size, requested}
  kSplitVTwoUnknown,
  kSplitVDetermined,  // ints = {sum of the known sizes}
  kSplitVNegative,    // ints = {index, size}
};

// The tensors in one argument of a Keras call, as structure for a viewer
// that must not parse the bullets: a tensor's shape and dtype, a list's or
// tuple's elements one by one; anything else (or a structure too deep or too
// long to describe) is kOther.
struct ArgumentLayout {
  enum class Kind { kOther, kTensor, kSequence };
  Kind kind = Kind::kOther;
  Shape shape;                        // kTensor
  DType dtype = DType::kFloat32;      // kTensor
  std::vector<ArgumentLayout> items;  // kSequence
};

// The call frame Keras adds around an exception raised inside Layer.call
// (docs/spec/keras-semantics.md §1.8). `arguments` are the bullets, already
// formatted.
struct KerasCallFrame {
  Profile profile = Profile::kKeras3;
  std::string class_name;  // "Attention"
  std::string layer_name;  // "attention", "attention_1", ...
  // tf-keras' call on KerasTensors (building a functional model) names the
  // layer in double quotes: layer "attention" (type Attention).
  bool functional = false;
  std::vector<std::pair<std::string, std::string>> arguments;
  // The same arguments' tensors, by name (empty when the caller gave none).
  std::vector<std::pair<std::string, ArgumentLayout>> argument_layouts;
};

// The enumerator's name without its "k" ("MatMulSizeIncompatible"): the
// run document's error.kind, so the page can tell errors apart by
// structure instead of by their text.
std::string_view ErrorKindName(ErrorKind kind);

struct Error {
  ErrorClass cls = ErrorClass::kValueError;
  ErrorKind kind = ErrorKind::kText;
  std::string text;  // for kText: the whole message

  // Op context. When `op` is set, the message gets TensorFlow's eager envelope:
  // {{function_node __wrapped__<op><op_suffix>_device_...}} <msg> [Op:<op>]
  // name: <op_name>
  std::string op;
  std::string op_suffix;  // "_N_2" for ConcatV2, "_num_split_2" for Split
  std::string op_name;    // empty for Python operators and most tf.* calls
  bool eager_envelope = true;
  // Whether " name: <op_name>" ends the message. The generated Python
  // wrapper (gen_*_ops.py) appends it when TFE_Py_FastPathExecute fails; an
  // input given as a Python list or tuple (not a tensor or a number) sends
  // the call to the slow path instead (pywrap_tfe_src.cc CheckInputsOk, TF
  // 2.21), whose exception carries no name at all: tf.reshape(x, (4,)),
  // tf.gather(p, [0, 3]). MakeOpError sets it (and op_name) for the usual
  // form of the call; a caller that knows the Python arguments may override.
  bool fast_path = true;

  // Structure of the mismatch.
  std::vector<Shape> shapes;  // operand shapes, in the kernel's order
  std::vector<int64_t> ints;  // kind-specific integers (see ErrorKind)
  std::vector<DType> dtypes;  // kind-specific dtypes
  std::vector<double> reals;  // kind-specific floats (tf.range bounds)
  std::vector<int>
      failing_axes;  // per operand: the axis that disagrees, -1 none

  std::optional<KerasCallFrame> keras_call;

  // The playground's own explanation, never part of the framework's text.
  std::string note;

  // Built by the program itself (`raise ValueError()`), not by the framework:
  // its message may be empty, as in Python.
  bool raised_by_program = false;

  // The kernel (or Python-level) message without envelope or Keras wrapper.
  // Out of line: an Error is built, moved and destroyed (on the unwind
  // path too) at many sites; inline, each site had all the members' code.
  Error();
  Error(const Error&);
  Error(Error&&) noexcept;
  Error& operator=(const Error&);
  Error& operator=(Error&&) noexcept;
  ~Error();

  std::string KernelMessage() const;
  // The op message as TensorFlow eager prints it (envelope included).
  std::string OpMessage() const;
  // str(e) in Python: the Keras wrapper (with its ANSI bold in Keras 3) if any.
  std::string Message() const;
};

// Thrown inside the core; caught at the API boundary (never crosses into JS).
class ErrorException : public std::exception {
 public:
  explicit ErrorException(Error error);
  const Error& error() const { return error_; }
  Error& mutable_error() { return error_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  Error error_;
  std::string what_;
};

[[noreturn]] void Raise(Error error);

// Shorthands for the common cases: an error whose whole message is `text`.
[[noreturn]] void RaiseText(ErrorClass cls, std::string text);
[[noreturn]] void RaiseValueError(std::string text);
[[noreturn]] void RaiseTypeError(std::string text);
// Valid Python/TensorFlow/Keras outside the playground's subset.
[[noreturn]] void RaiseNotSupported(std::string text);
// The same, as "The playground does not model <what>.".
[[noreturn]] void RaiseNotModelled(std::string_view what);

// Builds an op error of the given kind with the op's envelope.
// (Shapes by reference and lists as initializer_lists: a call site only
// writes pointers and integers to the stack.)
using ShapeList = std::initializer_list<std::reference_wrapper<const Shape>>;
Error MakeOpError(ErrorKind kind, std::string_view op, ShapeList shapes,
                  std::initializer_list<int64_t> ints = {});
// With owned lists (tests, tables of cases).
Error MakeOpError(ErrorKind kind, std::string_view op,
                  std::vector<Shape> shapes, std::vector<int64_t> ints = {});
// Raise(MakeOpError(...)) without an Error temporary at the call site.
[[noreturn]] void RaiseOpError(ErrorKind kind, std::string_view op,
                               ShapeList shapes,
                               std::initializer_list<int64_t> ints = {});

}  // namespace ap
