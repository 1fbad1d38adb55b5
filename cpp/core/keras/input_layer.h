// keras.Input / keras.layers.Input and the InputLayer it creates
// (keras/src/layers/core/input_layer.py, Keras 3.15): a KerasTensor of
// shape (batch_size, *shape) whose history is the InputLayer's node.
#pragma once

#include <memory>

#include "layer.h"

namespace ap::keras {

class InputLayer : public Layer {
 public:
  InputLayer(RunContext& ctx, std::string name, PartialShape batch_shape,
             DType dtype);
  std::optional<Value> GetAttr(std::string_view name) const override;
  const PartialShape& batch_shape() const { return batch_shape_; }
  DType dtype() const { return dtype_; }
  // The KerasTensor it made (its node's output), while someone holds it.
  std::shared_ptr<KerasTensor> output() const { return output_.lock(); }
  // Creates the node and the output; `tensor_name` as Input(name=...). The
  // caller keeps the output alive: the layer holds it weakly, since the
  // output's history holds the layer (a cycle otherwise, never freed).
  std::shared_ptr<KerasTensor> MakeOutput(RunContext& ctx,
                                          const std::string& tensor_name);

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;

 private:
  PartialShape batch_shape_;
  DType dtype_;
  std::weak_ptr<KerasTensor> output_;
};

// keras.Input(shape=None, batch_size=None, dtype=None, sparse=None,
// ragged=None, batch_shape=None, name=None, tensor=None, optional=False).
Value MakeInput(RunContext& ctx, const CallArgs& args);
// tf-keras' Input(shape=None, batch_size=None, name=None, dtype=None,
// sparse=None, tensor=None, ragged=None, type_spec=None, optional=False,
// **kwargs) (tf_keras/src/engine/input_layer.py, 2.21).
Value MakeTfKerasInput(RunContext& ctx, const CallArgs& args);

}  // namespace ap::keras
