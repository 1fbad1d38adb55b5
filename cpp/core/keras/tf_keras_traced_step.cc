#include "tf_keras_traced_step.h"

#include <string>
#include <string_view>

namespace ap::keras {
namespace {

constexpr std::string_view kTfKeras =
    "/usr/local/lib/python3.11/site-packages/tf_keras/src/";

struct Frame {
  std::string_view file;  // under tf_keras/src/
  int line;
  std::string_view function;
  std::string_view source;
};

std::string FrameText(const Frame& f) {
  std::string out = "    File \"";
  out += kTfKeras;
  out += f.file;
  out += "\", line " + std::to_string(f.line) + ", in ";
  out += f.function;
  out += "\n        ";
  out += f.source;
  out += "\n";
  return out;
}

// tf_keras/src/engine/training.py (tf-keras 2.21): make_*_function's
// tf.function, its step_function and run_step, then the step calling the
// model (or, with `loss`, computing the loss). The `*` and `**` mark the
// frames AutoGraph converted.
std::string StepFrames(TracedStep step, bool loss = false) {
  struct StepLines {
    std::string_view name;  // train / test / predict
    int function, step_function, run_step, call;
    std::string_view call_source;
  };
  static constexpr StepLines kTrain{
      "train", 1398, 1381, 1370, 1147, "y_pred = self(x, training=True)"};
  static constexpr StepLines kTest{
      "test", 2063, 2046, 2034, 1914, "y_pred = self(x, training=False)"};
  static constexpr StepLines kPredict{
      "predict", 2436, 2421, 2409, 2377, "return self(x, training=False)"};
  const StepLines& s = step == TracedStep::kTrain  ? kTrain
                       : step == TracedStep::kTest ? kTest
                                                   : kPredict;
  const std::string name(s.name);
  const std::string function = name + "_function  *";
  const std::string run_source = "outputs = model." + name + "_step(data)";
  const std::string step_name = name + "_step";
  return FrameText({"engine/training.py", s.function, function,
                    "return step_function(self, iterator)"}) +
         FrameText({"engine/training.py", s.step_function, "step_function  **",
                    "outputs = model.distribute_strategy.run(run_step, "
                    "args=(data,))"}) +
         FrameText(
             {"engine/training.py", s.run_step, "run_step  **", run_source}) +
         (loss ? FrameText({"engine/training.py",
                            step == TracedStep::kTrain ? 1148 : 1916, step_name,
                            step == TracedStep::kTrain
                                ? "loss = self.compute_loss(x, y, y_pred, "
                                  "sample_weight)"
                                : "self.compute_loss(x, y, y_pred, "
                                  "sample_weight)"})
               : FrameText(
                     {"engine/training.py", s.call, step_name, s.call_source}));
}

// The line of tf_keras/src/engine/input_spec.py (tf-keras 2.21) whose
// `raise ValueError(` wrote `message`; 0 when no input spec check did.
int InputSpecRaiseLine(const std::string& message) {
  struct Check {
    std::string_view text;
    int line;
  };
  static constexpr Check kChecks[] = {
      {"is incompatible with the layer: expected ndim=", 245},
      {"is incompatible with the layer: expected max_ndim=", 254},
      {"is incompatible with the layer: expected min_ndim=", 263},
      {"is incompatible with the layer: expected dtype=", 273},
      {"incompatible with the layer: expected axis ", 290},
      {"incompatible with the layer: expected shape=", 308},
  };
  int found = 0;
  for (const Check& check : kChecks) {
    const size_t at = message.find(check.text);
    if (at == std::string::npos) continue;
    // Two checks quoted in one message: which one raised is not clear.
    if (found != 0 || message.find(check.text, at + 1) != std::string::npos) {
      return 0;
    }
    found = check.line;
  }
  return found;
}

// `text` as the traceback prints an exception: every line indented by four
// spaces (blank ones too).
std::string Indented(const std::string& text) {
  std::string out = "    ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

}  // namespace

namespace {

// From the step's compute_loss to the loss function's body.
std::string LossFrames(TracedStep step) {
  return StepFrames(step, /*loss=*/true) +
         FrameText({"engine/training.py", 1206, "compute_loss",
                    "return self.compiled_loss("}) +
         FrameText({"engine/compile_utils.py", 277, "__call__",
                    "loss_value = loss_obj(y_t, y_p, sample_weight=sw)"}) +
         FrameText({"losses.py", 143, "__call__",
                    "losses = call_fn(y_true, y_pred)"}) +
         FrameText({"losses.py", 270, "call  **",
                    "return ag_fn(y_true, y_pred, **self._fn_kwargs)"});
}

Error Traced(const std::string& frames, const std::string& message) {
  Error traced;
  traced.cls = ErrorClass::kValueError;
  traced.text = "in user code:\n\n" + frames + "\n" +
                Indented("ValueError: " + message) + "\n";
  return traced;
}

}  // namespace

Error TfKerasTracedMeanErrorError(TracedStep step, bool mse,
                                  const std::string& message) {
  return Traced(
      LossFrames(step) +
          (mse ? FrameText({"losses.py", 1706, "mean_squared_error",
                            "return backend.mean(tf.math.squared_difference("
                            "y_pred, y_true), axis=-1)"})
               : FrameText({"losses.py", 1848, "mean_absolute_error",
                            "return backend.mean(tf.abs(y_pred - y_true), "
                            "axis=-1)"})),
      message);
}

Error TfKerasTracedCrossentropyError(TracedStep step, bool sparse,
                                     const std::string& message) {
  const std::string name =
      sparse ? "sparse_categorical_crossentropy" : "categorical_crossentropy";
  return Traced(
      LossFrames(step) +
          FrameText({"losses.py", sparse ? 2454 : 2221, name,
                     "return backend." + name + "("}) +
          FrameText({"backend.py", sparse ? 5777 : 5575, name,
                     sparse ? "res = tf.nn.sparse_softmax_cross_entropy_with_"
                              "logits("
                            : "target.shape.assert_is_compatible_with(output."
                              "shape)"}),
      message);
}

std::optional<Error> TfKerasTracedInputSpecError(TracedStep step,
                                                 const Error& error) {
  if (error.cls != ErrorClass::kValueError || !error.op.empty()) {
    return std::nullopt;
  }
  const std::string message = error.Message();
  const int line = InputSpecRaiseLine(message);
  if (line == 0) return std::nullopt;
  Error traced;
  traced.cls = ErrorClass::kValueError;
  traced.note = error.note;
  traced.text = "in user code:\n\n" + StepFrames(step) +
                FrameText({"utils/traceback_utils.py", 70, "error_handler",
                           "raise e.with_traceback(filtered_tb) from None"}) +
                FrameText({"engine/input_spec.py", line,
                           "assert_input_compatibility", "raise ValueError("}) +
                "\n" + Indented("ValueError: " + message) + "\n";
  return traced;
}

}  // namespace ap::keras
