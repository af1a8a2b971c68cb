"""Chapter 3's checkers: the right answer passes, each typical mistake is named, a stub is not attempted."""

import numpy as np
import pytest

from helpers.backprop import sigmoid, sigmoid_prime
from helpers.check import xor as check


def backward(slope="z1", divide=True, transpose_W1=False, sum_b1=True, mean_b1=False):
    """The XOR backward pass with biases, or one of its typical mistakes."""
    def answer(X, Y, W1, b1, W2, b2):
        n = len(X) if divide else 1
        z1 = X @ W1 + b1
        a1 = sigmoid(z1)
        delta2 = (sigmoid(a1 @ W2 + b2) - Y) / n
        delta1 = (delta2 @ W2.T) * sigmoid_prime(z1 if slope == "z1" else a1)
        grad_W1 = delta1.T @ X if transpose_W1 else X.T @ delta1
        grad_b1 = delta1.mean(axis=0) if mean_b1 else delta1.sum(axis=0) if sum_b1 else delta1
        return grad_W1, grad_b1, a1.T @ delta2, delta2.sum(axis=0)
    return answer


def xor_backward_stub(X, Y, W1, b1, W2, b2):
    grad_W1 = grad_b1 = grad_W2 = grad_b2 = ...
    return grad_W1, grad_b1, grad_W2, grad_b2


STUB = "your function is still the stub: write its body in place of the ..."


VERDICTS = {  # id: (checker, the answer, its verdict's mark: ✔ passed, ✘ wrong, … not attempted, words in it)
    "xor_backward-right": ("xor_backward", backward(), "✔", "all four gradients match central differences"),
    "xor_backward-stub": ("xor_backward", xor_backward_stub, "…", STUB),
    "xor_backward-slope-at-a1": ("xor_backward", backward(slope="a1"), "✘",
                                 "grad_W1 uses sigmoid_prime(a1), the slope at the activation (R3's bug)"),
    "xor_backward-W1-transposed": ("xor_backward", backward(transpose_W1=True), "✘",
                                   "grad_W1 has shape (3, 2) where (2, 3) was expected: transposed"),
    "xor_backward-b1-not-summed": (
        "xor_backward", backward(sum_b1=False), "✘",
        "grad_b1 has shape (4, 3) where (3,) was expected: sum the deltas over the batch"),
    "xor_backward-b1-averaged": ("xor_backward", backward(mean_b1=True), "✘",
                                 "grad_b1 is off by a factor of 0.25: divided by n = 4 once too often"),
    "xor_backward-not-divided": ("xor_backward", backward(divide=False), "✘",
                                 "grad_W1 is off by a factor of 4: delta2 is not divided by n = 4"),

    "sigmoid_slope-right": ("sigmoid_slope", lambda a: a * (1 - a), "✔", ""),
    "sigmoid_slope-stub": ("sigmoid_slope", lambda a: ..., "…", STUB),
    "sigmoid_slope-at-a": ("sigmoid_slope", sigmoid_prime, "✘",
                           "that is sigmoid_prime(a), the slope at the activation (R3's bug)"),
    "sigmoid_slope-tanh": ("sigmoid_slope", lambda a: 1 - a**2, "✘",
                           "1 - a**2 is the slope of tanh, not of the sigmoid"),

    "tanh_prime-right": ("tanh_prime", lambda z: 1 - np.tanh(z) ** 2, "✔", ""),
    "tanh_prime-stub": ("tanh_prime", lambda z: ..., "…", STUB),
    "tanh_prime-z-for-tanh": ("tanh_prime", lambda z: 1 - z**2, "✘", "1 - z**2 takes z for tanh(z)"),
    "tanh_prime-sigmoid-pattern": ("tanh_prime", lambda z: np.tanh(z) * (1 - np.tanh(z)), "✘",
                                   "tanh(z) * (1 - tanh(z)) is the sigmoid's pattern"),
}


@pytest.mark.parametrize("name, answer, mark, words", VERDICTS.values(), ids=VERDICTS)
def test_each_answer_gets_its_verdict(name, answer, mark, words):
    verdict = str(getattr(check, name)(answer))
    assert verdict.startswith(f"{mark} {name}: ") and words in verdict, verdict
