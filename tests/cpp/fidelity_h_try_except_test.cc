// h_try_except: catching by class, re-raise, exception attributes.
#include "fidelity_util.h"

namespace ap::fidelity {
namespace {

#define HDR "import tensorflow as tf\nfrom tensorflow.keras import layers\n"

const Case kCases[] = {
    // A bare `raise` keeps CPython's traceback: the innermost frame is still
    // the statement that first raised (line 4), not the `raise` (line 7).
    {"bare_reraise_keeps_original_line",
     HDR "try:\n"
         "    c = tf.ones((2, 3)) + tf.ones((3, 2))\n"
         "except tf.errors.InvalidArgumentError as e:\n"
         "    print(\"x\")\n"
         "    raise\n",
     R"J({"ok": false, "error": ["InvalidArgumentError", 4], "absent": ["c"],
         "stdout": "x\n", "caught": [["InvalidArgumentError", 4]]})J"},
    // `raise e` adds the raise line to the traceback but the innermost entry
    // is still the original one.
    {"raise_e_keeps_original_line",
     HDR "try:\n"
         "    c = tf.matmul(tf.ones((2, 3)), tf.ones((2, 3)))\n"
         "except tf.errors.InvalidArgumentError as e:\n"
         "    err = e\n"
         "raise err\n",
     R"J({"ok": false, "error": ["InvalidArgumentError", 4],
         "caught": [["InvalidArgumentError", 4]]})J"},
    {"reraise_inside_function_keeps_inner_line",
     HDR
     "def f():\n"
     "    try:\n"
     "        return tf.concat([tf.ones((2, 3)), tf.ones((3, 3))], axis=1)\n"
     "    except tf.errors.InvalidArgumentError:\n"
     "        print(\"re-raising\")\n"
     "        raise\n"
     "x = f()\n",
     R"J({"ok": false, "error": ["InvalidArgumentError", 5], "absent": ["x"],
         "stdout": "re-raising\n", "caught": [["InvalidArgumentError", 5]]})J"},
    // A new exception raised from a handler is reported where it is raised.
    {"raise_from_new_exception_uses_raise_line",
     HDR "try:\n"
         "    c = tf.ones((2, 3)) + tf.ones((3, 2))\n"
         "except tf.errors.InvalidArgumentError as e:\n"
         "    raise ValueError(\"wrapped\") from e\n",
     R"J({"ok": false, "error": ["ValueError", 6],
         "caught": [["InvalidArgumentError", 4]]})J"},
    {"exception_class_attribute",
     HDR "try:\n"
         "    c = tf.matmul(tf.ones((2, 3)), tf.ones((2, 3)))\n"
         "except tf.errors.InvalidArgumentError as e:\n"
         "    print(e.__class__.__name__, e.__class__ is "
         "tf.errors.InvalidArgumentError)\n"
         "    print(e.op, e.error_code)\n",
     R"J({"ok": true, "stdout": "InvalidArgumentError True\nNone 3\n"})J"},
    {"except_valueerror_misses_op_error",
     HDR "try:\n"
         "    y = tf.reshape(tf.ones((6,)), (4, 2))\n"
         "except ValueError:\n"
         "    y = None\n",
     R"J({"ok": false, "error": ["InvalidArgumentError", 4], "absent": ["y"]})J"},
    {"operror_base_catches_invalid_argument",
     HDR "try:\n"
         "    y = tf.reshape(tf.ones((6,)), (4, 2))\n"
         "except tf.errors.OpError as e:\n"
         "    print(type(e).__name__, isinstance(e, Exception))\n"
         "else:\n"
         "    print(\"else\")\n"
         "finally:\n"
         "    print(\"finally\")\n",
     R"J({"ok": true, "stdout": "InvalidArgumentError True\nfinally\n",
         "caught": [["InvalidArgumentError", 4]]})J"},
    {"keras_valueerror_caught_by_exception",
     HDR "try:\n"
         "    out = layers.Attention()([tf.ones((1, 2, 3))])\n"
         "except Exception as e:\n"
         "    print(type(e).__name__)\n",
     R"J({"ok": true, "stdout": "ValueError\n", "absent": ["out"],
         "caught": [["ValueError", 4]]})J"},
    {"nested_try_inner_misses_outer_catches",
     HDR "try:\n"
         "    try:\n"
         "        c = tf.reshape(tf.ones((6,)), (4, 2))\n"
         "    except ValueError:\n"
         "        print(\"inner\")\n"
         "except tf.errors.InvalidArgumentError:\n"
         "    print(\"outer\")\n",
     R"J({"ok": true, "stdout": "outer\n", "caught": [["InvalidArgumentError", 5]]})J"},
    {"loop_with_try_collects_results",
     HDR "results = []\n"
         "for n in [3, 4, 5]:\n"
         "    try:\n"
         "        y = tf.reshape(tf.range(12), (n, -1))\n"
         "        results.append(y.shape[1])\n"
         "    except tf.errors.InvalidArgumentError:\n"
         "        results.append(-1)\n"
         "print(results)\n",
     R"J({"ok": true, "stdout": "[4, 3, -1]\n",
         "caught": [["InvalidArgumentError", 6]]})J"},
};

class FidelityTryExcept : public ::testing::TestWithParam<Case> {};
TEST_P(FidelityTryExcept, AgreesWithRealKeras) { CheckCase(GetParam()); }
INSTANTIATE_TEST_SUITE_P(H, FidelityTryExcept, ::testing::ValuesIn(kCases),
                         [](const auto& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace ap::fidelity
