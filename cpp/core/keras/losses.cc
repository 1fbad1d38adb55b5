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
  RaiseNotSupported("loss arguments that are not tensors or numbers");
}

}  // namespace

MeanSquaredErrorLoss::MeanSquaredErrorLoss(RunContext& ctx,
                                           const CallArgs& args) {
  const std::vector<Param> params = ParseParams(
      "reduction='sum_over_batch_size',name='mean_squared_error',dtype=None");
  const BoundArgs bound =
      BindArguments("MeanSquaredError.__init__", params, args);
  const Value& reduction = bound[0];
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
    RaiseNotSupported("this loss reduction under tf_keras");
  }
  if (bound[1].kind() == Value::Kind::kStr) name_ = bound[1].as_str();
  const Value& dtype = bound[2];
  if (!dtype.is_none() &&
      !(dtype.kind() == Value::Kind::kStr && dtype.as_str() == "float32") &&
      !(dtype.kind() == Value::Kind::kDType &&
        dtype.as_dtype() == DType::kFloat32)) {
    RaiseNotSupported("losses with a dtype other than float32");
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
  if (!bound[2].is_none()) RaiseNotSupported("sample_weight in losses");
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
    Tensor loss = per_sample;
    if (reduction_ != "none" && per_sample.rank() > 0) {
      loss = ops::Reduce(ops::ReduceOp::kSum, per_sample, std::nullopt, false);
      if (reduction_ == "sum_over_batch_size" &&
          per_sample.num_elements() > 0) {
        loss = ops::Binary(
            ops::BinaryOp::kDiv, loss,
            Tensor::ScalarF32(static_cast<float>(per_sample.num_elements())));
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
