// dict.keys(), dict.values() and dict.items(): views of the dict, as
// CPython 3.11 has them. They print as `dict_keys(['a', 'b'])`, follow the
// dict's later changes, and iterate, take len() and `in`; they are not
// lists (no indexing).
#pragma once

#include "../run_context.h"
#include "../value.h"

namespace ap::py {

enum class DictViewKind { kKeys, kValues, kItems };

// A view of `dict` (a Value of kind kDict).
Value MakeDictView(const Value& dict, DictViewKind kind);

}  // namespace ap::py
