"""Checkers for the exercises of chapter 7 (MLPs in PyTorch): counting parameters and building a
network with nn.Sequential."""


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
