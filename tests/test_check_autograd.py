"""Specifications of helpers.check.autograd, chapter 5's checkers: each passes the correct answer,
names each typical mistake, and says "not attempted yet" for the untouched stub."""

import numpy as np

from helpers.autograd import Tensor, sum_to_shape
from helpers.check import autograd as check


def assert_wrong(verdict, hint):
    assert verdict.status == "wrong" and hint in verdict.message, str(verdict)


# mul_backward: z = x * y with broadcasting

def mul_right(x, y, grad_z):
    return sum_to_shape(grad_z * y, x.shape), sum_to_shape(grad_z * x, y.shape)


def test_mul_backward_passes_the_rule_with_sums_over_broadcast_axes():
    assert check.mul_backward(mul_right)


def test_mul_backward_says_not_attempted_for_the_untouched_stub():
    def stub(x, y, grad_z):
        ...  # your code here

    assert str(check.mul_backward(stub)) == ("… mul_backward: not attempted yet: your function is still "
                                             "the stub: write its body in place of the ...")


def test_mul_backward_names_a_gradient_not_summed_over_broadcast_axes():
    assert_wrong(check.mul_backward(lambda x, y, g: (g * y, g * x)),
                 "for x (4, 3) * y (3,), grad_y has shape (4, 3) where (3,) was expected: not summed")


def test_mul_backward_names_a_sum_that_drops_the_kept_axis():
    def no_keepdims(x, y, g):
        grad_y = {(4, 3): g * x, (3,): (g * x).sum(axis=0)}.get(y.shape, (g * x).sum(axis=1))
        return g * y, grad_y

    assert_wrong(check.mul_backward(no_keepdims), "grad_y has shape (4,) where (4, 1) was expected: keep the "
                                                  "summed axes")


def test_mul_backward_names_a_factor_multiplied_by_itself():
    assert_wrong(check.mul_backward(lambda x, y, g: (g * x, g * y)),
                 "for x (4, 3) * y (4, 3), grad_x is grad_z times x itself")


def test_mul_backward_names_the_rule_of_addition():
    assert_wrong(check.mul_backward(lambda x, y, g: (sum_to_shape(g, x.shape), sum_to_shape(g, y.shape))),
                 "grad_x is grad_z summed, the rule of addition")


def test_mul_backward_names_a_missing_incoming_gradient():
    assert_wrong(check.mul_backward(lambda x, y, g: (y + 0 * g, x + 0 * g)),
                 "grad_x leaves out the incoming gradient")


def test_mul_backward_names_a_mean_over_broadcast_axes_as_off_by_a_factor():
    def averaged(x, y, g):
        return (sum_to_shape(g * y, x.shape) * x.size / g.size,
                sum_to_shape(g * x, y.shape) * y.size / g.size)

    assert_wrong(check.mul_backward(averaged),
                 "for x (4, 3) * y (3,), grad_y is off by a factor of 4: averaged")


def test_mul_backward_says_what_to_return_when_not_a_pair():
    assert_wrong(check.mul_backward(lambda x, y, g: g * y), "return the pair (grad_x, grad_y)")


# exp_backward: a = exp(z)

def test_exp_backward_passes_grad_a_times_the_saved_output():
    assert check.exp_backward(lambda z, a, grad_a: grad_a * a)
    assert check.exp_backward(lambda z, a, grad_a: grad_a * np.exp(z))


def test_exp_backward_says_not_attempted_for_the_untouched_stub():
    def stub(z, a, grad_a):
        ...  # your code here

    assert check.exp_backward(stub).status == "not attempted yet"


def test_exp_backward_names_exp_applied_to_the_output():
    assert_wrong(check.exp_backward(lambda z, a, g: g * np.exp(a)), "exp applied to the output a")


def test_exp_backward_names_the_input_used_as_the_derivative():
    assert_wrong(check.exp_backward(lambda z, a, g: g * z), "multiplied by the input z")


def test_exp_backward_names_a_missing_incoming_gradient():
    assert_wrong(check.exp_backward(lambda z, a, g: a), "the incoming gradient grad_a is missing")


def test_exp_backward_names_a_gradient_passed_through_unchanged():
    assert_wrong(check.exp_backward(lambda z, a, g: g), "grad_a passed through unchanged")


def test_exp_backward_names_a_constant_factor():
    assert_wrong(check.exp_backward(lambda z, a, g: 2 * g * a), "off by a factor of 2")


# tanh: a method of a Tensor subclass

def tanh_class(factor, *, keep_class=True, assign=False):
    """A TanhTensor whose rule multiplies out.grad by factor(z, a)."""

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


def test_tanh_passes_one_minus_a_squared_that_keeps_the_class():
    assert check.tanh(tanh_class(lambda g, z, a: g * (1 - a**2)))


def test_tanh_says_not_attempted_for_the_untouched_stub():
    class TanhTensor(Tensor):
        def tanh(self):
            ...  # your code here

    assert check.tanh(TanhTensor).status == "not attempted yet"


def test_tanh_names_tanh_applied_to_the_output():
    assert_wrong(check.tanh(tanh_class(lambda g, z, a: g * (1 - np.tanh(a) ** 2))),
                 "1 - tanh(a)^2 applied to the output a")


def test_tanh_names_the_input_used_in_the_derivative():
    assert_wrong(check.tanh(tanh_class(lambda g, z, a: g * (1 - z**2))), "used the input z")


def test_tanh_names_a_missing_incoming_gradient():
    assert_wrong(check.tanh(tanh_class(lambda g, z, a: 1 - a**2)),
                 "the incoming gradient out.grad is missing")


def test_tanh_names_a_constant_factor():
    assert_wrong(check.tanh(tanh_class(lambda g, z, a: 0.5 * g * (1 - a**2))), "off by a factor of 0.5")


def test_tanh_names_a_gradient_assigned_instead_of_added():
    assert_wrong(check.tanh(tanh_class(lambda g, z, a: g * (1 - a**2), assign=True)), "(+=)")


def test_tanh_names_a_rule_that_never_reaches_z_grad():
    assert_wrong(check.tanh(tanh_class(lambda g, z, a: 0 * g)), "z.grad is still zero: set out._backward")


def test_tanh_names_a_result_that_loses_the_subclass():
    assert_wrong(check.tanh(tanh_class(lambda g, z, a: g * (1 - a**2), keep_class=False)),
                 "z.tanh() is a Tensor, not a TanhTensor, so z.tanh().tanh() fails: "
                 "make the result with type(self)")


# broken_rule: which of SuspectTensor's three rules is wrong

class SuspectTensor(Tensor):
    """Chapter 5's exercise: three rules rewritten, the sigmoid's applies sigma to the output."""

    def __mul__(self, other):
        other = self._lift(other)
        out = type(self)(self.data * other.data, _parents=(self, other), _op="*")

        def _backward():
            if other.requires_grad:
                other.grad += sum_to_shape(self.data * out.grad, other.shape)
            if self.requires_grad:
                self.grad += sum_to_shape(other.data * out.grad, self.shape)

        out._backward = _backward
        return out

    def relu(self):
        out = type(self)(np.where(self.data > 0, self.data, 0.0), _parents=(self,), _op="relu")

        def _backward():
            self.grad += np.where(self.data > 0, out.grad, 0.0)

        out._backward = _backward
        return out

    def sigmoid(self):
        out = type(self)(1 / (1 + np.exp(-self.data)), _parents=(self,), _op="sigmoid")

        def _backward():
            s = 1 / (1 + np.exp(-out.data))
            self.grad += out.grad * s * (1 - s)

        out._backward = _backward
        return out


def test_broken_rule_passes_the_sigmoid():
    verdict = check.broken_rule("sigmoid", SuspectTensor)
    assert verdict and "sigmoid's gradient is off" in verdict.message


def test_broken_rule_says_not_attempted_for_the_untouched_stub():
    assert check.broken_rule(..., SuspectTensor).status == "not attempted yet"


def test_broken_rule_says_a_correct_rule_agrees_with_torch():
    assert_wrong(check.broken_rule("relu", SuspectTensor), "relu's rule agrees with torch.autograd")
    assert_wrong(check.broken_rule("*", SuspectTensor), "mul's rule agrees with torch.autograd")


def test_broken_rule_lists_the_answers_it_understands():
    assert_wrong(check.broken_rule("softmax", SuspectTensor), 'answer "mul", "relu" or "sigmoid"')
