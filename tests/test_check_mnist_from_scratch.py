"""Chapter 4's checkers: the right answer passes, each typical mistake is named, a stub is not attempted."""

import numpy as np
import pytest

from helpers.backprop import softmax
from helpers.check import mnist_from_scratch as check


def logits_gradient(mistake=None):
    """(softmax(logits) - one-hot) / n, or one of its typical mistakes."""
    def answer(logits, y):
        n, P, Y = len(y), softmax(logits, axis=1), np.eye(10)[y]
        if mistake == "not divided":
            return P - Y
        if mistake == "labels in every column":
            return (P - y[:, None]) / n
        if mistake == "integer labels":
            return (P - y) / n
        return P / n if mistake == "no labels" else (P - Y) / n
    return answer


def inverted_dropout(mistake=None):
    """Inverted dropout, or one of its typical mistakes."""
    def answer(a, p, rng):
        keep = rng.random(a.shape) >= p
        return {"keeps p": a * ~keep / (1 - p), "not scaled": a * keep,
                "scaled by 1/p": a * keep / p}.get(mistake, a * keep / (1 - p))
    return answer


STUB = "your function is still the stub: write its body in place of the ..."


VERDICTS = {  # id: (checker, the answer, its verdict's mark: ✔ passed, ✘ wrong, … not attempted, words in it)
    "logits_gradient-right": ("logits_gradient", logits_gradient(), "✔", "matches central differences"),
    "logits_gradient-stub": ("logits_gradient", lambda logits, y: ..., "…", STUB),
    "logits_gradient-not-divided": ("logits_gradient", logits_gradient("not divided"), "✘",
                                    "off by a factor of 5 = the batch size"),
    "logits_gradient-labels-in-every-column": (
        "logits_gradient", logits_gradient("labels in every column"), "✘", "subtract the one-hot Y"),
    "logits_gradient-integer-labels": ("logits_gradient", logits_gradient("integer labels"), "✘",
                                       "subtract the one-hot labels Y = np.eye(10)[y]"),
    "logits_gradient-no-labels": ("logits_gradient", logits_gradient("no labels"), "✘",
                                  "the one-hot labels are missing"),

    "weight_gradient-right": ("weight_gradient", lambda h, g, W2, l2: h.T @ g + l2 * W2, "✔",
                              "matches central differences"),
    "weight_gradient-stub": ("weight_gradient", lambda h, g, W2, l2: ..., "…", STUB),
    "weight_gradient-transposed": ("weight_gradient", lambda h, g, W2, l2: g.T @ h + l2 * W2.T, "✘",
                                   "shape (10, 4) where (4, 10) was expected: transposed"),
    "weight_gradient-penalty-doubled": ("weight_gradient", lambda h, g, W2, l2: h.T @ g + 2 * l2 * W2, "✘",
                                        "the penalty's gradient is off by a factor of 2"),
    "weight_gradient-no-penalty": ("weight_gradient", lambda h, g, W2, l2: h.T @ g, "✘",
                                   "the L2 term l2 * W2 is missing"),

    "inverted_dropout-right": ("inverted_dropout", inverted_dropout(), "✔",
                               "drops 30.1%, scales the rest by 1 / (1 - p)"),
    "inverted_dropout-stub": ("inverted_dropout", lambda a, p, rng: ..., "…", STUB),
    "inverted_dropout-not-scaled": ("inverted_dropout", inverted_dropout("not scaled"), "✘",
                                    "the kept activations are not scaled: divide them by 1 - p"),
    "inverted_dropout-scaled-by-1/p": ("inverted_dropout", inverted_dropout("scaled by 1/p"), "✘",
                                       "scaled by 1 / p where 1 / (1 - p) was expected"),
    "inverted_dropout-keeps-p": ("inverted_dropout", inverted_dropout("keeps p"), "✘",
                                 "p is the probability of dropping, not of keeping"),

    "softmax_bound-right": ("softmax_bound", lambda C: np.e / (np.e + C - 1), "✔", ""),
    "softmax_bound-stub": ("softmax_bound", lambda C: ..., "…", STUB),
    "softmax_bound-top-twice": ("softmax_bound", lambda C: np.e / (np.e + C), "✘",
                                "e / (e + C) counts the top input twice"),
    "softmax_bound-uniform": ("softmax_bound", lambda C: 1 / C, "✘",
                              "1 / C is the share when all inputs are equal"),
}


@pytest.mark.parametrize("name, answer, mark, words", VERDICTS.values(), ids=VERDICTS)
def test_each_answer_gets_its_verdict(name, answer, mark, words):
    verdict = str(getattr(check, name)(answer))
    assert verdict.startswith(f"{mark} {name}: ") and words in verdict, verdict
