"""A small reverse-mode autograd engine over NumPy arrays, after micrograd: every Tensor remembers
the tensors it was computed from, and ``backward`` applies the chain rule to them in reverse
topological order. The chapter "Autograd from scratch" builds it one operation at a time.

Conventions: rows are samples, ``W`` has shape ``(fan_in, fan_out)``, ``z = x @ W + b``.
Operations on a subclass of Tensor return that subclass; ``with no_grad():`` records nothing, like
``torch.no_grad()``.
"""

from __future__ import annotations

import contextlib

import numpy as np

_recording = [True]  # False inside `with no_grad():`


@contextlib.contextmanager
def no_grad():
    """Within the block, operations record no graph: results need no gradient and keep no parents,
    so evaluation costs no memory for a backward pass that will never run (``torch.no_grad()``)."""
    previous, _recording[0] = _recording[0], False
    try:
        yield
    finally:
        _recording[0] = previous


def sum_to_shape(grad, shape):
    """Sum ``grad`` over the axes that broadcasting added (leading ones) or stretched (size 1 in
    ``shape``): the gradient of an operand that was broadcast up to ``grad.shape``."""
    added = grad.ndim - len(shape)
    if added:
        grad = grad.sum(axis=tuple(range(added)))
    stretched = tuple(axis for axis, size in enumerate(shape) if size == 1 and grad.shape[axis] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


class Tensor:
    """A NumPy array that records the operation that made it, so that ``backward`` can send the
    gradient of a result back to every tensor with ``requires_grad=True`` that it depends on."""

    __array_ufunc__ = None  # ndarray + Tensor calls Tensor.__radd__, not NumPy's element-wise loop

    def __init__(self, data, requires_grad=False, _parents=(), _op=""):
        self.data = np.asarray(data)
        if requires_grad and not np.issubdtype(self.data.dtype, np.floating):
            raise TypeError(f"requires_grad needs floating-point data, got {self.data.dtype}")
        if not _recording[0]:
            _parents = ()  # inside no_grad(): a result remembers nothing
        self.requires_grad = requires_grad or any(p.requires_grad for p in _parents)
        self.grad = np.zeros_like(self.data) if requires_grad else None  # dL/d(self), same shape
        self._parents = tuple(p for p in _parents if p.requires_grad)  # only those that need a gradient
        self._backward = lambda: None  # set by the operation that made this tensor
        self._op = _op

    @property
    def shape(self):
        return self.data.shape

    def __repr__(self):
        flag = ", requires_grad=True" if self.requires_grad else ""
        return f"Tensor({np.array2string(self.data, precision=4)}{flag})"

    def _lift(self, other):
        """A number or an array as a constant Tensor that keeps its value: an array keeps its dtype,
        a Python number takes this tensor's dtype where that holds it (2.0 stays float32 next to
        float32) and NumPy's promotion where not (0.5 next to integers gives float64)."""
        if isinstance(other, Tensor):
            return other
        if np.ndim(other) or isinstance(other, np.generic):
            return type(self)(np.asarray(other))
        return type(self)(np.asarray(other, dtype=np.result_type(self.data.dtype, other)))

    def topological_order(self):
        """This tensor and every tensor it was computed from that needs a gradient, each after all
        the tensors it was computed from: a topological order of the recorded graph. A depth-first
        search with a stack of its own, not recursion, so that a graph of any depth can be sorted."""
        order, visited, stack = [], set(), [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:  # every node it was computed from is in `order` already
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))  # back to it once its parents are done
                stack.extend((parent, False) for parent in reversed(node._parents))  # first parent first
        return order

    def backward(self, grad=None):
        """Add d(self)/d(leaf), contracted with ``grad`` (1 for a scalar), into the ``.grad`` of
        every leaf that requires a gradient: the chain rule, node by node, from self to the leaves."""
        if not self.requires_grad:
            raise RuntimeError("backward() on a tensor that depends on no tensor with requires_grad=True")
        if grad is None:
            if self.data.size != 1:
                raise ValueError(f"backward() without a gradient needs a scalar, but this tensor has "
                                 f"shape {self.shape}: pass grad= of that shape")
            grad = np.ones_like(self.data)
        grad = np.asarray(grad)
        if grad.shape != self.shape:
            raise ValueError(f"grad has shape {grad.shape}, the tensor has shape {self.shape}")
        order = self.topological_order()
        for node in order:
            if node._parents or node.grad is None:  # an intermediate result's gradient belongs to this
                node.grad = np.zeros_like(node.data)  # pass alone; a leaf's was cleared with `= None`
        self.grad += grad
        for node in reversed(order):  # every node's gradient is complete before it is passed on
            node._backward()

    def __add__(self, other):
        other = self._lift(other)
        out = type(self)(self.data + other.data, _parents=(self, other), _op="+")

        def _backward():  # z = x + y: dL/dx = dL/dz, summed over the axes x was broadcast along
            if self.requires_grad:
                self.grad += sum_to_shape(out.grad, self.shape)
            if other.requires_grad:
                other.grad += sum_to_shape(out.grad, other.shape)

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._lift(other)
        out = type(self)(self.data * other.data, _parents=(self, other), _op="*")

        def _backward():  # z = x * y: dL/dx = dL/dz * y, dL/dy = dL/dz * x
            if self.requires_grad:
                self.grad += sum_to_shape(out.grad * other.data, self.shape)
            if other.requires_grad:
                other.grad += sum_to_shape(out.grad * self.data, other.shape)

        out._backward = _backward
        return out

    __radd__ = __add__
    __rmul__ = __mul__

    def __rmatmul__(self, other):  # ndarray @ Tensor
        return self._lift(other) @ self

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __rsub__(self, other):
        return (-self) + other

    def __matmul__(self, other):
        other = self._lift(other)
        if self.data.ndim != 2 or other.data.ndim != 2 or self.shape[1] != other.shape[0]:
            raise ValueError(f"matmul needs shapes (n, k) @ (k, m), got {self.shape} @ {other.shape}")
        out = type(self)(self.data @ other.data, _parents=(self, other), _op="@")

        def _backward():  # Z = X W: dL/dX = dL/dZ W^T, dL/dW = X^T dL/dZ
            if self.requires_grad:
                self.grad += out.grad @ other.data.T  # (n, m) @ (m, k)
            if other.requires_grad:
                other.grad += self.data.T @ out.grad  # (k, n) @ (n, m)

        out._backward = _backward
        return out

    def sum(self, axis=None, keepdims=False):
        out = type(self)(self.data.sum(axis=axis, keepdims=keepdims), _parents=(self,), _op="sum")

        def _backward():  # s = sum of x_i: dL/dx_i = dL/ds for every summed x_i
            grad = out.grad if keepdims or axis is None else np.expand_dims(out.grad, axis)
            self.grad += grad  # broadcasts back along the summed axes

        out._backward = _backward
        return out

    def mean(self, axis=None, keepdims=False):
        out = type(self)(self.data.mean(axis=axis, keepdims=keepdims), _parents=(self,), _op="mean")
        count = self.data.size // max(out.data.size, 1)  # how many x_i each mean averages

        def _backward():  # m = (1/N) sum of x_i: dL/dx_i = dL/dm / N
            grad = out.grad if keepdims or axis is None else np.expand_dims(out.grad, axis)
            self.grad += grad / count

        out._backward = _backward
        return out

    def relu(self):
        out = type(self)(np.maximum(self.data, 0), _parents=(self,), _op="relu")

        def _backward():  # a = max(0, z): dL/dz = dL/da where z > 0, else 0
            self.grad += out.grad * (self.data > 0)

        out._backward = _backward
        return out

    def sigmoid(self):
        out = type(self)(0.5 * (np.tanh(0.5 * self.data) + 1), _parents=(self,), _op="sigmoid")  # no overflow

        def _backward():  # a = sigmoid(z): dL/dz = dL/da * a (1 - a)
            self.grad += out.grad * (out.data * (1 - out.data))

        out._backward = _backward
        return out

    def log_softmax(self, axis=-1):
        shifted = self.data - self.data.max(axis=axis, keepdims=True)  # exp never overflows
        log_p = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        out = type(self)(log_p, _parents=(self,), _op="log_softmax")

        def _backward():  # l = z - log sum_k exp z_k: dL/dz = dL/dl - softmax(z) * sum_j dL/dl_j
            self.grad += out.grad - np.exp(out.data) * out.grad.sum(axis=axis, keepdims=True)

        out._backward = _backward
        return out


def cross_entropy(logits, y):
    """Mean over the rows of -log softmax(logits)[y]: logits a Tensor (n, C), y integer labels (n,)."""
    y = np.asarray(y)
    if logits.data.ndim != 2 or y.shape != logits.shape[:1]:
        raise ValueError(f"cross_entropy needs logits (n, C) and labels (n,), got logits {logits.shape} "
                         f"and labels {y.shape}")
    n, num_classes = logits.shape
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels must be integers, got dtype {y.dtype}")
    if n and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"labels must lie in [0, {num_classes}), got min {y.min()}, max {y.max()}")
    log_p = logits.log_softmax(axis=1)
    rows = np.arange(n)
    out = type(logits)(-log_p.data[rows, y].mean(), _parents=(log_p,), _op="cross_entropy")

    def _backward():  # L = -(1/n) sum_i l[i, y_i]: dL/dl[i, j] = -1/n where j = y_i, else 0
        grad = np.zeros_like(log_p.data)
        grad[rows, y] = -out.grad / n
        log_p.grad += grad

    out._backward = _backward
    return out
