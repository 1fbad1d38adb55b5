// Records an attention call's stages on its trace event (CallEvent::stages),
// so that a viewer can say which stage failed without reading the error.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "../run_context.h"

namespace ap::keras {

// Lists every stage as not reached, then follows the call. A stage is marked
// failed when it starts and done when it finishes: an error thrown inside it
// (every error is an exception) leaves it failed.
class StageRecorder {
 public:
  StageRecorder(CallEvent* event, std::initializer_list<const char*> stages)
      : event_(event) {
    for (const char* name : stages) {
      CallStage stage;
      stage.stage = name;
      event_->stages.push_back(std::move(stage));
    }
  }

  void Start(std::string_view name) {
    At(name).status = CallStage::Status::kFailed;
  }
  void Done(std::string_view name) {
    At(name).status = CallStage::Status::kDone;
  }
  void Done(std::string_view name, const Tensor& result, std::string axes) {
    CallStage& stage = At(name);
    stage.status = CallStage::Status::kDone;
    stage.shape = result.shape();
    stage.has_shape = true;
    stage.axes = std::move(axes);
  }
  // The stage does not apply to this call (no mask, no query mask).
  void Skip(std::string_view name) {
    At(name).status = CallStage::Status::kSkipped;
  }
  void AddSource(std::string_view name, std::string source) {
    At(name).sources.push_back(std::move(source));
  }

 private:
  CallStage& At(std::string_view name) {
    for (CallStage& stage : event_->stages) {
      if (stage.stage == name) return stage;
    }
    // A name the constructor did not list goes at the end.
    CallStage stage;
    stage.stage = std::string(name);
    event_->stages.push_back(std::move(stage));
    return event_->stages.back();
  }

  CallEvent* event_;
};

}  // namespace ap::keras
