"""The real-TF worker's reading of a run: lines, caught errors, symbolic
shapes, runaway programs. Needs the oracle venv (skipped without it).
Run: .venv-oracle/bin/python -m unittest discover -s tests/oracle -p 'test_*.py'"""

import importlib.util
import unittest

HAVE_TF = importlib.util.find_spec("tensorflow") is not None
if HAVE_TF:
    import real_tf

HDR = "import tensorflow as tf\nfrom tensorflow.keras import layers\n"


@unittest.skipUnless(HAVE_TF, "needs the oracle venv (.venv-oracle)")
class RealRunTest(unittest.TestCase):
    def run_program(self, code, timeout_s=10):
        return real_tf.run_program(code, seed=1, timeout_s=timeout_s)

    def test_error_line_is_the_statements_first_line(self):
        doc = self.run_program(HDR + "x = tf.concat(\n    [tf.zeros((32, 2)),\n     tf.zeros((1200, 2))],\n    axis=1)\n")
        self.assertFalse(doc["ok"])
        self.assertEqual(doc["error"]["type"], "InvalidArgumentError")
        self.assertEqual(doc["error"]["line"], 3)
        self.assertIn("[Op:ConcatV2]", doc["error"]["message"])

    def test_caught_errors_are_recorded_and_the_name_unbound(self):
        code = HDR + "try:\n    tf.reshape(tf.ones((2, 3)), (4,))\nexcept tf.errors.InvalidArgumentError as e:\n    print(type(e).__name__)\n"
        doc = self.run_program(code)
        self.assertTrue(doc["ok"])
        self.assertEqual([(c["type"], c["line"]) for c in doc["caught"]], [("InvalidArgumentError", 4)])
        self.assertEqual(doc["stdout"], "InvalidArgumentError\n")
        self.assertNotIn("e", doc["variables"])

    def test_symbolic_shapes_have_null_dims(self):
        doc = self.run_program(HDR + "x = tf.keras.Input(shape=(None, 64))\n")
        self.assertEqual(doc["variables"]["x"]["shape"], [None, None, 64])
        self.assertIsNone(doc["variables"]["x"]["values"])

    def test_a_runaway_program_is_stopped(self):
        doc = self.run_program("while True:\n    pass\n", timeout_s=0.5)
        self.assertIn("timeout", doc)
        self.assertFalse(doc["ok"])

    def test_a_syntax_error_keeps_its_line_apart_from_its_text(self):
        doc = self.run_program("x = (1,\n")
        self.assertEqual(doc["error"]["type"], "SyntaxError")
        self.assertNotIn("<program>", doc["error"]["message"])
        self.assertEqual(doc["error"]["line"], 1)


if __name__ == "__main__":
    unittest.main()
