#include "symbolic_errors.h"

#include "common.h"

namespace ap::keras {

Value WithSymbolicCallFrame(Profile profile, const Layer& layer,
                            const LayerCall& call,
                            FunctionRef<Value()> compute) {
  try {
    return compute();
  } catch (const ErrorException& e) {
    if (call.args.positional.size() != 1 || !call.args.keywords.empty()) {
      throw;
    }
    // A tuple of the formatted values: strings, so repr() quotes them.
    const std::string args = "('" + FormatArgumentValue(call[0]) + "',)";
    RethrowInCall(e, profile, layer.class_name(), layer.name(),
                  {{"args", args}, {"kwargs", "<class 'inspect._empty'>"}});
  }
}

}  // namespace ap::keras
