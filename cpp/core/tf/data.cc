#include "data.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "../keras/native_method.h"
#include "../numpy/ndarray.h"
#include "../ops/ops.h"
#include "../partial_shape.h"
#include "../python/iterators.h"
#include "../python/native_iterable.h"
#include "../python/runtime.h"
#include "../repr.h"
#include "convert.h"
#include "native.h"

namespace ap::tf {
namespace {

using keras::NativeMethod;

// What from_tensor_slices sliced: the components (their dim 0 is the
// dataset's) and the element's structure, a template whose leaves are the
// components' indices (Int) inside tuples.
struct Source {
  std::vector<Tensor> components;
  Value structure;
  int64_t size() const { return components[0].dim(0); }
};

enum class StepKind { kBatch, kShuffle, kRepeat, kTake, kSkip, kMap };
struct Step {
  Step(StepKind k, int64_t count = 0, bool drop = false)
      : kind(k), n(count), drop_remainder(drop) {}
  StepKind kind;
  int64_t n = 0;
  bool drop_remainder = false;
  Value fn;    // kMap: the function
  Value spec;  // kMap: the element_spec of its outputs
};

constexpr int64_t kInfinite = -1;  // tf.data.INFINITE_CARDINALITY
// The most source rows one iteration may list (repeat() multiplies them):
// beyond it the run stops with a LimitError, as for tensors too large.
constexpr int64_t kMaxRowsPerIteration = int64_t{1} << 22;

// a * b, saturating at kMaxRowsPerIteration + 1 (both non-negative).
int64_t SaturatingProduct(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  if (a > (kMaxRowsPerIteration + 1) / b) return kMaxRowsPerIteration + 1;
  return a * b;
}

// One iteration's elements: each a group of source rows (one row each
// before batch()); from the first map() (or a second batch()) on, the
// elements themselves.
struct Plan {
  std::vector<std::vector<int64_t>> groups;
  bool batched = false;
  std::optional<std::vector<Value>> values;
  size_t size() const { return values ? values->size() : groups.size(); }
};

// The structure with each leaf replaced by leaf(i).
template <typename Leaf>
Value MapStructure(const Value& structure, const Leaf& leaf) {
  if (structure.kind() == Value::Kind::kTuple) {
    ValueList items;
    for (const Value& item : structure.items()) {
      items.push_back(MapStructure(item, leaf));
    }
    return Value::Tuple(std::move(items));
  }
  return leaf(static_cast<size_t>(structure.as_int()));
}

// TensorSpec(shape=(None, 8), dtype=tf.float32, name=None).
class TensorSpecObject : public Object {
 public:
  TensorSpecObject(PartialShape shape, DType dtype)
      : shape_(std::move(shape)), dtype_(dtype) {}
  std::string TypeName() const override { return "TensorSpec"; }
  std::string Repr() const override {
    return "TensorSpec(shape=" + PartialShapeToPyString(shape_) +
           ", dtype=tf." + std::string(DTypeName(dtype_)) + ", name=None)";
  }
  const PartialShape& shape() const { return shape_; }
  DType dtype() const { return dtype_; }
  std::optional<Value> GetAttr(std::string_view name) const override {
    if (name == "dtype") return Value::FromDType(dtype_);
    if (name == "name") return Value::None();
    if (name == "shape") {
      ValueList dims;
      for (const Dim& d : shape_) {
        dims.push_back(d.known() ? Value::Int(d.size()) : Value::None());
      }
      return Value::TensorShapeOf(std::move(dims));
    }
    return std::nullopt;
  }

 private:
  PartialShape shape_;
  DType dtype_;
};

Value WithBatchDim(const Value& spec, Dim batch);
std::vector<Value> BatchValues(const std::vector<Value>& values, int64_t n,
                               bool drop_remainder);
Value AsNumpy(const Value& v);
Value ApplyMap(RunContext& ctx, const Value& fn, const Value& element);

class DatasetObject : public Object,
                      public py::NativeIterable,
                      public std::enable_shared_from_this<DatasetObject> {
 public:
  DatasetObject(std::shared_ptr<const Source> source, std::vector<Step> steps,
                std::string type_name)
      : source_(std::move(source)),
        steps_(std::move(steps)),
        type_name_(std::move(type_name)) {}

  std::string TypeName() const override { return type_name_; }
  std::string Repr() const override {
    return "<" + type_name_ + " element_spec=" + ap::Repr(ElementSpec()) + ">";
  }
  std::optional<Value> GetAttr(std::string_view name) const override;
  Value PyIter(RunContext& ctx, const Value&) const override {
    return Iterate(ctx, "OwnedIterator", false);
  }
  int64_t PyLength() const override {
    const int64_t n = Cardinality();
    if (n == kInfinite) RaiseTypeError("The dataset is infinite.");
    return n;
  }

  // The number of elements, or kInfinite.
  int64_t Cardinality() const {
    int64_t n = source_->size();
    for (const Step& s : steps_) {
      switch (s.kind) {
        case StepKind::kBatch:
          if (n != kInfinite) {
            n = s.drop_remainder ? n / s.n : (n + s.n - 1) / s.n;
          }
          break;
        case StepKind::kShuffle:
        case StepKind::kMap:
          break;
        case StepKind::kRepeat:
          if (n == 0) break;
          if (s.n < 0) {
            n = kInfinite;
          } else if (n != kInfinite && __builtin_mul_overflow(n, s.n, &n)) {
            n = INT64_MAX;  // (TensorFlow's int64 would overflow too)
          }
          break;
        case StepKind::kTake:
          if (s.n >= 0) n = n == kInfinite ? s.n : std::min(n, s.n);
          break;
        case StepKind::kSkip:
          if (n != kInfinite) n = s.n < 0 ? 0 : std::max<int64_t>(0, n - s.n);
          break;
      }
    }
    return n;
  }

  bool batched() const {
    return std::any_of(steps_.begin(), steps_.end(), [](const Step& s) {
      return s.kind == StepKind::kBatch;
    });
  }
  // The batch dim of the last batch(): known with drop_remainder.
  std::optional<int64_t> static_batch() const {
    std::optional<int64_t> known;
    for (const Step& s : steps_) {
      if (s.kind == StepKind::kBatch) {
        known = s.drop_remainder ? std::optional<int64_t>(s.n) : std::nullopt;
      }
    }
    return known;
  }

  // element_spec: the components' shapes without dim 0; each batch()
  // puts its batch dim in front, each map() its outputs' spec.
  Value ElementSpec() const {
    Value spec = MapStructure(source_->structure, [&](size_t i) {
      const Tensor& t = source_->components[i];
      PartialShape shape;
      for (int d = 1; d < t.rank(); ++d) shape.push_back(Dim(t.dim(d)));
      return Value::FromObject(
          std::make_shared<TensorSpecObject>(shape, t.dtype()));
    });
    for (const Step& s : steps_) {
      if (s.kind == StepKind::kMap) spec = s.spec;
      if (s.kind == StepKind::kBatch) {
        spec = WithBatchDim(spec, s.drop_remainder ? Dim(s.n) : Dim());
      }
    }
    return spec;
  }

  // One iteration's groups of source rows, shuffled anew.
  Plan Evaluate(RunContext& ctx) const;

  // Element `group` of a plan: the rows as tensors in the structure (numpy
  // arrays when `as_numpy`).
  Value Element(const std::vector<int64_t>& group, bool batched,
                bool as_numpy) const;

  Value Iterate(RunContext& ctx, std::string type_name, bool as_numpy) const;

  std::shared_ptr<DatasetObject> With(Step step, std::string type_name) const {
    std::vector<Step> steps = steps_;
    steps.push_back(step);
    return std::make_shared<DatasetObject>(source_, std::move(steps),
                                           std::move(type_name));
  }
  // map(fn): run on the first element now, as TensorFlow traces it at
  // map(), for the outputs' spec (a dim equal to an unknown batch dim
  // becomes None) and the errors.
  std::shared_ptr<DatasetObject> Mapped(RunContext& ctx, const Value& fn,
                                        bool parallel) const;
  std::shared_ptr<DatasetObject> Renamed(std::string type_name) const {
    return std::make_shared<DatasetObject>(source_, steps_,
                                           std::move(type_name));
  }

 private:
  std::shared_ptr<const Source> source_;
  std::vector<Step> steps_;
  std::string type_name_;
};

// What a plan's iterator walks.
class PlanObject : public Object {
 public:
  PlanObject(std::shared_ptr<const DatasetObject> dataset, Plan plan,
             bool as_numpy)
      : dataset(std::move(dataset)),
        plan(std::move(plan)),
        as_numpy(as_numpy) {}
  std::string TypeName() const override { return "plan"; }
  std::shared_ptr<const DatasetObject> dataset;
  Plan plan;
  bool as_numpy;
};

// ShuffleDataset's buffer (tensorflow/core/kernels/data/shuffle_dataset_op.cc):
// fill `buffer` elements, hand out a random one and refill its slot.
template <typename T>
void BufferedShuffle(RunContext& ctx, std::vector<T>* groups, int64_t buffer) {
  std::vector<T> in = std::move(*groups), out, pool;
  out.reserve(in.size());
  size_t next = 0;
  const size_t cap = static_cast<size_t>(std::max<int64_t>(buffer, 1));
  while (next < in.size() || !pool.empty()) {
    while (pool.size() < cap && next < in.size()) {
      pool.push_back(std::move(in[next++]));
    }
    const size_t pick = ctx.rng.NextU32() % pool.size();
    out.push_back(std::move(pool[pick]));
    pool[pick] = std::move(pool.back());
    pool.pop_back();
  }
  *groups = std::move(out);
}

template <typename T, typename Charge>
void Repeat(std::vector<T>* items, int64_t times, const Charge& charge) {
  std::vector<T> out;
  for (int64_t t = 0; t < times; ++t) {
    charge(items->size());
    out.insert(out.end(), items->begin(), items->end());
  }
  *items = std::move(out);
}

// take(n): n < 0 takes all.
template <typename T>
void Take(std::vector<T>* items, int64_t n) {
  if (n >= 0 && static_cast<size_t>(n) < items->size()) {
    items->resize(static_cast<size_t>(n));
  }
}

// skip(n): n < 0 skips all.
template <typename T>
void Skip(std::vector<T>* items, int64_t n) {
  if (n < 0 || static_cast<size_t>(n) >= items->size()) {
    items->clear();
  } else {
    items->erase(items->begin(), items->begin() + n);
  }
}

// The element_spec `spec` behind a batch dim.
Value WithBatchDim(const Value& spec, Dim batch) {
  if (spec.kind() == Value::Kind::kTuple) {
    ValueList items;
    for (const Value& item : spec.items()) {
      items.push_back(WithBatchDim(item, batch));
    }
    return Value::Tuple(std::move(items));
  }
  const auto& leaf = static_cast<const TensorSpecObject&>(*spec.as_object());
  PartialShape shape{batch};
  shape.insert(shape.end(), leaf.shape().begin(), leaf.shape().end());
  return Value::FromObject(
      std::make_shared<TensorSpecObject>(shape, leaf.dtype()));
}

// Elements (tensors in nested tuples) stacked along a new axis 0.
Value StackElements(const std::vector<Value>& items) {
  const Value& first = items[0];
  if (first.kind() == Value::Kind::kTuple) {
    ValueList out;
    for (size_t i = 0; i < first.items().size(); ++i) {
      std::vector<Value> column;
      for (const Value& item : items) {
        if (item.kind() != Value::Kind::kTuple ||
            item.items().size() != first.items().size()) {
          RaiseNotModelled("batch() of elements of different structures");
        }
        column.push_back(item.items()[i]);
      }
      out.push_back(StackElements(column));
    }
    return Value::Tuple(std::move(out));
  }
  std::vector<Tensor> tensors;
  for (const Value& item : items) {
    const Tensor t = ToTensor(item);
    if (!tensors.empty() && t.shape() != tensors[0].shape()) {
      RaiseNotModelled(
          "batch() of elements of different shapes (TensorFlow raises "
          "'Cannot batch tensors with different shapes')");
    }
    tensors.push_back(t);
  }
  return Value::FromTensor(ops::Stack(tensors, 0));
}

std::vector<Value> BatchValues(const std::vector<Value>& values, int64_t n,
                               bool drop_remainder) {
  std::vector<Value> out;
  for (size_t i = 0; i < values.size();) {
    const size_t end = std::min(values.size(), i + static_cast<size_t>(n));
    if (drop_remainder && end - i < static_cast<size_t>(n)) break;
    out.push_back(StackElements(
        std::vector<Value>(values.begin() + static_cast<std::ptrdiff_t>(i),
                           values.begin() + static_cast<std::ptrdiff_t>(end))));
    i = end;
  }
  return out;
}

// An element's tensors as numpy arrays (as_numpy_iterator).
Value AsNumpy(const Value& v) {
  if (v.kind() == Value::Kind::kTuple) {
    ValueList items;
    for (const Value& item : v.items()) items.push_back(AsNumpy(item));
    return Value::Tuple(std::move(items));
  }
  const Tensor& t = v.as_tensor();
  return t.rank() == 0 ? np::MakeNumpyScalar(t) : np::MakeNdarray(t);
}

// The element map's function returns, its leaves converted to tensors.
Value MapOutputs(const Value& v) {
  if (v.kind() == Value::Kind::kTuple || v.kind() == Value::Kind::kList) {
    ValueList items;
    for (const Value& item : v.items()) items.push_back(MapOutputs(item));
    return Value::Tuple(std::move(items));
  }
  if (v.kind() == Value::Kind::kDict) {
    RaiseNotModelled("a Dataset.map function that returns a dict");
  }
  return Value::FromTensor(ToTensor(v));
}

// fn(*element) for a tuple element, else fn(element). TensorFlow traces the
// function once, as a graph: what it prints and raises are the graph's, so
// both are refused rather than shown per element.
Value ApplyMap(RunContext& ctx, const Value& fn, const Value& element) {
  CallArgs args;
  if (element.kind() == Value::Kind::kTuple) {
    for (const Value& item : element.items()) args.positional.push_back(item);
  } else {
    args.positional.push_back(element);
  }
  std::string printed;
  std::string* const previous = ctx.stand_in_stdout;
  ctx.stand_in_stdout = &printed;
  Value out;
  try {
    out = ctx.runtime->CallValue(fn, args);
  } catch (const ErrorException& e) {
    ctx.stand_in_stdout = previous;
    if (e.error().cls == ErrorClass::kNotSupportedError ||
        e.error().cls == ErrorClass::kLimitError) {
      throw;
    }
    RaiseNotModelled(
        "this error inside a Dataset.map function: TensorFlow raises it "
        "when map() traces the function as a graph, with graph texts");
  }
  ctx.stand_in_stdout = previous;
  if (!printed.empty()) {
    RaiseNotModelled(
        "what a Dataset.map function prints: TensorFlow runs it once, as a "
        "graph, and prints its placeholders");
  }
  return MapOutputs(out);
}

Plan DatasetObject::Evaluate(RunContext& ctx) const {
  if (Cardinality() == kInfinite) {
    RaiseNotModelled(
        "iterating an infinite dataset (repeat() without a count): give "
        "repeat a count, or take(n) after it");
  }
  Plan p;
  const int64_t n = source_->size();
  p.groups.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) p.groups.push_back({i});
  auto charge = [&ctx](size_t items) {
    if (ctx.runtime) ctx.runtime->ChargeWork(static_cast<int64_t>(items));
  };
  // The elements themselves, from here on (a map or a second batch).
  auto materialize = [&]() {
    if (p.values) return;
    std::vector<Value> values;
    values.reserve(p.groups.size());
    for (const std::vector<int64_t>& g : p.groups) {
      values.push_back(Element(g, p.batched, false));
    }
    p.values = std::move(values);
    p.groups.clear();
  };
  charge(p.groups.size());
  for (size_t k = 0; k < steps_.size(); ++k) {
    const Step& s = steps_[k];
    switch (s.kind) {
      case StepKind::kBatch: {
        if (p.batched) materialize();
        if (p.values) {
          p.values = BatchValues(*p.values, s.n, s.drop_remainder);
          p.batched = true;
          break;
        }
        std::vector<std::vector<int64_t>> out;
        for (size_t i = 0; i < p.groups.size();) {
          const size_t end =
              std::min(p.groups.size(), i + static_cast<size_t>(s.n));
          if (s.drop_remainder && end - i < static_cast<size_t>(s.n)) break;
          std::vector<int64_t> group;
          for (; i < end; ++i) group.push_back(p.groups[i][0]);
          out.push_back(std::move(group));
        }
        p.groups = std::move(out);
        p.batched = true;
        break;
      }
      case StepKind::kMap:
        materialize();
        for (Value& v : *p.values) v = ApplyMap(ctx, s.fn, v);
        break;
      case StepKind::kShuffle:
        if (p.values) {
          BufferedShuffle(ctx, &*p.values, s.n);
        } else {
          BufferedShuffle(ctx, &p.groups, s.n);
        }
        break;
      case StepKind::kRepeat: {
        int64_t times = s.n;
        if (times < 0) {
          // An endless repeat is followed by a take: repeat just enough
          // for the takes after it.
          int64_t need = 0;
          for (size_t j = k + 1; j < steps_.size(); ++j) {
            if (steps_[j].kind == StepKind::kTake && steps_[j].n >= 0) {
              need = std::max(need, steps_[j].n);
            }
          }
          int64_t skip = 0, per_item = 1;
          for (size_t j = k + 1; j < steps_.size(); ++j) {
            if (steps_[j].kind == StepKind::kSkip) skip += steps_[j].n;
            if (steps_[j].kind == StepKind::kBatch) per_item *= steps_[j].n;
            if (steps_[j].kind == StepKind::kShuffle) skip += steps_[j].n;
          }
          const int64_t wanted = SaturatingProduct(need + skip + 1, per_item);
          const int64_t size = std::max<int64_t>(1, p.size());
          times = wanted / size + 1;
        }
        int64_t rows = static_cast<int64_t>(p.size());
        for (const std::vector<int64_t>& g : p.groups) {
          rows += static_cast<int64_t>(g.size()) - 1;
        }
        if (SaturatingProduct(rows, times) > kMaxRowsPerIteration) {
          RaiseText(ErrorClass::kLimitError,
                    "The dataset repeats " + std::to_string(rows) + " rows " +
                        std::to_string(times) +
                        " times: more than the playground's limit of " +
                        std::to_string(kMaxRowsPerIteration) +
                        " rows in one pass; repeat fewer times or take(n)");
        }
        if (p.values) {
          Repeat(&*p.values, times, charge);
        } else {
          Repeat(&p.groups, times, charge);
        }
        break;
      }
      case StepKind::kTake:
        if (p.values) {
          Take(&*p.values, s.n);
        } else {
          Take(&p.groups, s.n);
        }
        break;
      case StepKind::kSkip:
        if (p.values) {
          Skip(&*p.values, s.n);
        } else {
          Skip(&p.groups, s.n);
        }
        break;
    }
    charge(p.size());
  }
  return p;
}

Value DatasetObject::Element(const std::vector<int64_t>& group, bool batched,
                             bool as_numpy) const {
  return MapStructure(source_->structure, [&](size_t i) {
    const Tensor& t = source_->components[i];
    Tensor part;
    if (!batched) {
      ops::SliceItem item;
      item.kind = ops::SliceItem::Kind::kIndex;
      item.index = group[0];
      part = ops::StridedSlice(t, {item});
    } else {
      Tensor rows =
          Tensor::Zeros(DType::kInt64, {static_cast<int64_t>(group.size())});
      std::copy(group.begin(), group.end(), rows.i64());
      part = ops::Gather(t, rows, 0);
    }
    if (!as_numpy) return Value::FromTensor(part);
    return part.rank() == 0 ? np::MakeNumpyScalar(part) : np::MakeNdarray(part);
  });
}

Value DatasetObject::Iterate(RunContext& ctx, std::string type_name,
                             bool as_numpy) const {
  std::shared_ptr<const DatasetObject> self = shared_from_this();
  py::IteratorState state;
  state.source = Value::FromObject(
      std::make_shared<PlanObject>(self, Evaluate(ctx), as_numpy));
  return py::MakeIterator(
      ctx, std::move(type_name), std::move(state),
      +[](RunContext& c, py::IteratorState& s) -> std::optional<Value> {
        const auto& plan =
            static_cast<const PlanObject&>(*s.source.as_object());
        if (s.index >= static_cast<int64_t>(plan.plan.size())) {
          return std::nullopt;
        }
        if (c.runtime) c.runtime->Step();
        const size_t i = static_cast<size_t>(s.index++);
        if (plan.plan.values) {
          const Value& v = (*plan.plan.values)[i];
          return plan.as_numpy ? AsNumpy(v) : v;
        }
        return plan.dataset->Element(plan.plan.groups[i], plan.plan.batched,
                                     plan.as_numpy);
      });
}

std::shared_ptr<DatasetObject> DatasetObject::Mapped(RunContext& ctx,
                                                     const Value& fn,
                                                     bool parallel) const {
  std::vector<Step> probe_steps = steps_;
  probe_steps.push_back({StepKind::kTake, 1});
  const DatasetObject first_only(source_, probe_steps, type_name_);
  Plan plan = first_only.Evaluate(ctx);
  if (plan.size() == 0) {
    RaiseNotModelled("Dataset.map on an empty dataset");
  }
  const Value first = plan.values
                          ? (*plan.values)[0]
                          : Element(plan.groups[0], plan.batched, false);
  const Value out = ApplyMap(ctx, fn, first);
  const bool unknown_batch = plan.batched && !static_batch();
  const int64_t batch_size = plan.values || plan.groups.empty()
                                 ? -1
                                 : static_cast<int64_t>(plan.groups[0].size());
  std::function<Value(const Value&)> spec_of = [&](const Value& v) -> Value {
    if (v.kind() == Value::Kind::kTuple) {
      ValueList items;
      for (const Value& item : v.items()) items.push_back(spec_of(item));
      return Value::Tuple(std::move(items));
    }
    const Tensor& t = v.as_tensor();
    PartialShape shape;
    for (int d = 0; d < t.rank(); ++d) {
      const bool batch_dim = d == 0 && unknown_batch && t.dim(0) == batch_size;
      shape.push_back(batch_dim ? Dim() : Dim(t.dim(d)));
    }
    return Value::FromObject(
        std::make_shared<TensorSpecObject>(shape, t.dtype()));
  };
  Step step{StepKind::kMap};
  step.fn = fn;
  step.spec = spec_of(out);
  return With(step, parallel ? "_ParallelMapDataset" : "_MapDataset");
}

// The dataset methods: one table and one body (a std::function per
// method would cost its own wrapper code in the engine).
enum class Method {
  kBatch,
  kShuffle,
  kRepeat,
  kTake,
  kSkip,
  kPrefetch,
  kCache,
  kCardinality,
  kAsNumpyIterator,
  kMap
};
struct MethodSpec {
  const char* name;
  const char* params;
  Method method;
};
constexpr MethodSpec kMethods[] = {
    {"batch",
     "batch_size,drop_remainder=False,num_parallel_calls=None,"
     "deterministic=None,name=None",
     Method::kBatch},
    {"shuffle", "buffer_size,seed=None,reshuffle_each_iteration=None,name=None",
     Method::kShuffle},
    {"repeat", "count=None,name=None", Method::kRepeat},
    {"take", "count,name=None", Method::kTake},
    {"skip", "count,name=None", Method::kSkip},
    {"prefetch", "buffer_size,name=None", Method::kPrefetch},
    {"cache", "filename='',name=None", Method::kCache},
    {"cardinality", "", Method::kCardinality},
    {"as_numpy_iterator", "", Method::kAsNumpyIterator},
    {"map", "map_func,num_parallel_calls=None,deterministic=None,name=None",
     Method::kMap},
};

Value CallMethod(RunContext& ctx, const DatasetObject& self, Method method,
                 const BoundArgs& a) {
  auto with = [&self](StepKind kind, int64_t n, bool flag, const char* type) {
    return Value::FromObject(self.With({kind, n, flag}, type));
  };
  switch (method) {
    case Method::kBatch: {
      const int64_t n = ToInt(a[0], "batch_size");
      if (n <= 0) RaiseNotModelled("batch() of size <= 0");
      return with(StepKind::kBatch, n, Truthy(a[1]), "_BatchDataset");
    }
    case Method::kShuffle:
      return with(StepKind::kShuffle, ToInt(a[0], "buffer_size"), false,
                  "_ShuffleDataset");
    case Method::kRepeat:
      return with(StepKind::kRepeat, a[0].is_none() ? -1 : ToInt(a[0], "count"),
                  false, "_RepeatDataset");
    case Method::kTake:
      return with(StepKind::kTake, ToInt(a[0], "count"), false, "_TakeDataset");
    case Method::kSkip:
      return with(StepKind::kSkip, ToInt(a[0], "count"), false, "_SkipDataset");
    case Method::kPrefetch:
      return Value::FromObject(self.Renamed("_PrefetchDataset"));
    case Method::kCache:
      return Value::FromObject(self.Renamed("CacheDataset"));
    case Method::kCardinality:
      return Value::FromTensor(Tensor::ScalarI64(self.Cardinality()));
    case Method::kAsNumpyIterator:
      return self.Iterate(ctx, "_NumpyIterator", true);
    case Method::kMap:
      return Value::FromObject(self.Mapped(ctx, a[0], !a[1].is_none()));
  }
  return Value::None();
}

constexpr const char* kRefusedMethods[] = {
    "map",        "filter",       "flat_map",
    "interleave", "padded_batch", "unbatch",
    "window",     "zip",          "concatenate",
    "enumerate",  "reduce",       "shard",
    "apply",      "rebatch",      "bucket_by_sequence_length"};

std::optional<Value> DatasetObject::GetAttr(std::string_view name) const {
  if (name == "element_spec") return ElementSpec();
  for (const MethodSpec& spec : kMethods) {
    if (name != spec.name) continue;
    std::shared_ptr<const DatasetObject> self = shared_from_this();
    const std::string method_name = spec.name;
    const Method method = spec.method;
    const std::vector<Param> params = ParseParams(spec.params);
    return Value::FromObject(std::make_shared<NativeMethod>(
        std::const_pointer_cast<DatasetObject>(self),
        "DatasetV2." + method_name,
        [self, method_name, method, params](RunContext& ctx,
                                            const CallArgs& args) {
          return CallMethod(ctx, *self, method,
                            BindArguments(method_name, params, args));
        }));
  }
  for (const char* refused : kRefusedMethods) {
    if (name == refused) {
      RaiseNotModelled("Dataset." + std::string(name) +
                       " (tf.data's from_tensor_slices, batch, shuffle, "
                       "repeat, take, skip, prefetch and cache are)");
    }
  }
  return std::nullopt;
}

// A component: a tensor or array sliced along dim 0.
Tensor Component(const Value& v) {
  const Tensor t = ToTensor(v);
  if (t.rank() == 0) {
    RaiseValueError("Unbatching a tensor is only supported for rank >= 1");
  }
  return t;
}

// The structure of `v` (tuples of tensors), its components appended.
Value Structure(const Value& v, std::vector<Tensor>* components, int depth) {
  if (depth > 16) RaiseNotModelled("dataset elements nested this deep");
  if (v.kind() == Value::Kind::kTuple) {
    ValueList items;
    for (const Value& item : v.items()) {
      items.push_back(Structure(item, components, depth + 1));
    }
    return Value::Tuple(std::move(items));
  }
  if (v.kind() == Value::Kind::kDict) {
    RaiseNotModelled("datasets of dicts (named features)");
  }
  components->push_back(Component(v));
  return Value::Int(static_cast<int64_t>(components->size() - 1));
}

Value FromTensorSlices(RunContext&, const BoundArgs& a, int64_t as_one) {
  auto source = std::make_shared<Source>();
  source->structure = Structure(a[0], &source->components, 0);
  if (source->components.empty()) {
    RaiseNotModelled("a dataset of an empty tuple");
  }
  if (as_one) {
    // from_tensors: one element, the tensors whole.
    for (Tensor& t : source->components) t = ops::ExpandDims(t, 0);
  }
  const int64_t n = source->components[0].dim(0);
  for (const Tensor& t : source->components) {
    if (t.dim(0) != n) {
      RaiseValueError("Dimensions " + std::to_string(n) + " and " +
                      std::to_string(t.dim(0)) + " are not compatible");
    }
  }
  return Value::FromObject(std::make_shared<DatasetObject>(
      std::move(source), std::vector<Step>{},
      as_one ? "_TensorDataset" : "_TensorSliceDataset"));
}

}  // namespace

Value MakeDataModule(Profile) {
  auto data = std::make_shared<Module>("tensorflow.data");
  data->SetUnknownIsUnsupported(true);
  auto dataset = std::make_shared<Module>("tensorflow.data.Dataset");
  dataset->SetUnknownIsUnsupported(true);
  dataset->Set("from_tensor_slices",
               Value::FromObject(std::make_shared<NativeFunction>(
                   "from_tensor_slices", ParseParams("tensors,name=None"),
                   FromTensorSlices, 0)));
  dataset->Set("from_tensors",
               Value::FromObject(std::make_shared<NativeFunction>(
                   "from_tensors", ParseParams("tensors,name=None"),
                   FromTensorSlices, 1)));
  data->Set("Dataset", Value::FromObject(dataset));
  data->Set("AUTOTUNE", Value::Int(-1));
  data->Set("INFINITE_CARDINALITY", Value::Int(-1));
  data->Set("UNKNOWN_CARDINALITY", Value::Int(-2));
  auto experimental = std::make_shared<Module>("tensorflow.data.experimental");
  experimental->SetUnknownIsUnsupported(true);
  experimental->Set("AUTOTUNE", Value::Int(-1));
  data->Set("experimental", Value::FromObject(experimental));
  return Value::FromObject(data);
}

std::optional<DatasetElements> IterateDataset(RunContext& ctx, const Value& v) {
  if (v.kind() != Value::Kind::kObject) return std::nullopt;
  const auto* dataset = dynamic_cast<const DatasetObject*>(v.as_object().get());
  if (!dataset) return std::nullopt;
  Plan plan = dataset->Evaluate(ctx);
  DatasetElements out;
  out.batched = plan.batched;
  out.static_batch = dataset->static_batch();
  // A None in the spec past the batch dim (batch() twice, a map's output).
  std::function<void(const Value&)> scan = [&](const Value& spec) {
    if (spec.kind() == Value::Kind::kTuple) {
      for (const Value& item : spec.items()) scan(item);
      return;
    }
    const auto& leaf = static_cast<const TensorSpecObject&>(*spec.as_object());
    for (size_t d = 1; d < leaf.shape().size(); ++d) {
      if (!leaf.shape()[d].known()) out.unknown_inner_dims = true;
    }
  };
  scan(dataset->ElementSpec());
  if (plan.values) {
    out.elements = std::move(*plan.values);
    return out;
  }
  for (const std::vector<int64_t>& group : plan.groups) {
    out.elements.push_back(dataset->Element(group, plan.batched, false));
  }
  return out;
}

}  // namespace ap::tf
