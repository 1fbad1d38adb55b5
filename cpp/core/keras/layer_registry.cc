#include "layer_registry.h"

#include "attention.h"
#include "bidirectional.h"
#include "convolution.h"
#include "core_layers.h"
#include "dense.h"
#include "dot.h"
#include "embedding.h"
#include "lambda_layer.h"
#include "loss_functions.h"
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
constexpr char kSubtract[] = "Subtract";
constexpr char kMultiply[] = "Multiply";
constexpr char kAverage[] = "Average";
constexpr char kMaximum[] = "Maximum";
constexpr char kMinimum[] = "Minimum";

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
      {"Average", Make<MergeLayer, kAverage>},
      {"AveragePooling1D", Make<Pooling1DLayer, false>},
      {"BatchNormalization", Make<BatchNormalizationLayer>},
      {"Bidirectional", Make<BidirectionalLayer>},
      {"Concatenate", Make<MergeLayer, kConcatenate>},
      {"Conv1D", Make<Conv1DLayer>},
      {"Dense", Make<DenseLayer>},
      {"Dot", Make<DotLayer>},
      {"Dropout", Make<DropoutLayer>},
      {"Embedding", Make<EmbeddingLayer>},
      {"Flatten", Make<FlattenLayer>},
      {"GRU", Make<RecurrentLayer, RecurrentKind::kGRU>},
      {"GlobalAveragePooling1D", Make<GlobalPooling1DLayer, false>},
      {"GlobalMaxPooling1D", Make<GlobalPooling1DLayer, true>},
      {"LSTM", Make<RecurrentLayer, RecurrentKind::kLSTM>},
      {"Lambda", Make<LambdaLayer>},
      {"LayerNormalization", Make<LayerNormalizationLayer>},
      {"Masking", Make<MaskingLayer>},
      {"MaxPooling1D", Make<Pooling1DLayer, true>},
      {"Maximum", Make<MergeLayer, kMaximum>},
      {"Minimum", Make<MergeLayer, kMinimum>},
      {"MultiHeadAttention", Make<MultiHeadAttentionLayer>},
      {"Multiply", Make<MergeLayer, kMultiply>},
      {"Permute", Make<PermuteLayer>},
      {"RepeatVector", Make<RepeatVectorLayer>},
      {"Reshape", Make<ReshapeLayer>},
      {"SimpleRNN", Make<RecurrentLayer, RecurrentKind::kSimpleRNN>},
      {"Softmax", Make<SoftmaxLayer>},
      {"Subtract", Make<MergeLayer, kSubtract>},
      {"TimeDistributed", Make<TimeDistributedLayer>},
  };
  return table;
}

const std::vector<ClassEntry>& LossClasses() {
  static const std::vector<ClassEntry> table = {
      {"BinaryCrossentropy", Make<LossObject, LossKind::kBinary>},
      {"CategoricalCrossentropy", Make<LossObject, LossKind::kCategorical>},
      {"MeanAbsoluteError", Make<LossObject, LossKind::kMae>},
      {"MeanSquaredError", Make<MeanSquaredErrorLoss>},
      {"SparseCategoricalCrossentropy",
       Make<LossObject, LossKind::kSparseCategorical>},
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
