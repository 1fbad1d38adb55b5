#include "functional.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "../ops/ops.h"
#include "../python/classes.h"
#include "../python/runtime.h"
#include "../repr.h"
#include "common.h"
#include "input_layer.h"
#include "layer_methods.h"
#include "native_method.h"
#include "summary.h"

namespace ap::keras {

namespace {

std::vector<std::shared_ptr<KerasTensor>> FlatKerasTensors(const Value& v,
                                                           const char* what) {
  std::vector<std::shared_ptr<KerasTensor>> out;
  ValueList leaves;
  if (v.kind() == Value::Kind::kDict) {
    RaiseNotModelled(std::string("keras.Model ") + what +
                     " given as a dict (give them as a list)");
  }
  if (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple) {
    leaves = v.items();
  } else {
    leaves = {v};
  }
  for (const Value& leaf : leaves) {
    auto kt = AsKerasTensor(leaf);
    if (!kt) {
      RaiseNotModelled(std::string("keras.Model ") + what +
                       " that are not keras.Input tensors or layer outputs "
                       "on them");
    }
    out.push_back(std::move(kt));
  }
  return out;
}

// Replaces each KerasTensor leaf of `v` by its value in `computed`.
Value Substitute(const Value& v,
                 const std::map<const KerasTensor*, Value>& computed,
                 int depth = 0) {
  if (const auto kt = AsKerasTensor(v)) {
    const auto it = computed.find(kt.get());
    if (it == computed.end()) {
      RaiseNotModelled(
          "a functional model whose graph needs a tensor it "
          "cannot compute");
    }
    return it->second;
  }
  if (depth < 100 &&
      (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple)) {
    ValueList items;
    for (const Value& item : v.items()) {
      items.push_back(Substitute(item, computed, depth + 1));
    }
    return v.kind() == Value::Kind::kList ? Value::List(std::move(items))
                                          : Value::Tuple(std::move(items));
  }
  if (depth < 100 && v.kind() == Value::Kind::kDict) {
    DictItems items;
    for (const auto& [key, value] : v.dict_items()) {
      items.emplace_back(key, Substitute(value, computed, depth + 1));
    }
    return Value::Dict(std::move(items));
  }
  return v;
}

// The Value leaves of a layer's outputs, in order.
void FlattenOutputs(const Value& v, ValueList* out, int depth = 0) {
  if (depth < 100 &&
      (v.kind() == Value::Kind::kList || v.kind() == Value::Kind::kTuple)) {
    for (const Value& item : v.items()) FlattenOutputs(item, out, depth + 1);
  } else {
    out->push_back(v);
  }
}

std::string FormatShapeCell(const Node& node) {
  // format_layer_shape: one output's shape; several as a str() of the list
  // without quotes.
  return Keras3ShapeCell(node.output_shapes);
}

}  // namespace

std::shared_ptr<FunctionalModel> FunctionalModel::Create(RunContext& ctx,
                                                         const CallArgs& args) {
  const std::vector<Param> params = ParseParams("inputs,outputs,name=None");
  const BoundArgs bound = BindArguments("Functional.__init__", params, args,
                                        /*accept_extra_keywords=*/true);
  if (!bound.extra_keywords.empty()) {
    RaiseNotModelled("keras.Model(" + bound.extra_keywords[0].first + "=...)");
  }
  const Value& name = bound[2];
  if (!name.is_none() && name.kind() != Value::Kind::kStr) {
    RaiseNotModelled("a model name that is not a string");
  }
  // tf-keras names it after the class called, keras.Model: "model".
  const char* base = ctx.profile == Profile::kTfKeras ? "model" : "functional";
  return FromTensors(
      ctx, bound[0], bound[1],
      name.is_none() ? ctx.UniqueLayerName(base) : name.as_str());
}

std::shared_ptr<FunctionalModel> FunctionalModel::FromTensors(
    RunContext& ctx, Value inputs, Value outputs, std::string name) {
  auto model =
      std::make_shared<FunctionalModel>(std::move(name), inputs, outputs);
  model->tf_keras_ = ctx.profile == Profile::kTfKeras;
  model->tf_keras_made_ = model->tf_keras_;
  model->address_ = NewObjectAddress(ctx);
  model->flat_inputs_ = FlatKerasTensors(inputs, "inputs");
  model->flat_outputs_ = FlatKerasTensors(outputs, "outputs");
  model->MapGraph();
  // Keras' nodes hold their outputs, so a model keeps every tensor of its
  // graph (layer.output of an inner layer after the program dropped it).
  for (const auto& node : model->nodes_) {
    for (const auto& ref : node->output_refs) {
      if (auto kt = ref.lock()) model->graph_tensors_.push_back(kt);
    }
  }
  // tf-keras' _map_graph_network has checked every node's inputs already.
  if (!model->tf_keras_) model->CheckOutputsConnected();
  model->built_ = true;
  return model;
}

void FunctionalModel::CheckOutputsConnected() const {
  // Function.__init__ runs the graph once (keras/src/ops/function.py, Keras
  // 3.15): a node whose inputs cannot be computed from the model's inputs
  // is skipped, and an output left without a value is an error.
  std::set<const KerasTensor*> computable;
  for (const auto& kt : flat_inputs_) computable.insert(kt.get());
  for (const auto& node : nodes_) {
    if (node->is_input()) continue;
    bool ready = true;
    for (const auto& x : node->inputs)
      ready = ready && computable.count(x.get());
    if (!ready) continue;
    for (const KerasTensor* out : node->outputs) computable.insert(out);
  }
  const bool nested = outputs_.kind() == Value::Kind::kList ||
                      outputs_.kind() == Value::Kind::kTuple;
  for (size_t i = 0; i < flat_outputs_.size(); ++i) {
    if (!computable.count(flat_outputs_[i].get())) {
      RaiseValueError("Output with path `" +
                      (nested ? std::to_string(i) : std::string()) +
                      "` is not connected to `inputs`");
    }
  }
}

void FunctionalModel::CheckCall(RunContext&, LayerCall& call) {
  CheckInputs(call[0], name());
}

void FunctionalModel::CheckInputs(const Value& inputs,
                                  const std::string& layer_name) const {
  // Functional.input_spec: per input, its shape with the batch dim None,
  // allow_last_axis_squeeze, named after its InputLayer; checked by
  // assert_input_compatibility (keras/src/layers/input_spec.py, Keras 3.15)
  // before build, so unwrapped.
  if (inputs.kind() == Value::Kind::kDict) {
    RaiseNotModelled("a dict of inputs to a functional model");
  }
  ValueList flat;
  FlattenOutputs(inputs, &flat);
  if (tf_keras_) {
    CheckInputsTfKeras(inputs, flat, layer_name);
    return;
  }
  std::vector<std::string> names;
  for (const auto& kt : flat_inputs_) {
    names.push_back(kt->history().node ? kt->history().node->layer->name()
                                       : kt->name());
  }
  if (flat.size() != flat_inputs_.size()) {
    std::string keys = "[", example;
    for (size_t i = 0; i < names.size(); ++i) {
      keys += (i ? ", '" : "'") + names[i] + "'";
      example += (i ? ", '" : "'") + names[i] + "': ...";
    }
    RaiseValueError("Layer \"" + layer_name + "\" expects " +
                    std::to_string(names.size()) +
                    " named input(s) with keys " + keys +
                    "], but it received " + std::to_string(flat.size()) +
                    " input tensors. Pass inputs as a dict, e.g. `layer({" +
                    example + "})`.");
  }
  for (size_t i = 0; i < flat.size(); ++i) {
    const Value& x = flat[i];
    if (x.is_none()) continue;
    const std::optional<PartialShape> found = ShapeOfTensorLike(x);
    if (!found) {
      RaiseValueError("Inputs to a layer should be tensors. Got '" +
                      ap::Str(x) + "' (of type <class '" + x.TypeName() +
                      "'>) as input for layer '" + layer_name + "'.");
    }
    PartialShape spec = flat_inputs_[i]->shape();
    if (!spec.empty()) spec[0] = Dim();
    const std::string spec_text = PartialShapeToPyString(spec);
    PartialShape shape = *found;
    if (!shape.empty() && shape.back().Is(1)) shape.pop_back();
    if (!spec.empty() && spec.back().Is(1)) spec.pop_back();
    for (size_t d = 0; d < spec.size() && d < shape.size(); ++d) {
      if (spec[d].known() && shape[d].known() && spec[d] != shape[d]) {
        RaiseValueError(
            "Input " + std::to_string(i) + " with name '" + names[i] +
            "' of layer '" + layer_name +
            "' is incompatible with the layer: expected shape=" + spec_text +
            ", found shape=" + PartialShapeToPyString(shape));
      }
    }
  }
}

void FunctionalModel::CheckInputsTfKeras(const Value& inputs,
                                         const ValueList& flat,
                                         const std::string& layer_name) const {
  // Functional.input_spec: per input, its shape with the batch dim None and
  // allow_last_axis_squeeze; assert_input_compatibility
  // (tf_keras/src/engine/input_spec.py, 2.21).
  if (flat.size() != flat_inputs_.size()) {
    RaiseValueError("Layer \"" + layer_name + "\" expects " +
                    std::to_string(flat_inputs_.size()) +
                    " input(s), but it received " +
                    std::to_string(flat.size()) +
                    " input tensors. Inputs received: " + ap::Str(inputs));
  }
  for (size_t i = 0; i < flat.size(); ++i) {
    const std::optional<PartialShape> found = ShapeOfTensorLike(flat[i]);
    if (!found) continue;
    PartialShape spec = flat_inputs_[i]->shape();
    if (!spec.empty()) spec[0] = Dim();
    PartialShape shape = *found, squeezed_spec = spec;
    if (!shape.empty() && shape.back().Is(1)) shape.pop_back();
    if (!squeezed_spec.empty() && squeezed_spec.back().Is(1)) {
      squeezed_spec.pop_back();
    }
    for (size_t d = 0; d < squeezed_spec.size() && d < shape.size(); ++d) {
      if (squeezed_spec[d].known() && shape[d].known() &&
          squeezed_spec[d] != shape[d]) {
        RaiseValueError("Input " + std::to_string(i) + " of layer \"" +
                        layer_name +
                        "\" is incompatible with the layer: expected shape=" +
                        PartialShapeToPyString(spec) +
                        ", found shape=" + PartialShapeToPyString(*found));
      }
    }
  }
}

void FunctionalModel::MapGraph() {
  // _build_map (keras/src/ops/function.py, Keras 3.15): a depth-first walk
  // from the outputs; each node after its parents.
  std::set<const KerasTensor*> input_ids;
  for (const auto& kt : flat_inputs_) input_ids.insert(kt.get());
  std::vector<std::shared_ptr<Node>> order;
  std::set<const Node*> finished, in_progress;
  std::map<const Layer*, int> first_seen;
  std::vector<std::shared_ptr<Layer>> seen_layers;
  int steps = 0;
  std::function<void(const KerasTensor&)> visit = [&](const KerasTensor& t) {
    const std::shared_ptr<Node>& node = t.history().node;
    if (!node || finished.count(node.get())) return;
    if (++steps > 100000) RaiseNotModelled("a functional graph this large");
    if (!node->is_input() && input_ids.count(&t)) {
      finished.insert(node.get());
      return;
    }
    if (in_progress.count(node.get())) {
      RaiseValueError("The graph has a cycle.");
    }
    if (first_seen.emplace(node->layer.get(), seen_layers.size()).second) {
      seen_layers.push_back(node->layer);
    }
    in_progress.insert(node.get());
    if (!node->is_input() && !input_ids.count(&t)) {
      for (const auto& parent : node->inputs) visit(*parent);
    }
    finished.insert(node.get());
    in_progress.erase(node.get());
    order.push_back(node);
  };
  for (const auto& out : flat_outputs_) visit(*out);

  // Depths (map_graph): outputs' nodes 0, parents deeper; a layer takes the
  // depth of its deepest node.
  std::map<const Node*, int> node_depth;
  std::map<const Layer*, int> layer_depth;
  std::set<const Node*> in_graph;
  for (const auto& n : order) in_graph.insert(n.get());
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const Node* node = it->get();
    int depth = node_depth[node];
    depth = std::max(depth, layer_depth[node->layer.get()]);
    layer_depth[node->layer.get()] = depth;
    node_depth[node] = depth;
    for (const auto& parent : node->inputs) {
      const Node* p = parent->history().node.get();
      if (!p || !in_graph.count(p)) continue;
      node_depth[p] = std::max(depth + 1, node_depth[p]);
    }
  }
  for (const auto& kt : flat_inputs_) {
    const auto& node = kt->history().node;
    if (node && node->is_input() && !layer_depth.count(node->layer.get())) {
      layer_depth[node->layer.get()] = 0;
      first_seen[node->layer.get()] = -1;
      if (std::find(seen_layers.begin(), seen_layers.end(), node->layer) ==
          seen_layers.end()) {
        seen_layers.push_back(node->layer);
      }
    }
  }
  // Every input of every node must be computable from the model's inputs.
  std::set<const KerasTensor*> computable = input_ids;
  std::vector<const Node*> by_depth;
  for (const auto& n : order) by_depth.push_back(n.get());
  std::stable_sort(by_depth.begin(), by_depth.end(),
                   [&](const Node* a, const Node* b) {
                     return node_depth[a] > node_depth[b];
                   });
  ValueList accessed;  // tf-keras' layers_with_complete_input
  for (const Node* node : by_depth) {
    for (const auto& x : node->inputs) {
      if (computable.count(x.get())) continue;
      if (tf_keras_) {
        // tf_keras/src/engine/functional.py _map_graph_network, 2.21.
        RaiseValueError(
            "Graph disconnected: cannot obtain value for tensor " + x->Str() +
            " at layer \"" + node->layer->name() +
            "\". The following previous layers were accessed without "
            "issue: " +
            ap::Repr(Value::List(accessed)));
      }
      RaiseValueError("Graph disconnected: cannot find parent for tensor " +
                      x->Repr() + " at operation '" + node->layer->Repr() +
                      "'.");
    }
    // tf-keras counts only the outputs of layer calls: an Input that is not
    // one of the model's inputs stays unreachable.
    if (tf_keras_ && node->is_input()) continue;
    for (const KerasTensor* out : node->outputs) computable.insert(out);
    if (!node->is_input()) accessed.push_back(Value::Str(node->layer->name()));
  }
  // Operations by decreasing depth, then by first discovery; the layers
  // are those that are not keras.ops operations.
  operations_ = seen_layers;
  std::stable_sort(
      operations_.begin(), operations_.end(),
      [&](const std::shared_ptr<Layer>& a, const std::shared_ptr<Layer>& b) {
        const int da = layer_depth[a.get()], db = layer_depth[b.get()];
        if (da != db) return da > db;
        return first_seen[a.get()] < first_seen[b.get()];
      });
  for (const auto& op : operations_) {
    if (!op->IsOperation()) layers_.push_back(op);
  }
  nodes_ = order;
  // print_summary's sequential_like: one node per depth, each of one input
  // tensor, and no layer called twice in the graph.
  std::map<int, int> nodes_at_depth;
  for (const auto& [node, depth] : node_depth) ++nodes_at_depth[depth];
  for (const auto& [node, depth] : node_depth) {
    if (nodes_at_depth[depth] > 1 || node->inputs.size() > 1) {
      sequential_like_ = false;
    }
  }
  std::map<const Layer*, int> calls_in_graph;
  for (const auto& n : order) {
    if (++calls_in_graph[n->layer.get()] > 1) sequential_like_ = false;
  }
}

bool FunctionalModel::IsNodeInGraph(const Node* node) const {
  for (const auto& n : nodes_) {
    if (n.get() == node) return true;
  }
  return false;
}

std::vector<Param> FunctionalModel::CallParams(Profile) const {
  return ParseParams("inputs,training=None,mask=None");
}

Value FunctionalModel::Run(RunContext& ctx, const Value& inputs) {
  // _run_through_graph: the given inputs stand for the model's inputs, in
  // order (a single tensor for a single input).
  ValueList given;
  if (flat_inputs_.size() == 1 && inputs.kind() != Value::Kind::kList &&
      inputs.kind() != Value::Kind::kTuple) {
    given = {inputs};
  } else if (inputs.kind() == Value::Kind::kList ||
             inputs.kind() == Value::Kind::kTuple) {
    given = inputs.items();
  } else {
    given = {inputs};
  }
  if (given.size() != flat_inputs_.size()) {
    RaiseNotModelled("calling a functional model with " +
                     std::to_string(given.size()) + " inputs where it has " +
                     std::to_string(flat_inputs_.size()));
  }
  std::map<const KerasTensor*, Value> computed;
  for (size_t i = 0; i < given.size(); ++i) {
    computed[flat_inputs_[i].get()] =
        AdjustInputRank(ctx, given[i], i,
                        inputs.kind() == Value::Kind::kList ||
                            inputs.kind() == Value::Kind::kTuple);
  }
  for (const auto& node : nodes_) {
    if (node->is_input()) continue;
    bool done = !node->outputs.empty(), ready = true;
    for (const KerasTensor* out : node->outputs) {
      done = done && computed.count(out);
    }
    if (done) continue;  // its outputs are model inputs
    for (const auto& x : node->inputs) ready = ready && computed.count(x.get());
    if (!ready) continue;  // not computable from these inputs
    CallArgs args = node->args;
    for (Value& v : args.positional) v = Substitute(v, computed);
    for (auto& kw : args.keywords) kw.second = Substitute(kw.second, computed);
    const Value result = node->layer->Call(ctx, args);
    ValueList leaves;
    FlattenOutputs(result, &leaves);
    for (size_t i = 0; i < node->outputs.size() && i < leaves.size(); ++i) {
      computed[node->outputs[i]] = leaves[i];
    }
  }
  return Substitute(outputs_, computed);
}

Value FunctionalModel::AdjustInputRank(RunContext& ctx, const Value& x,
                                       size_t i, bool nested) const {
  // _adjust_input_rank (keras/src/models/functional.py, Keras 3.15): one
  // trailing axis of size 1 may be added or dropped; other rank changes
  // are errors.
  (void)ctx;
  const std::optional<PartialShape> shape = ShapeOfTensorLike(x);
  if (!shape || !x.is_tensor()) return x;
  const PartialShape& ref = flat_inputs_[i]->shape();
  const size_t rank = shape->size(), ref_rank = ref.size();
  if (rank == ref_rank) return x;
  if (rank == ref_rank + 1 && shape->back().Is(1)) {
    return Value::FromTensor(ops::Squeeze(x.as_tensor(), {-1}));
  }
  if (rank + 1 == ref_rank && ref.back().Is(1)) {
    return Value::FromTensor(ops::ExpandDims(x.as_tensor(), -1));
  }
  // tf-keras' _conform_to_reference_input leaves other ranks to the layers.
  if (tf_keras_) return x;
  RaiseValueError("Invalid input shape for input " + ap::Str(x) +
                  " with name '" + flat_inputs_[i]->name() + "' and path '" +
                  (nested ? std::to_string(i) : std::string()) +
                  "'. Expected shape " + PartialShapeToPyString(ref) +
                  ", but input has incompatible shape " +
                  PartialShapeToPyString(*shape));
}

Value FunctionalModel::CallBody(RunContext& ctx, LayerCall& call) {
  return Run(ctx, call[0]);
}

Value FunctionalModel::ComputeOutputSpec(RunContext& ctx,
                                         const LayerCall& call) {
  return Run(ctx, call[0]);
}

std::vector<std::pair<std::string, Tensor>> WeightsOfLayers(
    const std::vector<std::shared_ptr<Layer>>& layers) {
  std::vector<std::pair<std::string, Tensor>> out;
  for (const auto& layer : layers) {
    for (auto& w : layer->Weights()) out.push_back(std::move(w));
  }
  return out;
}

std::vector<Value> WeightValuesOfLayers(
    const std::vector<std::shared_ptr<Layer>>& layers) {
  std::vector<Value> out;
  for (const auto& layer : layers) {
    for (Value& w : layer->WeightValues()) {
      bool seen = false;
      for (const Value& o : out) {
        seen = seen || o.as_tensor().storage_id() == w.as_tensor().storage_id();
      }
      if (!seen) out.push_back(std::move(w));
    }
  }
  return out;
}

std::vector<Tensor> WeightsOfLayersWhere(
    const std::vector<std::shared_ptr<Layer>>& layers, bool model_trainable,
    bool trainable) {
  // A model that is not trainable makes every weight non-trainable.
  std::vector<Tensor> out;
  if (!model_trainable && trainable) return out;
  for (const auto& layer : layers) {
    for (Tensor& t : layer->WeightsWhere(model_trainable ? trainable : true)) {
      out.push_back(std::move(t));
    }
    if (!model_trainable) {
      for (Tensor& t : layer->WeightsWhere(false)) out.push_back(std::move(t));
    }
  }
  return out;
}

std::vector<std::pair<std::string, Tensor>> FunctionalModel::Weights() const {
  return WeightsOfLayers(layers_);
}

std::vector<Value> FunctionalModel::WeightValues() const {
  return WeightValuesOfLayers(layers_);
}

std::vector<Tensor> FunctionalModel::WeightsWhere(bool trainable) const {
  return WeightsOfLayersWhere(layers_, trainable_, trainable);
}

int64_t FunctionalModel::CountParams() const {
  int64_t n = 0;
  for (const auto& [name, w] : Weights()) n += w.num_elements();
  return n;
}

namespace {

// tf-keras' print_summary (tf_keras/src/utils/layer_utils.py, 2.21).
std::string TfKerasModelSummary(
    const Layer& model, const FunctionalModel* graph,
    const std::vector<std::shared_ptr<Layer>>& layers) {
  TfKerasSummaryTable table;
  table.title = model.name();
  table.with_connections = graph && !graph->sequential_like();
  for (const auto& layer : layers) {
    TfKerasSummaryRow row;
    row.name = layer->name();
    row.class_name = layer->class_name();
    // layer.output_shape looks at every node of the layer.
    std::vector<std::vector<PartialShape>> node_outputs;
    bool as_list = std::dynamic_pointer_cast<InputLayer>(layer) != nullptr;
    for (const auto& weak : layer->inbound_nodes()) {
      const std::shared_ptr<Node> node = weak.lock();
      if (!node) continue;
      as_list = as_list || node->output_shapes.size() > 1;
      node_outputs.push_back(node->output_shapes);
    }
    row.output_shape = TfKerasOutputShapeCell(node_outputs, as_list);
    for (const auto& [name, w] : layer->Weights()) {
      row.params += w.num_elements();
    }
    if (table.with_connections) {
      for (const auto& weak : layer->inbound_nodes()) {
        const std::shared_ptr<Node> node = weak.lock();
        if (!node || !graph->IsNodeInGraph(node.get())) continue;
        for (const auto& kt : node->inputs) {
          const KerasHistory& h = kt->history();
          if (!h.node) continue;
          row.connected_to.push_back(TfKerasConnection(
              h.node->layer->name(), h.node->index_in_layer, h.tensor_index));
        }
      }
    }
    table.rows.push_back(std::move(row));
  }
  for (const Tensor& t : model.WeightsWhere(true)) {
    table.trainable_params += t.num_elements();
  }
  for (const Tensor& t : model.WeightsWhere(false)) {
    table.non_trainable_params += t.num_elements();
  }
  return RenderSummaryTfKeras(table);
}

// print_summary's table for `layers` of model `title`; `graph` (may be null)
// decides the layout and which nodes count as connections.
std::string ModelSummary(const Layer& model, const FunctionalModel* graph,
                         const std::vector<std::shared_ptr<Layer>>& layers,
                         bool tf_keras) {
  if (tf_keras) return TfKerasModelSummary(model, graph, layers);
  SummaryTable table;
  table.title = model.name();
  table.with_connections = graph && !graph->sequential_like();
  int64_t params_total = 0;
  for (const auto& layer : layers) {
    std::vector<std::string> row;
    row.push_back(layer->name() + " (" + layer->class_name() + ")");
    const auto& nodes = layer->inbound_nodes();
    const std::shared_ptr<Node> last =
        nodes.empty() ? nullptr : nodes.back().lock();
    row.push_back(last ? FormatShapeCell(*last) : "?");
    int64_t params = 0;
    for (const auto& [name, w] : layer->Weights()) params += w.num_elements();
    params_total += params;
    row.push_back(layer->built() ? WithThousandsSeparators(params)
                                 : "0 (unbuilt)");
    if (table.with_connections) {
      std::string connections;
      for (const auto& weak : nodes) {
        const std::shared_ptr<Node> node = weak.lock();
        if (!node || !graph->IsNodeInGraph(node.get())) continue;
        for (const auto& kt : node->inputs) {
          const KerasHistory& h = kt->history();
          if (!h.node) continue;
          if (!connections.empty()) connections += ", ";
          connections += h.node->layer->name() + "[" +
                         std::to_string(h.node->index_in_layer) + "][" +
                         std::to_string(h.tensor_index) + "]";
        }
      }
      row.push_back(connections.empty() ? "-" : connections);
    }
    table.rows.push_back(std::move(row));
  }
  (void)params_total;
  for (const Tensor& t : model.WeightsWhere(true)) {
    table.trainable_params += t.num_elements();
  }
  for (const Tensor& t : model.WeightsWhere(false)) {
    table.non_trainable_params += t.num_elements();
  }
  return RenderSummary(table);
}

}  // namespace

std::string SubclassedModelSummary(
    const Layer& model, const std::vector<std::shared_ptr<Layer>>& layers,
    bool tf_keras, bool (*knows_output_shape)(const Layer& layer)) {
  auto last_node = [](const Layer& layer) -> std::shared_ptr<Node> {
    const auto& nodes = layer.inbound_nodes();
    return nodes.empty() ? nullptr : nodes.back().lock();
  };
  auto params_of = [](const Layer& layer) {
    int64_t n = 0;
    for (const auto& [name, w] : layer.Weights()) n += w.num_elements();
    return n;
  };
  int64_t trainable = 0, non_trainable = 0;
  for (const Tensor& t : model.WeightsWhere(true)) {
    trainable += t.num_elements();
  }
  for (const Tensor& t : model.WeightsWhere(false)) {
    non_trainable += t.num_elements();
  }
  if (tf_keras) {
    // Model.summary (tf_keras/src/engine/training.py, 2.21).
    if (!model.built()) {
      RaiseValueError(
          "This model has not yet been built. Build the model first by "
          "calling `build()` or by calling the model on a batch of data.");
    }
    TfKerasSummaryTable table;
    table.title = model.name();
    for (const auto& layer : layers) {
      TfKerasSummaryRow row;
      row.name = layer->name();
      row.class_name = layer->class_name();
      std::vector<std::vector<PartialShape>> node_outputs;
      bool as_list = false;
      for (const auto& weak : layer->inbound_nodes()) {
        const std::shared_ptr<Node> node = weak.lock();
        if (!node) continue;
        as_list = as_list || node->output_shapes.size() > 1;
        node_outputs.push_back(node->output_shapes);
      }
      row.output_shape = TfKerasOutputShapeCell(node_outputs, as_list);
      row.params = params_of(*layer);
      row.unused = !layer->built();
      table.rows.push_back(std::move(row));
    }
    table.trainable_params = trainable;
    table.non_trainable_params = non_trainable;
    return RenderSummaryTfKeras(table);
  }
  // print_summary and format_layer_shape (keras/src/utils/summary_utils.py,
  // Keras 3.15).
  SummaryTable table;
  table.title = model.name();
  for (const auto& layer : layers) {
    std::string shape = "?";
    if (const std::shared_ptr<Node> node = last_node(*layer)) {
      shape = FormatShapeCell(*node);
    } else if (!layer->build_output_shapes().empty() &&
               knows_output_shape(*layer)) {
      if (layer->built_on_stand_ins()) {
        RaiseNotModelled(
            "model.summary() of a subclassed model whose layers were built "
            "on keras.Input tensors (their shapes hold the stand-ins' "
            "sizes)");
      }
      shape = Keras3ShapeCell(layer->build_output_shapes());
    }
    table.rows.push_back(
        {layer->name() + " (" + layer->class_name() + ")", shape,
         layer->built() ? WithThousandsSeparators(params_of(*layer))
                        : std::string("0 (unbuilt)")});
  }
  table.trainable_params = trainable;
  table.non_trainable_params = non_trainable;
  return RenderSummary(table);
}

std::string FunctionalModel::Repr() const {
  if (!tf_keras_) return Layer::Repr();
  return "<tf_keras.src.engine.functional.Functional object at " +
         py::AddressText(address_) + ">";
}

std::string FunctionalModel::Summary() const {
  return ModelSummary(*this, this, tf_keras_ ? layers_ : operations_,
                      tf_keras_);
}

std::optional<Value> FunctionalModel::ModelAttr(
    std::string_view attr, const std::shared_ptr<Layer>& owner,
    const std::shared_ptr<FunctionalModel>& graph,
    const std::vector<std::shared_ptr<Layer>>& layers) {
  auto list_of = [](const std::vector<std::shared_ptr<KerasTensor>>& v) {
    ValueList items;
    for (const auto& kt : v) items.push_back(Value::FromObject(kt));
    return Value::List(std::move(items));
  };
  auto single_or_list =
      [&](const std::vector<std::shared_ptr<KerasTensor>>& v) {
        return v.size() == 1 ? Value::FromObject(v[0]) : list_of(v);
      };
  auto shapes = [&](const std::vector<std::shared_ptr<KerasTensor>>& v) {
    if (v.size() == 1) return ShapeTuple(v[0]->shape());
    ValueList items;
    for (const auto& kt : v) items.push_back(ShapeTuple(kt->shape()));
    return Value::List(std::move(items));
  };
  const std::string qualname = owner->class_name() + ".";
  if (graph) {
    if (attr == "inputs") return list_of(graph->flat_inputs());
    if (attr == "outputs") return list_of(graph->flat_outputs());
    // Functional overrides Operation's node-based input / output with the
    // constructor's tensors (keras/src/models/functional.py, Keras 3.15);
    // Keras 3's Sequential keeps Operation's.
    if (owner->class_name() != "Sequential") {
      if (attr == "input") return single_or_list(graph->flat_inputs());
      if (attr == "output") return single_or_list(graph->flat_outputs());
    }
    // The output layers' names (Functional.output_names); tf-keras' models
    // also have input_names.
    const bool outputs = attr == "output_names";
    if ((outputs || (attr == "input_names" && graph->tf_keras())) &&
        owner->class_name() != "Sequential") {
      const ModelGraphView view = graph->GraphView(false);
      ValueList names;
      for (const std::string& n :
           outputs ? view.output_names : view.input_names) {
        names.push_back(Value::Str(n));
      }
      return Value::List(std::move(names));
    }
    if (attr == "input_shape") return shapes(graph->flat_inputs());
    if (attr == "output_shape") return shapes(graph->flat_outputs());
  }
  if (attr == "layers") {
    ValueList items;
    for (const auto& layer : layers) items.push_back(LayerValue(layer));
    return Value::List(std::move(items));
  }
  if (attr == "summary") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        owner, qualname + "summary",
        [owner, graph, layers](RunContext& ctx, const CallArgs& args) {
          if (!args.positional.empty() || !args.keywords.empty()) {
            RaiseNotModelled("model.summary() with arguments");
          }
          // A functional model lists its keras.ops operations too; a
          // Sequential its layers.
          const bool functional = graph && owner.get() == graph.get();
          const bool tf_keras = ctx.profile == Profile::kTfKeras;
          if (ctx.runtime) {
            ctx.runtime->Write(ModelSummary(
                *owner, graph.get(),
                functional && !tf_keras ? graph->operations() : layers,
                tf_keras));
          }
          return Value::None();
        }));
  }
  if (attr == "count_params") {
    return Value::FromObject(std::make_shared<NativeMethod>(
        owner, qualname + "count_params",
        [owner](RunContext& ctx, const CallArgs& args) {
          BindArguments("count_params", {}, args);
          if (!owner->built()) {
            RaiseCountParamsOfUnbuiltLayer(owner->name(),
                                           ctx.profile == Profile::kTfKeras);
          }
          int64_t n = 0;
          for (const auto& [name, w] : owner->Weights()) n += w.num_elements();
          return Value::Int(n);
        }));
  }
  return std::nullopt;
}

ModelGraphView FunctionalModel::GraphView(bool check_inputs) const {
  ModelGraphView view;
  for (const auto& node : nodes_) {
    if (!node->is_input()) view.called_layers.push_back(node->layer);
  }
  view.num_inputs = flat_inputs_.size();
  view.num_outputs = flat_outputs_.size();
  for (const auto& kt : flat_inputs_) view.input_shapes.push_back(kt->shape());
  for (const auto& kt : flat_inputs_) {
    view.input_names.push_back(
        kt->history().node ? kt->history().node->layer->name() : kt->name());
  }
  for (const auto& kt : flat_outputs_) {
    view.output_names.push_back(
        kt->history().node ? kt->history().node->layer->name() : kt->name());
  }
  if (flat_outputs_.size() == 1 && flat_outputs_[0]->history().node) {
    view.output_layer = flat_outputs_[0]->history().node->layer;
  }
  if (check_inputs) {
    auto self =
        std::static_pointer_cast<const FunctionalModel>(shared_from_this());
    view.check_inputs = [self](const Value& inputs) {
      self->CheckInputs(inputs, self->name());
    };
  }
  return view;
}

std::optional<Value> FunctionalModel::GetAttr(std::string_view attr) const {
  auto self = std::static_pointer_cast<FunctionalModel>(
      std::const_pointer_cast<Layer>(shared_from_this()));
  if (auto v = TrainingAttr(attr, self, &training_,
                            [self]() -> std::optional<ModelGraphView> {
                              return self->GraphView(true);
                            })) {
    return v;
  }
  if (auto v = ModelAttr(attr, self, self, layers_)) return v;
  return Layer::GetAttr(attr);
}

}  // namespace ap::keras
