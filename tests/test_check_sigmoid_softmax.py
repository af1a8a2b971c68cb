"""Chapter 1's checkers: the right answer passes, each typical mistake is named, a stub is not attempted."""

import numpy as np
import pytest

from helpers.check import sigmoid_softmax as check


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z, axis=-1, max_over="axis", sum_over="axis", keepdims=True):
    """The stable softmax along `axis`, or a typical mistake: the max subtracted over another axis
    ("all": the whole array, None: no max subtracted), the sum over another axis (None: no sum)."""
    max_over, sum_over = (axis if over == "axis" else over for over in (max_over, sum_over))
    e = np.exp(z if max_over is None else z - z.max(axis=None if max_over == "all" else max_over,
                                                    keepdims=keepdims))
    return e if sum_over is None else e / e.sum(axis=sum_over, keepdims=keepdims)


def stable(z, swapped=False):
    e = np.exp(-np.abs(z))
    low, high = (e / (1 + e), 1 / (1 + e))[::-1 if swapped else 1]
    return np.where(z >= 0, high, low)


def stub(*args):
    ...  # the exercise's stub, untouched


STUB = "your function is still the stub: write its body in place of the ..."


def verdict_of(name, answer):
    """Checker `name`'s verdict on an answer (a tuple holds the arguments of a checker that takes several)."""
    return getattr(check, name)(*answer) if isinstance(answer, tuple) else getattr(check, name)(answer)


VERDICTS = {  # id: (checker, the answer, its verdict's mark: ✔ passed, ✘ wrong, … not attempted, words in it)
    "sigmoid_prime-right": ("sigmoid_prime", lambda z: sigmoid(z) * (1 - sigmoid(z)), "✔",
                            "equals s (1 - s) with s = sigmoid(z)"),
    "sigmoid_prime-stub": ("sigmoid_prime", stub, "…", STUB),
    "sigmoid_prime-of-a": ("sigmoid_prime", lambda z: z * (1 - z), "✘", "takes the pre-activation z"),
    "sigmoid_prime-tanh-form": ("sigmoid_prime", lambda z: 1 - sigmoid(z) ** 2, "✘", "tanh's derivative"),
    "sigmoid_prime-no-factor-s": ("sigmoid_prime", lambda z: 1 - sigmoid(z), "✘",
                                  "the factor s = sigmoid(z) is missing"),
    "sigmoid_prime-sign": ("sigmoid_prime", lambda z: -sigmoid(z) * (1 - sigmoid(z)), "✘", "off by the sign"),

    "stable_softmax-right": ("stable_softmax", softmax, "✔",
                             "stable at z = 1000, normalised along the axis asked for"),
    "stable_softmax-stub": ("stable_softmax", stub, "…", STUB),
    "stable_softmax-no-max": ("stable_softmax", lambda z, axis=-1: softmax(z, axis, max_over=None), "✘",
                              "no max subtracted: exp overflows at z = 1000"),
    "stable_softmax-max-of-all": ("stable_softmax", lambda z, axis=-1: softmax(z, axis, max_over="all"), "✘",
                                  "the maximum of the whole array is subtracted"),
    "stable_softmax-max-wrong-axis": ("stable_softmax", lambda z, axis=-1: softmax(z, axis, max_over=0), "✘",
                                      "the maximum is subtracted along the wrong axis"),
    "stable_softmax-no-sum": ("stable_softmax", lambda z, axis=-1: softmax(z, axis, sum_over=None), "✘",
                              "not normalised"),
    "stable_softmax-sum-wrong-axis": ("stable_softmax", lambda z, axis=-1: softmax(z, axis, sum_over=0), "✘",
                                      "normalised along the wrong axis"),
    "stable_softmax-axis-ignored": ("stable_softmax", lambda z, axis=-1: softmax(z, axis=0), "✘",
                                    "computed along axis 0"),
    "stable_softmax-no-keepdims": ("stable_softmax", lambda z, axis=-1: softmax(z, axis, keepdims=False), "✘",
                                   "keepdims=True"),

    "layer_shapes-right": ("layer_shapes", ((784, 10), (64, 10)), "✔", "W (784, 10), Z (64, 10)"),
    "layer_shapes-stub": ("layer_shapes", (..., ...), "…", "replace the ... with your answer"),
    "layer_shapes-W-transposed": ("layer_shapes", ((10, 784), (64, 10)), "✘",
                                  "(10, 784) where (784, 10) was expected"),
    "layer_shapes-Z-transposed": ("layer_shapes", ((784, 10), (10, 64)), "✘",
                                  "(10, 64) where (64, 10) was expected (transposed?)"),
    "layer_shapes-shape-of-X": ("layer_shapes", ((784, 10), (64, 784)), "✘", "is the shape of X"),

    "tanh_prime-right": ("tanh_prime", lambda z: 1 - np.tanh(z) ** 2, "✔", "equals 1 - tanh(z)^2"),
    "tanh_prime-stub": ("tanh_prime", stub, "…", STUB),
    "tanh_prime-not-squared": ("tanh_prime", lambda z: 1 - np.tanh(z), "✘", "the tanh must be squared"),
    "tanh_prime-sigmoid-form": ("tanh_prime", lambda z: np.tanh(z) * (1 - np.tanh(z)), "✘",
                                "copies the sigmoid's form"),

    "stable_sigmoid-right": ("stable_sigmoid", stable, "✔",
                             "no overflow at z = +-1000, agrees with helpers.backprop.sigmoid"),
    "stable_sigmoid-stub": ("stable_sigmoid", stub, "…", STUB),
    "stable_sigmoid-np-where-overflows": (
        "stable_sigmoid", lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))), "✘",
        "np.where evaluates both branches"),
    "stable_sigmoid-swapped": ("stable_sigmoid", lambda z: stable(z, swapped=True), "✘",
                               "the two branches are swapped"),

    "uniform_loss-right": ("uniform_loss", np.log, "✔", "log C for C = 2, 10, 1000"),
    "uniform_loss-stub": ("uniform_loss", stub, "…", STUB),
    "uniform_loss-probability": ("uniform_loss", lambda C: 1 / C, "✘", "1/C is the probability"),
    "uniform_loss-log10": ("uniform_loss", np.log10, "✘", "log base 10"),
}


@pytest.mark.parametrize("name, answer, mark, words", VERDICTS.values(), ids=VERDICTS)
def test_each_answer_gets_its_verdict(name, answer, mark, words):
    verdict = str(verdict_of(name, answer))
    assert verdict.startswith(f"{mark} {name}: ") and words in verdict, verdict
