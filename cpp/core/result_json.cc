#include "result_json.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "keras/keras_tensor.h"
#include "keras/layer.h"
#include "keras/metric_objects.h"
#include "numpy/ndarray.h"
#include "repr.h"

namespace ap {

using nlohmann::json;

namespace {

constexpr size_t kMaxListItems = 64;  // longer lists keep their repr only
constexpr int kMaxValueDepth = 4;
constexpr size_t kMaxReprChars = 2000;

json Number(double v) {
  if (std::isfinite(v)) return v;
  // JSON has no inf/nan; say it in text.
  return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
}

// (By reference: a 10 MB string bound in every step is not copied whole.)
std::string Clip(const std::string& s) {
  if (s.size() > kMaxReprChars) return s.substr(0, kMaxReprChars) + "...";
  return s;
}

// Clip(Repr(v)) of a list, tuple or dict, once per container per document.
std::string ClippedRepr(const Value& v, TensorTable* table) {
  const void* id = v.identity();
  if (!table || !id) return Clip(Repr(v, kMaxReprChars));
  auto it = table->reprs.find(id);
  if (it == table->reprs.end()) {
    it = table->reprs.emplace(id, Clip(Repr(v, kMaxReprChars))).first;
  }
  return it->second;
}

// One typed pass over the tensor (Tensor::ComputeValueStats), memoised per
// storage and count: reshaped views of one storage share it. Not computed
// for an empty tensor (the document shows no stats for it).
Tensor::ValueStats MemoisedStats(const Tensor& t, TensorTable* table) {
  const int64_t n = t.num_elements();
  if (n == 0) return {};
  if (!table) return t.ComputeValueStats();
  const auto key = std::make_pair(static_cast<const void*>(t.b8()),
                                  static_cast<int64_t>(t.dtype()) + 4 * n);
  auto it = table->stats.find(key);
  if (it == table->stats.end())
    it = table->stats.emplace(key, t.ComputeValueStats()).first;
  return it->second;
}

std::string FrameworkOf(const Error& e) {
  if (e.cls == ErrorClass::kNotSupportedError ||
      e.cls == ErrorClass::kLimitError || e.cls == ErrorClass::kSyntaxError) {
    return "playground";
  }
  if (e.keras_call) return "keras";
  if (!e.op.empty() || IsOpErrorClass(e.cls)) return "tensorflow";
  return "python";
}

// A tensor argument as {"shape", "dtype"}, a list or tuple as the array of
// its elements, anything else as null.
json ArgumentLayoutJson(const ArgumentLayout& layout) {
  switch (layout.kind) {
    case ArgumentLayout::Kind::kTensor: {
      json j;
      j["shape"] = layout.shape;
      j["dtype"] = std::string(DTypeName(layout.dtype));
      return j;
    }
    case ArgumentLayout::Kind::kSequence: {
      json items = json::array();
      for (const ArgumentLayout& item : layout.items)
        items.push_back(ArgumentLayoutJson(item));
      return items;
    }
    case ArgumentLayout::Kind::kOther:
      break;
  }
  return nullptr;
}

const char* StageStatusName(CallStage::Status status) {
  switch (status) {
    case CallStage::Status::kDone:
      return "done";
    case CallStage::Status::kFailed:
      return "failed";
    case CallStage::Status::kSkipped:
      return "skipped";
    case CallStage::Status::kNotReached:
      break;
  }
  return "not_reached";
}

json CallStageJson(const CallStage& stage) {
  json j;
  j["stage"] = stage.stage;
  j["status"] = StageStatusName(stage.status);
  j["shape"] = stage.has_shape ? json(stage.shape) : json(nullptr);
  j["axes"] = stage.axes;
  j["sources"] = stage.sources;
  return j;
}

// {"kind": kind, "value": value}: one function instead of an initializer-
// list document built inline at each of ValueJson's cases.
json KindValue(const char* kind, json value) {
  json j;
  j["kind"] = kind;
  j["value"] = std::move(value);
  return j;
}

}  // namespace

int64_t TensorTable::Add(const Tensor& t) {
  tensors.push_back(t);
  return static_cast<int64_t>(tensors.size()) - 1;
}

std::string StripAnsi(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      size_t j = i + 2;
      while (j < text.size() &&
             !std::isalpha(static_cast<unsigned char>(text[j])))
        ++j;
      i = j;
      continue;
    }
    out += text[i];
  }
  return out;
}

json TensorDigestJson(const TensorDigest& d) {
  json j;
  j["kind"] = "tensor";
  j["shape"] = d.shape;
  j["dtype"] = std::string(DTypeName(d.dtype));
  json values = json::array();
  for (size_t i = 0; i < d.preview.size(); ++i) {
    const double v = d.preview[i];
    if (d.dtype == DType::kBool) {
      values.push_back(v != 0);
    } else if (d.dtype == DType::kInt64 && i < d.int64_preview.size()) {
      values.push_back(d.int64_preview[i]);
    } else if (d.dtype == DType::kInt32) {
      values.push_back(static_cast<int32_t>(v));
    } else {
      values.push_back(Number(v));
    }
  }
  j["values"] = values;
  if (d.num_elements > 0) {
    j["min"] = Number(d.stats.lo);
    j["max"] = Number(d.stats.hi);
    j["mean"] = Number(d.stats.sum / static_cast<double>(d.num_elements));
  }
  return j;
}

json TensorSummaryJson(const Tensor& t, TensorTable* table) {
  json j = TensorDigestJson(DigestTensor(t, MemoisedStats(t, table)));
  if (table) j["id"] = table->Add(t);
  return j;
}

json ReleasedTensorJson(const ReleasedTensor& released) {
  json j = TensorDigestJson(released.digest);
  j["values_dropped"] = true;
  j["values_dropped_reason"] =
      "the trace released this tensor to free memory for the program "
      "(live-memory limit " +
      std::to_string(released.live_limit_bytes >> 20) + " MiB)";
  return j;
}

json ValueJson(const Value& v, TensorTable* table, int depth) {
  switch (v.kind()) {
    case Value::Kind::kNone:
      return KindValue("none", nullptr);
    case Value::Kind::kBool:
      return KindValue("bool", v.as_bool());
    case Value::Kind::kInt:
      return KindValue("int", v.as_int());
    case Value::Kind::kFloat:
      return KindValue("float", Number(v.as_float()));
    case Value::Kind::kStr:
      return KindValue("str", Clip(v.as_str()));
    case Value::Kind::kTensor: {
      const VariableInfo* var = v.variable();
      if (var && var->keras3) {
        // Keras 3's Variable is not a tf.Tensor (the oracle: an object).
        json j;
        j["kind"] = "object";
        j["type"] = "Variable";
        j["repr"] = Clip(Repr(v));
        return j;
      }
      json j = TensorSummaryJson(v.as_tensor(), table);
      if (var) j["variable"] = true;
      return j;
    }
    case Value::Kind::kShape: {
      json dims = json::array();
      for (const Value& d : v.items()) {
        dims.push_back(d.is_none() ? json(nullptr) : json(d.as_int()));
      }
      json j = KindValue("shape", std::move(dims));
      j["repr"] = Str(v);  // the tuple form, as the oracle records it
      return j;
    }
    case Value::Kind::kDType:
      return KindValue("dtype", std::string(DTypeName(v.as_dtype())));
    case Value::Kind::kList:
    case Value::Kind::kTuple: {
      json j;
      j["kind"] = v.kind() == Value::Kind::kList ? "list" : "tuple";
      j["repr"] = ClippedRepr(v, table);
      if (depth < kMaxValueDepth && v.items().size() <= kMaxListItems) {
        json items = json::array();
        for (const Value& item : v.items())
          items.push_back(ValueJson(item, table, depth + 1));
        j["value"] = items;
      }
      return j;
    }
    case Value::Kind::kDict: {
      json j;
      j["kind"] = "dict";
      j["repr"] = ClippedRepr(v, table);
      return j;
    }
    case Value::Kind::kObject: {
      // numpy values as the oracle records them: an ndarray as a tensor,
      // a numpy scalar as the Python number it holds.
      if (np::IsNdarray(v)) {
        json j = TensorSummaryJson(np::NdarrayTensor(v), table);
        j["numpy"] = true;
        return j;
      }
      if (np::IsNumpyScalar(v)) {
        const Tensor& t = np::NumpyScalarTensor(v);
        if (t.dtype() == DType::kBool) {
          return ValueJson(Value::Bool(t.b8()[0]), table, depth);
        }
        if (t.dtype() == DType::kInt64) return KindValue("int", t.i64()[0]);
        if (t.dtype() == DType::kInt32) return KindValue("int", t.i32()[0]);
        return ValueJson(Value::Float(t.GetAsDouble(0)), table, depth);
      }
      const auto& obj = v.as_object();
      json j;
      j["type"] = obj->TypeName();
      j["repr"] = Clip(obj->Repr());
      if (const auto* kt = dynamic_cast<const keras::KerasTensor*>(obj.get())) {
        // A symbolic tensor: its shape (null for None), no values.
        json dims = json::array();
        for (const Dim& d : kt->shape()) {
          dims.push_back(d.known() ? json(d.size()) : json(nullptr));
        }
        j["kind"] = "tensor";
        j["shape"] = dims;
        j["dtype"] = std::string(DTypeName(kt->dtype()));
        j["values"] = nullptr;
        j["symbolic"] = true;
      } else if (const auto layer = keras::AsLayer(v)) {
        j["kind"] = "layer";
        j["class"] = layer->class_name();
        j["name"] = layer->name();
      } else if (const auto metric = keras::TfKerasMetricAsLayer(v)) {
        j["kind"] = "layer";
        j["class"] = metric->first;
        j["name"] = metric->second;
      } else {
        j["kind"] = obj->TypeName() == "module" ? "module" : "object";
      }
      return j;
    }
  }
  json j;
  j["kind"] = "object";
  return j;
}

json ErrorJson(const Error& e, int line, int column, int end_line,
               int end_column) {
  json j;
  const std::string message = e.Message();
  j["type"] = std::string(ErrorClassName(e.cls));
  j["message"] = message;
  j["plain_message"] = StripAnsi(message);
  j["kernel_message"] = e.KernelMessage();
  j["line"] = line;
  j["column"] = column;
  j["end_line"] = end_line;
  j["end_column"] = end_column;
  j["op"] = e.op.empty() ? json(nullptr) : json(e.op);
  j["kind"] = e.kind == ErrorKind::kText
                  ? json(nullptr)
                  : json(std::string(ErrorKindName(e.kind)));
  j["op_name"] = e.op_name;
  j["shapes"] = e.shapes;
  j["failing_axes"] = e.failing_axes;
  if (e.keras_call) {
    json args = json::array();
    for (const auto& [name, value] : e.keras_call->arguments)
      args.push_back({name, value});
    json call;
    call["class_name"] = e.keras_call->class_name;
    call["layer_name"] = e.keras_call->layer_name;
    call["arguments"] = std::move(args);
    json layouts = json::array();
    for (const auto& [name, layout] : e.keras_call->argument_layouts) {
      json arg;
      arg["name"] = name;
      arg["value"] = ArgumentLayoutJson(layout);
      layouts.push_back(std::move(arg));
    }
    call["argument_tensors"] = std::move(layouts);
    j["keras_call"] = std::move(call);
  } else {
    j["keras_call"] = nullptr;
  }
  j["framework"] = FrameworkOf(e);
  j["raised_by_program"] = e.raised_by_program;
  j["note"] = e.note;
  return j;
}

json CallEventJson(const CallEvent& event, TensorTable* table) {
  json j;
  j["kind"] = event.kind;
  j["callee"] = event.callee;
  j["layer_name"] = event.layer_name;
  j["failed"] = event.failed;
  j["notes"] = event.notes;
  json inputs = json::array();
  for (const RoleBinding& r : event.inputs) {
    json in;
    in["role"] = r.role;
    in["arg_path"] = r.arg_path;
    in["source"] = r.source;
    in["axes"] = r.axes;
    in["shape"] = r.shape;
    in["dtype"] = std::string(DTypeName(r.dtype));
    if (!r.suggested_role.empty()) {
      in["suggested_role"] = r.suggested_role;
      in["role_note"] = r.role_note;
    }
    inputs.push_back(std::move(in));
  }
  j["inputs"] = inputs;
  if (!event.stages.empty()) {
    json stages = json::array();
    for (const CallStage& stage : event.stages)
      stages.push_back(CallStageJson(stage));
    j["stages"] = std::move(stages);
  }
  auto traced = [&](const std::vector<TracedTensor>& list) {
    json out = json::array();
    for (const TracedTensor& t : list) {
      json tj = t.released ? ReleasedTensorJson(*t.released)
                           : TensorSummaryJson(t.tensor, table);
      tj["label"] = t.label;
      tj["axes"] = t.axes;
      out.push_back(tj);
    }
    return out;
  };
  j["intermediates"] = traced(event.intermediates);
  j["outputs"] = traced(event.outputs);
  return j;
}

}  // namespace ap
