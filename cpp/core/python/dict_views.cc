#include "dict_views.h"

#include <memory>
#include <string>

#include "../error.h"
#include "iterators.h"
#include "native_iterable.h"
#include "text.h"

namespace ap::py {

namespace {

// The item of a view at `i` of its dict.
Value ViewItem(const DictItems& items, size_t i, DictViewKind kind) {
  switch (kind) {
    case DictViewKind::kKeys:
      return items[i].first;
    case DictViewKind::kValues:
      return items[i].second;
    case DictViewKind::kItems:
      break;
  }
  return Value::Tuple({items[i].first, items[i].second});
}

// One iterator kind per view (a plain function each: see IteratorObject).
template <DictViewKind kKind>
std::optional<Value> NextOfView(RunContext&, IteratorState& s) {
  const DictItems& items = s.source.dict_items();
  if (static_cast<int64_t>(items.size()) != s.size) {
    RaiseText(ErrorClass::kRuntimeError,
              "dictionary changed size during iteration");
  }
  if (s.index >= s.size) return std::nullopt;
  return ViewItem(items, static_cast<size_t>(s.index++), kKind);
}

class DictView : public Object, public NativeIterable {
 public:
  DictView(Value dict, DictViewKind kind)
      : dict_(std::move(dict)), kind_(kind) {}
  std::string TypeName() const override {
    return kind_ == DictViewKind::kKeys     ? "dict_keys"
           : kind_ == DictViewKind::kValues ? "dict_values"
                                            : "dict_items";
  }
  std::string Repr() const override {
    const DictItems& items = dict_.dict_items();
    std::string out = TypeName() + "([";
    for (size_t i = 0; i < items.size(); ++i) {
      out += (i ? ", " : "") + PyRepr(ViewItem(items, i, kind_));
    }
    return out + "])";
  }
  bool Truth() const override { return !dict_.dict_items().empty(); }
  Value PyIter(RunContext& ctx, const Value&) const override {
    IteratorState state;
    state.source = dict_;
    state.size = static_cast<int64_t>(dict_.dict_items().size());
    switch (kind_) {
      case DictViewKind::kKeys:
        return MakeIterator(ctx, "dict_keyiterator", std::move(state),
                            NextOfView<DictViewKind::kKeys>);
      case DictViewKind::kValues:
        return MakeIterator(ctx, "dict_valueiterator", std::move(state),
                            NextOfView<DictViewKind::kValues>);
      case DictViewKind::kItems:
        break;
    }
    return MakeIterator(ctx, "dict_itemiterator", std::move(state),
                        NextOfView<DictViewKind::kItems>);
  }
  int64_t PyLength() const override {
    return static_cast<int64_t>(dict_.dict_items().size());
  }

 private:
  Value dict_;
  DictViewKind kind_;
};

}  // namespace

Value MakeDictView(const Value& dict, DictViewKind kind) {
  return Value::FromObject(std::make_shared<DictView>(dict, kind));
}

}  // namespace ap::py
