// A Python value as the interpreter, the tf/keras API surface and the Keras
// layers see it. Lists and dicts have reference semantics, as in Python.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dtype.h"
#include "shape.h"
#include "tensor.h"

namespace ap {

class Value;

// Base for values the core does not model structurally (layers, functions,
// modules, exception objects). Owned by the module that defines them.
class Object {
 public:
  virtual ~Object() = default;
  // Python's type(x).__name__, e.g. "Attention", "function", "module".
  virtual std::string TypeName() const = 0;
  // repr(x).
  virtual std::string Repr() const { return "<" + TypeName() + " object>"; }
  // str(x); defaults to repr(x).
  virtual std::string Str() const { return Repr(); }
  // getattr(x, name); nullopt means AttributeError (the caller raises it).
  virtual std::optional<Value> GetAttr(std::string_view name) const;
  // bool(x): Python's __bool__, or __len__ != 0 (range(0) is false).
  virtual bool Truth() const { return true; }
};

using ValueList = std::vector<Value>;

// What makes a tensor value a layer weight (a Keras Variable): its path
// ("dense/kernel", "multi_head_attention/query/kernel") and how it prints,
// which differs between Keras 3 (`<Variable path=...>`, name "kernel") and
// tf-keras (`<tf.Variable 'dense/kernel:0' ...>`, a ResourceVariable).
struct VariableInfo {
  std::string path;
  bool trainable = true;
  bool keras3 = true;
  // Keras 3's name is the path's last part; tf-keras' the path and ":0".
  std::string Name() const {
    return keras3 ? path.substr(path.rfind('/') + 1) : path + ":0";
  }
};
using DictItems = std::vector<std::pair<Value, Value>>;  // insertion order

class Value {
 public:
  enum class Kind {
    kNone,
    kBool,
    kInt,
    kFloat,
    kStr,
    kTensor,
    kList,
    kTuple,
    kDict,
    kShape,  // tf.TensorShape: prints like a tuple, items are ints
    kDType,  // tf.float32 and friends
    kObject,
  };

  Value() = default;  // None
  static Value None() { return Value(); }
  static Value Bool(bool v);
  static Value Int(int64_t v);
  static Value Float(double v);
  static Value Str(std::string v);
  static Value FromTensor(Tensor t);
  // A layer weight: the tensor, printed and named as a Variable. Ops on it
  // make plain tensors.
  static Value Variable(Tensor t, VariableInfo info);
  static Value List(ValueList items);
  static Value Tuple(ValueList items);
  static Value Dict(DictItems items);
  static Value FromShape(const Shape& shape);
  // A TensorShape with unknown dims: `dims` are ints >= 0 and Nones.
  static Value TensorShapeOf(ValueList dims);
  static Value FromDType(DType dtype);
  static Value FromObject(std::shared_ptr<Object> object);

  Kind kind() const { return kind_; }
  bool is_none() const { return kind_ == Kind::kNone; }
  bool is_tensor() const { return kind_ == Kind::kTensor; }
  bool is_number() const {
    return kind_ == Kind::kInt || kind_ == Kind::kFloat || kind_ == Kind::kBool;
  }
  // list, tuple or shape: something with `items()`.
  bool is_sequence() const {
    return kind_ == Kind::kList || kind_ == Kind::kTuple ||
           kind_ == Kind::kShape;
  }

  bool as_bool() const { return b_; }
  int64_t as_int() const { return i_; }
  double as_float() const { return f_; }
  // int, bool or float as a double.
  double as_number() const;
  const std::string& as_str() const { return *s_; }
  const Tensor& as_tensor() const { return t_; }
  DType as_dtype() const { return dtype_; }
  const std::shared_ptr<Object>& as_object() const { return obj_; }
  // Items of a list/tuple/shape. Lists share storage between copies.
  ValueList& items() const { return *items_; }
  DictItems& dict_items() const { return *dict_; }
  // Shape kind: the dims, when every dim is known (shape_fully_defined).
  Shape as_shape() const;
  bool shape_fully_defined() const;

  // Python's type(x).__name__: "int", "list", "EagerTensor", "TensorShape", ...
  std::string TypeName() const;

  // Identity of list/dict/object storage (for `is`).
  const void* identity() const;

  // Keras' `_keras_mask` attribute of a tensor object: the mask a layer call
  // attached to its output (keras/src/layers/layer.py, _set_mask_metadata,
  // Keras 3.15; tf_keras/src/engine/base_layer.py, 2.21). Copies of a Value
  // are references to one Python object, so they share the attribute, and
  // setting it on one (MultiHeadAttention clears its inputs' masks) shows
  // through all of them. Ops make new tensors, without the attribute.
  // The mask, or nullptr when the attribute is absent or None.
  const Tensor* keras_mask() const {
    return keras_mask_ && keras_mask_->valid() ? keras_mask_.get() : nullptr;
  }
  // Whether the attribute exists (it may be None).
  bool has_keras_mask_attribute() const { return keras_mask_ != nullptr; }
  // Sets the attribute (an invalid tensor sets it to None). A Value that had
  // none gets its own, which its later copies share.
  void SetKerasMask(Tensor mask);
  // The Variable a tensor value is (Value::Variable), or null.
  const VariableInfo* variable() const { return variable_.get(); }

 private:
  Kind kind_ = Kind::kNone;
  bool b_ = false;
  int64_t i_ = 0;
  double f_ = 0;
  DType dtype_ = DType::kFloat32;
  std::shared_ptr<const std::string> s_;
  Tensor t_;
  std::shared_ptr<ValueList> items_;
  std::shared_ptr<DictItems> dict_;
  std::shared_ptr<Object> obj_;
  std::shared_ptr<Tensor> keras_mask_;            // see keras_mask()
  std::shared_ptr<const VariableInfo> variable_;  // see variable()
};

// Python's bool(v): None, zeros, empty str/list/tuple/dict/TensorShape are
// false; an object answers Object::Truth. A tensor's truth is the framework's
// rule (bool of a one-element tensor, else an error), which this layer does
// not know: a tensor is true here, as any object without __bool__ is, and the
// Python runtime asks the framework before it calls this.
bool Truthy(const Value& v);

// Lists, tuples and dicts share storage by reference, so a program can build
// cycles (`a.append(a)`) that reference counting never frees. A run installs
// an arena; every container created while it is installed is recorded, and
// ReleaseAll() empties them all at the end of the run, which breaks every
// cycle (and frees long chains without deep recursion).
class ContainerArena {
 public:
  ContainerArena() = default;
  ContainerArena(const ContainerArena&) = delete;
  ContainerArena& operator=(const ContainerArena&) = delete;
  ~ContainerArena() { ReleaseAll(); }
  void Record(const std::shared_ptr<ValueList>& items);
  void Record(const std::shared_ptr<DictItems>& dict);
  // Empties every recorded container that is still alive.
  void ReleaseAll();

 private:
  std::vector<std::weak_ptr<ValueList>> lists_;
  std::vector<std::weak_ptr<DictItems>> dicts_;
};

// Installs `arena` for containers created on this thread until destroyed.
class ContainerArenaScope {
 public:
  explicit ContainerArenaScope(ContainerArena* arena);
  ~ContainerArenaScope();
  ContainerArenaScope(const ContainerArenaScope&) = delete;
  ContainerArenaScope& operator=(const ContainerArenaScope&) = delete;

 private:
  ContainerArena* previous_;
};

}  // namespace ap
