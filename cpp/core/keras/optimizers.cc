#include "optimizers.h"

#include <cctype>
#include <cstdio>
#include <utility>

#include "../python/runtime.h"
#include "common.h"

namespace ap::keras {

namespace {

// An optimizer object (keras.optimizers.Adam(...)): compile() accepts it.
class Optimizer : public Callable {
 public:
  Optimizer(std::string class_name, std::string module, uint64_t address)
      : class_name_(std::move(class_name)),
        module_(std::move(module)),
        address_(address) {}
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
};

template <const char* kClass, const char* kModule>
std::shared_ptr<Callable> MakeOptimizer(RunContext& ctx, const CallArgs& args) {
  // Every optimizer takes learning_rate first; its other keywords change
  // only how it would train.
  BindArguments(std::string(kClass) + ".__init__",
                ParseParams("learning_rate=0.001"), args,
                /*accept_extra_keywords=*/true);
  return std::make_shared<Optimizer>(kClass, kModule, NewObjectAddress(ctx));
}

constexpr char kAdam[] = "Adam", kAdamModule[] = "adam";
constexpr char kAdamW[] = "AdamW", kAdamWModule[] = "adamw";
constexpr char kSgd[] = "SGD", kSgdModule[] = "sgd";
constexpr char kRmsprop[] = "RMSprop", kRmspropModule[] = "rmsprop";

}  // namespace

bool IsOptimizer(const Value& v) {
  return v.kind() == Value::Kind::kObject &&
         std::dynamic_pointer_cast<Optimizer>(v.as_object()) != nullptr;
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
      {"Adam", MakeOptimizer<kAdam, kAdamModule>},
      {"AdamW", MakeOptimizer<kAdamW, kAdamWModule>},
      {"RMSprop", MakeOptimizer<kRmsprop, kRmspropModule>},
      {"SGD", MakeOptimizer<kSgd, kSgdModule>},
  };
  return table;
}

}  // namespace ap::keras
