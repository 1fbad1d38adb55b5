#include "api.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "profile.h"
#include "result_json.h"
#include "run/run.h"
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

json RunErrorJson(const RunError& e) {
  json j = ErrorJson(e.error, e.line, e.column, e.line, 0);
  j["type"] = e.python_class;  // a program's own classes keep their names
  return j;
}

json BindingsJson(const StepRecord& step, TensorTable* table) {
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
  if (source.find(".fit(") != std::string_view::npos) {
    notes.push_back(
        "model.fit runs the forward pass and the loss on every batch but does "
        "not train: the weights keep their initial values, so the losses it "
        "prints and returns are those of the untrained model.");
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

// Every field of the run document (api.h), for a run that produced
// nothing: a run fills it in; a failure adds its error. One skeleton, so both
// kinds of document always have the same fields.
json EmptyDocument(std::optional<Profile> profile) {
  json doc;
  doc["ok"] = false;
  doc["profile"] =
      profile ? json(std::string(ProfileName(*profile))) : json(nullptr);
  doc["frameworks"] = profile ? FrameworksJson(*profile) : json(nullptr);
  doc["engine_version"] = kEngineVersion;
  doc["error"] = nullptr;
  doc["caught"] = json::array();
  doc["variables"] = json::object();
  doc["stdout"] = "";
  doc["steps"] = json::array();
  doc["steps_truncated"] = false;
  doc["notes"] = json::array();
  return doc;
}

// Invalid UTF-8 from a hostile program must not make dump() throw.
std::string Dump(const json& doc) {
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string FailureDocument(std::optional<Profile> profile,
                            std::string_view type, std::string message) {
  Error error;  // a plain text message: no op, shapes or Keras call
  error.text = std::move(message);
  json error_json = ErrorJson(error, 0, 0, 0, 0);
  error_json["type"] = std::string(type);
  error_json["framework"] = "playground";
  json doc = EmptyDocument(profile);
  doc["error"] = std::move(error_json);
  return Dump(doc);
}

std::string Session::Run(std::string_view source, const RunOptions& options) {
  Clear();
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
    py::RunLimits limits = options.run_limits;
    limits.max_steps = options.max_steps;
    const RunResult result = RunProgram(source, ctx, limits);

    TensorTable* table = &state_->tensors;
    json doc = EmptyDocument(options.profile);
    doc["ok"] = result.ok;
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
      const StepRecord& s = result.steps[i];
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
    return Dump(doc);
  } catch (const std::exception& e) {
    // RunProgram never throws; this guards the JSON assembly itself (e.g.
    // running out of memory while building the document).
    Clear();
    return FailureDocument(options.profile, "RuntimeError",
                           std::string("internal error: ") + e.what());
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
