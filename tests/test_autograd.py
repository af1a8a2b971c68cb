"""Specifications of helpers.autograd: every operation's value and gradient against torch.autograd
in float64, broadcasting, accumulation, the errors for bad input, deep graphs, constants, subclasses
and no_grad."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from helpers.autograd import Tensor, cross_entropy, no_grad, sum_to_shape
from helpers.backprop import MLP, numerical_gradient, relative_error


def assert_matches_torch(f, *arrays, f_torch=None):
    """f applied to Tensors and (f_torch or f) to torch tensors give the same value, and the same
    gradient of sum(output * R) for a random R, with respect to every input."""
    tensors = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    torch_tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, out_torch = f(*tensors), (f_torch or f)(*torch_tensors)
    np.testing.assert_allclose(out.data, out_torch.detach().numpy(), rtol=1e-12, atol=1e-14)
    grad_out = np.random.default_rng(99).standard_normal(out.shape)
    out.backward(grad_out)
    out_torch.backward(torch.tensor(grad_out))
    for t, t_torch in zip(tensors, torch_tensors):
        assert t.grad.shape == t.data.shape
        np.testing.assert_allclose(t.grad, t_torch.grad.numpy(), rtol=1e-12, atol=1e-14)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def test_sum_to_shape_sums_over_added_leading_axes_and_stretched_size_one_axes():
    grad = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(sum_to_shape(grad, (4,)), grad.sum(axis=(0, 1)))
    np.testing.assert_array_equal(sum_to_shape(grad, (3, 1)), grad.sum(axis=(0, 2))[:, None])
    np.testing.assert_array_equal(sum_to_shape(grad, ()), grad.sum())
    assert sum_to_shape(grad, (2, 3, 4)) is grad


LABELS = np.array([1, 5, 0, 2, 2, 4, 3, 0])
OPERATIONS = {  # id: (f on Tensors, input shapes, the same f on torch tensors if it is written otherwise)
    "add": (lambda a, b: a + b, [(3, 4), (3, 4)], None),
    "add-broadcast-row": (lambda x, b: x + b, [(5, 3), (3,)], None),
    "add-broadcast-both": (lambda u, v: u + v, [(4, 1), (1, 3)], None),
    "numbers-either-side": (lambda a: 2.0 * (1.0 + a) * 3.0 + 4.0, [(2, 3)], None),
    "mul": (lambda a, b: a * b, [(3, 4), (3, 4)], None),
    "mul-broadcast": (lambda a, b: a * b, [(3, 4), (3, 1)], None),
    "sub-broadcast": (lambda a, b: a - b, [(2, 3), (3,)], None),
    "neg": (lambda a: 1.0 - (-a), [(2, 3)], None),
    "matmul": (lambda X, W: X @ W, [(5, 4), (4, 3)], None),
    "sum-all": (lambda a: a.sum(), [(2, 3, 4)], None),
    "sum-axis-0": (lambda a: a.sum(axis=0), [(2, 3, 4)], lambda a: a.sum(dim=0)),
    "sum-axis-1-keepdims": (lambda a: a.sum(axis=1, keepdims=True), [(2, 3, 4)],
                            lambda a: a.sum(dim=1, keepdim=True)),
    "sum-first-and-last-axes": (lambda a: a.sum(axis=(0, -1)), [(2, 3, 4)], lambda a: a.sum(dim=(0, -1))),
    "mean-all": (lambda a: a.mean(), [(3, 5)], None),
    "mean-axis-0": (lambda a: a.mean(axis=0), [(3, 5)], lambda a: a.mean(dim=0)),
    "mean-last-axis-keepdims": (lambda a: a.mean(axis=-1, keepdims=True), [(3, 5)],
                                lambda a: a.mean(dim=-1, keepdim=True)),
    "relu": (lambda z: z.relu(), [(4, 5)], None),
    "sigmoid": (lambda z: (3 * z).sigmoid(), [(4, 5)], None),
    "log_softmax": (lambda z: z.log_softmax(axis=1), [(4, 6)], lambda z: torch.log_softmax(z, dim=1)),
    "cross_entropy": (lambda z: cross_entropy(z, LABELS), [(8, 6)],
                      lambda z: F.cross_entropy(z, torch.tensor(LABELS))),
}


@pytest.mark.parametrize("f, shapes, f_torch", OPERATIONS.values(), ids=OPERATIONS)
def test_value_and_gradient_equal_torch(rng, f, shapes, f_torch):
    assert_matches_torch(f, *(rng.standard_normal(shape) for shape in shapes), f_torch=f_torch)


def test_add_gradient_sums_over_broadcast_axes(rng):
    x, b = Tensor(rng.standard_normal((5, 3)), requires_grad=True), Tensor(np.zeros(3), requires_grad=True)
    (x + b).backward(np.ones((5, 3)))
    np.testing.assert_array_equal(b.grad, [5.0, 5.0, 5.0])  # b was copied to each of the 5 rows


def test_sigmoid_saturates_without_overflow_at_extreme_inputs():
    with np.errstate(over="raise", invalid="raise"):
        out = Tensor(np.array([-1000.0, 1000.0])).sigmoid()
    np.testing.assert_array_equal(out.data, [0.0, 1.0])


def test_log_softmax_is_finite_at_extreme_logits():
    out = Tensor(np.array([[1e4, 0.0, -1e4]])).log_softmax()
    np.testing.assert_array_equal(out.data, [[0.0, -1e4, -2e4]])


def test_cross_entropy_of_uniform_logits_is_log_num_classes():
    loss = cross_entropy(Tensor(np.zeros((3, 10))), np.array([0, 4, 9]))
    assert loss.data == pytest.approx(np.log(10))


def test_cross_entropy_gradient_is_softmax_minus_one_hot_over_n(rng):
    logits, y = Tensor(rng.standard_normal((4, 3)), requires_grad=True), np.array([0, 2, 1, 2])
    cross_entropy(logits, y).backward()
    P = np.exp(logits.data) / np.exp(logits.data).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(logits.grad, (P - np.eye(3)[y]) / 4, rtol=1e-12, atol=1e-15)


def ones(*shape):
    return Tensor(np.ones(shape), requires_grad=True)


BAD_INPUTS = {  # id: (the call, the error it raises, what its message says)
    "matmul-mismatched-shapes": (lambda: Tensor(np.zeros((64, 784))) @ Tensor(np.zeros((128, 10))),
                                 ValueError, r"\(64, 784\) @ \(128, 10\)"),
    "matmul-not-a-matrix": (lambda: Tensor(np.zeros(3)) @ Tensor(np.zeros((3, 2))), ValueError,
                            r"\(3,\) @ \(3, 2\)"),
    "labels-out-of-range": (lambda: cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 3])), ValueError,
                            r"\[0, 3\)"),
    "labels-not-integers": (lambda: cross_entropy(Tensor(np.zeros((2, 3))), np.array([0.0, 1.0])), ValueError,
                            "integers"),
    "one-label-too-many": (lambda: cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 1, 2])), ValueError,
                           r"logits \(2, 3\) and labels \(3,\)"),
    "backward-of-a-non-scalar": (lambda: (ones(2, 3) * 2.0).backward(), ValueError, r"scalar.*\(2, 3\)"),
    "backward-gradient-of-wrong-shape": (lambda: (ones(2, 3) * 2.0).backward(np.ones(3)), ValueError,
                                         r"\(3,\).*\(2, 3\)"),
    "backward-without-requires-grad": (lambda: Tensor(np.ones(2)).sum().backward(), RuntimeError,
                                       "requires_grad"),
    "requires-grad-on-integers": (lambda: Tensor(np.arange(3), requires_grad=True), TypeError, "floating"),
}


@pytest.mark.parametrize("call, error, message", BAD_INPUTS.values(), ids=BAD_INPUTS)
def test_bad_input_raises_an_error_that_says_what_is_wrong(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_network_gradient_equals_the_numerical_gradient(rng):
    X, y = rng.standard_normal((6, 4)), rng.integers(0, 3, 6)
    W1, b1 = rng.standard_normal((4, 5)), rng.standard_normal(5)
    W2, b2 = rng.standard_normal((5, 3)), rng.standard_normal(3)
    arrays = [W1, b1, W2, b2]

    def loss(W1, b1, W2, b2):
        return cross_entropy((Tensor(X) @ W1 + b1).relu() @ W2 + b2, y)

    params = [Tensor(a, requires_grad=True) for a in arrays]  # share memory with `arrays`
    loss(*params).backward()
    for p, a in zip(params, arrays):
        numeric = numerical_gradient(lambda: float(loss(*map(Tensor, arrays)).data), a)
        assert relative_error(p.grad, numeric) < 1e-7


def test_a_tensor_used_twice_receives_the_sum_of_both_gradients():
    x = Tensor(np.array([3.0, -2.0]), requires_grad=True)
    (x * x).sum().backward()  # d(x^2)/dx = 2x
    np.testing.assert_array_equal(x.grad, [6.0, -4.0])
    x.grad = np.zeros(2)
    (x + x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])


def test_leaf_gradients_accumulate_over_backward_calls_like_torch():
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (w * 3.0).sum().backward()
    (w * 3.0).sum().backward()
    np.testing.assert_array_equal(w.grad, [6.0, 6.0])


def test_backward_twice_through_one_graph_adds_the_gradient_once_more():
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    loss = (w.sigmoid() * w).sum()
    loss.backward()
    first = w.grad.copy()
    loss.backward()  # intermediate gradients start from zero again: no double counting
    np.testing.assert_allclose(w.grad, 2 * first, rtol=1e-15)


def test_tensors_without_requires_grad_get_no_gradient(rng):
    X, W = Tensor(rng.standard_normal((3, 2))), Tensor(rng.standard_normal((2, 2)), requires_grad=True)
    (X @ W).sum().backward()
    assert X.grad is None and not X.requires_grad
    assert W.grad.shape == (2, 2)


def test_float32_values_and_gradients_stay_float32(rng):
    X = Tensor(rng.standard_normal((4, 3)).astype(np.float32))
    W = Tensor(rng.standard_normal((3, 2)).astype(np.float32), requires_grad=True)
    loss = cross_entropy((X @ W * 0.5 + 1.0).sigmoid(), np.array([0, 1, 1, 0]))
    loss.backward()
    assert loss.data.dtype == np.float32 and W.grad.dtype == np.float32


def test_an_ndarray_on_the_left_of_an_operator_gives_a_tensor():
    x = Tensor(np.ones(2), requires_grad=True)
    out = np.array([1.0, 2.0]) * x + np.array([3.0, 4.0])
    assert isinstance(out, Tensor)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 2.0])


def test_sgd_with_the_engine_follows_the_hand_derived_mlp(rng):
    X, y = rng.standard_normal((40, 6)), rng.integers(0, 4, 40)
    reference = MLP([6, 5, 4], seed=1)
    params = [Tensor(a.copy(), requires_grad=True) for pair in reference.params for a in pair]
    for batch in np.split(np.arange(40), 5):
        W1, b1, W2, b2 = params
        cross_entropy((Tensor(X[batch]) @ W1 + b1).sigmoid() @ W2 + b2, y[batch]).backward()
        for p in params:
            p.data -= 0.1 * p.grad
            p.grad = np.zeros_like(p.data)
        reference.step(reference.backward(X[batch], y[batch]), 0.1)
    for p, a in zip(params, [a for pair in reference.params for a in pair]):
        np.testing.assert_allclose(p.data, a, rtol=0, atol=1e-13)


def test_topological_order_puts_every_tensor_after_the_tensors_it_was_computed_from():
    x = Tensor(np.ones(2), requires_grad=True)
    y = x * 2.0
    z = y + x
    order = z.topological_order()
    assert order[-1] is z and len(order) == 3
    assert order.index(x) < order.index(y) < order.index(z)


def test_topological_order_of_a_chain_of_1500_operations_needs_no_recursion():
    x = Tensor(np.array([0.5]), requires_grad=True)
    y = x
    for _ in range(1500):  # deeper than Python's default recursion limit of 1000
        y = y * 1.0
    order = y.topological_order()
    assert len(order) == 1501 and order[0] is x and order[-1] is y
    y.backward(np.ones(1))
    np.testing.assert_array_equal(x.grad, [1.0])


def test_topological_order_visits_the_first_parent_first_as_a_recursive_search_would():
    a, b = Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(2), requires_grad=True)
    p = a * 2.0
    out = p + b
    assert out.topological_order() == [a, p, b, out]


def test_an_ndarray_on_the_left_of_a_matrix_product_gives_a_tensor():
    W = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), requires_grad=True)
    out = np.array([[1.0, -1.0]]) @ W
    assert isinstance(out, Tensor)
    np.testing.assert_array_equal(out.data, [[-2.0, -2.0]])
    out.sum().backward()
    np.testing.assert_array_equal(W.grad, [[1.0, 1.0], [-1.0, -1.0]])


def test_a_python_number_keeps_its_value_next_to_integer_data():
    np.testing.assert_array_equal((Tensor(np.arange(3)) * 0.5).data, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal((Tensor(np.arange(3)) + 0.25).data, [0.25, 1.25, 2.25])
    assert (Tensor(np.arange(3)) * 2).data.dtype == np.arange(3).dtype


def test_an_array_constant_keeps_its_dtype_and_promotes_like_numpy():
    x = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    out = x * np.array([0.1, 0.2])  # float64 constant: the product is float64, as in NumPy
    assert out.data.dtype == np.float64
    np.testing.assert_array_equal(out.data, np.ones(2, dtype=np.float32) * np.array([0.1, 0.2]))
    out.sum().backward()
    assert x.grad.dtype == np.float32


def test_operations_on_a_subclass_return_the_subclass():
    class TanhTensor(Tensor):
        def tanh(self):
            out = type(self)(np.tanh(self.data), _parents=(self,), _op="tanh")

            def _backward():
                self.grad += out.grad * (1 - out.data**2)

            out._backward = _backward
            return out

    z = TanhTensor(np.array([[0.5, -1.0]]), requires_grad=True)
    results = [z + 1.0, 2.0 * z, z - z, z @ np.ones((2, 1)), np.ones((1, 1)) @ z, z.sum(), z.mean(),
               z.relu(), z.sigmoid(), z.log_softmax(), cross_entropy(z, np.array([0]))]
    assert all(type(result) is TanhTensor for result in results)
    z.tanh().tanh().sum().backward()
    np.testing.assert_allclose(z.grad, (1 - np.tanh(np.tanh(z.data))**2) * (1 - np.tanh(z.data)**2))


def test_no_grad_records_no_graph_and_restores_recording_afterwards():
    W = Tensor(np.ones((3, 2)), requires_grad=True)
    with no_grad():
        out = (Tensor(np.ones((4, 3))) @ W).sigmoid()
    assert not out.requires_grad and out._parents == () and out.grad is None
    assert (Tensor(np.ones((4, 3))) @ W).requires_grad
    with pytest.raises(ValueError), no_grad():
        raise ValueError("an error inside the block")
    assert (W * 2.0).requires_grad


def test_a_leaf_gradient_cleared_with_none_starts_again_from_zero_like_torch():
    w = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (w * 3.0).sum().backward()
    w.grad = None
    (w * 5.0).sum().backward()
    np.testing.assert_array_equal(w.grad, [5.0, 5.0])
