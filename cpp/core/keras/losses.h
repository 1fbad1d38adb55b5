// keras.losses.MeanSquaredError: loss(y_true, y_pred) ->
//   mean(square(y_true - y_pred), axis=-1), then the sum-over-batch-size
//   reduction to a scalar. Not a Layer: op errors are not wrapped.
#pragma once

#include <string>

#include "../callable.h"

namespace ap::keras {

class MeanSquaredErrorLoss : public Callable {
 public:
  MeanSquaredErrorLoss(RunContext& ctx, const CallArgs& args);
  std::string TypeName() const override { return "MeanSquaredError"; }
  std::string Repr() const override;
  std::optional<Value> GetAttr(std::string_view name) const override;
  Value Call(RunContext& ctx, const CallArgs& args) override;

 private:
  std::string name_ = "mean_squared_error";
  std::string reduction_ = "sum_over_batch_size";  // "none" for None
};

}  // namespace ap::keras
