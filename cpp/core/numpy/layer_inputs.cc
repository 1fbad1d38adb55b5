// Keras layers called on numpy arrays (see layer_inputs.h).
#include "layer_inputs.h"

#include "../ops/ops.h"
#include "ndarray.h"

namespace ap::np {

namespace {

// Layer inputs nest a few levels and hold a few values; a larger (or
// cyclic) structure is searched no further than this many values.
constexpr int kMaxVisits = 4096;

bool HasArray(const Value& v, int* visits) {
  if (++*visits > kMaxVisits) return false;
  if (IsNdarray(v)) return true;
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    for (const Value& item : v.items()) {
      if (HasArray(item, visits)) return true;
    }
  }
  if (v.kind() == Value::Kind::kDict) {
    for (const auto& item : v.dict_items()) {
      if (HasArray(item.second, visits)) return true;
    }
  }
  return false;
}

bool HasArray(const Value& v) {
  int visits = 0;
  return HasArray(v, &visits);
}

// Only structures HasArray searched in full get here (bounded). `to_float32`:
// float64 arrays become float32 (the layer's compute dtype); otherwise they
// keep their dtype.
Value Converted(const Value& v, bool to_float32) {
  if (IsNdarray(v)) {
    const Tensor& t = NdarrayTensor(v);
    return Value::FromTensor(t.dtype() == DType::kFloat64 && to_float32
                                 ? ops::Cast(t, DType::kFloat32)
                                 : t);
  }
  if (!HasArray(v)) return v;
  if (v.kind() == Value::Kind::kDict) {
    DictItems items;
    for (const auto& item : v.dict_items()) {
      items.emplace_back(item.first, Converted(item.second, to_float32));
    }
    return Value::Dict(std::move(items));
  }
  ValueList items;
  for (const Value& item : v.items()) {
    items.push_back(Converted(item, to_float32));
  }
  return v.kind() == Value::Kind::kList ? Value::List(std::move(items))
                                        : Value::Tuple(std::move(items));
}

}  // namespace

std::optional<CallArgs> ArraysToLayerTensors(const CallArgs& args,
                                             bool only_inputs_autocast) {
  bool any = false;
  for (const Value& v : args.positional) any = any || HasArray(v);
  for (const auto& kw : args.keywords) any = any || HasArray(kw.second);
  if (!any) return std::nullopt;
  CallArgs out = args;
  for (size_t i = 0; i < out.positional.size(); ++i) {
    out.positional[i] =
        Converted(out.positional[i], !only_inputs_autocast || i == 0);
  }
  for (auto& kw : out.keywords) {
    kw.second = Converted(kw.second, !only_inputs_autocast);
  }
  return out;
}

}  // namespace ap::np
