#include "value.h"

namespace ap {

namespace {
thread_local ContainerArena* current_arena = nullptr;

template <typename T>
std::shared_ptr<T> Recorded(std::shared_ptr<T> p) {
  if (current_arena) current_arena->Record(p);
  return p;
}
}  // namespace

void ContainerArena::Record(const std::shared_ptr<ValueList>& items) {
  lists_.push_back(items);
}

void ContainerArena::Record(const std::shared_ptr<DictItems>& dict) {
  dicts_.push_back(dict);
}

void ContainerArena::ReleaseAll() {
  // Keep every container alive while their items are dropped, so no
  // destructor recurses through a long chain; then let them go, empty.
  std::vector<std::shared_ptr<ValueList>> lists;
  std::vector<std::shared_ptr<DictItems>> dicts;
  for (auto& w : lists_) {
    if (auto p = w.lock()) lists.push_back(std::move(p));
  }
  for (auto& w : dicts_) {
    if (auto p = w.lock()) dicts.push_back(std::move(p));
  }
  lists_.clear();
  dicts_.clear();
  std::vector<Value> dropped;
  for (auto& l : lists) {
    for (auto& v : *l) dropped.push_back(std::move(v));
    l->clear();
  }
  for (auto& d : dicts) {
    for (auto& [k, v] : *d) {
      dropped.push_back(std::move(k));
      dropped.push_back(std::move(v));
    }
    d->clear();
  }
  dropped.clear();
}

ContainerArenaScope::ContainerArenaScope(ContainerArena* arena)
    : previous_(current_arena) {
  current_arena = arena;
}

ContainerArenaScope::~ContainerArenaScope() { current_arena = previous_; }

std::optional<Value> Object::GetAttr(std::string_view) const {
  return std::nullopt;
}

bool Truthy(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNone:
      return false;
    case Value::Kind::kBool:
      return v.as_bool();
    case Value::Kind::kInt:
      return v.as_int() != 0;
    case Value::Kind::kFloat:
      return v.as_float() != 0;
    case Value::Kind::kStr:
      return !v.as_str().empty();
    case Value::Kind::kList:
    case Value::Kind::kTuple:
    case Value::Kind::kShape:
      return !v.items().empty();
    case Value::Kind::kDict:
      return !v.dict_items().empty();
    case Value::Kind::kObject:
      return !v.as_object() || v.as_object()->Truth();
    case Value::Kind::kTensor:
    case Value::Kind::kDType:
      return true;
  }
  return true;
}

Value Value::Bool(bool v) {
  Value x;
  x.kind_ = Kind::kBool;
  x.b_ = v;
  x.i_ = v ? 1 : 0;
  return x;
}

Value Value::Int(int64_t v) {
  Value x;
  x.kind_ = Kind::kInt;
  x.i_ = v;
  return x;
}

Value Value::Float(double v) {
  Value x;
  x.kind_ = Kind::kFloat;
  x.f_ = v;
  return x;
}

Value Value::Str(std::string v) {
  Value x;
  x.kind_ = Kind::kStr;
  x.s_ = std::make_shared<const std::string>(std::move(v));
  return x;
}

Value Value::FromTensor(Tensor t) {
  Value x;
  x.kind_ = Kind::kTensor;
  x.t_ = std::move(t);
  return x;
}

Value Value::Variable(Tensor t, VariableInfo info) {
  Value x = FromTensor(std::move(t));
  x.variable_ = std::make_shared<const VariableInfo>(std::move(info));
  return x;
}

Value Value::List(ValueList items) {
  Value x;
  x.kind_ = Kind::kList;
  x.items_ = Recorded(std::make_shared<ValueList>(std::move(items)));
  return x;
}

Value Value::Tuple(ValueList items) {
  Value x;
  x.kind_ = Kind::kTuple;
  x.items_ = Recorded(std::make_shared<ValueList>(std::move(items)));
  return x;
}

Value Value::Dict(DictItems items) {
  Value x;
  x.kind_ = Kind::kDict;
  x.dict_ = Recorded(std::make_shared<DictItems>(std::move(items)));
  return x;
}

Value Value::FromShape(const Shape& shape) {
  Value x;
  x.kind_ = Kind::kShape;
  ValueList dims;
  dims.reserve(shape.size());
  for (int64_t d : shape) dims.push_back(Int(d));
  x.items_ = std::make_shared<ValueList>(std::move(dims));
  return x;
}

Value Value::FromDType(DType dtype) {
  Value x;
  x.kind_ = Kind::kDType;
  x.dtype_ = dtype;
  return x;
}

Value Value::FromObject(std::shared_ptr<Object> object) {
  Value x;
  x.kind_ = Kind::kObject;
  x.obj_ = std::move(object);
  return x;
}

double Value::as_number() const {
  switch (kind_) {
    case Kind::kFloat:
      return f_;
    case Kind::kInt:
    case Kind::kBool:
      return static_cast<double>(i_);
    default:
      return 0;
  }
}

Value Value::TensorShapeOf(ValueList dims) {
  Value x;
  x.kind_ = Kind::kShape;
  x.items_ = std::make_shared<ValueList>(std::move(dims));
  return x;
}

bool Value::shape_fully_defined() const {
  if (!items_) return true;
  for (const Value& v : *items_) {
    if (v.is_none()) return false;
  }
  return true;
}

Shape Value::as_shape() const {
  Shape s;
  if (!items_) return s;
  for (const Value& v : *items_) s.push_back(v.as_int());
  return s;
}

std::string Value::TypeName() const {
  switch (kind_) {
    case Kind::kNone:
      return "NoneType";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kStr:
      return "str";
    case Kind::kTensor:
      if (variable_) return variable_->keras3 ? "Variable" : "ResourceVariable";
      return "EagerTensor";
    case Kind::kList:
      return "list";
    case Kind::kTuple:
      return "tuple";
    case Kind::kDict:
      return "dict";
    case Kind::kShape:
      return "TensorShape";
    case Kind::kDType:
      return "DType";
    case Kind::kObject:
      return obj_ ? obj_->TypeName() : "object";
  }
  return "object";
}

void Value::SetKerasMask(Tensor mask) {
  if (keras_mask_) {
    *keras_mask_ = std::move(mask);
  } else {
    keras_mask_ = std::make_shared<Tensor>(std::move(mask));
  }
}

const void* Value::identity() const {
  if (items_) return items_.get();
  if (dict_) return dict_.get();
  if (obj_) return obj_.get();
  return nullptr;
}

}  // namespace ap
