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
