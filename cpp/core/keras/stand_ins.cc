#include "stand_ins.h"

#include <cctype>
#include <utility>

#include "../ops/ops.h"
#include "../partial_shape.h"
#include "common.h"
#include "keras_tensor.h"

namespace ap::keras {

using VK = Value::Kind;

namespace {

Shape WithSize(const PartialShape& shape, int64_t size,
               std::optional<int64_t> batch_size) {
  Shape out;
  for (const Dim& d : shape) {
    out.push_back(d.known()                   ? d.size()
                  : out.empty() && batch_size ? *batch_size
                                              : size);
  }
  return out;
}

}  // namespace

Value StandIn(const Value& v, int64_t size, bool with_masks,
              std::optional<int64_t> batch_size) {
  // Lists and tuples at most 100 deep, as Keras' tree utilities allow.
  struct Walk {
    int64_t size;
    bool with_masks;
    std::optional<int64_t> batch_size;
    Value operator()(const Value& v, int depth) const {
      if (depth < 100 && (v.kind() == VK::kList || v.kind() == VK::kTuple)) {
        ValueList items;
        for (const Value& item : v.items()) {
          items.push_back((*this)(item, depth + 1));
        }
        return v.kind() == VK::kList ? Value::List(std::move(items))
                                     : Value::Tuple(std::move(items));
      }
      const auto kt = AsKerasTensor(v);
      if (!kt) return v;
      Value out = Value::FromTensor(
          ops::Fill(WithSize(kt->shape(), size, batch_size), 0.0, kt->dtype()));
      if (with_masks && kt->mask()) {
        out.SetKerasMask(
            ops::Fill(WithSize(kt->mask()->shape(), size, batch_size), 1.0,
                      DType::kBool));
      }
      return out;
    }
  };
  return Walk{size, with_masks, batch_size}(v, 0);
}

Value MergeStandIns(RunContext& ctx, const Value& a, const Value& b,
                    std::optional<DType> dtype, bool non_tensors_ok,
                    std::string_view what) {
  struct Walk {
    RunContext& ctx;
    std::optional<DType> dtype;
    bool non_tensors_ok;
    std::string_view what;
    Value operator()(const Value& a, const Value& b, int depth) const {
      if (depth < 100 && (a.kind() == VK::kList || a.kind() == VK::kTuple) &&
          a.kind() == b.kind() && a.items().size() == b.items().size()) {
        ValueList items;
        for (size_t i = 0; i < a.items().size(); ++i) {
          items.push_back((*this)(a.items()[i], b.items()[i], depth + 1));
        }
        return a.kind() == VK::kList ? Value::List(std::move(items))
                                     : Value::Tuple(std::move(items));
      }
      if (!a.is_tensor() || !b.is_tensor()) {
        if (non_tensors_ok) return a;
        RaiseNotModelled(std::string(what) + " returning no tensor");
      }
      const Shape& sa = a.as_tensor().shape();
      const Shape& sb = b.as_tensor().shape();
      if (sa.size() != sb.size()) {
        RaiseNotModelled(std::string(what) +
                         " whose output rank depends on the unknown dims of "
                         "its keras.Input tensors");
      }
      PartialShape shape;
      for (size_t i = 0; i < sa.size(); ++i) {
        shape.push_back(sa[i] == sb[i] ? Dim(sa[i]) : Dim());
      }
      return Value::FromObject(
          NewKerasTensor(ctx, shape, dtype ? *dtype : a.as_tensor().dtype()));
    }
  };
  return Walk{ctx, dtype, non_tensors_ok, what}(a, b, 0);
}

std::optional<std::string> MergeStandInTexts(const std::string& a,
                                             const std::string& b) {
  auto digit = [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  };
  std::string out;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      size_t ei = i, ej = j;
      while (ei < a.size() && digit(a[ei])) ++ei;
      while (ej < b.size() && digit(b[ej])) ++ej;
      const std::string_view na(a.data() + i, ei - i), nb(b.data() + j, ej - j);
      out += na == nb ? std::string(na) : std::string("None");
      i = ei;
      j = ej;
      continue;
    }
    if (a[i] != b[j]) return std::nullopt;
    out += a[i];
    ++i;
    ++j;
  }
  if (i != a.size() || j != b.size()) return std::nullopt;
  return out;
}

std::string WithoutStandIn(const std::string& text, int64_t size) {
  const std::string n = std::to_string(size);
  auto digit = [&](size_t i) {
    return std::isdigit(static_cast<unsigned char>(text[i])) != 0;
  };
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const bool starts = text.compare(i, n.size(), n) == 0 &&
                        (i == 0 || !digit(i - 1)) &&
                        (i + n.size() == text.size() || !digit(i + n.size()));
    if (starts) {
      out += "None";
      i += n.size();
    } else {
      out += text[i++];
    }
  }
  return out;
}

bool ReshapeLeavesUnknownDims(const std::vector<std::vector<int64_t>>& a,
                              const std::vector<std::vector<int64_t>>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].size() != b[i].size()) continue;
    bool inferred = false, dynamic = false;
    for (size_t j = 0; j < a[i].size(); ++j) {
      inferred = inferred || a[i][j] == -1;
      dynamic = dynamic || a[i][j] != b[i][j];
    }
    if (inferred && dynamic) return true;
  }
  return false;
}

}  // namespace ap::keras
