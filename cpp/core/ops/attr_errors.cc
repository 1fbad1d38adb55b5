// TensorFlow's attr check for an op registered without a kernel for a
// dtype ("Value for attr 'T' of int64 is not in the list of allowed
// values: ..."): framework/op_def_util.cc ValidateAttrValue, run by the
// eager executor before any kernel, with the op's OpDef as TF 2.21 prints
// it (probed on the oracle for each op below).
#include <string>
#include <string_view>

#include "internal.h"

namespace ap::ops::internal {

namespace {

struct OpAttrList {
  std::string_view op;
  // What follows "is not in the list of allowed values: ": the allowed
  // list, the NodeDef and the OpDef (the same for every refused dtype).
  std::string_view allowed;
};

constexpr OpAttrList kOpAttrLists[] = {
    {"Exp",
     "bfloat16, half, float, double, complex64, complex128\n\t; NodeDef: "
     "{{node Exp}}; Op<name=Exp; signature=x:T -> y:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_COMPLEX64, DT_COMPLEX128]>"},
    {"Log",
     "bfloat16, half, float, double, complex64, complex128\n\t; NodeDef: "
     "{{node Log}}; Op<name=Log; signature=x:T -> y:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_COMPLEX64, DT_COMPLEX128]>"},
    {"Tanh",
     "bfloat16, half, float, double, complex64, complex128\n\t; NodeDef: "
     "{{node Tanh}}; Op<name=Tanh; signature=x:T -> y:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_COMPLEX64, DT_COMPLEX128]>"},
    {"Sigmoid",
     "bfloat16, half, float, double, complex64, complex128\n\t; NodeDef: "
     "{{node Sigmoid}}; Op<name=Sigmoid; signature=x:T -> y:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_COMPLEX64, DT_COMPLEX128]>"},
    {"Sqrt",
     "bfloat16, half, float, double, complex64, complex128\n\t; NodeDef: "
     "{{node Sqrt}}; Op<name=Sqrt; signature=x:T -> y:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_COMPLEX64, DT_COMPLEX128]>"},
    {"Rsqrt",
     "bfloat16, half, float, double, complex64, complex128\n\t; NodeDef: "
     "{{node Rsqrt}}; Op<name=Rsqrt; signature=x:T -> y:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_COMPLEX64, DT_COMPLEX128]>"},
    {"Neg",
     "bfloat16, half, float, double, int8, int16, int32, int64, complex64, "
     "complex128\n\t; NodeDef: {{node Neg}}; Op<name=Neg; signature=x:T -> "
     "y:T; attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_INT8, DT_INT16, DT_INT32, DT_INT64, DT_COMPLEX64, DT_COMPLEX128]>"},
    {"Abs",
     "bfloat16, half, float, double, int8, int16, int32, int64\n\t; NodeDef: "
     "{{node Abs}}; Op<name=Abs; signature=x:T -> y:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, DT_INT8, "
     "DT_INT16, DT_INT32, DT_INT64]>"},
    {"Square",
     "bfloat16, half, float, double, int8, int16, int32, int64, uint8, uint16, "
     "uint32, uint64, complex64, complex128\n\t; NodeDef: {{node Square}}; "
     "Op<name=Square; signature=x:T -> y:T; attr=T:type,allowed=[DT_BFLOAT16, "
     "DT_HALF, DT_FLOAT, DT_DOUBLE, DT_INT8, DT_INT16, DT_INT32, DT_INT64, "
     "DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64, DT_COMPLEX64, "
     "DT_COMPLEX128]>"},
    {"Relu",
     "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
     "uint32, uint64, qint8\n\t; NodeDef: {{node Relu}}; Op<name=Relu; "
     "signature=features:T -> activations:T; attr=T:type,allowed=[DT_FLOAT, "
     "DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_INT64, DT_BFLOAT16, "
     "DT_UINT16, DT_HALF, DT_UINT32, DT_UINT64, DT_QINT8]>"},
    {"Softmax",
     "half, bfloat16, float, double\n\t; NodeDef: {{node Softmax}}; "
     "Op<name=Softmax; signature=logits:T -> softmax:T; "
     "attr=T:type,allowed=[DT_HALF, DT_BFLOAT16, DT_FLOAT, DT_DOUBLE]>"},
    {"AddV2",
     "bfloat16, half, float, double, uint8, uint16, uint32, uint64, int8, "
     "int16, int32, int64, complex64, complex128\n\t; NodeDef: {{node AddV2}}; "
     "Op<name=AddV2; signature=x:T, y:T -> z:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64, DT_INT8, DT_INT16, DT_INT32, "
     "DT_INT64, DT_COMPLEX64, DT_COMPLEX128]; is_commutative=true; "
     "is_aggregate=true>"},
    {"Sub",
     "bfloat16, half, float, double, uint8, int8, uint16, int16, int32, int64, "
     "complex64, complex128, uint32, uint64\n\t; NodeDef: {{node Sub}}; "
     "Op<name=Sub; signature=x:T, y:T -> z:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_UINT8, DT_INT8, DT_UINT16, DT_INT16, DT_INT32, DT_INT64, "
     "DT_COMPLEX64, DT_COMPLEX128, DT_UINT32, DT_UINT64]>"},
    {"Mul",
     "bfloat16, half, float, double, uint8, int8, uint16, int16, int32, "
     "uint32, uint64, int64, complex64, complex128\n\t; NodeDef: {{node Mul}}; "
     "Op<name=Mul; signature=x:T, y:T -> z:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_UINT8, DT_INT8, DT_UINT16, DT_INT16, DT_INT32, DT_UINT32, DT_UINT64, "
     "DT_INT64, DT_COMPLEX64, DT_COMPLEX128]; is_commutative=true>"},
    {"FloorDiv",
     "bfloat16, half, float, double, uint8, int8, uint16, int16, int32, "
     "uint32, uint64, int64, complex64, complex128\n\t; NodeDef: {{node "
     "FloorDiv}}; Op<name=FloorDiv; signature=x:T, y:T -> z:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_UINT8, DT_INT8, DT_UINT16, DT_INT16, DT_INT32, DT_UINT32, DT_UINT64, "
     "DT_INT64, DT_COMPLEX64, DT_COMPLEX128]>"},
    {"FloorMod",
     "int8, int16, int32, int64, uint8, uint16, uint32, uint64, bfloat16, "
     "half, float, double\n\t; NodeDef: {{node FloorMod}}; Op<name=FloorMod; "
     "signature=x:T, y:T -> z:T; attr=T:type,allowed=[DT_INT8, DT_INT16, "
     "DT_INT32, DT_INT64, DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64, "
     "DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE]>"},
    {"Pow",
     "bfloat16, float, half, double, int8, int16, int32, int64, complex64, "
     "complex128\n\t; NodeDef: {{node Pow}}; Op<name=Pow; signature=x:T, y:T "
     "-> z:T; attr=T:type,allowed=[DT_BFLOAT16, DT_FLOAT, DT_HALF, DT_DOUBLE, "
     "DT_INT8, DT_INT16, DT_INT32, DT_INT64, DT_COMPLEX64, DT_COMPLEX128]>"},
    {"Maximum",
     "bfloat16, half, float, double, int8, uint8, int16, uint16, int32, "
     "uint32, int64, uint64\n\t; NodeDef: {{node Maximum}}; Op<name=Maximum; "
     "signature=x:T, y:T -> z:T; attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, "
     "DT_FLOAT, DT_DOUBLE, DT_INT8, DT_UINT8, DT_INT16, DT_UINT16, DT_INT32, "
     "DT_UINT32, DT_INT64, DT_UINT64]>"},
    {"Minimum",
     "bfloat16, half, float, double, int8, uint8, int16, uint16, int32, "
     "uint32, int64, uint64\n\t; NodeDef: {{node Minimum}}; Op<name=Minimum; "
     "signature=x:T, y:T -> z:T; attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, "
     "DT_FLOAT, DT_DOUBLE, DT_INT8, DT_UINT8, DT_INT16, DT_UINT16, DT_INT32, "
     "DT_UINT32, DT_INT64, DT_UINT64]>"},
    {"SquaredDifference",
     "bfloat16, half, float, double, int32, int64, complex64, complex128\n\t; "
     "NodeDef: {{node SquaredDifference}}; Op<name=SquaredDifference; "
     "signature=x:T, y:T -> z:T; attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, "
     "DT_FLOAT, DT_DOUBLE, DT_INT32, DT_INT64, DT_COMPLEX64, DT_COMPLEX128]; "
     "is_commutative=true>"},
    {"Less",
     "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
     "uint32, uint64\n\t; NodeDef: {{node Less}}; Op<name=Less; signature=x:T, "
     "y:T -> z:bool; attr=T:type,allowed=[DT_FLOAT, DT_DOUBLE, DT_INT32, "
     "DT_UINT8, DT_INT16, DT_INT8, DT_INT64, DT_BFLOAT16, DT_UINT16, DT_HALF, "
     "DT_UINT32, DT_UINT64]>"},
    {"LessEqual",
     "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
     "uint32, uint64\n\t; NodeDef: {{node LessEqual}}; Op<name=LessEqual; "
     "signature=x:T, y:T -> z:bool; attr=T:type,allowed=[DT_FLOAT, DT_DOUBLE, "
     "DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_INT64, DT_BFLOAT16, DT_UINT16, "
     "DT_HALF, DT_UINT32, DT_UINT64]>"},
    {"Greater",
     "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
     "uint32, uint64\n\t; NodeDef: {{node Greater}}; Op<name=Greater; "
     "signature=x:T, y:T -> z:bool; attr=T:type,allowed=[DT_FLOAT, DT_DOUBLE, "
     "DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_INT64, DT_BFLOAT16, DT_UINT16, "
     "DT_HALF, DT_UINT32, DT_UINT64]>"},
    {"GreaterEqual",
     "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
     "uint32, uint64\n\t; NodeDef: {{node GreaterEqual}}; "
     "Op<name=GreaterEqual; signature=x:T, y:T -> z:bool; "
     "attr=T:type,allowed=[DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, "
     "DT_INT8, DT_INT64, DT_BFLOAT16, DT_UINT16, DT_HALF, DT_UINT32, "
     "DT_UINT64]>"},
    {"Sum",
     "float, double, int32, uint8, int16, int8, complex64, int64, qint8, "
     "quint8, qint32, bfloat16, qint16, quint16, uint16, complex128, half, "
     "uint32, uint64\n\t; NodeDef: {{node Sum}}; Op<name=Sum; "
     "signature=input:T, reduction_indices:Tidx -> output:T; "
     "attr=keep_dims:bool,default=false; attr=T:type,allowed=[DT_FLOAT, "
     "DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_COMPLEX64, "
     "DT_INT64, DT_QINT8, DT_QUINT8, DT_QINT32, DT_BFLOAT16, DT_QINT16, "
     "DT_QUINT16, DT_UINT16, DT_COMPLEX128, DT_HALF, DT_UINT32, DT_UINT64]; "
     "attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]>"},
    {"Mean",
     "float, double, int32, uint8, int16, int8, complex64, int64, qint8, "
     "quint8, qint32, bfloat16, qint16, quint16, uint16, complex128, half, "
     "uint32, uint64\n\t; NodeDef: {{node Mean}}; Op<name=Mean; "
     "signature=input:T, reduction_indices:Tidx -> output:T; "
     "attr=keep_dims:bool,default=false; attr=T:type,allowed=[DT_FLOAT, "
     "DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_COMPLEX64, "
     "DT_INT64, DT_QINT8, DT_QUINT8, DT_QINT32, DT_BFLOAT16, DT_QINT16, "
     "DT_QUINT16, DT_UINT16, DT_COMPLEX128, DT_HALF, DT_UINT32, DT_UINT64]; "
     "attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]>"},
    {"Max",
     "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
     "uint32, uint64, qint8, quint8, qint32, qint16, quint16\n\t; NodeDef: "
     "{{node Max}}; Op<name=Max; signature=input:T, reduction_indices:Tidx -> "
     "output:T; attr=keep_dims:bool,default=false; "
     "attr=T:type,allowed=[DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, "
     "DT_INT8, DT_INT64, DT_BFLOAT16, DT_UINT16, DT_HALF, DT_UINT32, "
     "DT_UINT64, DT_QINT8, DT_QUINT8, DT_QINT32, DT_QINT16, DT_QUINT16]; "
     "attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]>"},
    {"Min",
     "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
     "uint32, uint64, qint8, quint8, qint32, qint16, quint16\n\t; NodeDef: "
     "{{node Min}}; Op<name=Min; signature=input:T, reduction_indices:Tidx -> "
     "output:T; attr=keep_dims:bool,default=false; "
     "attr=T:type,allowed=[DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, "
     "DT_INT8, DT_INT64, DT_BFLOAT16, DT_UINT16, DT_HALF, DT_UINT32, "
     "DT_UINT64, DT_QINT8, DT_QUINT8, DT_QINT32, DT_QINT16, DT_QUINT16]; "
     "attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]>"},
    {"Prod",
     "float, double, int32, uint8, int16, int8, complex64, int64, qint8, "
     "quint8, qint32, bfloat16, qint16, quint16, uint16, complex128, half, "
     "uint32, uint64\n\t; NodeDef: {{node Prod}}; Op<name=Prod; "
     "signature=input:T, reduction_indices:Tidx -> output:T; "
     "attr=keep_dims:bool,default=false; attr=T:type,allowed=[DT_FLOAT, "
     "DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_COMPLEX64, "
     "DT_INT64, DT_QINT8, DT_QUINT8, DT_QINT32, DT_BFLOAT16, DT_QINT16, "
     "DT_QUINT16, DT_UINT16, DT_COMPLEX128, DT_HALF, DT_UINT32, DT_UINT64]; "
     "attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]>"},
    {"MatMul",
     "bfloat16, half, float, double, int32, int64, uint8, uint16, uint32, "
     "uint64, complex64, complex128\n\t; NodeDef: {{node MatMul}}; "
     "Op<name=MatMul; signature=a:T, b:T -> product:T; "
     "attr=transpose_a:bool,default=false; "
     "attr=transpose_b:bool,default=false; attr=T:type,allowed=[DT_BFLOAT16, "
     "DT_HALF, DT_FLOAT, DT_DOUBLE, DT_INT32, DT_INT64, DT_UINT8, DT_UINT16, "
     "DT_UINT32, DT_UINT64, DT_COMPLEX64, DT_COMPLEX128]; "
     "attr=grad_a:bool,default=false; attr=grad_b:bool,default=false>"},
    {"BatchMatMulV2",
     "bfloat16, half, float, double, int16, int32, int64, uint8, uint16, "
     "uint32, uint64, complex64, complex128\n\t; NodeDef: {{node "
     "BatchMatMulV2}}; Op<name=BatchMatMulV2; signature=x:T, y:T -> output:T; "
     "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, "
     "DT_INT16, DT_INT32, DT_INT64, DT_UINT8, DT_UINT16, DT_UINT32, DT_UINT64, "
     "DT_COMPLEX64, DT_COMPLEX128]; attr=adj_x:bool,default=false; "
     "attr=adj_y:bool,default=false; attr=grad_x:bool,default=false; "
     "attr=grad_y:bool,default=false>"},
    {"Cumsum",
     "float, double, int32, uint8, int16, int8, complex64, int64, qint8, "
     "quint8, qint32, bfloat16, qint16, quint16, uint16, complex128, half, "
     "uint32, uint64\n\t; NodeDef: {{node Cumsum}}; Op<name=Cumsum; "
     "signature=x:T, axis:Tidx -> out:T; attr=exclusive:bool,default=false; "
     "attr=reverse:bool,default=false; attr=T:type,allowed=[DT_FLOAT, "
     "DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_COMPLEX64, "
     "DT_INT64, DT_QINT8, DT_QUINT8, DT_QINT32, DT_BFLOAT16, DT_QINT16, "
     "DT_QUINT16, DT_UINT16, DT_COMPLEX128, DT_HALF, DT_UINT32, DT_UINT64]; "
     "attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]>"},
};

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
    e.text =
        "Value for attr 'T' of " + std::string(DTypeKernelName(dtype)) +
        " is not in the list of allowed values: " + std::string(entry.allowed);
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
