#include "messages.h"

#include <string>

namespace ap::keras {

namespace {

std::string S(std::string_view v) { return std::string(v); }

// K3 >= 3.13: "Input 0 with name 'None' of layer 'dense'"; tf_keras:
// "Input 0 of layer \"dense\"".
std::string InputSpecPrefix(Profile profile, int index,
                            std::string_view layer_name) {
  if (profile == Profile::kTfKeras) {
    return "Input " + std::to_string(index) + " of layer \"" + S(layer_name) +
           "\" is incompatible with the layer: ";
  }
  return "Input " + std::to_string(index) + " with name 'None' of layer '" +
         S(layer_name) + "' is incompatible with the layer: ";
}

}  // namespace

std::string UnrecognizedKwargsMessage(Profile profile,
                                      std::string_view class_name,
                                      std::string_view kwargs_dict_text,
                                      std::string_view first_kwarg_repr) {
  if (profile == Profile::kTfKeras) {
    // generic_utils.validate_kwargs: TypeError(message, kwarg) -> str() of
    // a two-element args tuple.
    return "('Keyword argument not understood:', " + S(first_kwarg_repr) + ")";
  }
  return "Unrecognized keyword arguments passed to " + S(class_name) + ": " +
         S(kwargs_dict_text);
}

std::string TrainableNotBoolMessage(std::string_view value_text,
                                    std::string_view type_name) {
  return "Expected `trainable` to be a boolean. Received: trainable=" +
         S(value_text) + " (of type <class '" + S(type_name) + "'>)";
}

std::string OnlyTensorsPositionalMessage(std::string_view value_text,
                                         std::string_view type_name) {
  return "Only input tensors may be passed as positional arguments. The "
         "following argument value should be passed as a keyword argument: " +
         S(value_text) + " (of type <class '" + S(type_name) + "'>)";
}

std::string MixedNestedArgumentMessage(std::string_view arg_name,
                                       std::string_view value_text) {
  return "In a nested call() argument, you cannot mix tensors and "
         "non-tensors. Received invalid mixed argument: " +
         S(arg_name) + "=" + S(value_text);
}

std::string SignatureUnexpectedKeywordMessage(std::string_view name) {
  return "got an unexpected keyword argument '" + S(name) + "'";
}

std::string SignatureMissingArgumentMessage(std::string_view name) {
  return "missing a required argument: '" + S(name) + "'";
}

std::string SignatureTooManyPositionalMessage() {
  return "too many positional arguments";
}

std::string SignatureMultipleValuesMessage(std::string_view name) {
  return "multiple values for argument '" + S(name) + "'";
}

std::string FirstCallArgumentMissingMessage() {
  return "The first argument to `Layer.call` must always be passed.";
}

std::string InputsNotTensorsMessage(std::string_view value_text,
                                    std::string_view type_name,
                                    std::string_view layer_name) {
  return "Inputs to a layer should be tensors. Got '" + S(value_text) +
         "' (of type <class '" + S(type_name) + "'>) as input for layer '" +
         S(layer_name) + "'.";
}

std::string InputSpecCountMessage(std::string_view layer_name, size_t expected,
                                  size_t received,
                                  std::string_view inputs_repr) {
  return "Layer \"" + S(layer_name) + "\" expects " + std::to_string(expected) +
         " input(s), but it received " + std::to_string(received) +
         " input tensors. Inputs received: " + S(inputs_repr);
}

std::string InputSpecAxisMessage(Profile profile, int index,
                                 std::string_view layer_name, int axis,
                                 int64_t expected, const Shape& received) {
  return InputSpecPrefix(profile, index, layer_name) + "expected axis " +
         std::to_string(axis) + " of input shape to have value " +
         std::to_string(expected) + ", but received input with shape " +
         ShapeToPyString(received);
}

std::string InputSpecMinNdimMessage(Profile profile, int index,
                                    std::string_view layer_name, int min_ndim,
                                    const Shape& received) {
  return InputSpecPrefix(profile, index, layer_name) +
         "expected min_ndim=" + std::to_string(min_ndim) +
         ", found ndim=" + std::to_string(received.size()) +
         ". Full shape received: " + ShapeToPyString(received);
}

std::string InputSpecNdimMessage(Profile profile, int index,
                                 std::string_view layer_name, int ndim,
                                 const Shape& received) {
  return InputSpecPrefix(profile, index, layer_name) +
         "expected ndim=" + std::to_string(ndim) +
         ", found ndim=" + std::to_string(received.size()) +
         ". Full shape received: " + ShapeToPyString(received);
}

std::string ScoreModeMessage(Profile profile,
                             std::string_view score_mode_text) {
  if (profile == Profile::kTfKeras) {
    return "Received: score_mode=" + S(score_mode_text) +
           ". Acceptable values are: [\"dot\", \"concat\"]";
  }
  return "Invalid value for argument score_mode. Expected one of {'dot', "
         "'concat'}. Received: score_mode=" +
         S(score_mode_text);
}

std::string AttentionInputsNotListMessage(Profile profile,
                                          std::string_view class_name,
                                          std::string_view inputs_text) {
  return S(class_name) +
         " layer must be called on a list of inputs, namely [query, value] "
         "or [query, value, key]. Received: " +
         (profile == Profile::kTfKeras ? "" : "inputs=") + S(inputs_text) + ".";
}

std::string AttentionInputsLengthMessage(std::string_view class_name,
                                         size_t length) {
  return S(class_name) +
         " layer accepts inputs list of length 2 or 3, namely [query, value] "
         "or [query, value, key]. Received length: " +
         std::to_string(length) + ".";
}

std::string AttentionMaskNotListMessage(Profile profile,
                                        std::string_view class_name,
                                        std::string_view mask_text) {
  return S(class_name) +
         " layer mask must be a list, namely [query_mask, value_mask]. "
         "Received: " +
         (profile == Profile::kTfKeras ? "" : "mask=") + S(mask_text) + ".";
}

std::string AttentionMaskLengthMessage(std::string_view class_name,
                                       std::string_view inputs_text,
                                       std::string_view mask_text) {
  return S(class_name) +
         " layer accepts mask list of length 2 or 3. Received: inputs=" +
         S(inputs_text) + ", mask=" + S(mask_text) + ".";
}

std::string AttentionMaskLengthTfKerasMessage(std::string_view class_name,
                                              size_t length) {
  return S(class_name) +
         " layer mask must be a list of length 2, namely [query_mask, "
         "value_mask]. Received length: " +
         std::to_string(length) + ".";
}

std::string MhaNumHeadsMessage(std::string_view value_text) {
  return "Received an invalid value for argument `num_heads`, expected a "
         "positive integer. Received: num_heads=" +
         S(value_text);
}

std::string MhaKeyDimMessage(std::string_view value_text) {
  return "Received an invalid value for argument `key_dim`, expected a "
         "positive integer. Received: key_dim=" +
         S(value_text);
}

std::string MhaValueDimMessage(std::string_view value_text) {
  return "Received an invalid value for argument `value_dim`, expected a "
         "positive integer or `None`. Received: value_dim=" +
         S(value_text);
}

std::string MhaOutputShapeMessage(std::string_view value_text) {
  return "Invalid `output_shape`: " + S(value_text) +
         ". When specified, the `output_shape` should be of type tuple, "
         "list, or int.";
}

std::string MhaAttentionAxesMessage(std::string_view value_text) {
  // Keras' text has no space after "tuple." (docs/spec/keras-semantics.md
  // §3.1).
  return "`attention_axes` must be an int, list, or tuple.Received: "
         "attention_axes=" +
         S(value_text);
}

std::string MhaValueKeyShapeMessage(Profile profile, const Shape& value_shape,
                                    const Shape& key_shape) {
  if (profile == Profile::kTfKeras) {
    return "All dimensions of `value` and `key`, except the last one, must "
           "be equal. Received " +
           ShapeToPyString(value_shape) + " and " + ShapeToPyString(key_shape);
  }
  return "All dimensions of `value` and `key`, except the last one, must be "
         "equal. Received: value_shape=" +
         ShapeToPyString(value_shape) +
         " and key_shape=" + ShapeToPyString(key_shape);
}

std::string SoftmaxMaskRankMessage(const Shape& inputs, const Shape& mask) {
  return "The `mask` must be broadcastable to `inputs` and must not have "
         "more dimensions. Received: inputs.shape=" +
         ShapeToPyString(inputs) + ", mask.shape=" + ShapeToPyString(mask);
}

std::string SoftmaxMaskBroadcastMessage(const Shape& inputs,
                                        const Shape& mask) {
  return "The `mask` must be broadcastable to `inputs`. Each mask dimension "
         "must be 1 or match the corresponding input dimension. Received: "
         "inputs.shape=" +
         ShapeToPyString(inputs) + ", mask.shape=" + ShapeToPyString(mask);
}

std::string DenseUnitsMessage(std::string_view units_text) {
  return "Received an invalid value for `units`, expected a positive "
         "integer. Received: units=" +
         S(units_text);
}

std::string MergeNotListMessage(std::string_view input_shape_text) {
  return "A merge layer should be called on a list of inputs. Received: "
         "input_shape=" +
         S(input_shape_text) + " (not a list of shapes)";
}

std::string MergeBatchSizesMessage(Profile profile,
                                   std::string_view input_shape_text) {
  return std::string("Cannot merge tensors with different batch sizes. ") +
         (profile == Profile::kTfKeras ? "Got" : "Received") +
         " tensors with shapes " + S(input_shape_text);
}

std::string MergeIncompatibleShapesMessage(const Shape& shape1,
                                           const Shape& shape2) {
  return "Inputs have incompatible shapes. Received shapes " +
         ShapeToPyString(shape1) + " and " + ShapeToPyString(shape2);
}

std::string ConcatenateNotListMessage(std::string_view input_shape_text) {
  return "A `Concatenate` layer should be called on a list of at least 1 "
         "input. Received: input_shape=" +
         S(input_shape_text);
}

std::string ConcatenateShapesMessage(std::string_view input_shape_text) {
  return "A `Concatenate` layer requires inputs with matching shapes except "
         "for the concatenation axis. Received: input_shape=" +
         S(input_shape_text);
}

std::string LossReductionMessage(std::string_view reduction_text) {
  // Keras prints a Python set here, whose order varies between processes;
  // this is one of its orders.
  return "Invalid value for argument `reduction`. Expected one of {'sum', "
         "'sum_over_batch_size', None, 'mean', 'none', "
         "'mean_with_sample_weight'}. Received: reduction=" +
         S(reduction_text);
}

std::string PermuteDimsMessage(std::string_view dims_text) {
  return "Invalid permutation argument `dims` for Permute Layer. The set of "
         "indices in `dims` must be consecutive and start from 1. Received "
         "dims=" +
         S(dims_text);
}

std::string RepeatVectorNotIntMessage(std::string_view type_name) {
  return "Expected an integer value for `n`, got <class '" + S(type_name) +
         "'>.";
}

std::string RepeatVectorNotPositiveMessage(int64_t n) {
  return "Argument `n` should be a positive integer. Received: n=" +
         std::to_string(n);
}

}  // namespace ap::keras
