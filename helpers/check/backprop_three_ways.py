"""Checkers for chapter 6, backpropagation three ways in PyTorch: a training step, a layer's
gradients by hand, a central difference, a momentum update, ReLU backprop and the summed loss."""

import torch
import torch.nn.functional as F

from helpers.check.verdict import NotAttempted, Wrong, call, checker, expect_shape


def _numbers(*shape, seed=0):
    """Fixed float64 numbers of the given shape, the same on every machine."""
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def _close(a, b):
    return a.shape == b.shape and torch.allclose(a, b)


def _expect_close(got, expected, what):
    """Raise Wrong unless `got` equals `expected` (shape and values); name the worst entry, on one line."""
    got = torch.as_tensor(got, dtype=torch.float64).detach()
    if tuple(got.shape) != tuple(expected.shape):
        expect_shape(got.numpy(), tuple(expected.shape), what)
    if not torch.isfinite(got).all():
        raise Wrong(f"{what} contains nan or inf")
    if not torch.allclose(got, expected, rtol=1e-6, atol=1e-9):
        worst = (got - expected).abs().argmax().item()
        index = [int(i) for i in torch.unravel_index(torch.tensor(worst), expected.shape)]
        entry = f"{what}[{', '.join(map(str, index))}]" if index else what
        want, have = expected.flatten()[worst].item(), got.flatten()[worst].item()
        raise Wrong(f"{entry}: expected {want:.6g}, got {have:.6g}")


# --- a training step with an optimizer ------------------------------------------------------------

def _linear_model():
    model = torch.nn.Linear(4, 3, dtype=torch.float64)
    with torch.no_grad():
        model.weight.copy_(_numbers(3, 4, seed=1) * 0.5)
        model.bias.copy_(_numbers(3, seed=2) * 0.1)
    return model


def _gradient(weights, X, y):
    """d(mean cross-entropy)/d(weight, bias) of a linear layer with these weights, by autograd."""
    weight, bias = (w.detach().clone().requires_grad_() for w in weights)
    return torch.autograd.grad(F.cross_entropy(X @ weight.T + bias, y), (weight, bias))


@checker
def train_step(step):
    """`step(model, optimizer, X, y)`: one SGD step on the batch; returns the loss before the update."""
    lr = 0.5
    batches = [(_numbers(6, 4, seed=3), torch.tensor([0, 2, 1, 1, 0, 2])),
               (_numbers(6, 4, seed=4), torch.tensor([1, 1, 2, 0, 2, 0]))]
    model = _linear_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    w0 = [p.detach().clone() for p in model.parameters()]
    g1 = _gradient(w0, *batches[0])
    w1 = [w - lr * g for w, g in zip(w0, g1)]
    g2 = _gradient(w1, *batches[1])
    w2 = [w - lr * g for w, g in zip(w1, g2)]
    w2_summed = [w - lr * (a + b) for w, a, b in zip(w1, g1, g2)]
    loss0 = F.cross_entropy(batches[0][0] @ w0[0].T + w0[1], batches[0][1]).item()

    got_loss = _call_step(step, model, optimizer, batches[0], w0)
    after1 = [p.detach().clone() for p in model.parameters()]
    if all(_close(a, w) for a, w in zip(after1, w0)):
        raise Wrong("the weights did not change after one call: call loss.backward() before "
                    "optimizer.step(), and optimizer.zero_grad() before backward, not between "
                    "backward and step")
    if all(_close(a, w0_ + 2 * (w - w0_)) for a, w, w0_ in zip(after1, w1, w0)):
        raise Wrong("the first update is twice the expected one: the gradient was added into .grad "
                    "twice (backward called twice?)")
    if all(_close(a, w0_ - (w - w0_)) for a, w, w0_ in zip(after1, w1, w0)):
        raise Wrong("the weights moved up the gradient, not down: let optimizer.step() do the update")
    for a, w, name in zip(after1, w1, ("weight", "bias")):
        _expect_close(a, w, f"the {name} after one step")
    try:
        got_loss = float(got_loss.detach() if torch.is_tensor(got_loss) else got_loss)
    except (TypeError, ValueError, RuntimeError):
        raise Wrong(f"the step returned {type(got_loss).__name__} where the loss (a number or a "
                    "0-d tensor) was expected") from None
    if abs(got_loss - loss0) > 1e-9:
        raise Wrong(f"returned loss: expected {loss0:.6g} (before the update), got {got_loss:.6g}")

    call(step, model, optimizer, *batches[1])
    after2 = [p.detach().clone() for p in model.parameters()]
    if all(_close(a, w) for a, w in zip(after2, w2_summed)):
        raise Wrong("the second step used the sum of both batches' gradients: .grad accumulates, "
                    "so call optimizer.zero_grad() before loss.backward() in every step")
    for a, w, name in zip(after2, w2, ("weight", "bias")):
        _expect_close(a, w, f"the {name} after a second step")
    return "two steps match torch.autograd.grad and a hand-written update"


def _call_step(step, model, optimizer, batch, w0):
    """The step's return value; a stub (... or None, the weights untouched) is not attempted yet."""
    try:
        result = step(model, optimizer, *batch)
    except NotImplementedError:
        raise NotAttempted from None
    unchanged = all(_close(p.detach(), w) for p, w in zip(model.parameters(), w0))
    if (result is None or result is Ellipsis) and unchanged:
        raise NotAttempted
    if result is None:
        raise Wrong("the step returned None: return the loss (computed before the update)")
    return result


# --- a linear layer's gradients by hand -----------------------------------------------------------

def _linear_reference(X, W, grad_z):
    X, W = X.clone().requires_grad_(), W.clone().requires_grad_()
    b = torch.zeros(W.shape[1], dtype=W.dtype, requires_grad=True)
    return torch.autograd.grad(X @ W + b, (X, W, b), grad_outputs=grad_z)


@checker
def linear_backward(backward):
    """`backward(X, W, grad_z)` for z = X @ W + b: returns (grad_X, grad_W, grad_b)."""
    cases = [(_numbers(5, 4, seed=5), _numbers(4, 3, seed=6), _numbers(5, 3, seed=7)),
             (_numbers(6, 3, seed=8), _numbers(3, 3, seed=9), _numbers(6, 3, seed=10))]  # W square
    for X, W, grad_z in cases:
        n = len(X)
        where = f"X {tuple(X.shape)}, W {tuple(W.shape)}"
        try:
            got = call(backward, X.clone(), W.clone(), grad_z.clone())
        except RuntimeError as error:
            if "shape" in str(error) or "size" in str(error):
                raise Wrong(f"at {where}: {error}; check each product's shapes: grad_X = grad_z @ W.T "
                            "is (n, out) @ (out, in), grad_W = X.T @ grad_z is (in, n) @ (n, out)") from None
            raise
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            raise Wrong("return three gradients, (grad_X, grad_W, grad_b)")
        grad_X, grad_W, grad_b = (torch.as_tensor(g, dtype=torch.float64) for g in got)
        ref_X, ref_W, ref_b = _linear_reference(X, W, grad_z)
        if grad_b.shape == grad_z.shape:
            raise Wrong(f"at {where}: grad_b has shape {tuple(grad_b.shape)} where {tuple(ref_b.shape)} "
                        "was expected: b is added to every row, so sum grad_z over the rows (dim=0)")
        if _close(grad_b, ref_b / n):
            raise Wrong(f"at {where}: grad_b is the mean of grad_z's rows; b is added to every row, so "
                        f"its gradient is their sum (off by a factor of n = {n})")
        if _close(grad_W, ref_W / n):
            raise Wrong(f"at {where}: grad_W is off by a factor of 1/n = 1/{n}: the mean's 1/n is "
                        "already in grad_z, do not divide again")
        if grad_W.shape == W.shape and W.shape[0] == W.shape[1] and _close(grad_W, ref_W.T):
            raise Wrong(f"at {where}: grad_W is transposed: X.T @ grad_z, not grad_z.T @ X")
        if W.shape[0] == W.shape[1] and _close(grad_X, grad_z @ W):
            raise Wrong(f"at {where}: grad_X = grad_z @ W.T, not grad_z @ W (W is transposed on the "
                        "way back)")
        expect_shape(grad_W.numpy(), tuple(W.shape), f"at {where}: grad_W")
        _expect_close(grad_X, ref_X, f"at {where}: grad_X")
        _expect_close(grad_W, ref_W, f"at {where}: grad_W")
        _expect_close(grad_b, ref_b, f"at {where}: grad_b")
    return "equal to torch.autograd.grad, every gradient the shape of its variable"


# --- a central difference -------------------------------------------------------------------------

def _cubic(params):
    """A smooth test loss with a large third derivative, so that a forward difference shows."""
    return sum((p ** 3).sum() + 0.5 * (p ** 2).sum() for p in params).item()


@checker
def central_difference(difference):
    """`difference(loss_at, params, k, index, eps)`: (L(θ + ε) - L(θ - ε)) / 2ε for params[k][index]."""
    eps = 1e-3
    params = [torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64),
              torch.tensor([[1.5, -0.5], [0.25, 3.0]], dtype=torch.float64)]
    before = [p.clone() for p in params]
    for k, index in [(0, (2,)), (1, (0, 1)), (1, (1, 1))]:
        x = before[k][index].item()
        exact = 3 * x ** 2 + x
        expected = exact + eps ** 2 * x ** 0  # the central difference of x^3 + x^2/2: exact + eps^2
        got = call(difference, _cubic, params, k, index, eps)
        try:
            got = float(got)
        except (TypeError, ValueError, RuntimeError):
            raise Wrong(f"returned {type(got).__name__} where a number was expected") from None
        if not all(torch.equal(p, b) for p, b in zip(params, before)):
            raise Wrong("params changed: put the entry back after each evaluation (or perturb copies)")
        forward = ((x + eps) ** 3 + (x + eps) ** 2 / 2 - x ** 3 - x ** 2 / 2) / eps
        where = f"params[{k}][{', '.join(map(str, index))}] = {x}, eps = {eps}"
        if abs(got - 2 * expected) < 1e-6 * abs(expected):
            raise Wrong(f"at {where}: expected {expected:.6g}, got {got:.6g}: off by a factor of 2, "
                        "divide by 2 eps (the two points are 2 eps apart)")
        if abs(got - forward) < 1e-6 * abs(forward):
            raise Wrong(f"at {where}: expected {expected:.6g}, got {got:.6g}: that is the forward "
                        "difference (L(θ + ε) - L(θ)) / ε, whose error is of order eps, not eps²")
        if abs(got - expected) > 1e-6 * abs(expected):
            raise Wrong(f"at {where}: expected {expected:.6g}, got {got:.6g}")
    return "central differences of a cubic, params left unchanged"


# --- momentum by hand -----------------------------------------------------------------------------

@checker
def momentum_step(step):
    """`step(p, v, grad, lr, momentum)` returns (new p, new v) of SGD with momentum, as torch.optim.SGD."""
    lr, momentum = 0.1, 0.9
    start = _numbers(4, seed=11)
    grads = [_numbers(4, seed=20 + t) for t in range(3)]
    reference = start.clone().requires_grad_()
    optimizer = torch.optim.SGD([reference], lr=lr, momentum=momentum)
    p, v = start.clone(), torch.zeros_like(start)
    averaged_p, averaged_v = start.clone(), torch.zeros_like(start)  # the mistake v = m v + (1 - m) g
    for t, grad in enumerate(grads, start=1):
        reference.grad = grad.clone()
        optimizer.step()
        expected = reference.detach()
        averaged_v = momentum * averaged_v + (1 - momentum) * grad
        averaged_p = averaged_p - lr * averaged_v
        got = call(step, p.clone(), v.clone(), grad.clone(), lr, momentum)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise Wrong("return two tensors: the new parameter and the new velocity")
        new_p, new_v = (torch.as_tensor(x, dtype=torch.float64) for x in got)
        where = f"after step {t}"
        if _close(new_p, p - lr * grad) and t > 1:
            raise Wrong(f"{where}: the parameter moved by lr * grad: step with the velocity, "
                        "p - lr * v, where v = momentum * v + grad")
        if _close(new_p, p - lr * v):
            raise Wrong(f"{where}: the parameter moved with the old velocity: update v first, then p")
        if _close(new_p, averaged_p):
            raise Wrong(f"{where}: v = momentum * v + (1 - momentum) * grad is an average; "
                        "torch.optim.SGD adds the whole gradient: v = momentum * v + grad")
        _expect_close(new_p, expected, f"the parameter {where}")
        _expect_close(new_v, momentum * v + grad, f"the velocity {where}")
        p, v = new_p, new_v
    return "three steps equal torch.optim.SGD(momentum=0.9)"


# --- ReLU backprop --------------------------------------------------------------------------------

def _relu_case():
    X = _numbers(4, 6, seed=30)
    y = torch.tensor([3, 0, 9, 3])
    params = [_numbers(6, 5, seed=31), _numbers(5, seed=32) * 0.5, _numbers(5, 10, seed=33),
              _numbers(10, seed=34) * 0.1]
    return params, X, y


def _relu_network_grads(params, X, y, activation):
    W1, b1, W2, b2 = (p.clone().requires_grad_() for p in params)
    loss = F.cross_entropy(activation(X @ W1 + b1) @ W2 + b2, y)
    return torch.autograd.grad(loss, (W1, b1, W2, b2))


@checker
def backprop_relu(backprop):
    """`backprop(params, X, y)`: the four gradients of the 784-128-10 network with a ReLU hidden layer."""
    params, X, y = _relu_case()
    got = call(backprop, [p.clone() for p in params], X.clone(), y.clone())
    if isinstance(got, tuple) and len(got) == 2 and isinstance(got[1], (list, tuple)):
        got = got[1]  # returned (loss, grads) as `backprop` does: fine
    if not isinstance(got, (list, tuple)) or len(got) != 4:
        raise Wrong("return the four gradients [grad_W1, grad_b1, grad_W2, grad_b2]")
    got = [torch.as_tensor(g, dtype=torch.float64) for g in got]
    expected = _relu_network_grads(params, X, y, torch.relu)
    W1, b1, W2, b2 = params
    z1 = X @ W1 + b1
    a1 = torch.relu(z1)
    grad_logits = (torch.softmax(a1 @ W2 + b2, dim=1) - F.one_hot(y, 10).double()) / len(X)
    sigmoid_slope = (grad_logits @ W2.T) * a1 * (1 - a1)  # ReLU forward, the sigmoid's derivative
    names = ["grad_W1", "grad_b1", "grad_W2", "grad_b2"]
    if _close(got[0], X.T @ sigmoid_slope):
        raise Wrong("grad_W1: grad_z1 still uses the sigmoid's derivative a1 * (1 - a1); ReLU's "
                    "derivative is 1 where z1 > 0 and 0 elsewhere")
    if all(_close(g, e) for g, e in zip(got, _relu_network_grads(params, X, y, torch.sigmoid))):
        raise Wrong("these are the sigmoid network's gradients: the forward pass still uses the sigmoid")
    if all(_close(g, len(X) * e) for g, e in zip(got, expected)):
        raise Wrong(f"every gradient is n = {len(X)} times too large: divide grad_logits by n "
                    "(the loss is the mean over the batch)")
    for g, e, name in zip(got, expected, names):
        _expect_close(g, e, name)
    return "equal to torch.autograd.grad"


# --- the learning rate for a summed loss ----------------------------------------------------------

@checker
def summed_loss_lr(answer, lr=0.1, n=64):
    """The learning rate with which SGD on the summed loss takes the same steps as lr on the mean."""
    try:
        answer = float(answer)
    except (TypeError, ValueError):
        raise Wrong(f"answer is {answer!r}; expected a number") from None
    expected = lr / n
    if abs(answer - expected) <= 1e-9 * expected:
        return f"lr / n = {lr} / {n} = {expected:.6g}"
    if abs(answer - lr * n) <= 1e-9 * lr * n:
        raise Wrong(f"expected {expected:.6g}, got {answer:.6g} = lr * n: the summed loss's gradients "
                    "are n times larger, so the learning rate must be n times smaller")
    if abs(answer - lr) <= 1e-12:
        raise Wrong(f"expected {expected:.6g}, got {answer:.6g}, lr unchanged: the summed loss's "
                    f"gradients are n = {n} times larger, and so would every step be")
    if abs(answer - n / lr) <= 1e-9 * n / lr or abs(answer - 1 / n) <= 1e-12:
        raise Wrong(f"expected {expected:.6g}, got {answer:.6g}: divide the learning rate by n")
    raise Wrong(f"expected {expected:.6g}, got {answer:.6g}")
