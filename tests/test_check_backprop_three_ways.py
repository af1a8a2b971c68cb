"""Chapter 6's checkers: the right answer passes, each typical mistake is named, a stub is not attempted."""

import pytest
import torch
import torch.nn.functional as F

from helpers.check import backprop_three_ways as check


def train_step(model, optimizer, X, y, order=("zero_grad", "backward", "step")):
    """One training step, its three calls in `order` (a call left out is not made); returns the loss."""
    loss = F.cross_entropy(model(X), y)
    for call in order:
        {"zero_grad": optimizer.zero_grad, "backward": loss.backward, "step": optimizer.step}[call]()
    return loss


def central_difference(loss_at, params, k, index, eps=1e-6, forward=False):
    """The central difference of loss_at at params[k][index], or with `forward` the forward difference."""
    old = params[k][index].item()
    params[k][index] = old + eps
    up = loss_at(params)
    params[k][index] = old if forward else old - eps
    down = loss_at(params)
    params[k][index] = old
    return (up - down) / (eps if forward else 2 * eps)


def no_restore(loss_at, params, k, index, eps=1e-6):
    params[k][index] += eps
    up = loss_at(params)
    params[k][index] -= 2 * eps
    return (up - loss_at(params)) / (2 * eps)


def momentum_step(p, v, grad, lr, momentum, averaged=False):
    v = momentum * v + (1 - momentum if averaged else 1) * grad
    return p - lr * v, v


def relu_backprop(params, X, y, slope=lambda z1, a1: (z1 > 0), activation=torch.relu, divide=True):
    W1, b1, W2, b2 = params
    z1 = X @ W1 + b1
    a1 = activation(z1)
    logits = a1 @ W2 + b2
    grad_logits = torch.softmax(logits, dim=1) - F.one_hot(y, 10).to(logits.dtype)
    grad_logits = grad_logits / len(X) if divide else grad_logits
    grad_z1 = grad_logits @ W2.T * slope(z1, a1)
    return [X.T @ grad_z1, grad_z1.sum(dim=0), a1.T @ grad_logits, grad_logits.sum(dim=0)]


def zero_grad_last(*args):
    return train_step(*args, order=("backward", "step", "zero_grad")).item()


def step_returning_nothing(*args):
    train_step(*args)


def step_stub(model, optimizer, X, y):
    ...  # your code here


STUB = "your function is still the stub: write its body in place of the ..."


def square_only_mistake(X, W, g):
    return (g @ W if W.shape[0] == W.shape[1] else g @ W.T), X.T @ g, g.sum(dim=0)


VERDICTS = {  # id: (checker, the answer, its verdict's mark: ✔ passed, ✘ wrong, … not attempted, words in it)
    "train_step-right": ("train_step", train_step, "✔",
                         "two steps match torch.autograd.grad and a hand-written update"),
    "train_step-zero_grad-last": ("train_step", zero_grad_last, "✔",
                                  "two steps match torch.autograd.grad and a hand-written update"),
    "train_step-stub": ("train_step", step_stub, "…", STUB),
    "train_step-no-zero_grad": ("train_step", lambda *args: train_step(*args, ("backward", "step")), "✘",
                                "sum of both batches' gradients: .grad accumulates"),
    "train_step-step-before-backward": (
        "train_step", lambda *args: train_step(*args, ("zero_grad", "step", "backward")), "✘",
        "the weights did not change after one call: call loss.backward() before optimizer.step()"),
    "train_step-no-return": ("train_step", step_returning_nothing, "✘",
                             "the step returned None: return the loss"),

    "linear_backward-right": ("linear_backward", lambda X, W, g: (g @ W.T, X.T @ g, g.sum(dim=0)), "✔",
                              "equal to torch.autograd.grad, every gradient the shape of its variable"),
    "linear_backward-stub": ("linear_backward", lambda X, W, g: None, "…", STUB),
    "linear_backward-W-transposed": ("linear_backward", lambda X, W, g: (g @ W.T, g.T @ X, g.sum(dim=0)), "✘",
                                     "grad_W has shape (3, 4) where (4, 3) was expected (transposed?)"),
    "linear_backward-b-not-summed": (
        "linear_backward", lambda X, W, g: (g @ W.T, X.T @ g, g), "✘",
        "grad_b has shape (5, 3) where (3,) was expected: b is added to every row"),
    "linear_backward-b-mean": ("linear_backward", lambda X, W, g: (g @ W.T, X.T @ g, g.mean(dim=0)), "✘",
                               "grad_b is the mean of grad_z's rows"),
    "linear_backward-divided-again": (
        "linear_backward", lambda X, W, g: (g @ W.T, X.T @ g / len(X), g.sum(dim=0)), "✘",
        "grad_W is off by a factor of 1/n = 1/5"),
    "linear_backward-W-for-W.T": ("linear_backward", lambda X, W, g: (g @ W, X.T @ g, g.sum(dim=0)), "✘",
                                  "check each product's shapes: grad_X = grad_z @ W.T"),
    "linear_backward-W-for-W.T-square": ("linear_backward", square_only_mistake, "✘",
                                         "grad_X = grad_z @ W.T, not grad_z @ W"),

    "central_difference-right": ("central_difference", central_difference, "✔",
                                 "central differences of a cubic, params left unchanged"),
    "central_difference-stub": ("central_difference", lambda *args: None, "…", STUB),
    "central_difference-doubled": ("central_difference", lambda *args: 2 * central_difference(*args), "✘",
                                   "expected 14, got 28: off by a factor of 2"),
    "central_difference-forward": (
        "central_difference", lambda *args: central_difference(*args, forward=True), "✘",
        "that is the forward difference"),
    "central_difference-params-changed": ("central_difference", no_restore, "✘",
                                          "params changed: put the entry back"),

    "momentum_step-right": ("momentum_step", momentum_step, "✔",
                            "three steps equal torch.optim.SGD(momentum=0.9)"),
    "momentum_step-stub": ("momentum_step", lambda *args: None, "…", STUB),
    "momentum_step-averaged": ("momentum_step", lambda *args: momentum_step(*args, averaged=True), "✘",
                               "(1 - momentum) * grad is an average"),
    "momentum_step-with-the-gradient": ("momentum_step", lambda p, v, g, lr, m: (p - lr * g, m * v + g), "✘",
                                        "after step 2: the parameter moved by lr * grad"),
    "momentum_step-old-velocity": ("momentum_step", lambda p, v, g, lr, m: (p - lr * v, m * v + g), "✘",
                                   "moved with the old velocity: update v first"),
    "momentum_step-no-velocity": ("momentum_step", lambda p, v, g, lr, m: p - lr * g, "✘",
                                  "return two tensors: the new parameter and the new velocity"),

    "backprop_relu-right": ("backprop_relu", relu_backprop, "✔", "equal to torch.autograd.grad"),
    "backprop_relu-loss-and-gradients": ("backprop_relu", lambda *args: (0.0, relu_backprop(*args)), "✔",
                                         "equal to torch.autograd.grad"),
    "backprop_relu-stub": ("backprop_relu", lambda params, X, y: None, "…", STUB),
    "backprop_relu-sigmoid-slope": (
        "backprop_relu", lambda *args: relu_backprop(*args, slope=lambda z, a: a * (1 - a)), "✘",
        "still uses the sigmoid's derivative a1 * (1 - a1)"),
    "backprop_relu-sigmoid-forward": (
        "backprop_relu", lambda params, X, y: relu_backprop(
        params, X, y, slope=lambda z, a: a * (1 - a), activation=torch.sigmoid), "✘",
        "the forward pass still uses the sigmoid"),
    "backprop_relu-not-divided": ("backprop_relu", lambda *args: relu_backprop(*args, divide=False), "✘",
                                  "every gradient is n = 4 times too large"),

    "summed_loss_lr-right": ("summed_loss_lr", 0.1 / 64, "✔", "lr / n = 0.1 / 64 = 0.0015625"),
    "summed_loss_lr-stub": ("summed_loss_lr", ..., "…", "replace the ... with your answer"),
    "summed_loss_lr-times-n": ("summed_loss_lr", 6.4, "✘", "got 6.4 = lr * n"),
    "summed_loss_lr-unchanged": ("summed_loss_lr", 0.1, "✘", "lr unchanged"),
}


@pytest.mark.parametrize("name, answer, mark, words", VERDICTS.values(), ids=VERDICTS)
def test_each_answer_gets_its_verdict(name, answer, mark, words):
    verdict = str(getattr(check, name)(answer))
    assert verdict.startswith(f"{mark} {name}: ") and words in verdict, verdict
