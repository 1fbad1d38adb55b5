#include "layer_methods.h"

#include <string>
#include <vector>

#include "../numpy/layer_inputs.h"
#include "../numpy/ndarray.h"
#include "../python/runtime.h"
#include "../repr.h"
#include "keras_tensor.h"
#include "native_method.h"

namespace ap::keras {
namespace {

// A Functional or Sequential model (by class name: this module sits below
// the models' own).
bool IsModel(const Object& layer) {
  const std::string cls = layer.TypeName();
  return cls == "Functional" || cls == "Sequential";
}

Value Attr(const Object& layer, std::string_view name) {
  std::optional<Value> v = layer.GetAttr(name);
  if (!v) RaiseNotModelled("layer." + std::string(name) + " here");
  return *v;
}

// The weights' values, in layer.weights' order.
std::vector<Tensor> WeightTensors(const Object& layer) {
  std::vector<Tensor> out;
  const Value weights = Attr(layer, "weights");
  for (const Value& w : weights.items()) {
    if (w.is_tensor()) out.push_back(w.as_tensor());
  }
  return out;
}

// A shape as compute_output_shape returns it: a tuple in Keras 3, a
// TensorShape in tf-keras.
Value ShapeResult(const PartialShape& shape, bool tf_keras) {
  if (!tf_keras) return ShapeTuple(shape);
  ValueList dims;
  for (const Dim& d : shape) {
    dims.push_back(d.known() ? Value::Int(d.size()) : Value::None());
  }
  return Value::TensorShapeOf(std::move(dims));
}

PartialShape ShapeArgument(const Value& v) {
  const std::optional<PartialShape> shape = ShapeFromValue(v);
  if (!shape) {
    RaiseNotModelled("compute_output_shape of a value that is not a shape");
  }
  return *shape;
}

}  // namespace

Value FromConfigMethod(const Value& cls) {
  return Value::FromObject(std::make_shared<NativeMethod>(
      cls.as_object(), "from_config",
      [cls](RunContext& ctx, const CallArgs& args) -> Value {
        const BoundArgs bound =
            BindArguments("from_config", ParseParams("config"), args);
        const Value& config = bound[0];
        if (config.kind() != Value::Kind::kDict) {
          RaiseNotModelled("from_config of a config that is not a dict");
        }
        CallArgs kwargs;
        for (const auto& [k, v] : config.dict_items()) {
          if (k.kind() != Value::Kind::kStr) {
            RaiseNotModelled(
                "from_config of a config with keys that are not "
                "strings");
          }
          Value value = v;
          // A DTypePolicy's config: the policy of that name.
          if (k.as_str() == "dtype" && v.kind() == Value::Kind::kDict) {
            for (const auto& [pk, pv] : v.dict_items()) {
              if (pk.kind() != Value::Kind::kStr || pk.as_str() != "config" ||
                  pv.kind() != Value::Kind::kDict) {
                continue;
              }
              for (const auto& [ck, cv] : pv.dict_items()) {
                if (ck.kind() == Value::Kind::kStr && ck.as_str() == "name") {
                  value = cv;
                }
              }
            }
            if (value.kind() == Value::Kind::kDict) {
              RaiseNotModelled("from_config of this dtype policy");
            }
          }
          kwargs.keywords.emplace_back(k.as_str(), value);
        }
        try {
          return ctx.runtime->CallValue(cls, kwargs);
        } catch (const ErrorException& e) {
          const ErrorClass c = e.error().cls;
          if (c == ErrorClass::kNotSupportedError ||
              c == ErrorClass::kLimitError) {
            throw;
          }
          RaiseNotModelled(
              "from_config whose constructor raises (Keras rewraps the error "
              "as a TypeError that quotes the config)");
        }
      }));
}

// Layer.count_params (keras/src/layers/layer.py, Keras 3.15;
// tf_keras/src/engine/base_layer.py, tf-keras 2.21).
void RaiseCountParamsOfUnbuiltLayer(const std::string& name, bool tf_keras) {
  RaiseValueError(tf_keras
                      ? "You tried to call `count_params` on layer " + name +
                            ", but the layer isn't built. You can build it "
                            "manually via: `" +
                            name + ".build(batch_input_shape)`."
                      : "You tried to call `count_params` on layer '" + name +
                            "', but the layer isn't built. You can build it "
                            "manually via: `layer.build(input_shape)`.");
}

namespace {

Value CountParams(const Object& layer, bool tf_keras) {
  if (!Truthy(Attr(layer, "built"))) {
    RaiseCountParamsOfUnbuiltLayer(Attr(layer, "name").as_str(), tf_keras);
  }
  int64_t count = 0;
  for (const Tensor& w : WeightTensors(layer)) count += w.num_elements();
  return Value::Int(count);
}

// layer.get_weights(): the weights' values as numpy arrays.
Value GetWeights(const Object& layer) {
  ValueList arrays;
  for (const Tensor& w : WeightTensors(layer)) {
    arrays.push_back(np::MakeNdarray(w));
  }
  return Value::List(std::move(arrays));
}

Value ComputeOutputShapeOf(const LayerApiSubject& subject,
                           const CallArgs& args) {
  const bool tf_keras = subject.tf_keras;
  const std::string cls = subject.layer->TypeName();
  const BoundArgs bound =
      BindArguments("compute_output_shape", ParseParams("input_shape"), args);
  if (cls == "Attention" || cls == "AdditiveAttention") {
    // [query_shape, value_shape(, key_shape)]: Keras 3 gives the query's
    // steps with the value's features (attention.py), tf-keras the query's
    // shape (base_dense_attention.py).
    const Value& shapes = bound[0];
    if ((shapes.kind() != Value::Kind::kList &&
         shapes.kind() != Value::Kind::kTuple) ||
        shapes.items().size() < 2 || shapes.items().size() > 3 ||
        !ShapeFromValue(shapes.items()[0])) {
      RaiseNotModelled(cls + ".compute_output_shape of this argument");
    }
    PartialShape query = ShapeArgument(shapes.items()[0]);
    const PartialShape value = ShapeArgument(shapes.items()[1]);
    if (!tf_keras && !query.empty() && !value.empty()) {
      query.back() = value.back();
    }
    return ShapeResult(query, tf_keras);
  }
  const std::optional<PartialShape> out =
      subject.output_shape(ShapeArgument(bound[0]));
  if (!out) RaiseNotModelled(cls + ".compute_output_shape");
  return ShapeResult(*out, tf_keras);
}

// Model.get_layer(name=None, index=None) (keras/src/models/model.py, Keras
// 3.15; tf-keras the same texts).
Value GetLayer(const Object& model, const CallArgs& args) {
  const BoundArgs bound =
      BindArguments("get_layer", ParseParams("name=None,index=None"), args);
  const std::optional<Value> layers_value = model.GetAttr("layers");
  if (!layers_value) RaiseNotModelled("get_layer of this model");
  const ValueList& layers = layers_value->items();
  if (!bound[0].is_none() && !bound[1].is_none()) {
    RaiseValueError(
        "Provide only a layer name or a layer index. Received: index=" +
        ap::Str(bound[1]) + ", name=" + ap::Str(bound[0]) + ".");
  }
  if (!bound[1].is_none()) {
    if (bound[1].kind() != Value::Kind::kInt) {
      RaiseNotModelled("get_layer(index=) that is not an int");
    }
    // len(layers) <= index raises; a negative index is Python's.
    const int64_t index = bound[1].as_int();
    const int64_t size = static_cast<int64_t>(layers.size());
    if (index >= size) {
      RaiseValueError("Was asked to retrieve layer at index " +
                      std::to_string(index) + " but model only has " +
                      std::to_string(layers.size()) + " layers.");
    }
    if (index < -size) {
      RaiseText(ErrorClass::kIndexError, "list index out of range");
    }
    return layers[static_cast<size_t>(index < 0 ? index + size : index)];
  }
  if (!bound[0].is_none()) {
    if (bound[0].kind() != Value::Kind::kStr) {
      RaiseNotModelled("get_layer(name=) that is not a string");
    }
    std::string names;
    for (const Value& v : layers) {
      if (v.kind() != Value::Kind::kObject) continue;
      const std::optional<Value> name = v.as_object()->GetAttr("name");
      if (!name || name->kind() != Value::Kind::kStr) continue;
      if (name->as_str() == bound[0].as_str()) return v;
      names += (names.empty() ? "'" : ", '") + name->as_str() + "'";
    }
    RaiseValueError("No such layer: " + bound[0].as_str() +
                    ". Existing layers are: [" + names + "].");
  }
  RaiseValueError("Provide either a layer name or layer index at `get_layer`.");
}

// dir() of a built Dense, Attention, Functional and Sequential model, less
// what the playground models and what only some classes have.
constexpr const char* kLayerApi[] = {"activity_regularizer",
                                     "add_loss",
                                     "add_metric",
                                     "add_variable",
                                     "add_weight",
                                     "build",
                                     "build_from_config",
                                     "call",
                                     "compute_dtype",
                                     "compute_mask",
                                     "dtype_policy",
                                     "from_config",
                                     "get_build_config",
                                     "get_config",
                                     "input_spec",
                                     "load_own_variables",
                                     "losses",
                                     "metrics",
                                     "save_own_variables",
                                     "set_weights",
                                     "supports_masking",
                                     "variable_dtype",
                                     "activation",
                                     "kernel_initializer",
                                     "bias_initializer",
                                     "kernel_regularizer",
                                     "bias_regularizer",
                                     "kernel_constraint",
                                     "bias_constraint"};
constexpr const char* kKeras3LayerApi[] = {"autocast",
                                           "call_signature_parameters",
                                           "compute_output_spec",
                                           "input_dtype",
                                           "metrics_variables",
                                           "path",
                                           "quantization_mode",
                                           "quantize",
                                           "quantized_build",
                                           "quantized_call",
                                           "rematerialized_call",
                                           "stateless_call",
                                           "supports_jit",
                                           "symbolic_call"};
constexpr const char* kTfKerasLayerApi[] = {"add_update",
                                            "compute_output_signature",
                                            "dynamic",
                                            "finalize_state",
                                            "get_input_at",
                                            "get_input_mask_at",
                                            "get_input_shape_at",
                                            "get_output_at",
                                            "get_output_mask_at",
                                            "get_output_shape_at",
                                            "inbound_nodes",
                                            "input_mask",
                                            "name_scope",
                                            "outbound_nodes",
                                            "output_mask",
                                            "stateful",
                                            "submodules",
                                            "updates",
                                            "with_name_scope"};
constexpr const char* kModelApi[] = {"compile_from_config",
                                     "compiled_loss",
                                     "compiled_metrics",
                                     "compute_loss",
                                     "compute_metrics",
                                     "distribute_reduction_method",
                                     "distribute_strategy",
                                     "export",
                                     "get_compile_config",
                                     "get_metrics_result",
                                     "jit_compile",
                                     "load_weights",
                                     "make_predict_function",
                                     "make_test_function",
                                     "make_train_function",
                                     "output_names",
                                     "predict_function",
                                     "predict_on_batch",
                                     "predict_step",
                                     "reset_metrics",
                                     "run_eagerly",
                                     "save",
                                     "save_weights",
                                     "steps_per_execution",
                                     "test_function",
                                     "test_on_batch",
                                     "test_step",
                                     "to_json",
                                     "train_function",
                                     "train_on_batch",
                                     "train_step"};
constexpr const char* kKeras3ModelApi[] = {"compiled",
                                           "get_quantization_layer_structure",
                                           "get_state_tree",
                                           "loss",
                                           "operations",
                                           "set_state_tree",
                                           "stateless_compute_loss",
                                           "unrolled_steps_per_execution"};
constexpr const char* kTfKerasModelApi[] = {"autotune_steps_per_execution",
                                            "evaluate_generator",
                                            "fit_generator",
                                            "get_weight_paths",
                                            "history",
                                            "input_names",
                                            "optimizer",
                                            "predict_generator",
                                            "reset_states",
                                            "save_spec",
                                            "state_updates",
                                            "stop_training",
                                            "to_yaml",
                                            "train_tf_function"};

template <size_t N>
bool Lists(const char* const (&names)[N], std::string_view attr) {
  for (const char* n : names) {
    if (attr == n) return true;
  }
  return false;
}

}  // namespace

std::optional<Value> LayerMethod(const LayerApiSubject& subject,
                                 std::string_view attr) {
  enum class Kind {
    kCountParams,
    kGetWeights,
    kComputeOutputShape,
    kComputeMask,
    kGetLayer
  };
  Kind kind;
  if (attr == "compute_mask" && subject.compute_mask) {
    kind = Kind::kComputeMask;
  } else if (attr == "count_params") {
    kind = Kind::kCountParams;
  } else if (attr == "get_weights") {
    kind = Kind::kGetWeights;
  } else if (attr == "compute_output_shape") {
    kind = Kind::kComputeOutputShape;
  } else if (attr == "get_layer" && IsModel(*subject.layer)) {
    kind = Kind::kGetLayer;
  } else {
    return std::nullopt;
  }
  return Value::FromObject(std::make_shared<NativeMethod>(
      subject.layer, subject.layer->TypeName() + "." + std::string(attr),
      [subject, kind](RunContext& ctx, const CallArgs& args) -> Value {
        const Object& layer = *subject.layer;
        switch (kind) {
          case Kind::kComputeMask: {
            // Embedding.compute_mask(inputs, mask=None); Keras 3's
            // Layer.compute_mask(inputs, previous_mask); tf-keras'
            // (inputs, mask=None).
            // (Keras 3 layers that override it with mask=None.)
            const std::string cls = layer.TypeName();
            const bool optional_mask =
                subject.tf_keras || cls == "Embedding" || cls == "Masking" ||
                cls == "Attention" || cls == "AdditiveAttention" ||
                cls == "GlobalAveragePooling1D" || cls == "Concatenate" ||
                cls == "Dot" || cls == "Lambda" || cls == "Add" ||
                cls == "Multiply" || cls == "Average" || cls == "Maximum" ||
                cls == "Minimum" || cls == "Subtract";
            // keras.ops take numpy arrays as tensors (ops.not_equal).
            const std::optional<CallArgs> from_numpy =
                np::ArraysToLayerTensors(args, false);
            const BoundArgs bound = BindArguments(
                "compute_mask",
                ParseParams(optional_mask ? "inputs,mask=None"
                                          : "inputs,previous_mask"),
                from_numpy ? *from_numpy : args);
            return subject.compute_mask(ctx, bound[0], bound[1]);
          }
          case Kind::kCountParams:
            BindArguments("count_params", {}, args);
            return CountParams(layer, subject.tf_keras);
          case Kind::kGetWeights:
            BindArguments("get_weights", {}, args);
            return GetWeights(layer);
          case Kind::kComputeOutputShape:
            return ComputeOutputShapeOf(subject, args);
          case Kind::kGetLayer:
            return GetLayer(layer, args);
        }
        return Value::None();
      }));
}

void RefuseUnmodelledLayerAttribute(const LayerApiSubject& subject,
                                    std::string_view attr) {
  const bool tf_keras = subject.tf_keras;
  bool known =
      Lists(kLayerApi, attr) ||
      (tf_keras ? Lists(kTfKerasLayerApi, attr) : Lists(kKeras3LayerApi, attr));
  if (!known && IsModel(*subject.layer)) {
    known = Lists(kModelApi, attr) || (tf_keras ? Lists(kTfKerasModelApi, attr)
                                                : Lists(kKeras3ModelApi, attr));
  }
  if (known) {
    RaiseNotModelled(subject.layer->TypeName() + "." + std::string(attr) +
                     " (the layer's call, weights, count_params, "
                     "get_weights and compute_output_shape are)");
  }
}

}  // namespace ap::keras
