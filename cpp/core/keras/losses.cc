#include "losses.h"

#include "../ops/ops.h"
#include "../repr.h"
#include "common.h"
#include "messages.h"

namespace ap::keras {

namespace {

Tensor ToFloatTensor(const Value& v) {
  if (v.is_tensor()) {
    const Tensor& t = v.as_tensor();
    return t.dtype() == DType::kFloat32 ? t : ops::Cast(t, DType::kFloat32);
  }
  if (v.is_number())
    return Tensor::ScalarF32(static_cast<float>(v.as_number()));
  RaiseNotModelled("loss arguments that are not tensors or numbers");
}

// The mask y_pred carries (an earlier layer's output) weights the
// per-sample losses: masked entries count 0 and, for the mean, the others
// total/valid, so the mean runs over the valid entries. K3: apply_mask and
// reduce_weighted_values (keras/src/losses/loss.py, Keras 3.15); tf_keras:
// apply_valid_mask and compute_weighted_loss
// (tf_keras/src/utils/losses_utils.py, 2.21).
Tensor ApplyPredictionMask(bool k3, const std::string& reduction,
                           const Tensor& values, const Tensor& mask) {
  const Tensor mask_f =
      mask.dtype() == DType::kFloat32 ? mask : ops::Cast(mask, DType::kFloat32);
  Tensor weight = mask_f;
  if (reduction == "sum_over_batch_size") {
    const float total = static_cast<float>(mask.num_elements());
    const float valid = static_cast<float>(
        ops::Reduce(ops::ReduceOp::kSum, mask_f, std::nullopt, false)
            .GetAsDouble(0));
    if (k3) {
      // where(cast(mask, bool), divide_no_nan(total, valid), 0)
      const float w = valid == 0 ? 0.0f : total / valid;
      weight = ops::Where(AsBoolMask(mask), Tensor::ScalarF32(w),
                          Tensor::ScalarF32(0.0f));
    } else {
      weight = ops::Binary(ops::BinaryOp::kMul, mask_f,
                           Tensor::ScalarF32(total / valid));
    }
  }
  Tensor v = values;
  const int vr = v.rank(), wr = weight.rank();
  if (k3) {
    // squeeze_or_expand_to_same_rank: a trailing 1 goes when the ranks
    // differ by one.
    if (vr == wr + 1 && v.shape().back() == 1) {
      if (wr == 1) {
        weight = ops::ExpandDims(weight, -1);
      } else {
        v = ops::Squeeze(v, {-1});
      }
    } else if (wr == vr + 1 && weight.shape().back() == 1) {
      if (vr == 1) {
        v = ops::ExpandDims(v, -1);
      } else {
        weight = ops::Squeeze(weight, {-1});
      }
    }
  } else if (wr > 0) {
    // squeeze_or_expand_dimensions: the weight follows the losses' rank.
    if (wr - vr == 1) {
      weight = ops::Squeeze(weight, {-1});
    } else if (vr - wr == 1) {
      weight = ops::ExpandDims(weight, -1);
    }
  }
  return ops::Binary(ops::BinaryOp::kMul, v, weight);
}

}  // namespace

MeanSquaredErrorLoss::MeanSquaredErrorLoss(RunContext& ctx,
                                           const CallArgs& args) {
  const std::vector<Param> params = ParseParams(
      "reduction='sum_over_batch_size',name='mean_squared_error',dtype=None");
  const BoundArgs bound =
      BindArguments("MeanSquaredError.__init__", params, args);
  const Value& reduction = bound[0];
  if (ctx.profile == Profile::kTfKeras) {
    // Loss.__init__: ReductionV2.validate (tf_keras/src/utils/
    // losses_utils.py, 2.21) knows neither None nor "mean".
    const bool valid =
        reduction.kind() == Value::Kind::kStr &&
        (reduction.as_str() == "auto" || reduction.as_str() == "none" ||
         reduction.as_str() == "sum" ||
         reduction.as_str() == "sum_over_batch_size");
    if (!valid) {
      RaiseValueError("Invalid Reduction Key: " + ap::Str(reduction) +
                      ". Expected keys are \"('auto', 'none', 'sum', "
                      "'sum_over_batch_size')\"");
    }
  }
  if (reduction.is_none()) {
    reduction_ = "none";
  } else if (reduction.kind() == Value::Kind::kStr &&
             (reduction.as_str() == "sum_over_batch_size" ||
              reduction.as_str() == "sum" || reduction.as_str() == "none" ||
              reduction.as_str() == "mean" ||
              (ctx.profile == Profile::kTfKeras &&
               reduction.as_str() == "auto"))) {
    reduction_ = reduction.as_str();
    if (reduction_ == "mean" || reduction_ == "auto") {
      reduction_ = "sum_over_batch_size";
    }
  } else if (ctx.profile == Profile::kKeras3) {
    RaiseValueError(LossReductionMessage(ap::Str(reduction)));
  } else {
    RaiseNotModelled("this loss reduction under tf_keras");
  }
  if (bound[1].kind() == Value::Kind::kStr) name_ = bound[1].as_str();
  const Value& dtype = bound[2];
  if (!dtype.is_none() &&
      !(dtype.kind() == Value::Kind::kStr && dtype.as_str() == "float32") &&
      !(dtype.kind() == Value::Kind::kDType &&
        dtype.as_dtype() == DType::kFloat32)) {
    RaiseNotModelled("losses with a dtype other than float32");
  }
}

std::string MeanSquaredErrorLoss::Repr() const {
  return "<keras.src.losses.losses.MeanSquaredError object>";
}

std::optional<Value> MeanSquaredErrorLoss::GetAttr(
    std::string_view name) const {
  if (name == "name") return Value::Str(name_);
  if (name == "reduction") {
    return reduction_ == "none" ? Value::Str("none") : Value::Str(reduction_);
  }
  return std::nullopt;
}

Value MeanSquaredErrorLoss::Call(RunContext& ctx, const CallArgs& args) {
  const std::vector<Param> params =
      ParseParams("y_true,y_pred,sample_weight=None");
  const BoundArgs bound = BindArguments("Loss.__call__", params, args);
  if (!bound[2].is_none()) RaiseNotModelled("sample_weight in losses");
  Tensor y_true = ToFloatTensor(bound[0]);
  Tensor y_pred = ToFloatTensor(bound[1]);

  CallEvent event;
  event.kind = "op";
  event.callee = "MeanSquaredError";
  event.inputs.push_back(MakeRole(
      "y_true", "y_true", ArgumentSource(args, params, "y_true"), "", y_true));
  event.inputs.push_back(MakeRole(
      "y_pred", "y_pred", ArgumentSource(args, params, "y_pred"), "", y_pred));
  try {
    // squeeze_or_expand_to_same_rank: a trailing 1 is squeezed away when
    // the ranks differ by one (K3 expands a rank-1 partner instead).
    const bool k3 = ctx.profile == Profile::kKeras3;
    if (y_true.rank() == y_pred.rank() + 1 && y_true.shape().back() == 1) {
      if (k3 && y_pred.rank() == 1) {
        y_pred = ops::ExpandDims(y_pred, -1);
      } else {
        y_true = ops::Squeeze(y_true, {-1});
      }
    } else if (y_pred.rank() == y_true.rank() + 1 &&
               y_pred.shape().back() == 1) {
      if (k3 && y_true.rank() == 1) {
        y_true = ops::ExpandDims(y_true, -1);
      } else {
        y_pred = ops::Squeeze(y_pred, {-1});
      }
    }
    Tensor squared;
    if (k3) {
      // ops.square(y_true - y_pred): Sub with y_true first, unwrapped.
      squared = ops::Unary(ops::UnaryOp::kSquare,
                           ops::Binary(ops::BinaryOp::kSub, y_true, y_pred));
    } else {
      // tf.math.squared_difference(y_pred, y_true).
      squared = ops::Binary(ops::BinaryOp::kSquaredDifference, y_pred, y_true);
    }
    const Tensor per_sample =
        ops::Reduce(ops::ReduceOp::kMean, squared, std::vector<int>{-1}, false);
    event.intermediates.push_back({"per_sample_loss", "", per_sample});
    Tensor values = per_sample;
    if (const Tensor* mask =
            bound[1].is_tensor() ? bound[1].keras_mask() : nullptr) {
      values = ApplyPredictionMask(k3, reduction_, per_sample, *mask);
      event.intermediates.push_back({"masked_loss", "", values});
    }
    Tensor loss = values;
    if (reduction_ != "none" && values.rank() > 0) {
      loss = ops::Reduce(ops::ReduceOp::kSum, values, std::nullopt, false);
      if (reduction_ == "sum_over_batch_size" && values.num_elements() > 0) {
        loss = ops::Binary(
            ops::BinaryOp::kDiv, loss,
            Tensor::ScalarF32(static_cast<float>(values.num_elements())));
      }
    }
    event.outputs.push_back({"loss", "", loss});
    ctx.Emit(std::move(event));
    return Value::FromTensor(loss);
  } catch (const ErrorException&) {
    event.failed = true;
    ctx.Emit(std::move(event));
    throw;
  }
}

}  // namespace ap::keras
