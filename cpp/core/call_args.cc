#include "call_args.h"

#include <cstdlib>

#include "error.h"

namespace ap {

std::vector<Param> ParseParams(std::string_view spec) {
  std::vector<Param> params;
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view()
                                           : spec.substr(comma + 1);
    Param p;
    const size_t eq = item.find('=');
    p.name = std::string(item.substr(0, eq));
    if (eq != std::string_view::npos) {
      const std::string_view d = item.substr(eq + 1);
      Value v = Value::None();
      if (d == "True" || d == "False") {
        v = Value::Bool(d == "True");
      } else if (d == "float32") {
        v = Value::FromDType(DType::kFloat32);
      } else if (d == "int32") {
        v = Value::FromDType(DType::kInt32);
      } else if (d == "bool") {
        v = Value::FromDType(DType::kBool);
      } else if (d[0] == '\'') {
        v = Value::Str(std::string(d.substr(1, d.size() - 2)));
      } else if (d != "None") {
        const std::string text(d);
        v = d.find('.') != std::string_view::npos
                ? Value::Float(std::strtod(text.c_str(), nullptr))
                : Value::Int(std::strtoll(text.c_str(), nullptr, 10));
      }
      p.default_value = std::move(v);
    }
    params.push_back(std::move(p));
  }
  return params;
}

namespace {

std::string Plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string QuotedList(const std::vector<std::string>& names) {
  // CPython: 'a'; 'a' and 'b'; 'a', 'b', and 'c'
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0 && names.size() == 2) out += " and ";
    if (i > 0 && names.size() > 2) {
      out += (i + 1 == names.size()) ? ", and " : ", ";
    }
    out += "'" + names[i] + "'";
  }
  return out;
}

}  // namespace

BoundArgs BindArguments(std::string_view function_name,
                        const std::vector<Param>& params, const CallArgs& args,
                        bool accept_extra_keywords) {
  const std::string fn(function_name);
  BoundArgs bound;
  bound.values.resize(params.size());
  bound.was_given.assign(params.size(), false);
  bound.sources.assign(params.size(), "");

  size_t max_positional = 0;
  size_t required_positional = 0;
  for (const Param& p : params) {
    if (p.keyword_only) break;
    ++max_positional;
    if (!p.default_value) required_positional = max_positional;
  }
  if (args.positional.size() > max_positional) {
    std::string takes;
    if (required_positional == max_positional) {
      takes = Plural(max_positional, "positional argument");
    } else {
      takes = "from " + std::to_string(required_positional) + " to " +
              Plural(max_positional, "positional argument");
    }
    RaiseText(ErrorClass::kTypeError,
              fn + "() takes " + takes + " but " +
                  std::to_string(args.positional.size()) +
                  (args.positional.size() == 1 ? " was" : " were") + " given");
  }
  for (size_t i = 0; i < args.positional.size(); ++i) {
    bound.values[i] = args.positional[i];
    bound.was_given[i] = true;
    if (i < args.positional_sources.size()) {
      bound.sources[i] = args.positional_sources[i];
    }
  }
  for (size_t k = 0; k < args.keywords.size(); ++k) {
    const auto& [name, value] = args.keywords[k];
    size_t index = params.size();
    for (size_t i = 0; i < params.size(); ++i) {
      if (params[i].name == name) index = i;
    }
    if (index == params.size()) {
      if (accept_extra_keywords) {
        bound.extra_keywords.emplace_back(name, value);
        continue;
      }
      RaiseText(ErrorClass::kTypeError,
                fn + "() got an unexpected keyword argument '" + name + "'");
    }
    if (bound.was_given[index]) {
      RaiseText(ErrorClass::kTypeError,
                fn + "() got multiple values for argument '" + name + "'");
    }
    bound.values[index] = value;
    bound.was_given[index] = true;
    if (k < args.keyword_sources.size()) {
      bound.sources[index] = args.keyword_sources[k];
    }
  }
  std::vector<std::string> missing;
  bool missing_keyword_only = false;
  for (size_t i = 0; i < params.size(); ++i) {
    if (bound.was_given[i]) continue;
    if (params[i].default_value) {
      bound.values[i] = *params[i].default_value;
    } else {
      missing.push_back(params[i].name);
      missing_keyword_only = missing_keyword_only || params[i].keyword_only;
    }
  }
  if (!missing.empty()) {
    RaiseText(ErrorClass::kTypeError,
              fn + "() missing " + std::to_string(missing.size()) +
                  " required " +
                  (missing_keyword_only ? "keyword-only" : "positional") +
                  " argument" + (missing.size() == 1 ? "" : "s") + ": " +
                  QuotedList(missing));
  }
  return bound;
}

}  // namespace ap
