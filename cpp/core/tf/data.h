// tf.data as notebooks use it before model.fit: Dataset.from_tensor_slices
// and from_tensors, then batch, shuffle, repeat, take, skip, prefetch and
// cache and map; iteration (also as_numpy_iterator), len(), cardinality()
// and element_spec, with TensorFlow 2.21's texts
// (tensorflow/python/data/ops/dataset_ops.py). Elements are computed when a
// dataset is iterated, each iteration shuffling anew as TensorFlow's
// reshuffle_each_iteration does (with the playground's random numbers, not
// TensorFlow's). filter and the other transformations are refused.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "../profile.h"
#include "../run_context.h"
#include "../value.h"

namespace ap::tf {

// The module tf.data.
Value MakeDataModule(Profile profile);

// One iteration of a tf.data dataset, as model.fit / evaluate / predict
// read it.
struct DatasetElements {
  // Each element: a tensor, or a tuple of them (nested as the program gave).
  std::vector<Value> elements;
  bool batched = false;
  // The batch dim of the element_spec: known only with drop_remainder.
  std::optional<int64_t> static_batch;
  // Whether the element_spec has a None past the batch dim (batch() twice,
  // a map whose outputs vary).
  bool unknown_inner_dims = false;
};

// nullopt when `v` is not a tf.data dataset; refuses an infinite one.
std::optional<DatasetElements> IterateDataset(RunContext& ctx, const Value& v);

}  // namespace ap::tf
