#include "keras_tensor.h"

#include <algorithm>

namespace ap::keras {

std::string KerasTensor::Repr() const {
  if (tf_keras_) {
    return "<KerasTensor: shape=" + PartialShapeToPyString(shape_) +
           " dtype=" + std::string(DTypeName(dtype_)) +
           (tf_keras_layer_.empty()
                ? std::string()
                : " (created by layer '" + tf_keras_layer_ + "')") +
           ">";
  }
  return "<KerasTensor shape=" + PartialShapeToPyString(shape_) +
         ", dtype=" + std::string(DTypeName(dtype_)) +
         ", sparse=False, ragged=False, name=" + name_ + ">";
}

std::string KerasTensor::Str() const {
  if (!tf_keras_) return Repr();
  if (name_.empty()) {
    RaiseNotModelled(
        "printing this tf-keras KerasTensor: its text names the TensorFlow "
        "graph node that computed it (e.g. dense/BiasAdd:0), which the "
        "playground does not know for " +
        (tf_keras_layer_.empty() ? std::string("a mask")
                                 : "layer '" + tf_keras_layer_ + "'") +
        "; print its .shape and .dtype");
  }
  std::string out = "KerasTensor(type_spec=TensorSpec(shape=" +
                    PartialShapeToPyString(shape_) + ", dtype=tf." +
                    std::string(DTypeName(dtype_)) +
                    ", name=" + (tf_keras_input_ ? "'" + name_ + "'" : "None") +
                    "), name='" + name_ + "'";
  if (!tf_keras_layer_.empty()) {
    out += ", description=\"created by layer '" + tf_keras_layer_ + "'\"";
  }
  return out + ")";
}

// TensorShape([None, 32]): a tf-keras KerasTensor's shape.
Value TensorShapeValue(const PartialShape& shape) {
  ValueList dims;
  for (const Dim& d : shape) {
    dims.push_back(d.known() ? Value::Int(d.size()) : Value::None());
  }
  return Value::TensorShapeOf(std::move(dims));
}

Value ShapeTuple(const PartialShape& shape) {
  ValueList dims;
  for (const Dim& d : shape) {
    dims.push_back(d.known() ? Value::Int(d.size()) : Value::None());
  }
  return Value::Tuple(std::move(dims));
}

std::optional<PartialShape> ShapeFromValue(const Value& v) {
  if (v.kind() != Value::Kind::kList && v.kind() != Value::Kind::kTuple) {
    return std::nullopt;
  }
  PartialShape out;
  for (const Value& d : v.items()) {
    if (d.is_none()) {
      out.push_back(Dim());
    } else if (d.kind() == Value::Kind::kInt && d.as_int() >= 0) {
      out.push_back(Dim(d.as_int()));
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::optional<Value> KerasTensor::GetAttr(std::string_view attr) const {
  if (tf_keras_) {
    if (attr == "shape") return TensorShapeValue(shape_);
    if (attr == "dtype") return Value::FromDType(dtype_);
    if (attr == "name") {
      if (name_.empty()) (void)Str();  // refuses, naming what is missing
      return Value::Str(name_);
    }
    if (attr == "_keras_mask") {
      return mask_ ? Value::FromObject(mask_) : Value::None();
    }
    return std::nullopt;
  }
  if (attr == "shape") return ShapeTuple(shape_);
  if (attr == "dtype") return Value::Str(std::string(DTypeName(dtype_)));
  if (attr == "name") return Value::Str(name_);
  if (attr == "ndim") return Value::Int(rank());
  if (attr == "sparse" || attr == "ragged") return Value::Bool(false);
  if (attr == "_keras_mask") {
    return mask_ ? Value::FromObject(mask_) : Value::None();
  }
  return std::nullopt;
}

std::shared_ptr<KerasTensor> NewKerasTensor(RunContext& ctx, PartialShape shape,
                                            DType dtype) {
  return std::make_shared<KerasTensor>(std::move(shape), dtype,
                                       ctx.UniqueLayerName("keras_tensor"));
}

std::shared_ptr<KerasTensor> AsKerasTensor(const Value& v) {
  if (v.kind() != Value::Kind::kObject ||
      !dynamic_cast<const KerasTensor*>(v.as_object().get())) {
    return nullptr;
  }
  return std::static_pointer_cast<KerasTensor>(v.as_object());
}

namespace {

// Each container once (a list may contain itself), at most 100 deep.
void CollectFrom(const Value& v, std::vector<std::shared_ptr<KerasTensor>>* out,
                 std::vector<const void*>* seen, int depth) {
  if (auto kt = AsKerasTensor(v)) {
    out->push_back(std::move(kt));
    return;
  }
  const bool container = v.kind() == Value::Kind::kList ||
                         v.kind() == Value::Kind::kTuple ||
                         v.kind() == Value::Kind::kDict;
  if (!container || depth > 100) return;
  if (const void* id = v.identity()) {
    if (std::find(seen->begin(), seen->end(), id) != seen->end()) return;
    seen->push_back(id);
  }
  if (v.kind() == Value::Kind::kDict) {
    // tree.flatten visits a dict's values in sorted key order.
    std::vector<const std::pair<Value, Value>*> items;
    for (const auto& item : v.dict_items()) items.push_back(&item);
    std::stable_sort(items.begin(), items.end(), [](auto* a, auto* b) {
      return a->first.kind() == Value::Kind::kStr &&
             b->first.kind() == Value::Kind::kStr &&
             a->first.as_str() < b->first.as_str();
    });
    for (const auto* item : items)
      CollectFrom(item->second, out, seen, depth + 1);
    return;
  }
  for (const Value& item : v.items()) CollectFrom(item, out, seen, depth + 1);
}

}  // namespace

void CollectKerasTensors(const Value& v,
                         std::vector<std::shared_ptr<KerasTensor>>* out) {
  std::vector<const void*> seen;
  CollectFrom(v, out, &seen, 0);
}

// A plain walk with no allocation: every eager layer call asks, so this
// stays small (it is in the page's first-load module).
// At most 100 deep and 100,000 values in all: a list that contains itself
// several times would otherwise take exponential time.
bool ContainsKerasTensor(const Value& v, int depth, int* visits) {
  if (v.kind() == Value::Kind::kObject) {
    return dynamic_cast<const KerasTensor*>(v.as_object().get()) != nullptr;
  }
  if (depth > 100 || ++*visits > 100000) return false;
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    for (const Value& item : v.items()) {
      if (ContainsKerasTensor(item, depth + 1, visits)) return true;
    }
  } else if (v.kind() == Value::Kind::kDict) {
    for (const auto& item : v.dict_items()) {
      if (ContainsKerasTensor(item.second, depth + 1, visits)) return true;
    }
  }
  return false;
}

bool ContainsKerasTensor(const Value& v) {
  int visits = 0;
  return ContainsKerasTensor(v, 0, &visits);
}

std::vector<std::shared_ptr<KerasTensor>> KerasTensorsOf(const CallArgs& args) {
  std::vector<std::shared_ptr<KerasTensor>> out;
  for (const Value& v : args.positional) CollectKerasTensors(v, &out);
  std::vector<const std::pair<std::string, Value>*> keywords;
  for (const auto& kw : args.keywords) keywords.push_back(&kw);
  std::stable_sort(keywords.begin(), keywords.end(),
                   [](auto* a, auto* b) { return a->first < b->first; });
  for (const auto* kw : keywords) CollectKerasTensors(kw->second, &out);
  return out;
}

bool ContainsKerasTensor(const CallArgs& args) {
  for (const Value& v : args.positional) {
    if (ContainsKerasTensor(v)) return true;
  }
  for (const auto& kw : args.keywords) {
    if (ContainsKerasTensor(kw.second)) return true;
  }
  return false;
}

std::optional<PartialShape> ShapeOfTensorLike(const Value& v) {
  if (v.is_tensor()) return ToPartialShape(v.as_tensor().shape());
  if (auto kt = AsKerasTensor(v)) return kt->shape();
  return std::nullopt;
}

std::optional<DType> DTypeOfTensorLike(const Value& v) {
  if (v.is_tensor()) return v.as_tensor().dtype();
  if (auto kt = AsKerasTensor(v)) return kt->dtype();
  return std::nullopt;
}

}  // namespace ap::keras
