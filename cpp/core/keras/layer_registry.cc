#include "layer_registry.h"

#include "attention.h"
#include "bidirectional.h"
#include "convolution.h"
#include "core_layers.h"
#include "dense.h"
#include "embedding.h"
#include "losses.h"
#include "merge.h"
#include "multi_head_attention.h"
#include "pooling.h"
#include "recurrent.h"
#include "reshaping.h"
#include "simple_layers.h"
#include "time_distributed.h"

namespace ap::keras {

namespace {

// The factory of layer class T; `extra` are T's constructor arguments after
// (ctx, args): AttentionLayer's `additive`, MergeLayer's kind.
template <typename T, auto... extra>
std::shared_ptr<Callable> Make(RunContext& ctx, const CallArgs& args) {
  return std::make_shared<T>(ctx, args, extra...);
}

constexpr char kAdd[] = "Add";
constexpr char kConcatenate[] = "Concatenate";

std::shared_ptr<Callable> Find(const std::vector<ClassEntry>& table,
                               std::string_view name, RunContext& ctx,
                               const CallArgs& args) {
  for (const ClassEntry& entry : table) {
    if (name == entry.name) return entry.create(ctx, args);
  }
  return nullptr;
}

}  // namespace

const std::vector<ClassEntry>& LayerClasses() {
  static const std::vector<ClassEntry> table = {
      {"Activation", Make<ActivationLayer>},
      {"Add", Make<MergeLayer, kAdd>},
      {"AdditiveAttention", Make<AttentionLayer, true>},
      {"Attention", Make<AttentionLayer, false>},
      {"AveragePooling1D", Make<Pooling1DLayer, false>},
      {"BatchNormalization", Make<BatchNormalizationLayer>},
      {"Bidirectional", Make<BidirectionalLayer>},
      {"Concatenate", Make<MergeLayer, kConcatenate>},
      {"Conv1D", Make<Conv1DLayer>},
      {"Dense", Make<DenseLayer>},
      {"Dropout", Make<DropoutLayer>},
      {"Embedding", Make<EmbeddingLayer>},
      {"Flatten", Make<FlattenLayer>},
      {"GRU", Make<RecurrentLayer, RecurrentKind::kGRU>},
      {"GlobalAveragePooling1D", Make<GlobalPooling1DLayer, false>},
      {"GlobalMaxPooling1D", Make<GlobalPooling1DLayer, true>},
      {"LSTM", Make<RecurrentLayer, RecurrentKind::kLSTM>},
      {"LayerNormalization", Make<LayerNormalizationLayer>},
      {"MaxPooling1D", Make<Pooling1DLayer, true>},
      {"MultiHeadAttention", Make<MultiHeadAttentionLayer>},
      {"Permute", Make<PermuteLayer>},
      {"RepeatVector", Make<RepeatVectorLayer>},
      {"Reshape", Make<ReshapeLayer>},
      {"SimpleRNN", Make<RecurrentLayer, RecurrentKind::kSimpleRNN>},
      {"Softmax", Make<SoftmaxLayer>},
      {"TimeDistributed", Make<TimeDistributedLayer>},
  };
  return table;
}

const std::vector<ClassEntry>& LossClasses() {
  static const std::vector<ClassEntry> table = {
      {"MeanSquaredError", Make<MeanSquaredErrorLoss>},
  };
  return table;
}

std::shared_ptr<Callable> CreateLayer(std::string_view name, RunContext& ctx,
                                      const CallArgs& args) {
  return Find(LayerClasses(), name, ctx, args);
}

std::shared_ptr<Callable> CreateLoss(std::string_view name, RunContext& ctx,
                                     const CallArgs& args) {
  return Find(LossClasses(), name, ctx, args);
}

}  // namespace ap::keras
