// layers.Bidirectional(layer, merge_mode='concat') around a SimpleRNN, LSTM
// or GRU (keras/src/layers/rnn/bidirectional.py, Keras 3.15;
// tf_keras/src/layers/rnn/bidirectional.py, 2.21): a forward
// copy and a go_backwards copy of the layer ("forward_lstm",
// "backward_lstm") run on the same sequences; the backward sequence output
// is flipped back in time, then the two are merged (concat, sum, mul, ave,
// or None for both); with return_state the states of both follow.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "recurrent.h"

namespace ap::keras {

class BidirectionalLayer : public Layer {
 public:
  BidirectionalLayer(RunContext& ctx, const CallArgs& args);

  // The forward layer's weights, then the backward layer's.
  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  Value ComputeMask(RunContext& ctx, const Value& inputs,
                    const Value& previous_mask) const override;
  // The merge's op, or the directions' outputs in their name scopes.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  // The merged output's last dimension.
  int64_t MergedUnits() const;

  std::shared_ptr<RecurrentLayer> forward_, backward_;
  std::optional<std::string> merge_mode_;  // nullopt: None
};

}  // namespace ap::keras
