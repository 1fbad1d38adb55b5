// Keras' own (Python-level) error texts, one formatter per message. The
// texts are Keras 3.15's unless a function takes a Profile, in which case
// tf-keras 2.21's wording is produced for Profile::kTfKeras.
// Arguments named *_text are already rendered the way the Python f-string
// would render them (str() of the value).
#pragma once

#include <string>
#include <string_view>

#include "../profile.h"
#include "../shape.h"

namespace ap::keras {

// ---- Layer base (layer.py, input_spec.py, CallSpec) ----------------------
std::string UnrecognizedKwargsMessage(Profile profile,
                                      std::string_view class_name,
                                      std::string_view kwargs_dict_text,
                                      std::string_view first_kwarg_repr);
std::string TrainableNotBoolMessage(std::string_view value_text,
                                    std::string_view type_name);
std::string OnlyTensorsPositionalMessage(std::string_view value_text,
                                         std::string_view type_name);
std::string MixedNestedArgumentMessage(std::string_view arg_name,
                                       std::string_view value_text);
// inspect.Signature.bind() texts raised by K3 Layer.__call__.
std::string SignatureUnexpectedKeywordMessage(std::string_view name);
std::string SignatureMissingArgumentMessage(std::string_view name);
std::string SignatureTooManyPositionalMessage();
std::string SignatureMultipleValuesMessage(std::string_view name);
// tf_keras split_out_first_arg: call()'s first argument was not passed.
std::string FirstCallArgumentMissingMessage();

// InputSpec checks (K3 >= 3.13 and tf_keras wording).
std::string InputsNotTensorsMessage(std::string_view value_text,
                                    std::string_view type_name,
                                    std::string_view layer_name);
std::string InputSpecCountMessage(std::string_view layer_name, size_t expected,
                                  size_t received,
                                  std::string_view inputs_repr);
std::string InputSpecAxisMessage(Profile profile, int index,
                                 std::string_view layer_name, int axis,
                                 int64_t expected, const Shape& received);
std::string InputSpecMinNdimMessage(Profile profile, int index,
                                    std::string_view layer_name, int min_ndim,
                                    const Shape& received);
std::string InputSpecNdimMessage(Profile profile, int index,
                                 std::string_view layer_name, int ndim,
                                 const Shape& received);

// ---- Attention / AdditiveAttention (docs/spec/keras-semantics.md §1.1, §1.3)
// ----------------------
std::string ScoreModeMessage(Profile profile, std::string_view score_mode_text);
std::string AttentionInputsNotListMessage(Profile profile,
                                          std::string_view class_name,
                                          std::string_view inputs_text);
std::string AttentionInputsLengthMessage(std::string_view class_name,
                                         size_t length);
std::string AttentionMaskNotListMessage(Profile profile,
                                        std::string_view class_name,
                                        std::string_view mask_text);
// K3: "accepts mask list of length 2 or 3. Received: inputs=..., mask=...".
std::string AttentionMaskLengthMessage(std::string_view class_name,
                                       std::string_view inputs_text,
                                       std::string_view mask_text);
// tf_keras: "mask must be a list of length 2, ... Received length: n."
std::string AttentionMaskLengthTfKerasMessage(std::string_view class_name,
                                              size_t length);

// ---- MultiHeadAttention (docs/spec/keras-semantics.md §3.1, §3.3)
// --------------------------------
std::string MhaNumHeadsMessage(std::string_view value_text);
std::string MhaKeyDimMessage(std::string_view value_text);
std::string MhaValueDimMessage(std::string_view value_text);
std::string MhaOutputShapeMessage(std::string_view value_text);
std::string MhaAttentionAxesMessage(std::string_view value_text);
std::string MhaValueKeyShapeMessage(Profile profile, const Shape& value_shape,
                                    const Shape& key_shape);
// K3 >= 3.14 Softmax mask validation.
std::string SoftmaxMaskRankMessage(const Shape& inputs, const Shape& mask);
std::string SoftmaxMaskBroadcastMessage(const Shape& inputs, const Shape& mask);

// ---- Dense ---------------------------------------------------------------
std::string DenseUnitsMessage(std::string_view units_text);

// ---- Merge layers (base_merge.py, concatenate.py;
// docs/spec/keras-semantics.md §4.4) -------------
std::string MergeNotListMessage(std::string_view input_shape_text);
std::string MergeBatchSizesMessage(Profile profile,
                                   std::string_view input_shape_text);
std::string MergeIncompatibleShapesMessage(const Shape& shape1,
                                           const Shape& shape2);
std::string ConcatenateNotListMessage(std::string_view input_shape_text);
std::string ConcatenateShapesMessage(std::string_view input_shape_text);

// ---- Reshaping layers (permute.py, repeat_vector.py) ----------------------
std::string PermuteDimsMessage(std::string_view dims_text);
std::string RepeatVectorNotIntMessage(std::string_view type_name);
std::string RepeatVectorNotPositiveMessage(int64_t n);

// ---- Losses ----------------------------------------------------------------
std::string LossReductionMessage(std::string_view reduction_text);

}  // namespace ap::keras
