// layers.SimpleRNN, layers.LSTM and layers.GRU (Keras 3.15:
// keras/src/layers/rnn/{simple_rnn,lstm,gru,rnn}.py; tf-keras 2.21:
// tf_keras/src/layers/rnn/): a cell stepped over the time axis of a
// (batch, time, features) input, with Keras' weights (the cell's kernel
// (features, k*units), recurrent_kernel (units, k*units) and bias), its
// return_sequences / return_state outputs, initial_state, go_backwards and
// masks (a masked step keeps the previous state and repeats the previous
// output, zeros before the first). The recurrence runs as ops on float32,
// one step at a time, so every op charges the compute budget.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "layer.h"

namespace ap::keras {

enum class RecurrentKind { kSimpleRNN, kLSTM, kGRU };

class RecurrentLayer : public Layer {
 public:
  RecurrentLayer(RunContext& ctx, const CallArgs& args, RecurrentKind kind);

  std::vector<std::pair<std::string, Tensor>> Weights() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  // (batch, units) or (batch, time, units); the states are in
  // ComputeOutputSpec.
  std::optional<PartialShape> ComputeOutputShape(
      const PartialShape& input) const override;

  // Gates per unit: 1 (SimpleRNN), 4 (LSTM), 3 (GRU).
  int gates() const;
  // How many state tensors the cell carries: 2 for LSTM (h, c), else 1.
  int state_count() const { return kind_ == RecurrentKind::kLSTM ? 2 : 1; }
  int64_t units() const { return units_; }
  bool return_sequences() const { return return_sequences_; }
  bool return_state() const { return return_state_; }
  bool go_backwards() const { return go_backwards_; }

  // The copy Bidirectional makes from this layer's config: named `name`,
  // unbuilt, go_backwards set for the backward copy, and masked steps
  // giving zeros when it returns sequences (force_zero_output_for_mask).
  std::shared_ptr<RecurrentLayer> CopyForBidirectional(std::string name,
                                                       bool backward) const;
  // build(sequences_shape) outside a call (Bidirectional.build), once.
  void BuildForShape(RunContext& ctx, const PartialShape& shape);
  // The op tf-keras' graph gives output `index` of a call ([output,
  // *states]) in this layer's name scope, and that op's output index
  // ("PartitionedCall", 1); an empty op where not probed.
  std::pair<std::string, int> TfKerasOutput(size_t index, bool masked,
                                            bool initial_state) const;

 protected:
  std::vector<Param> CallParams(Profile profile) const override;
  void CheckCall(RunContext& ctx, LayerCall& call) override;
  void Build(RunContext& ctx, const LayerCall& call) override;
  Value CallBody(RunContext& ctx, LayerCall& call) override;
  Value ComputeOutputSpec(RunContext& ctx, const LayerCall& call) override;
  // The input mask with return_sequences, else None; one None per state
  // with return_state (RNN.compute_mask).
  Value ComputeMask(RunContext& ctx, const Value& inputs,
                    const Value& previous_mask) const override;
  // TfKerasOutput in the layer's name scope.
  std::string TfKerasNodeName(const LayerCall& call,
                              size_t index) const override;

 private:
  // One step of the cell: the new states (the output is states[0]).
  std::vector<Tensor> Step(const Tensor& x_t,
                           const std::vector<Tensor>& states) const;
  // The given initial_state as a list, or zeros (batch, units) per state.
  std::vector<Tensor> InitialStates(const LayerCall& call, int64_t batch) const;
  std::string CellClassName() const;
  std::string CellName() const;

  RecurrentKind kind_;
  int64_t units_ = 0;
  std::string activation_ = "tanh";  // "" is linear
  std::string recurrent_activation_ = "sigmoid";
  bool use_bias_ = true;
  bool unit_forget_bias_ = true;  // LSTM
  bool reset_after_ = true;       // GRU
  bool return_sequences_ = false;
  bool return_state_ = false;
  bool go_backwards_ = false;
  bool zero_output_for_mask_ = false;
  std::string kernel_initializer_ = "glorot_uniform";
  std::string recurrent_initializer_ = "orthogonal";
  std::string bias_initializer_ = "zeros";
  Tensor kernel_, recurrent_kernel_, bias_;
};

}  // namespace ap::keras
