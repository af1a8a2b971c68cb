"""A NumPy reference for backpropagation: activations, losses, a numerical gradient and a dense
network. Every chapter checks its own derivations against these few functions.

Conventions: rows are samples, ``W`` has shape ``(fan_in, fan_out)``, ``z = a @ W + b``.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z):
    """1 / (1 + exp(-z)), computed as (1 + tanh(z / 2)) / 2 (chapter 4): the same function, no
    overflow for any z, and several times faster than forms built on exp or logaddexp."""
    return 0.5 * (np.tanh(0.5 * z) + 1)


def sigmoid_prime(z):
    """d sigmoid(z) / dz = sigmoid(z) * (1 - sigmoid(z)); takes the pre-activation z, not sigmoid(z)."""
    s = sigmoid(z)
    return s * (1 - s)


def relu(z):
    """max(0, z), element-wise."""
    return np.maximum(z, 0)


def relu_prime(z):
    """d relu(z) / dz: 1 where z > 0, else 0 (the subgradient 0 is used at z = 0)."""
    return (z > 0).astype(np.asarray(z).dtype)


def log_softmax(z, axis=-1):
    """log(softmax(z)) computed as z - max - log(sum(exp(z - max))): finite for any finite z."""
    z = np.asarray(z)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(z, axis=-1):
    """exp(z) / sum(exp(z)) along ``axis``, shifted by the max first so exp never overflows."""
    z = np.asarray(z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def cross_entropy(logits, y):
    """Mean over the batch of -log softmax(logits)[y]; logits (N, C), y integer labels (N,)."""
    logp = log_softmax(logits, axis=1)
    return -logp[np.arange(len(y)), y].mean()


def one_hot(y, num_classes: int) -> np.ndarray:
    """Integer labels (N,) -> float rows (N, num_classes) with a single 1 per row."""
    y = np.asarray(y)
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"labels must lie in [0, {num_classes}); got min {y.min()}, max {y.max()}")
    return np.eye(num_classes)[y]


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||) with L2 norms over all entries (chapter 3's gradient check):
    0 when equal, at most 1, the same whatever the scale; 0 when both are zero."""
    norms = np.linalg.norm(a) + np.linalg.norm(b)
    return np.linalg.norm(a - b) / norms if norms > 0 else 0.0


def numerical_gradient(f, x, eps=1e-6):
    """Central differences (f(x + eps) - f(x - eps)) / 2eps for each entry of the array ``x``.
    ``x`` is perturbed in place and restored; ``f`` takes no arguments and returns a scalar."""
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


_ACTIVATIONS = {"sigmoid": (sigmoid, sigmoid_prime), "relu": (relu, relu_prime)}


class MLP:
    """A dense network: hidden layers with ``activation``, a linear output layer (the logits),
    trained with the mean softmax cross-entropy. ``sizes`` = [784, 128, 10] means one hidden layer."""

    def __init__(self, sizes, activation="sigmoid", seed=0, dtype=np.float64):
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {activation!r}")
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least an input and an output size, got {sizes}")
        self.f, self.f_prime = _ACTIVATIONS[activation]
        rng = np.random.default_rng(seed)
        gain = 2.0 if activation == "relu" else 1.0  # He for relu, LeCun/Glorot-like for sigmoid
        self.params = [
            ((rng.standard_normal((fan_in, fan_out)) * np.sqrt(gain / fan_in)).astype(dtype),
             np.zeros(fan_out, dtype=dtype))
            for fan_in, fan_out in zip(sizes[:-1], sizes[1:])
        ]

    def _forward(self, X):
        """Pre-activations zs and activations activations (input first) of every layer."""
        activations, zs = [X], []
        for i, (W, b) in enumerate(self.params):
            z = activations[-1] @ W + b  # (batch, fan_in) @ (fan_in, fan_out)
            zs.append(z)
            is_output = i == len(self.params) - 1
            activations.append(z if is_output else self.f(z))
        return zs, activations

    def forward(self, X):
        """Logits of shape (batch, sizes[-1])."""
        return self._forward(X)[1][-1]

    def loss(self, X, y):
        """Mean softmax cross-entropy of the logits against integer labels y."""
        return cross_entropy(self.forward(X), y)

    def backward(self, X, y):
        """Gradients of ``loss(X, y)``, as a list of ``(grad_W, grad_b)`` pairs like ``params``."""
        zs, activations = self._forward(X)
        n = len(X)
        delta = softmax(activations[-1], axis=1)  # dL/dlogits = (softmax - one_hot) / n
        delta[np.arange(n), y] -= 1
        delta /= n
        grads = []
        for i in range(len(self.params) - 1, -1, -1):
            W, _ = self.params[i]
            grads.append((activations[i].T @ delta, delta.sum(axis=0)))  # (fan_in, n) @ (n, fan_out)
            if i > 0:
                delta = (delta @ W.T) * self.f_prime(zs[i - 1])
        return grads[::-1]

    def step(self, grads, lr):
        """One gradient-descent update of every parameter, in place."""
        for (W, b), (grad_W, grad_b) in zip(self.params, grads):
            W -= lr * grad_W
            b -= lr * grad_b

    def predict(self, X):
        """The class with the largest logit, for each row of X."""
        return self.forward(X).argmax(axis=1)
