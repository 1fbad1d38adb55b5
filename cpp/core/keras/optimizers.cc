#include "optimizers.h"

#include <cctype>
#include <cstdio>
#include <optional>
#include <utility>

#include "../python/runtime.h"
#include "../repr.h"
#include "common.h"

namespace ap::keras {

namespace {

// An optimizer object (keras.optimizers.Adam(...)): compile() accepts it.
class Optimizer : public Callable {
 public:
  Optimizer(std::string class_name, std::string module, uint64_t address,
            std::optional<double> learning_rate)
      : class_name_(std::move(class_name)),
        module_(std::move(module)),
        address_(address),
        learning_rate_(learning_rate) {}
  const std::optional<double>& learning_rate() const { return learning_rate_; }
  std::string TypeName() const override { return class_name_; }
  std::string Repr() const override {
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%llx",
                  static_cast<unsigned long long>(address_));
    return "<keras.src.optimizers." + module_ + "." + class_name_ +
           " object at " + hex + ">";
  }
  Value Call(RunContext&, const CallArgs&) override {
    RaiseTypeError("'" + class_name_ + "' object is not callable");
  }

 private:
  std::string class_name_, module_;
  uint64_t address_;
  std::optional<double> learning_rate_;  // nullopt: not a number
};

// The keywords an optimizer's __init__ names (keras/src/optimizers/*.py
// and base_optimizer.py, Keras 3.15; tf_keras/src/optimizers/*.py and
// optimizer.py, tf-keras 2.21): its own, then the base class's. None of them
// changes a shape: the playground does not train.
constexpr char kKeras3Base[] =
    "weight_decay=None,clipnorm=None,clipvalue=None,global_clipnorm=None,"
    "use_ema=False,ema_momentum=0.99,ema_overwrite_frequency=None,"
    "loss_scale_factor=None,gradient_accumulation_steps=None,name=None";
constexpr char kTfKerasBase[] =
    "weight_decay=None,clipnorm=None,clipvalue=None,global_clipnorm=None,"
    "use_ema=False,ema_momentum=0.99,ema_overwrite_frequency=None,"
    "jit_compile=True,name=None";

// **kwargs the base class rejects: Keras 3 drops `decay` (with a warning)
// and names the rest; tf-keras drops `lr` (an alias it warns about) and
// raises for the first other one.
void CheckExtraKeywords(RunContext& ctx, const char* cls,
                        const std::vector<Param>& params,
                        const CallArgs& args) {
  DictItems extra;
  for (const auto& [key, value] : args.keywords) {
    bool named = false;
    for (const Param& p : params) named = named || p.name == key;
    if (!named) extra.emplace_back(Value::Str(key), value);
  }
  if (ctx.profile == Profile::kTfKeras) {
    for (const auto& [key, value] : extra) {
      const std::string& k = key.as_str();
      if (k == "lr" || k == "is_legacy_optimizer") continue;
      if (k == "decay" || k == "gradient_aggregator" ||
          k == "gradient_transformers") {
        RaiseValueError(k +
                        " is deprecated in the new TF-Keras optimizer, please "
                        "check the docstring for valid arguments, or use the "
                        "legacy optimizer, e.g., tf.keras.optimizers.legacy." +
                        cls + ".");
      }
      RaiseTypeError(k +
                     " is not a valid argument, kwargs should be empty  for "
                     "`optimizer_experimental.Optimizer`.");
    }
    return;
  }
  DictItems rejected;
  for (auto& item : extra) {
    if (item.first.as_str() != "decay") rejected.push_back(std::move(item));
  }
  if (!rejected.empty()) {
    RaiseValueError("Argument(s) not recognized: " +
                    ap::Repr(Value::Dict(std::move(rejected))));
  }
}

template <const char* kClass, const char* kModule, const char* kOwnParams>
std::shared_ptr<Callable> MakeOptimizer(RunContext& ctx, const CallArgs& args) {
  const std::string spec =
      std::string(kOwnParams) + "," +
      (ctx.profile == Profile::kTfKeras ? kTfKerasBase : kKeras3Base);
  const std::vector<Param> params = ParseParams(spec);
  const BoundArgs bound =
      BindArguments(std::string(kClass) + ".__init__", params, args,
                    /*accept_extra_keywords=*/true);
  CheckExtraKeywords(ctx, kClass, params, args);
  Value rate = bound[0];
  // tf-keras takes `lr` for learning_rate (with a warning).
  for (const auto& [key, value] : bound.extra_keywords) {
    if (key == "lr" && ctx.profile == Profile::kTfKeras) rate = value;
  }
  return std::make_shared<Optimizer>(
      kClass, kModule, NewObjectAddress(ctx),
      rate.is_number() && rate.kind() != Value::Kind::kBool
          ? std::optional<double>(rate.as_number())
          : std::nullopt);
}

constexpr char kAdam[] = "Adam", kAdamModule[] = "adam",
               kAdamParams[] =
                   "learning_rate=0.001,beta_1=0.9,beta_2=0.999,"
                   "epsilon=1e-07,amsgrad=False";
constexpr char kAdamW[] = "AdamW", kAdamWModule[] = "adamw",
               kAdamWParams[] =
                   "learning_rate=0.001,weight_decay=0.004,beta_1=0.9,"
                   "beta_2=0.999,epsilon=1e-07,amsgrad=False";
constexpr char kSgd[] = "SGD", kSgdModule[] = "sgd",
               kSgdParams[] = "learning_rate=0.01,momentum=0.0,nesterov=False";
constexpr char kRmsprop[] = "RMSprop", kRmspropModule[] = "rmsprop",
               kRmspropParams[] =
                   "learning_rate=0.001,rho=0.9,momentum=0.0,epsilon=1e-07,"
                   "centered=False";

}  // namespace

bool IsOptimizer(const Value& v) {
  return v.kind() == Value::Kind::kObject &&
         std::dynamic_pointer_cast<Optimizer>(v.as_object()) != nullptr;
}

std::optional<double> LearningRate(const Value& optimizer) {
  if (optimizer.kind() == Value::Kind::kStr) {
    // The classes' default learning rates: 0.01 for SGD, 0.001 for the
    // others.
    std::string lower = optimizer.as_str();
    for (char& c : lower) c = static_cast<char>(std::tolower(c));
    return lower == "sgd" ? 0.01 : 0.001;
  }
  if (const auto o =
          optimizer.kind() == Value::Kind::kObject
              ? std::dynamic_pointer_cast<Optimizer>(optimizer.as_object())
              : nullptr) {
    return o->learning_rate();
  }
  return std::nullopt;
}

bool IsOptimizerName(const std::string& s) {
  // keras.optimizers.get's names (keras/src/optimizers/__init__.py).
  static const char* const kNames[] = {
      "adadelta", "adafactor", "adagrad", "adam",  "adamw",   "adamax",
      "ftrl",     "lion",      "lamb",    "nadam", "rmsprop", "sgd"};
  std::string lower = s;
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  for (const char* n : kNames) {
    if (lower == n) return true;
  }
  return false;
}

const std::vector<OptimizerClass>& OptimizerClasses() {
  static const std::vector<OptimizerClass> table = {
      {"Adam", MakeOptimizer<kAdam, kAdamModule, kAdamParams>},
      {"AdamW", MakeOptimizer<kAdamW, kAdamWModule, kAdamWParams>},
      {"RMSprop", MakeOptimizer<kRmsprop, kRmspropModule, kRmspropParams>},
      {"SGD", MakeOptimizer<kSgd, kSgdModule, kSgdParams>},
  };
  return table;
}

}  // namespace ap::keras
