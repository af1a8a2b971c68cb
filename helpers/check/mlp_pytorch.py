"""Checkers for the exercises of chapter 7 (MLPs in PyTorch): counting parameters, building a network
with nn.Sequential, He's initialisation, the signal through a deep stack, and weight decay's factor."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from helpers.check.verdict import Wrong, call, checker

DEEP_SIZES = (784, 256, 128, 10)  # the network the nn.Sequential exercise asks for


def _torch_params(sizes):
    """Parameters of a stack of nn.Linear layers with these sizes, as PyTorch counts them (no memory:
    the layers live on the meta device)."""
    layers = [nn.Linear(k, m, device="meta") for k, m in zip(sizes[:-1], sizes[1:])]
    return sum(p.numel() for layer in layers for p in layer.parameters())


def _match(got, candidates, rtol=1e-9):
    """The hint of the first (value, hint) that `got` equals, or None."""
    return next((hint for value, hint in candidates if np.isclose(float(got), value, rtol=rtol)), None)


@checker
def linear_params(params_of):
    """`params_of(fan_in, fan_out)`: the number of parameters of `nn.Linear(fan_in, fan_out)`."""
    for fan_in, fan_out in ((784, 10), (784, 1024), (1024, 10), (3, 5)):
        got, expected = call(params_of, fan_in, fan_out), _torch_params((fan_in, fan_out))
        if np.isclose(float(got), expected, rtol=1e-9):
            continue
        where = f"linear_params({fan_in}, {fan_out}): expected {expected:,}, got {float(got):,.0f}"
        hint = _match(got, [
            (fan_in * fan_out, "bias forgotten: the layer also has one bias per output unit"),
            (fan_in * fan_out + fan_in, "one bias per input: there is one bias per output unit, fan_out"),
            (fan_in + fan_out, "a sum where a product was expected: every input connects to every output"),
        ])
        raise Wrong(f"{where}: {hint}" if hint else where)
    return "nn.Linear(784, 1024) has 803,840 parameters"


@checker
def dense_params(params_of):
    """`params_of(sizes)`: the number of parameters of a dense network with layer sizes `sizes`,
    input first, one nn.Linear between each pair of neighbours."""
    for sizes in ([784, 10], [784, 1024, 10], [784, 256, 128, 10], [3, 4, 5]):
        got, expected = call(params_of, list(sizes)), _torch_params(sizes)
        if np.isclose(float(got), expected, rtol=1e-9):
            continue
        pairs = list(zip(sizes[:-1], sizes[1:]))
        where = f"dense_params({sizes}): expected {expected:,}, got {float(got):,.0f}"
        hint = _match(got, [
            (sum(k * m for k, m in pairs), "biases forgotten: each layer has one bias per output unit"),
            (sum(k * m + k for k, m in pairs), "one bias per input: each layer has one bias per output unit"),
            (pairs[0][0] * pairs[0][1] + pairs[0][1], "only the first layer counted"),
            (sum(k * m for k, m in pairs) + sum(sizes), "a bias counted for the input units too: "
                                                        "the inputs have none"),
        ])
        raise Wrong(f"{where}: {hint}" if hint else where)
    return "784-1024-10 has 814,090 parameters"


def _reference_forward(linears, X):
    """Linear -> ReLU -> ... -> Linear with the learner's own layers: what the network should compute."""
    for layer in linears[:-1]:
        X = F.relu(layer(X))
    return linears[-1](X)


@checker
def deep_mlp(model):
    """`model`: the network 784 -> 256 ReLU -> 128 ReLU -> 10 logits as an nn.Sequential."""
    if not isinstance(model, nn.Module):
        raise Wrong(f"expected an nn.Module such as nn.Sequential(...), got a {type(model).__name__}")
    parameters = list(model.parameters())
    device = parameters[0].device if parameters else torch.device("cpu")
    X = torch.randn(4, 784, generator=torch.Generator().manual_seed(0)).to(device)
    was_training = model.training
    model.eval()  # dropout, if the learner added some, off
    try:
        with torch.no_grad():
            try:
                out = model(X)
            except RuntimeError as error:
                raise Wrong(f"a (4, 784) batch does not pass through: {str(error).splitlines()[0]}: each "
                            "nn.Linear's in_features must equal the previous one's out_features") from None
            if not isinstance(out, torch.Tensor) or tuple(out.shape) != (4, 10):
                shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
                raise Wrong(f"a (4, 784) batch gives {shape} where (4, 10) was expected: "
                            "the last layer must have 10 outputs, one logit per digit")
            if torch.allclose(out.sum(dim=1), out.new_ones(4)) and (out >= 0).all():
                raise Wrong("each output row sums to 1: the network ends with a softmax; leave it out, "
                            "F.cross_entropy and nn.CrossEntropyLoss apply log-softmax to the logits "
                            "themselves")
            if (out <= 0).all() and torch.allclose(out.exp().sum(dim=1), out.new_ones(4)):
                raise Wrong("the outputs are log-probabilities: the network ends with a log-softmax; leave "
                            "it out, F.cross_entropy applies it to the logits itself")
            n_params, expected = sum(p.numel() for p in parameters), _torch_params(DEEP_SIZES)
            if n_params != expected:
                no_bias = expected - sum(DEEP_SIZES[1:])
                hint = ("biases forgotten (bias=False?)" if n_params == no_bias
                        else "check the layer sizes 784 -> 256 -> 128 -> 10")
                raise Wrong(f"{n_params:,} parameters where {expected:,} were expected: {hint}")
            linears = [layer for layer in model.modules() if isinstance(layer, nn.Linear)]
            if len(linears) == 3 and not torch.allclose(out, _reference_forward(linears, X), atol=1e-5):
                zero = torch.zeros_like(X)
                if torch.allclose(model(X + X.flip(0)) + model(zero), out + model(X.flip(0)), atol=1e-4):
                    raise Wrong("the network is linear: no ReLU after the hidden layers, so the three "
                                "layers collapse into one linear map")
                if (out >= 0).all():
                    raise Wrong("no output is negative: the network ends with a ReLU; the last nn.Linear's "
                                "logits must be free to take any sign")
                raise Wrong("with your layers' weights, the output differs from Linear -> ReLU -> Linear -> "
                            "ReLU -> Linear: one ReLU after each hidden layer, nothing after the last")
    finally:
        model.train(was_training)
    return f"{expected:,} parameters, (4, 784) -> (4, 10) logits"


@checker
def he_std(std_of):
    """`std_of(layer)`: He's standard deviation for the weights of `layer`, an nn.Linear followed by
    a ReLU."""
    gain = nn.init.calculate_gain("relu")  # sqrt(2), PyTorch's own factor for ReLU layers
    for fan_in, fan_out in ((784, 1024), (1024, 10), (256, 256)):
        layer = nn.Linear(fan_in, fan_out, device="meta")
        got, expected = float(call(std_of, layer)), gain / math.sqrt(fan_in)
        if np.isclose(got, expected, rtol=1e-6):
            continue
        where = f"nn.Linear({fan_in}, {fan_out}): expected {expected:.4g}, got {got:.4g}"
        hint = _match(got, [
            (math.sqrt(2 / fan_out), "fan_out used where He's rule takes fan_in (in_features; nn.Linear "
                                     "stores its weight as (fan_out, fan_in), so it is weight.shape[1])"),
            (math.sqrt(1 / fan_in), "missing the factor 2: it makes up for the ReLU zeroing about half "
                                    "the units"),
            (2 / fan_in, "that is the variance 2 / fan_in: take its square root"),
            (math.sqrt(2 / (fan_in + fan_out)), "that is Glorot's std, sqrt(2 / (fan_in + fan_out)); "
                                                "He's takes fan_in only"),
        ])
        raise Wrong(f"{where}: {hint}" if hint else where)
    return "nn.Linear(784, 1024): std 0.0505"


@checker
def activation_stds(stds_of):
    """`stds_of(std)`: the standard deviations of the activations after each of 10 Linear(256, 256) +
    ReLU layers (weights normal with that std, biases zero) for a batch of standard normal inputs."""
    he = math.sqrt(2 / 256)
    runs = {}
    for std in (he, 0.01, 0.1):
        got = np.asarray(call(stds_of, std), dtype=float).ravel()
        if got.shape != (10,):
            extra = ": the input's std included?" if got.shape == (11,) else ""
            raise Wrong(f"std {std:.4g}: {got.size} values where 10 (one per layer) were expected{extra}")
        if not np.all(np.isfinite(got)) or np.any(got < 0):
            raise Wrong(f"std {std:.4g}: the values must be finite and non-negative, got {got}")
        runs[std] = got[-1] / got[0] if got[0] > 0 else np.inf
    if 0.2 < runs[he] < 0.5 and 0.5 < runs[0.1] < 1.5:
        raise Wrong(f"with He's std the signal shrinks to {runs[he]:.3g} of its size from layer 1 to 10, "
                    "about 0.88 per layer: a normal truncated at 2 std has an std of 0.88 times the one "
                    "asked for; use torch.randn(...) * std")
    if runs[he] > 10:
        raise Wrong(f"with He's std the signal grows {runs[he]:.3g}-fold from layer 1 to 10, where it should "
                    "stay at about the same scale: is the ReLU missing? Without it the factor 2 doubles "
                    "the variance at every layer")
    if not 0.5 < runs[he] < 2:
        raise Wrong(f"with He's std the signal changes {runs[he]:.3g}-fold from layer 1 to 10, where it "
                    "should stay at about the same scale: weights normal with std sqrt(2 / 256), ReLU after "
                    "every layer?")
    if not runs[0.01] < 1e-6:
        raise Wrong(f"with std 0.01 the signal shrinks only {1 / runs[0.01]:.3g}-fold from layer 1 to 10, "
                    "where it should vanish (each layer multiplies it by about 0.11): weights multiplied "
                    "by std?")
    if not 1.5 < runs[0.1] < 6:
        raise Wrong(f"with std 0.1 the signal changes {runs[0.1]:.3g}-fold from layer 1 to 10, where it "
                    "should grow about 3-fold (1.13 per layer)")
    return "He keeps the scale, 0.01 vanishes, 0.1 grows"


@checker
def shrink_factor(factor):
    """`factor`: what one step of SGD with learning rate 0.5 and weight_decay 1e-2 multiplies the
    weights by, before the gradient step."""
    weight = torch.ones(1, requires_grad=True)  # a zero gradient: what is left of the step is the decay
    weight.grad = torch.zeros(1)
    torch.optim.SGD([weight], lr=0.5, weight_decay=1e-2).step()
    expected = round(weight.item(), 6)  # 1 - 0.5 * 0.01, from float32
    got = float(factor)
    if np.isclose(got, expected, rtol=1e-6):
        return f"1 - lr * weight_decay = {expected:g}"
    hint = _match(got, [
        (0.5 * 1e-2, "that is lr * weight_decay, the fraction taken off; the factor is 1 minus it"),
        (1 - 1e-2, "the learning rate is missing: the decay is scaled by it like the rest of the step"),
        (1 - 0.5 * 1e-2 / 2, "the 1/2 of the penalty (lambda / 2) ||theta||^2 cancels in its gradient "
                             "lambda theta"),
        (expected ** 200, "that is the shrink over all 200 steps; the question asks for one step"),
    ], rtol=1e-6)
    where = f"expected {expected:g}, got {got:g}"
    raise Wrong(f"{where}: {hint}" if hint else where)
