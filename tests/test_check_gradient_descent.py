"""Chapter 2's checkers: the right answer passes, each typical mistake is named, a stub is not attempted."""

import numpy as np
import pytest

from helpers.backprop import sigmoid
from helpers.check import gradient_descent as check

X_DATA = np.array([0.8, 0.9, 1.0, 1.1, 1.3])  # 10/x = 12.5, 11.11, 10, 9.09, 7.69


def stub(*args):
    ...  # the exercise's stub, untouched


STUB = "your function is still the stub: write its body in place of the ..."


def l2_grad(x, t, A):
    return 2 * x * (x * A - t)


def sgd(grad, x, t, A0, lr, order, record_before=False):
    """SGD's history of A, or with `record_before` the typical mistake of recording A before each update."""
    A, history = A0, [A0]
    for i in order:
        A_new = A - lr * grad(x[i], t[i], A)
        history.append(A if record_before else A_new)
        A = A_new
    return np.array(history)


def full_batch(grad, x, t, A0, lr, n_steps):
    history = [A0]
    for _ in range(n_steps):
        history.append(history[-1] - lr * grad(x, t, history[-1]).mean())
    return np.array(history)


def full_batch_gd(x, t, A0, lr, n_steps):
    return full_batch(l2_grad, x, t, A0, lr, n_steps)


def with_if(x, t, A):
    return x if x * A - t > 0 else -x


def verdict_of(name, answer):
    """Checker `name`'s verdict; l1_resting_point is given the data X_DATA as well."""
    return getattr(check, name)(answer, *([X_DATA] if name == "l1_resting_point" else []))


VERDICTS = {  # id: (checker, the answer, its verdict's mark: ✔ passed, ✘ wrong, … not attempted, words in it)
    "l1_grad-right": ("l1_grad", lambda x, t, A: np.sign(x * A - t) * x, "✔",
                      "sign(xA - t) x, on arrays too"),
    "l1_grad-stub": ("l1_grad", stub, "…", STUB),
    "l1_grad-no-factor-x": ("l1_grad", lambda x, t, A: np.sign(x * A - t), "✘", "the factor x is missing"),
    "l1_grad-sign": ("l1_grad", lambda x, t, A: np.sign(t - x * A) * x, "✘", "off by the sign"),
    "l1_grad-l2": ("l1_grad", l2_grad, "✘", "that is the L2 gradient"),
    "l1_grad-if-on-an-array": ("l1_grad", with_if, "✘", "use np.sign"),

    "sgd-right": ("sgd", sgd, "✔", "A0, then A - lr * grad(x[i], t[i], A) for each i in order"),
    "sgd-stub": ("sgd", stub, "…", STUB),
    "sgd-uphill": ("sgd", lambda grad, x, t, A0, lr, order: sgd(grad, x, t, A0, -lr, order), "✘",
                   "the step goes uphill"),
    "sgd-no-lr": ("sgd", lambda grad, x, t, A0, lr, order: sgd(grad, x, t, A0, 1.0, order), "✘",
                  "the learning rate is missing"),
    "sgd-index-order": (
        "sgd", lambda grad, x, t, A0, lr, order: sgd(grad, x, t, A0, lr, range(len(order))), "✘",
        "at step k use sample order[k]"),
    "sgd-no-start": ("sgd", lambda *args: sgd(*args)[1:], "✘", "A0 is missing"),
    "sgd-recorded-before": ("sgd", lambda *args: sgd(*args, record_before=True), "✘",
                            "recorded before each update"),
    "sgd-full-batch": (
        "sgd", lambda grad, x, t, A0, lr, order: full_batch(grad, x, t, A0, lr, len(order)), "✘",
        "that is full-batch gradient descent"),
    "sgd-one-number": ("sgd", lambda *args: sgd(*args)[-1], "✘", "returns one number"),

    "bce_grad-right": ("bce_grad", lambda x, y, A: sigmoid(x + A) - y, "✔", "p - y with p = sigmoid(x + A)"),
    "bce_grad-stub": ("bce_grad", stub, "…", STUB),
    "bce_grad-sign": ("bce_grad", lambda x, y, A: y - sigmoid(x + A), "✘",
                      "off by the sign: p - y, not y - p"),
    "bce_grad-p": ("bce_grad", lambda x, y, A: sigmoid(x + A), "✘", "p instead of p - y"),
    "bce_grad-sigmoid-slope": ("bce_grad", lambda x, y, A: sigmoid(x + A) * (1 - sigmoid(x + A)), "✘",
                               "that is dp/dz"),
    "bce_grad-no-sigmoid": ("bce_grad", lambda x, y, A: x + A - y, "✘", "apply the sigmoid to the logit"),

    "l1_resting_point-right": ("l1_resting_point", 10.0, "✔", "10.000, the weighted median of 10/x"),
    "l1_resting_point-stub": ("l1_resting_point", ..., "…", "replace the ... with your answer"),
    "l1_resting_point-A*": ("l1_resting_point", np.mean(10 * X_DATA) / np.mean(X_DATA**2), "✘", "that is A*"),
    "l1_resting_point-mean": ("l1_resting_point", np.mean(10 / X_DATA), "✘", "the mean of 10/x"),

    "full_batch_gd-right": ("full_batch_gd", full_batch_gd, "✔",
                            "follows A* + (A0 - A*)(1 - 2 lr mean(x^2))^k exactly"),
    "full_batch_gd-stub": ("full_batch_gd", stub, "…", STUB),
    "full_batch_gd-summed": (
        "full_batch_gd", lambda x, t, A0, lr, n: full_batch_gd(x, t, A0, lr * len(x), n), "✘",
        "summed, not averaged"),
    "full_batch_gd-no-start": ("full_batch_gd", lambda *args: full_batch_gd(*args)[1:], "✘", "A0 is missing"),

    "moved_threshold-right": ("moved_threshold", -(0 + 4) / 2, "✔", "A = -(0 + 4) / 2 = -2"),
    "moved_threshold-stub": ("moved_threshold", ..., "…", "replace the ... with your answer"),
    "moved_threshold-threshold-for-A": ("moved_threshold", 2, "✘", "2 is the threshold x = -A"),
    "moved_threshold-old-value": ("moved_threshold", -1, "✘", "the old classes"),
}


@pytest.mark.parametrize("name, answer, mark, words", VERDICTS.values(), ids=VERDICTS)
def test_each_answer_gets_its_verdict(name, answer, mark, words):
    verdict = str(verdict_of(name, answer))
    assert verdict.startswith(f"{mark} {name}: ") and words in verdict, verdict
