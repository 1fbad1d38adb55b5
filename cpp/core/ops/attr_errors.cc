// TensorFlow's attr check for an op registered without a kernel for a
// dtype ("Value for attr 'T' of int64 is not in the list of allowed
// values: ..."): framework/op_def_util.cc ValidateAttrValue, run by the
// eager executor before any kernel, with the op's OpDef as TF 2.21 prints
// it (probed on the oracle for each op below).
#include <cctype>
#include <string>
#include <string_view>

#include "internal.h"

namespace ap::ops::internal {

namespace {

// One op's OpDef, as much of it as the message prints: what follows "is
// not in the list of allowed values: " is the allowed list, the NodeDef and
// the OpDef (the same for every refused dtype), built by AllowedText.
struct OpAttrList {
  std::string_view op;
  std::string_view allowed;       // "bfloat16, half, float, ..."
  std::string_view signature;     // "x:T -> y:T"
  std::string_view attrs_before;  // other attrs printed before T's
  std::string_view attrs_after;   // and after it
};

// The dtypes an op allows, as TF lists them (short names; the OpDef
// spells each as DT_<NAME>).
constexpr std::string_view kAllowed0 =
    "bfloat16, half, float, double, complex64, complex128";
constexpr std::string_view kAllowed1 =
    "bfloat16, half, float, double, int8, int16, int32, int64, complex64, "
    "complex128";
constexpr std::string_view kAllowed2 =
    "bfloat16, half, float, double, int8, int16, int32, int64";
constexpr std::string_view kAllowed3 =
    "bfloat16, half, float, double, int8, int16, int32, int64, uint8, uint16, "
    "uint32, uint64, complex64, complex128";
constexpr std::string_view kAllowed4 =
    "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
    "uint32, uint64, qint8";
constexpr std::string_view kAllowed5 = "half, bfloat16, float, double";
constexpr std::string_view kAllowed6 =
    "bfloat16, half, float, double, uint8, uint16, uint32, uint64, int8, "
    "int16, int32, int64, complex64, complex128";
constexpr std::string_view kAllowed7 =
    "bfloat16, half, float, double, uint8, int8, uint16, int16, int32, int64, "
    "complex64, complex128, uint32, uint64";
constexpr std::string_view kAllowed8 =
    "bfloat16, half, float, double, uint8, int8, uint16, int16, int32, uint32, "
    "uint64, int64, complex64, complex128";
constexpr std::string_view kAllowed9 =
    "int8, int16, int32, int64, uint8, uint16, uint32, uint64, bfloat16, half, "
    "float, double";
constexpr std::string_view kAllowed10 =
    "bfloat16, float, half, double, int8, int16, int32, int64, complex64, "
    "complex128";
constexpr std::string_view kAllowed11 =
    "bfloat16, half, float, double, int8, uint8, int16, uint16, int32, uint32, "
    "int64, uint64";
constexpr std::string_view kAllowed12 =
    "bfloat16, half, float, double, int32, int64, complex64, complex128";
constexpr std::string_view kAllowed13 =
    "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
    "uint32, uint64";
constexpr std::string_view kAllowed14 =
    "float, double, int32, uint8, int16, int8, complex64, int64, qint8, "
    "quint8, qint32, bfloat16, qint16, quint16, uint16, complex128, half, "
    "uint32, uint64";
constexpr std::string_view kAllowed15 =
    "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
    "uint32, uint64, qint8, quint8, qint32, qint16, quint16";
constexpr std::string_view kAllowed16 =
    "bfloat16, half, float, double, int32, int64, uint8, uint16, uint32, "
    "uint64, complex64, complex128";
constexpr std::string_view kAllowed17 =
    "bfloat16, half, float, double, int16, int32, int64, uint8, uint16, "
    "uint32, uint64, complex64, complex128";

constexpr OpAttrList kOpAttrLists[] = {
    {"Exp", kAllowed0, "x:T -> y:T", "", ""},
    {"Log", kAllowed0, "x:T -> y:T", "", ""},
    {"Tanh", kAllowed0, "x:T -> y:T", "", ""},
    {"Sin", kAllowed0, "x:T -> y:T", "", ""},
    {"Cos", kAllowed0, "x:T -> y:T", "", ""},
    {"Erfc", kAllowed0, "x:T -> y:T", "", ""},
    {"Sigmoid", kAllowed0, "x:T -> y:T", "", ""},
    {"Sqrt", kAllowed0, "x:T -> y:T", "", ""},
    {"Rsqrt", kAllowed0, "x:T -> y:T", "", ""},
    {"Neg", kAllowed1, "x:T -> y:T", "", ""},
    {"Abs", kAllowed2, "x:T -> y:T", "", ""},
    {"Square", kAllowed3, "x:T -> y:T", "", ""},
    {"Relu", kAllowed4, "features:T -> activations:T", "", ""},
    {"Softmax", kAllowed5, "logits:T -> softmax:T", "", ""},
    {"AddV2", kAllowed6, "x:T, y:T -> z:T", "",
     "; is_commutative=true; is_aggregate=true"},
    {"Sub", kAllowed7, "x:T, y:T -> z:T", "", ""},
    {"Mul", kAllowed8, "x:T, y:T -> z:T", "", "; is_commutative=true"},
    {"FloorDiv", kAllowed8, "x:T, y:T -> z:T", "", ""},
    {"FloorMod", kAllowed9, "x:T, y:T -> z:T", "", ""},
    {"Pow", kAllowed10, "x:T, y:T -> z:T", "", ""},
    {"Maximum", kAllowed11, "x:T, y:T -> z:T", "", ""},
    {"Minimum", kAllowed11, "x:T, y:T -> z:T", "", ""},
    {"SquaredDifference", kAllowed12, "x:T, y:T -> z:T", "",
     "; is_commutative=true"},
    {"Less", kAllowed13, "x:T, y:T -> z:bool", "", ""},
    {"LessEqual", kAllowed13, "x:T, y:T -> z:bool", "", ""},
    {"Greater", kAllowed13, "x:T, y:T -> z:bool", "", ""},
    {"GreaterEqual", kAllowed13, "x:T, y:T -> z:bool", "", ""},
    {"Sum", kAllowed14, "input:T, reduction_indices:Tidx -> output:T",
     "attr=keep_dims:bool,default=false; ",
     "; attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]"},
    {"Mean", kAllowed14, "input:T, reduction_indices:Tidx -> output:T",
     "attr=keep_dims:bool,default=false; ",
     "; attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]"},
    {"Max", kAllowed15, "input:T, reduction_indices:Tidx -> output:T",
     "attr=keep_dims:bool,default=false; ",
     "; attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]"},
    {"Min", kAllowed15, "input:T, reduction_indices:Tidx -> output:T",
     "attr=keep_dims:bool,default=false; ",
     "; attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]"},
    {"Prod", kAllowed14, "input:T, reduction_indices:Tidx -> output:T",
     "attr=keep_dims:bool,default=false; ",
     "; attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]"},
    {"MatMul", kAllowed16, "a:T, b:T -> product:T",
     "attr=transpose_a:bool,default=false; "
     "attr=transpose_b:bool,default=false; ",
     "; attr=grad_a:bool,default=false; attr=grad_b:bool,default=false"},
    {"BatchMatMulV2", kAllowed17, "x:T, y:T -> output:T", "",
     "; attr=adj_x:bool,default=false; attr=adj_y:bool,default=false; "
     "attr=grad_x:bool,default=false; attr=grad_y:bool,default=false"},
    {"Cumsum", kAllowed14, "x:T, axis:Tidx -> out:T",
     "attr=exclusive:bool,default=false; attr=reverse:bool,default=false; ",
     "; attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]"},
};

// "<allowed>\n\t; NodeDef: {{node Op}}; Op<name=Op; signature=...; ...
// attr=T:type,allowed=[DT_...]...>"
std::string AllowedText(const OpAttrList& entry) {
  std::string dt_list;
  for (size_t i = 0; i < entry.allowed.size();) {
    size_t end = entry.allowed.find(", ", i);
    if (end == std::string_view::npos) end = entry.allowed.size();
    if (!dt_list.empty()) dt_list += ", ";
    dt_list += "DT_";
    for (size_t k = i; k < end; ++k) {
      dt_list += static_cast<char>(
          std::toupper(static_cast<unsigned char>(entry.allowed[k])));
    }
    i = end + 2;
  }
  const std::string op(entry.op);
  return std::string(entry.allowed) + "\n\t; NodeDef: {{node " + op +
         "}}; Op<name=" + op + "; signature=" + std::string(entry.signature) +
         "; " + std::string(entry.attrs_before) + "attr=T:type,allowed=[" +
         dt_list + "]" + std::string(entry.attrs_after) + ">";
}

}  // namespace

bool HasAttrList(std::string_view op) {
  for (const OpAttrList& entry : kOpAttrLists) {
    if (entry.op == op) return true;
  }
  return false;
}

void RaiseAttrNotAllowed(std::string_view op, DType dtype,
                         std::string_view name) {
  for (const OpAttrList& entry : kOpAttrLists) {
    if (entry.op != op) continue;
    Error e;
    e.cls = ErrorClass::kInvalidArgumentError;
    e.text = "Value for attr 'T' of " + std::string(DTypeKernelName(dtype)) +
             " is not in the list of allowed values: " + AllowedText(entry);
    e.op = std::string(op);
    e.op_name = std::string(name);
    // Raised before the kernel runs: no {{function_node ...}} prefix.
    e.eager_envelope = false;
    Raise(std::move(e));
  }
  RaiseNotSupported("TensorFlow has no " + std::string(op) + " kernel for " +
                    std::string(DTypeName(dtype)) + " tensors.");
}

}  // namespace ap::ops::internal
