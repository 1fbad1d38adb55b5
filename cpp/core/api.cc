#include "api.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "run/run.h"
#include "profile.h"
#include "result_json.h"
#include "run_context.h"

namespace ap {

using nlohmann::json;

struct Session::State {
  TensorTable tensors;
};

Session::Session() : state_(new State) {}
Session::~Session() { delete state_; }
void Session::Clear() { state_->tensors = TensorTable(); }

namespace {

json RunErrorJson(const interp::RunError& e) {
  json j = ErrorJson(e.error, e.line, e.column, e.line, 0);
  j["type"] = e.python_class;  // a program's own classes keep their names
  return j;
}

json BindingsJson(const interp::StepRecord& step, TensorTable* table) {
  json out = json::array();
  for (size_t i = 0; i < step.bound.size(); ++i) {
    const bool released = i < step.released.size() && step.released[i];
    json value = released ? ReleasedTensorJson(*step.released[i])
                          : ValueJson(step.bound[i].second, table);
    json binding;
    binding["name"] = step.bound[i].first;
    binding["value"] = std::move(value);
    out.push_back(std::move(binding));
  }
  return out;
}

// Random values are the playground's own (random.h); say so where they
// matter.
json Notes(std::string_view source) {
  json notes = json::array();
  for (const char* marker :
       {"random.", "Dense(", "MultiHeadAttention(", "AdditiveAttention("}) {
    if (source.find(marker) != std::string_view::npos) {
      notes.push_back(
          "Random numbers (tf.random.*, initial layer weights) come from the "
          "playground's own seeded generator, not TensorFlow's: shapes, dtypes "
          "and errors are TensorFlow's, the random values are not.");
      break;
    }
  }
  return notes;
}

// {"tensorflow": "2.21", "keras": "3.15", "keras_package": "keras"}: which
// release the document's texts and verdicts are those of.
json FrameworksJson(Profile profile) {
  const FrameworkVersions v = ProfileFrameworks(profile);
  json j;
  j["tensorflow"] = v.tensorflow;
  j["keras"] = v.keras;
  j["keras_package"] = v.keras_package;
  return j;
}

}  // namespace

std::string Session::Run(std::string_view source, const RunOptions& options) {
  Clear();
  json doc;
  try {
    auto budget = std::make_shared<MemoryBudget>(options.limits);
    BudgetScope scope(budget);
    // Declared before the result so it empties the run's lists and dicts
    // (breaking any cycles a program built) after the document is made.
    ContainerArena containers;
    ContainerArenaScope container_scope(&containers);
    RunContext ctx;
    ctx.profile = options.profile;
    ctx.rng.Seed(options.seed);
    interp::RunLimits limits = options.run_limits;
    limits.max_steps = options.max_steps;
    const interp::RunResult result = interp::RunProgram(source, ctx, limits);

    TensorTable* table = &state_->tensors;
    doc["ok"] = result.ok;
    doc["profile"] = std::string(ProfileName(options.profile));
    doc["frameworks"] = FrameworksJson(options.profile);
    doc["engine_version"] = kEngineVersion;
    doc["error"] = result.error ? RunErrorJson(*result.error) : json(nullptr);
    json caught = json::array();
    for (const auto& e : result.caught) caught.push_back(RunErrorJson(e));
    doc["caught"] = caught;
    json variables = json::object();
    for (const auto& [name, value] : result.globals) {
      variables[name] = ValueJson(value, table);
    }
    doc["variables"] = variables;
    doc["stdout"] = result.stdout_text;
    json steps = json::array();
    for (size_t i = 0; i < result.steps.size(); ++i) {
      const interp::StepRecord& s = result.steps[i];
      json calls = json::array();
      for (const CallEvent& c : s.calls)
        calls.push_back(CallEventJson(c, table));
      // (Member by member: an initializer-list object is much larger code.)
      json step;
      step["index"] = i;
      step["line"] = s.line;
      step["end_line"] = s.end_line;
      step["bindings"] = BindingsJson(s, table);
      step["calls"] = std::move(calls);
      step["stdout"] = s.stdout_text;
      step["error"] = s.error ? RunErrorJson(*s.error) : json(nullptr);
      step["caught"] = s.error_caught;
      steps.push_back(std::move(step));
    }
    doc["steps"] = steps;
    doc["steps_truncated"] = result.truncated;
    doc["notes"] = Notes(source);
    // The memo is for this document only (its keys are addresses).
    table->stats.clear();
    table->reprs.clear();
    // Invalid UTF-8 from a hostile program must not make dump() throw.
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (const std::exception& e) {
    // RunProgram never throws; this guards the JSON assembly itself (e.g.
    // running out of memory while building the document).
    Clear();
    json fail;
    fail["ok"] = false;
    fail["profile"] = std::string(ProfileName(options.profile));
    fail["frameworks"] = FrameworksJson(options.profile);
    fail["engine_version"] = kEngineVersion;
    json& error = fail["error"];
    error["type"] = "RuntimeError";
    error["message"] = std::string("internal error: ") + e.what();
    error["plain_message"] = std::string("internal error: ") + e.what();
    error["line"] = 0;
    error["column"] = 0;
    error["framework"] = "playground";
    fail["caught"] = json::array();
    fail["variables"] = json::object();
    fail["stdout"] = "";
    fail["steps"] = json::array();
    fail["steps_truncated"] = false;
    fail["notes"] = json::array();
    return fail.dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

std::vector<int64_t> Session::TensorShape(int64_t id) const {
  const auto& tensors = state_->tensors.tensors;
  if (id < 0 || id >= static_cast<int64_t>(tensors.size())) return {};
  return tensors[id].shape();
}

std::vector<float> Session::TensorValues(int64_t id) const {
  const auto& tensors = state_->tensors.tensors;
  if (id < 0 || id >= static_cast<int64_t>(tensors.size())) return {};
  const Tensor& t = tensors[id];
  std::vector<float> out(static_cast<size_t>(t.num_elements()));
  for (int64_t i = 0; i < t.num_elements(); ++i) {
    out[i] = static_cast<float>(t.GetAsDouble(i));
  }
  return out;
}

std::string RunProgramToJson(std::string_view source,
                             const RunOptions& options) {
  Session session;
  return session.Run(source, options);
}

}  // namespace ap
