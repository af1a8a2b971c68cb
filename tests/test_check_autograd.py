"""Chapter 5's checkers: the right answer passes, each typical mistake is named, a stub is not attempted."""

import numpy as np
import pytest

from helpers.autograd import Tensor, sum_to_shape
from helpers.check import autograd as check


def tanh_class(factor=lambda g, z, a: g * (1 - a**2), *, keep_class=True, assign=False):
    """A TanhTensor whose rule adds factor(out.grad, z, a) to z.grad (assigns it, with `assign`)."""

    class TanhTensor(Tensor):
        def tanh(self):
            out = (type(self) if keep_class else Tensor)(np.tanh(self.data), _parents=(self,), _op="tanh")

            def _backward():
                if assign:
                    self.grad = factor(out.grad, self.data, out.data)
                else:
                    self.grad += factor(out.grad, self.data, out.data)

            out._backward = _backward
            return out

    return TanhTensor


class SuspectTensor(Tensor):
    """Chapter 5's exercise: of mul, relu and sigmoid, the sigmoid's rule applies sigma to the output."""

    def sigmoid(self):
        out = type(self)(1 / (1 + np.exp(-self.data)), _parents=(self,), _op="sigmoid")

        def _backward():
            s = 1 / (1 + np.exp(-out.data))
            self.grad += out.grad * s * (1 - s)

        out._backward = _backward
        return out


def verdict_of(name, answer):
    """Checker `name`'s verdict; broken_rule is given SuspectTensor as well."""
    return getattr(check, name)(answer, *([SuspectTensor] if name == "broken_rule" else []))


def stub(*args):
    ...  # your code here


class TanhStub(Tensor):
    def tanh(self):
        ...  # your code here


STUB = "your function is still the stub: write its body in place of the ..."


def no_keepdims(x, y, g):
    grad_y = {(4, 3): g * x, (3,): (g * x).sum(axis=0)}.get(y.shape, (g * x).sum(axis=1))
    return g * y, grad_y


def averaged(x, y, g):
    return sum_to_shape(g * y, x.shape) * x.size / g.size, sum_to_shape(g * x, y.shape) * y.size / g.size


VERDICTS = {  # id: (checker, the answer, its verdict's mark: ✔ passed, ✘ wrong, … not attempted, words in it)
    "mul_backward-right": (
        "mul_backward", lambda x, y, g: (sum_to_shape(g * y, x.shape), sum_to_shape(g * x, y.shape)), "✔",
        "matches torch.autograd, broadcasting on either side included"),
    "mul_backward-stub": ("mul_backward", stub, "…", STUB),
    "mul_backward-not-summed": (
        "mul_backward", lambda x, y, g: (g * y, g * x), "✘",
        "for x (4, 3) * y (3,), grad_y has shape (4, 3) where (3,) was expected: not summed"),
    "mul_backward-no-keepdims": ("mul_backward", no_keepdims, "✘",
                                 "grad_y has shape (4,) where (4, 1) was expected: keep the summed axes"),
    "mul_backward-times-itself": ("mul_backward", lambda x, y, g: (g * x, g * y), "✘",
                                  "for x (4, 3) * y (4, 3), grad_x is grad_z times x itself"),
    "mul_backward-rule-of-addition": (
        "mul_backward", lambda x, y, g: (sum_to_shape(g, x.shape), sum_to_shape(g, y.shape)), "✘",
        "grad_x is grad_z summed, the rule of addition"),
    "mul_backward-no-incoming-gradient": ("mul_backward", lambda x, y, g: (y + 0 * g, x + 0 * g), "✘",
                                          "grad_x leaves out the incoming gradient"),
    "mul_backward-averaged": ("mul_backward", averaged, "✘",
                              "for x (4, 3) * y (3,), grad_y is off by a factor of 4: averaged"),
    "mul_backward-not-a-pair": ("mul_backward", lambda x, y, g: g * y, "✘",
                                "return the pair (grad_x, grad_y)"),

    "exp_backward-saved-output": ("exp_backward", lambda z, a, g: g * a, "✔", "matches torch.autograd"),
    "exp_backward-exp-of-z": ("exp_backward", lambda z, a, g: g * np.exp(z), "✔", "matches torch.autograd"),
    "exp_backward-stub": ("exp_backward", stub, "…", STUB),
    "exp_backward-exp-of-a": ("exp_backward", lambda z, a, g: g * np.exp(a), "✘",
                              "exp applied to the output a"),
    "exp_backward-times-z": ("exp_backward", lambda z, a, g: g * z, "✘", "multiplied by the input z"),
    "exp_backward-no-incoming-gradient": ("exp_backward", lambda z, a, g: a, "✘",
                                          "the incoming gradient grad_a is missing"),
    "exp_backward-passed-through": ("exp_backward", lambda z, a, g: g, "✘",
                                    "grad_a passed through unchanged"),
    "exp_backward-constant-factor": ("exp_backward", lambda z, a, g: 2 * g * a, "✘", "off by a factor of 2"),

    "tanh-right": ("tanh", tanh_class(), "✔",
                   "matches torch.autograd, for tanh(z) + z and tanh(tanh(z)) too"),
    "tanh-stub": ("tanh", TanhStub, "…", STUB),
    "tanh-tanh-of-a": ("tanh", tanh_class(lambda g, z, a: g * (1 - np.tanh(a) ** 2)), "✘",
                       "1 - tanh(a)^2 applied to the output a"),
    "tanh-of-z": ("tanh", tanh_class(lambda g, z, a: g * (1 - z**2)), "✘", "used the input z"),
    "tanh-no-incoming-gradient": ("tanh", tanh_class(lambda g, z, a: 1 - a**2), "✘",
                                  "the incoming gradient out.grad is missing"),
    "tanh-constant-factor": ("tanh", tanh_class(lambda g, z, a: 0.5 * g * (1 - a**2)), "✘",
                             "off by a factor of 0.5"),
    "tanh-assigned": ("tanh", tanh_class(assign=True), "✘", "(+=)"),
    "tanh-never-reaches-z": ("tanh", tanh_class(lambda g, z, a: 0 * g), "✘",
                             "z.grad is still zero: set out._backward"),
    "tanh-loses-the-subclass": ("tanh", tanh_class(keep_class=False), "✘",
                                "z.tanh() is a Tensor, not a TanhTensor, so z.tanh().tanh() fails: "
                                "make the result with type(self)"),

    "broken_rule-right": ("broken_rule", "sigmoid", "✔",
                          "sigmoid's gradient is off by a relative error of 0.30 against torch.autograd"),
    "broken_rule-stub": ("broken_rule", ..., "…", "replace the ... with your answer"),
    "broken_rule-relu-is-right": ("broken_rule", "relu", "✘", "relu's rule agrees with torch.autograd"),
    "broken_rule-mul-is-right": ("broken_rule", "*", "✘", "mul's rule agrees with torch.autograd"),
    "broken_rule-unknown-answer": ("broken_rule", "softmax", "✘", 'answer "mul", "relu" or "sigmoid"'),
}


@pytest.mark.parametrize("name, answer, mark, words", VERDICTS.values(), ids=VERDICTS)
def test_each_answer_gets_its_verdict(name, answer, mark, words):
    verdict = str(verdict_of(name, answer))
    assert verdict.startswith(f"{mark} {name}: ") and words in verdict, verdict
