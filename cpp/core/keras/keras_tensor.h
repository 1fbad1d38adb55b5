// Keras 3's KerasTensor: the symbolic placeholder `keras.Input` returns and
// a layer called on one gives back (keras/src/backend/common/keras_tensor.py,
// Keras 3.15). It has a shape whose dims may be unknown (None), a dtype and
// a name, no values; its history says which layer call (node) made it, so
// that keras.Model can replay the calls on real tensors.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../call_args.h"
#include "../dtype.h"
#include "../partial_shape.h"
#include "../profile.h"
#include "../run_context.h"
#include "../value.h"

namespace ap::keras {

class Layer;
class KerasTensor;

// One call of a layer on symbolic tensors (Keras' Node): the layer and the
// call's arguments as written, KerasTensors inside. keras.Model replays it.
struct Node {
  std::shared_ptr<Layer> layer;  // null for keras.Input's node
  CallArgs args;
  // The KerasTensors among the arguments, in Keras' order (tree.flatten of
  // (args, kwargs): positional first, keywords sorted by name).
  std::vector<std::shared_ptr<KerasTensor>> inputs;
  // Identities of the outputs, in flattened order (never dereferenced: the
  // outputs own the node, not the other way round).
  std::vector<const KerasTensor*> outputs;
  // The same, to hand out (layer.output) while the program keeps them.
  std::vector<std::weak_ptr<KerasTensor>> output_refs;
  // Their shapes, which outlive them (a summary of a layer whose first
  // output the program dropped, ops.split(x, 2)[1]).
  std::vector<PartialShape> output_shapes;
  int index_in_layer = 0;  // which of the layer's calls (node_index)
  bool is_input() const { return layer == nullptr || inputs.empty(); }
};

// _keras_history: (operation, node_index, tensor_index).
struct KerasHistory {
  std::shared_ptr<Node> node;
  int tensor_index = 0;
};

class KerasTensor : public Object {
 public:
  KerasTensor(PartialShape shape, DType dtype, std::string name)
      : shape_(std::move(shape)), dtype_(dtype), name_(std::move(name)) {}

  std::string TypeName() const override { return "KerasTensor"; }
  // "<KerasTensor shape=(None, 32), dtype=float32, sparse=False,
  // ragged=False, name=keras_tensor>"
  std::string Repr() const override;
  // shape (a tuple with None), dtype (a string), name, ndim, _keras_mask.
  std::optional<Value> GetAttr(std::string_view name) const override;

  const PartialShape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  DType dtype() const { return dtype_; }
  void set_dtype(DType dtype) { dtype_ = dtype; }
  const std::string& name() const { return name_; }
  const KerasHistory& history() const { return history_; }
  void set_history(KerasHistory history) { history_ = std::move(history); }
  // The Keras mask a layer attached (`_keras_mask`), itself symbolic.
  const std::shared_ptr<KerasTensor>& mask() const { return mask_; }
  void set_mask(std::shared_ptr<KerasTensor> mask) { mask_ = std::move(mask); }

  // tf-keras 2's KerasTensor instead (tf_keras/src/engine/keras_tensor.py,
  // 2.21): made by layer `layer`, named after the graph node that computed
  // it ("dense/BiasAdd:0"; an Input's is its name). `node` is empty when
  // the playground does not know the node's name.
  void SetTfKeras(std::string layer, std::string node, bool is_input) {
    tf_keras_ = true;
    tf_keras_layer_ = std::move(layer);
    name_ = std::move(node);
    tf_keras_input_ = is_input;
  }
  bool tf_keras() const { return tf_keras_; }
  const std::string& tf_keras_layer() const { return tf_keras_layer_; }
  // str(): tf-keras prints the type spec, the node name and the layer.
  std::string Str() const override;

 private:
  PartialShape shape_;
  DType dtype_;
  std::string name_;
  KerasHistory history_;
  std::shared_ptr<KerasTensor> mask_;
  bool tf_keras_ = false;
  bool tf_keras_input_ = false;
  std::string tf_keras_layer_;
};

// A fresh KerasTensor named as Keras names them ("keras_tensor",
// "keras_tensor_1", ...: the run's unique-name counters).
std::shared_ptr<KerasTensor> NewKerasTensor(RunContext& ctx, PartialShape shape,
                                            DType dtype);

// The KerasTensor `v` holds, or null.
std::shared_ptr<KerasTensor> AsKerasTensor(const Value& v);
// Whether `v` or anything inside its lists, tuples and dicts is one
// (Keras' any_symbolic_tensors).
bool ContainsKerasTensor(const Value& v);
bool ContainsKerasTensor(const CallArgs& args);
// The KerasTensors of a call's arguments in Keras' flatten order.
std::vector<std::shared_ptr<KerasTensor>> KerasTensorsOf(const CallArgs& args);
// Each KerasTensor leaf of `v`, in order.
void CollectKerasTensors(const Value& v,
                         std::vector<std::shared_ptr<KerasTensor>>* out);

// The shape of a tensor or KerasTensor argument; nullopt for anything else.
std::optional<PartialShape> ShapeOfTensorLike(const Value& v);
std::optional<DType> DTypeOfTensorLike(const Value& v);

// Keras 3's shape tuple: (None, 32) with None for unknown dims.
Value ShapeTuple(const PartialShape& shape);
// tf-keras' TensorShape([None, 32]).
Value TensorShapeValue(const PartialShape& shape);
// The reverse for a shape a program gives (input_shape=, a build or
// compute_output_shape result): a list or tuple of ints >= 0 and Nones;
// nullopt for anything else.
std::optional<PartialShape> ShapeFromValue(const Value& v);

}  // namespace ap::keras
