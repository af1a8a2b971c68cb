"""Checkers for chapter 5, autograd from scratch: backward rules written by the learner, compared
with torch.autograd in float64, with the usual mistakes named."""

import numpy as np
import torch

from helpers.autograd import sum_to_shape
from helpers.backprop import relative_error
from helpers.check.verdict import Wrong, call, checker, expect_close, expect_shape

_RNG_SEED = 5


def _torch_gradients(f, arrays, grad_out):
    """The value of f on float64 torch tensors made from `arrays`, and the gradients of
    sum(grad_out * f(...)) with respect to each of them."""
    tensors = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    out = f(*tensors)
    out.backward(torch.tensor(grad_out, dtype=torch.float64))
    return out.detach().numpy(), [t.grad.numpy() for t in tensors]


def _same(got, candidate):
    """Whether `got` equals the array a typical mistake would give (same shape and values)."""
    got, candidate = np.asarray(got, dtype=float), np.asarray(candidate, dtype=float)
    return got.shape == candidate.shape and np.allclose(got, candidate, rtol=1e-6, atol=1e-9)


def _factor(got, expected):
    """The constant k with got = k * expected, if there is one (and it is not 1), else None."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    if got.shape != expected.shape or not np.any(expected):
        return None
    k = np.sum(got * expected) / np.sum(expected * expected)
    if abs(k - 1) > 1e-6 and abs(k) > 1e-12 and np.allclose(got, k * expected, rtol=1e-6, atol=1e-12):
        return k
    return None


@checker
def mul_backward(mul_backward):
    """`mul_backward(x, y, grad_z)` returns (grad_x, grad_y) for z = x * y, x and y broadcast together."""
    rng = np.random.default_rng(_RNG_SEED)
    for x_shape, y_shape in [((4, 3), (4, 3)), ((4, 3), (3,)), ((4, 3), (4, 1)), ((1, 3), (2, 1))]:
        x, y = rng.standard_normal(x_shape), rng.standard_normal(y_shape)
        z_shape = np.broadcast_shapes(x_shape, y_shape)
        grad_z = rng.standard_normal(z_shape)
        case = f"x {x_shape} * y {y_shape}"
        got = call(mul_backward, x.copy(), y.copy(), grad_z.copy())
        if not isinstance(got, tuple | list) or len(got) != 2:
            raise Wrong(f"return the pair (grad_x, grad_y); for {case} got {type(got).__name__}")
        _, expected = _torch_gradients(lambda a, b: a * b, [x, y], grad_z)
        for name, grad, want, own, other in [("grad_x", got[0], expected[0], x, y),
                                              ("grad_y", got[1], expected[1], y, x)]:
            shape = np.shape(grad)
            if shape != own.shape and shape == z_shape:
                raise Wrong(f"for {case}, {name} has shape {shape} where {own.shape} was expected: "
                            f"not summed over the axes that broadcasting stretched (use sum_to_shape)")
            if shape != own.shape and np.size(grad) == own.size:
                raise Wrong(f"for {case}, {name} has shape {shape} where {own.shape} was expected: keep the "
                            f"summed axes (keepdims=True), or use sum_to_shape")
            expect_shape(grad, own.shape, f"{name} for {case}")
            if _same(grad, sum_to_shape(grad_z * own, own.shape)) and not _same(grad, want):
                raise Wrong(f"for {case}, {name} is grad_z times {name[-1]} itself: the gradient of each "
                            f"factor is grad_z times the other factor")
            if _same(grad, sum_to_shape(grad_z, own.shape)):
                raise Wrong(f"for {case}, {name} is grad_z summed, the rule of addition: multiply grad_z by "
                            f"the other factor first")
            if _same(grad, sum_to_shape(np.broadcast_to(other, z_shape), own.shape)):
                raise Wrong(f"for {case}, {name} leaves out the incoming gradient: multiply by grad_z")
            stretch = int(np.prod(z_shape)) // own.size
            if stretch > 1 and _same(grad, want / stretch):
                raise Wrong(f"for {case}, {name} is off by a factor of {stretch}: averaged over the "
                            f"broadcast axes instead of summed")
            expect_close(grad, want, f"{name} for {case}")
    return "matches torch.autograd, broadcasting on either side included"


@checker
def exp_backward(exp_backward):
    """`exp_backward(z, a, grad_a)` returns grad_z for a = exp(z), from the input z, the saved output a."""
    rng = np.random.default_rng(_RNG_SEED)
    z = rng.standard_normal((3, 4))
    a, grad_a = np.exp(z), rng.standard_normal((3, 4))
    got = call(exp_backward, z.copy(), a.copy(), grad_a.copy())
    _, (want,) = _torch_gradients(torch.exp, [z], grad_a)
    expect_shape(got, z.shape, "grad_z")
    mistakes = [(grad_a * np.exp(a), "exp applied to the output a: a already is exp(z), so grad_z = "
                                     "grad_a * a (chapter 3's sigmoid bug in another guise)"),
                (grad_a * z, "multiplied by the input z: the derivative of exp is exp itself, a"),
                (a, "the incoming gradient grad_a is missing: multiply by it"),
                (grad_a, "grad_a passed through unchanged: multiply by exp'(z) = a")]
    for candidate, hint in mistakes:
        if _same(got, candidate):
            raise Wrong(f"grad_z at z of shape {z.shape}: {hint}")
    k = _factor(got, want)
    if k is not None:
        raise Wrong(f"grad_z is off by a factor of {k:.3g}: exp'(z) = exp(z) = a, with no constant")
    expect_close(got, want, "grad_z")
    return "matches torch.autograd"


@checker
def tanh(tensor_class):
    """`tensor_class(z, requires_grad=True).tanh()` has the value and gradient of torch.tanh, keeps the
    class (so that z.tanh().tanh() works), and adds into z.grad."""
    rng = np.random.default_rng(_RNG_SEED)
    z0, R = 2 * rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    z = tensor_class(z0.copy(), requires_grad=True)
    out = call(tensor_class.tanh, z)
    if not hasattr(out, "data") or not hasattr(out, "backward"):
        raise Wrong(f"tanh should return a Tensor, got {type(out).__name__}")
    value, (want,) = _torch_gradients(torch.tanh, [z0], R)
    expect_close(out.data, value, "tanh(z)")
    out.backward(R)
    a = value
    mistakes = [(np.zeros_like(z0), "z.grad is still zero: set out._backward = _backward, a function "
                                    "that adds into self.grad"),
                (R * (1 - np.tanh(a) ** 2), "1 - tanh(a)^2 applied to the output a: a = out.data is tanh(z) "
                                            "already, so the factor is 1 - a^2"),
                (R * (1 - z0**2), "used the input z: the factor is 1 - tanh(z)^2 = 1 - a^2, not 1 - z^2"),
                (1 - a**2, "the incoming gradient out.grad is missing: multiply by it"),
                (R, "out.grad passed through unchanged: multiply by 1 - a^2")]
    for candidate, hint in mistakes:
        if _same(z.grad, candidate):
            raise Wrong(f"z.grad of tanh(z), z of shape {z0.shape}: {hint}")
    k = _factor(z.grad, want)
    if k is not None:
        raise Wrong(f"z.grad is off by a factor of {k:.3g}: tanh'(z) = 1 - a^2, with no constant")
    expect_close(z.grad, want, "z.grad of tanh(z)")
    z = tensor_class(z0.copy(), requires_grad=True)
    (z.tanh() + z).backward(R)  # z used twice: the rule must add into z.grad
    if _same(z.grad, want):
        raise Wrong("for tanh(z) + z, z.grad lost the share of the sum: the rule assigns self.grad = ... "
                    "where it must add into it (+=)")
    expect_close(z.grad, want + R, "z.grad of tanh(z) + z")
    z = tensor_class(z0.copy(), requires_grad=True)
    once = z.tanh()
    if not isinstance(once, tensor_class):
        raise Wrong(f"z.tanh() is a {type(once).__name__}, not a {tensor_class.__name__}, so z.tanh().tanh() "
                    f"fails: make the result with type(self)(...)")
    twice = once.tanh()
    twice.backward(R)
    _, (want_twice,) = _torch_gradients(lambda t: torch.tanh(torch.tanh(t)), [z0], R)
    expect_close(z.grad, want_twice, "z.grad of tanh(tanh(z))")
    return "matches torch.autograd, for tanh(z) + z and tanh(tanh(z)) too"


_OPERATIONS = {"mul": (lambda x, c: x * c, [(4, 3), (4, 1)], 1.0),
               "relu": (lambda z: z.relu(), [(4, 3)], 1.0),
               "sigmoid": (lambda z: z.sigmoid(), [(4, 3)], 3.0)}  # inputs spread as in the chapter
_NAMES = {"mul": "mul", "*": "mul", "__mul__": "mul", "multiplication": "mul", "product": "mul",
          "relu": "relu", "sigmoid": "sigmoid"}


def _rule_errors(tensor_class):
    """The relative error of each of the three rules of `tensor_class` against torch.autograd."""
    rng = np.random.default_rng(_RNG_SEED)
    errors = {}
    for name, (f, shapes, scale) in _OPERATIONS.items():
        arrays = [scale * rng.standard_normal(shape) for shape in shapes]
        tensors = [tensor_class(a.copy(), requires_grad=True) for a in arrays]
        out = f(*tensors)
        R = rng.standard_normal(out.shape)
        out.backward(R)
        torch_f = {"relu": torch.relu, "sigmoid": torch.sigmoid}.get(name, f)
        _, wants = _torch_gradients(torch_f, arrays, R)
        errors[name] = max(relative_error(t.grad, want) for t, want in zip(tensors, wants))
    return errors


@checker
def broken_rule(answer, tensor_class):
    """`answer` names the one rule of `tensor_class` ("mul", "relu" or "sigmoid") that is wrong."""
    if not isinstance(answer, str) or answer.strip().lower() not in _NAMES:
        raise Wrong(f'answer "mul", "relu" or "sigmoid", got {answer!r}')
    name = _NAMES[answer.strip().lower()]
    errors = _rule_errors(tensor_class)
    if errors[name] < 1e-6:
        raise Wrong(f"{name}'s rule agrees with torch.autograd (relative error {errors[name]:.0e}): run "
                    f"gradient_check on each of the three operations")
    return f"{name}'s gradient is off by a relative error of {errors[name]:.2f} against torch.autograd"
