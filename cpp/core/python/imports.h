// The modules a program's import statements name, wherever they stand (in a
// function, a class, a try block): a framework may choose its flavour from
// them before the program runs.
#pragma once

#include <string>
#include <vector>

#include "ast.h"

namespace ap::py {

// Dotted module names in source order, repeats kept: `import a.b as c` gives
// "a.b", `from a.b import c` gives "a.b", `from . import x` gives "".
std::vector<std::string> ImportedModules(const Program& program);

}  // namespace ap::py
