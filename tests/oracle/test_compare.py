"""The oracle's comparator on hand-made documents: it must find each kind
of disagreement and must not call seed-dependent numbers one.
Run: python3 -m unittest discover -s tests/oracle -p 'test_*.py'"""

import unittest

import compare

CODE = "import tensorflow as tf\n"


def doc(ok=True, error=None, variables=None, stdout="", caught=None, notes=None):
    return {"ok": ok, "error": error, "caught": caught or [], "variables": variables or {},
            "stdout": stdout, "notes": notes or []}


def err(type_, line, message):
    return {"type": type_, "line": line, "message": message}


def tensor(shape, dtype="float32", values=None):
    return {"kind": "tensor", "shape": shape, "dtype": dtype, "values": values}


def real(a, b=None):
    return compare.merge_seeds(a, b or a)


class VerdictTest(unittest.TestCase):
    def test_same_error_and_message_agree_exactly(self):
        e = err("InvalidArgumentError", 3, "Incompatible shapes: [32,2] vs. [1200,2] [Op:AddV2] name: ")
        out = compare.compare(doc(False, e), real(doc(False, e)), CODE)
        self.assertEqual(out.kind, "agree")
        self.assertEqual((out.messages_exact, out.messages_compared), (1, 1))

    def test_class_line_and_message_differences_are_named(self):
        engine = doc(False, err("ValueError", 4, "a"))
        self.assertEqual(
            [d.field for d in compare.compare(engine, real(doc(False, err("InvalidArgumentError", 4, "a"))), CODE).differences],
            ["error.type"])
        self.assertEqual(
            [d.field for d in compare.compare(engine, real(doc(False, err("ValueError", 5, "a"))), CODE).differences],
            ["error.line"])
        self.assertEqual(
            [d.field for d in compare.compare(engine, real(doc(False, err("ValueError", 4, "b"))), CODE).differences],
            ["error.message"])

    def test_install_location_in_a_folded_traceback_is_not_compared(self):
        frame = 'in user code:\n\n    File "{}/tf_keras/src/engine/training.py", line 1398\n'
        engine = doc(False, err("ValueError", 4, frame.format("/usr/local/lib/python3.11/site-packages")))
        colab = real(doc(False, err("ValueError", 4, frame.format("/usr/local/lib/python3.10/dist-packages"))))
        self.assertEqual(compare.compare(engine, colab, CODE).kind, "agree")
        other = real(doc(False, err("ValueError", 4, frame.format("/x/site-packages").replace("1398", "1399"))))
        self.assertEqual([d.field for d in compare.compare(engine, other, CODE).differences], ["error.message"])

    def test_ok_against_error_is_a_disagreement(self):
        out = compare.compare(doc(True), real(doc(False, err("ValueError", 2, "x"))), CODE)
        self.assertEqual([d.field for d in out.differences], ["ok"])

    def test_refusal_is_not_a_disagreement_unless_real_failed_earlier(self):
        refused = doc(False, err("NotSupportedError", 5, "numpy is not modelled"))
        self.assertEqual(compare.compare(refused, real(doc(True)), CODE).kind, "refused")
        earlier = real(doc(False, err("ValueError", 3, "x")))
        self.assertEqual(compare.compare(refused, earlier, CODE).kind, "disagree")

    def test_caught_errors_are_compared_in_order(self):
        caught = [err("InvalidArgumentError", 4, "m")]
        out = compare.compare(doc(caught=[]), real(doc(caught=caught)), CODE)
        self.assertEqual([d.field for d in out.differences], ["caught"])


class SeedTest(unittest.TestCase):
    def test_values_that_change_with_the_seed_are_not_compared(self):
        a = doc(variables={"x": tensor([2], values=[0.1, 0.2])})
        b = doc(variables={"x": tensor([2], values=[0.3, 0.4])})
        engine = doc(variables={"x": tensor([2], values=[9.0, 9.0])})
        self.assertEqual(compare.compare(engine, compare.merge_seeds(a, b), CODE).kind, "agree")

    def test_deterministic_values_are_compared_within_tolerance(self):
        r = real(doc(variables={"x": tensor([3], values=[0.5, 0.25, float("nan").__repr__()])}))
        close = doc(variables={"x": tensor([3], values=[0.50003, 0.25, "nan"])})
        far = doc(variables={"x": tensor([3], values=[0.51, 0.25, "nan"])})
        self.assertEqual(compare.compare(close, r, CODE).kind, "agree")
        self.assertEqual([d.field for d in compare.compare(far, r, CODE).differences], ["variables.x.values"])

    def test_shape_and_dtype_are_always_compared(self):
        r = real(doc(variables={"x": tensor([1, None, 64])}))
        self.assertEqual(compare.compare(doc(variables={"x": tensor([1, None, 64])}), r, CODE).kind, "agree")
        out = compare.compare(doc(variables={"x": tensor([1, 5, 64])}), r, CODE)
        self.assertEqual([d.field for d in out.differences], ["variables.x.shape"])

    def test_a_message_with_a_seed_dependent_dump_is_compared_masked(self):
        def message(numbers):
            return ("Received: inputs=[<tf.Tensor: shape=(1, 3), dtype=float32, numpy=\narray([[" + numbers
                    + "]], dtype=float32)>].\x1b[0m")
        a = doc(False, err("ValueError", 9, message("0.1, 0.2, 0.3")))
        b = doc(False, err("ValueError", 9, message("0.5, 0.6, 0.7")))
        same = doc(False, err("ValueError", 9, message("1.5, -2.,  3.25")))
        other = doc(False, err("ValueError", 9, message("1.5, 2.5, 3.5").replace("shape=(1, 3)", "shape=(1, 4)")))
        merged = compare.merge_seeds(a, b)
        self.assertEqual(compare.compare(same, merged, CODE).kind, "agree")
        self.assertEqual([d.field for d in compare.compare(other, merged, CODE).differences], ["error.message"])

    def test_printed_floats_may_differ_in_the_last_digit_only(self):
        r = real(doc(stdout="tf.Tensor([5.0000001e-02 1.], shape=(2,))\n"))
        self.assertEqual(compare.compare(doc(stdout="tf.Tensor([5.0000000e-02 1.], shape=(2,))\n"), r, CODE).kind,
                         "agree")
        far = doc(stdout="tf.Tensor([5.0001000e-02 1.], shape=(2,))\n")
        self.assertEqual([d.field for d in compare.compare(far, r, CODE).differences], ["stdout"])
        words = doc(stdout="tf.Tensor([5.0000000e-02 1.], shape=(3,))\n")
        self.assertEqual([d.field for d in compare.compare(words, r, CODE).differences], ["stdout"])

    def test_a_last_digit_may_change_numpys_padding(self):
        r = real(doc(stdout="[[0.99999994 0.5       ]]\n"))
        self.assertEqual(compare.compare(doc(stdout="[[1.  0.5]]\n"), r, CODE).kind, "agree")
        repr_ = real(doc(stdout="array([[0.12123603, 0.1222126 , 0.12318915]])\n"))
        engine = doc(stdout="array([[0.12123604, 0.12221258, 0.12318915]])\n")
        self.assertEqual(compare.compare(engine, repr_, CODE).kind, "agree")

    def test_masking_ignores_column_padding_and_wrapping(self):
        a = "Received input: [-0.35158136  0.86048454\n -0.30195966]"
        b = "Received input: [ 0.40308788 -1.0880208\n -0.7642213 ]"
        self.assertEqual(compare.mask_values(a), compare.mask_values(b))
        self.assertNotEqual(compare.mask_values(a), compare.mask_values("Received input: [0.1 0.2]"))

    def test_masking_keeps_structure(self):
        text = "tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)"
        self.assertEqual(compare.mask_values(text), "tf.Tensor(…, shape=(2, 2), dtype=float32)")


class AcceptedTest(unittest.TestCase):
    def test_rules_match_by_id_profile_and_field(self):
        rules = [{"id": "article-*", "profile": "tf_keras", "field": "error.message", "reason": "why"}]
        d = compare.Difference("error.message", "a", "b")
        self.assertEqual(compare.accepted_reason(rules, "article-2", "tf_keras", d), "why")
        self.assertIsNone(compare.accepted_reason(rules, "article-2", "keras3", d))
        self.assertIsNone(compare.accepted_reason(rules, "other", "tf_keras", d))


if __name__ == "__main__":
    unittest.main()


# Keras' verbose=1 bar: a first draw, backspaces over it, the final draw.
def bar(first_time, steps, loss, last_time, pad=""):
    first = f"\r\x1b[1m1/{steps}\x1b[0m \x1b[32m━━━━━━\x1b[0m\x1b[37m━━━━━━━━━━━━━━\x1b[0m \x1b[1m0s\x1b[0m {first_time}/step - loss: {loss}"
    final = f"\r\x1b[1m{steps}/{steps}\x1b[0m \x1b[32m━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[37m\x1b[0m \x1b[1m1s\x1b[0m {last_time}/step - loss: {loss}{pad}\n"
    return first + "\b" * 60 + final


class ProgressBarTest(unittest.TestCase):
    def test_timings_metric_values_and_redraws_are_masked(self):
        engine = doc(stdout="Epoch 1/2\n" + bar("6us", 3, "1.9773", "4us") + "done\n")
        # Real Keras drew the line twice more on a slow machine.
        redraw = "\b" * 50 + "\r\x1b[1m2/3\x1b[0m \x1b[32m━━━━━━━━━━━━━\x1b[0m\x1b[37m━━━━━━━\x1b[0m \x1b[1m0s\x1b[0m 90ms/step - loss: 1.5"
        slow = bar("241ms", 3, "1.7769", "6ms", pad="  ")
        i = slow.index("\b")
        r = real(doc(stdout="Epoch 1/2\n" + slow[:i] + redraw + slow[i:] + "done\n"),
                 doc(stdout="Epoch 1/2\n" + bar("300ms", 3, "1.8", "7ms") + "done\n"))
        self.assertEqual(compare.compare(engine, r, CODE).kind, "agree")

    def test_verbose_2_line_masks_elapsed_step_time_and_values(self):
        engine = doc(stdout="3/3 - 0s - 11us/step - loss: 1.9773 - val_loss: 2.0e-04\n")
        r = real(doc(stdout="3/3 - 1s - 365ms/step - loss: 3.0732 - val_loss: 3.0482\n"))
        self.assertEqual(compare.compare(engine, r, CODE).kind, "agree")

    def test_step_counts_and_metric_names_still_count(self):
        r = real(doc(stdout="3/3 - 0s - 23ms/step - loss: 1.7510 - mae: 1.0552\n"))
        for other in ("2/2 - 0s - 23ms/step - loss: 1.7510 - mae: 1.0552\n",
                      "3/3 - 0s - 23ms/step - loss: 1.7510 - mse: 1.0552\n",
                      "3/3 - 0s - 23ms/step - loss: 1.7510\n"):
            self.assertEqual(compare.compare(doc(stdout=other), r, CODE).kind, "disagree", other)
        self.assertEqual(compare.compare(doc(stdout=bar("1ms", 2, "1.0", "1ms")), real(doc(stdout=bar("1ms", 3, "1.0", "1ms"))), CODE).kind,
                         "disagree")

    def test_text_outside_progress_lines_is_not_masked(self):
        r = real(doc(stdout="loss: 1.7510 took 12ms/step\n"))
        self.assertEqual(compare.compare(doc(stdout="loss: 1.2000 took 3ms/step\n"), r, CODE).kind, "disagree")
        # A program's own carriage return is kept as it is.
        r = real(doc(stdout="a\rb\n"))
        self.assertEqual(compare.compare(doc(stdout="b\n"), r, CODE).kind, "disagree")
