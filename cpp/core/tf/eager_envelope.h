// How the Python wrapper of a tf.* function reaches its eager op decides how
// an op error's message ends: TensorFlow's fast path
// (tensorflow/python/eager/pywrap_tfe_src.cc, TF 2.21) appends
// " name: <name>", the slow path it falls back to when an input is a Python
// sequence does not. Which wrappers forward `name=` and which convert
// sequences themselves was measured on TF 2.21 (tests/corpus/op_errors.json).
#pragma once

#include <string_view>

#include "../call_args.h"
#include "../error.h"

namespace ap::tf {

// Sets e.fast_path and e.op_name for an error raised by the op that the
// function `qualified_name` ("tensorflow.reshape") called with `bound`.
void ApplyEagerEnvelope(Error& e, std::string_view qualified_name,
                        const std::vector<Param>& params,
                        const BoundArgs& bound);

}  // namespace ap::tf
