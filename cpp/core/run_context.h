// Per-run state shared by the API surface and the Keras layers: the profile,
// the random stream, Keras' layer-name counters and the trace sink.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.h"
#include "profile.h"
#include "random.h"
#include "tensor.h"
#include "tensor_digest.h"

namespace ap {

namespace py {
class Runtime;
class Framework;
}  // namespace py

// One tensor worth showing in the trace: a named intermediate or output.
struct TracedTensor {
  TracedTensor() = default;
  // What layers and ops emit: {"weights", "batch,Tq,Tv", weights}.
  TracedTensor(std::string label_, std::string axes_, Tensor tensor_)
      : label(std::move(label_)),
        axes(std::move(axes_)),
        tensor(std::move(tensor_)) {}

  std::string label;  // "scores", "weights", "score_mask", "output"
  std::string axes;   // named axes, e.g. "batch,Tq,Tv"
  Tensor tensor;      // invalid once `released` is set
  // Set when the trace gave the storage back under memory pressure.
  std::shared_ptr<const ReleasedTensor> released;
};

// Which tensor Keras used in which role ("query", "value", "key", "mask").
struct RoleBinding {
  std::string role;      // "query", "value", "key", "query_mask", ...
  std::string arg_path;  // where it came from in the call: "inputs[1]"
  std::string source;    // program text of that argument, if known
  std::string axes;      // "batch,Tv,dim"
  Shape shape;
  DType dtype = DType::kFloat32;
  // The role the argument's source name suggests ("key" for `key_tensor`)
  // when it differs from `role`, else empty; `role_note` is the sentence
  // in the event's notes that says so.
  std::string suggested_role;
  std::string role_note;
};

// One stage of an attention layer's computation, in Keras' order
// (keras/src/layers/attention/attention.py and multi_head_attention.py,
// Keras 3.15), and how far the call got: "validate" (Keras' checks of the
// call's arguments), "projection" (MultiHeadAttention's query and key),
// "value_projection", "scores", "mask", "softmax", "output" (weights times
// value), "query_mask" or "output_projection".
struct CallStage {
  enum class Status { kNotReached, kDone, kFailed, kSkipped };
  std::string stage;
  Status status = Status::kNotReached;
  std::string axes;  // named axes of its result
  Shape shape;       // its result's shape, when `has_shape`
  bool has_shape = false;
  // What the mask stage combines: "value_mask", "causal", "query_mask",
  // "key_mask", "attention_mask".
  std::vector<std::string> sources;
};

// One layer or op call, as the trace shows it.
struct CallEvent {
  std::string kind;        // "layer" or "op"
  std::string callee;      // "Attention", "tf.matmul", "+"
  std::string layer_name;  // "attention_1" for layers
  std::vector<RoleBinding> inputs;
  std::vector<TracedTensor> intermediates;
  std::vector<TracedTensor> outputs;
  // Plain-language facts a learner should see, e.g. that inputs[1] named
  // key_tensor was used as the value.
  std::vector<std::string> notes;
  // Attention layers only: their stages, every one listed from the start.
  std::vector<CallStage> stages;
  bool failed = false;
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void OnCall(CallEvent event) = 0;
};

struct RunContext {
  // The Keras the program's keras calls imitate. Under the tf_keras profile
  // a program that imports `keras` gets Keras 3 (as `import keras` does beside
  // TF_USE_LEGACY_KERAS=1), and then `tf.keras` is the one it cannot reach.
  Profile profile = Profile::kKeras3;
  bool keras3_beside_tf_keras = false;
  Random rng{0};
  TraceSink* trace = nullptr;  // may be null
  // The running interpreter, as builtins and the framework surface see it
  // (python/runtime.h); null outside a program run.
  py::Runtime* runtime = nullptr;
  // The tensor framework the program's Python reaches (python/framework.h);
  // the run driver sets it.
  const py::Framework* framework = nullptr;
  // How many calls of a program-defined layer on keras.Input tensors are
  // running. Keras traces such a call() in a TensorFlow graph; the playground
  // runs it on concrete stand-ins for the unknown dims
  // (keras/program_layer.cc), with the program's stdout muted.
  int symbolic_program_calls = 0;
  // Where the program's prints go during such a call, when someone keeps
  // them (keras/stand_ins.h: printed once, with None for the stand-ins'
  // sizes); null drops them.
  std::string* stand_in_stdout = nullptr;
  // The target shapes of the reshapes a stand-in run makes, when someone
  // keeps them (keras/stand_ins.h, StandInReshapes); null otherwise.
  std::vector<std::vector<int64_t>>* stand_in_reshapes = nullptr;
  // The layers whose build() or call() is running, outermost first: Keras'
  // name scopes, which prefix the paths of the weights built inside them
  // ("transformer_block/dense/kernel").
  std::vector<std::string> layer_scopes;

  // Keras' unique layer names: "attention", "attention_1", ... per run.
  std::string UniqueLayerName(std::string_view base) {
    int& count = NameCounts()[std::string(base)];
    std::string name(base);
    if (count > 0) name += "_" + std::to_string(count);
    ++count;
    return name;
  }

  // tf-keras' backend.get_uid(prefix): 1, 2, ... per prefix ("input_1"),
  // from the same counters as the layer names.
  int NextUid(std::string_view prefix) {
    return ++NameCounts()[std::string(prefix)];
  }

  // tf-keras counts names per TensorFlow graph: a layer call on KerasTensors
  // builds and runs in a scratch graph of its own, so the layers created
  // there (MultiHeadAttention's Softmax and Dropout) take fresh names that
  // do not count outside it.
  void EnterScratchGraph() { scratch_graph_counts_.emplace_back(); }
  void LeaveScratchGraph() { scratch_graph_counts_.pop_back(); }

  void Emit(CallEvent event) {
    if (trace) trace->OnCall(std::move(event));
  }

 private:
  std::map<std::string, int>& NameCounts() {
    return scratch_graph_counts_.empty() ? layer_name_counts_
                                         : scratch_graph_counts_.back();
  }

  std::map<std::string, int> layer_name_counts_;
  std::vector<std::map<std::string, int>> scratch_graph_counts_;
};

}  // namespace ap
