#include "layer_registry.h"

#include "attention.h"
#include "dense.h"
#include "losses.h"
#include "merge.h"
#include "multi_head_attention.h"
#include "reshaping.h"
#include "simple_layers.h"

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
      {"Add", Make<MergeLayer, kAdd>},
      {"AdditiveAttention", Make<AttentionLayer, true>},
      {"Attention", Make<AttentionLayer, false>},
      {"Concatenate", Make<MergeLayer, kConcatenate>},
      {"Dense", Make<DenseLayer>},
      {"Dropout", Make<DropoutLayer>},
      {"LayerNormalization", Make<LayerNormalizationLayer>},
      {"MultiHeadAttention", Make<MultiHeadAttentionLayer>},
      {"Permute", Make<PermuteLayer>},
      {"RepeatVector", Make<RepeatVectorLayer>},
      {"Softmax", Make<SoftmaxLayer>},
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
