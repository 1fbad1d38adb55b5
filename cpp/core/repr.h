// Python's repr()/str() of playground values, with numpy's array printing
// for tensors (TF prints tensors through numpy). Used by print(), f-strings,
// the trace previews and the Keras messages that embed reprs.
#pragma once

#include <string>

#include "tensor.h"
#include "value.h"

namespace ap {

// A repr may be exponentially longer than the value is large (a tuple of two
// references to a tuple of two references to ...), so both stop early once
// their text is longer than `max_chars`: the result is then longer than
// `max_chars`, and its first `max_chars` characters are the full text's.
std::string Repr(const Value& v, size_t max_chars = std::string::npos);
std::string Str(const Value& v, size_t max_chars = std::string::npos);

// repr(float): shortest round-trip text ("0.1", "1.0", "1e-09", "inf").
std::string FormatPyFloat(double v);
// repr(str): quotes and escapes as CPython chooses them.
std::string PyStringRepr(const std::string& s);

// How TF 2.21 writes an EagerTensor (tensorflow/python/framework/ops.py,
// _EagerTensorBase and numpy_text), through NumPy 2.4's array printing
// (numpy/_core/arrayprint.py): repr() shows repr(array) or, for a 0-d
// tensor, repr(.item()); str() shows str(array).
//   repr: <tf.Tensor: shape=(2,), dtype=float32, numpy=array([1., 1.],
//         dtype=float32)>
//   str:  tf.Tensor([1. 1.], shape=(2,), dtype=float32)
std::string TensorRepr(const Tensor& t);
std::string TensorStr(const Tensor& t);
// repr() and str() of a layer weight (Value::Variable).
std::string VariableRepr(const Value& v);
// format(tensor, ""), as f"{t}" and "{}".format(t) write it: numpy's
// ndarray.__format__ gives str(array), or format(.item(), "") when 0-d.
std::string TensorFormat(const Tensor& t);
// repr/str of the numpy array (summarised with "..." past 1000 elements,
// wrapped at 75 columns as numpy does).
std::string NumpyRepr(const Tensor& t);
std::string NumpyStr(const Tensor& t);

// The shortest text that reads back as the same float32 ("0.25", "1e-09").
std::string FormatFloat32Shortest(float v);

}  // namespace ap
