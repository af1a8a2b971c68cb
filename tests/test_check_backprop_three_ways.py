"""Chapter 6's checkers: the right answer passes, each common mistake is named, a stub is not attempted."""

import torch
import torch.nn.functional as F

from helpers.check import backprop_three_ways as check


def verdict_text(verdict):
    return str(verdict)


# --- train_step -----------------------------------------------------------------------------------

def step_right(model, optimizer, X, y):
    loss = F.cross_entropy(model(X), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss


def step_without_zero_grad(model, optimizer, X, y):
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
    return loss


def step_before_backward(model, optimizer, X, y):
    loss = F.cross_entropy(model(X), y)
    optimizer.zero_grad()
    optimizer.step()
    loss.backward()
    return loss


def step_returning_nothing(model, optimizer, X, y):
    step_right(model, optimizer, X, y)


def step_stub(model, optimizer, X, y):
    ...  # your code here


def test_train_step_passes_zero_grad_backward_step():
    assert check.train_step(step_right)


def test_train_step_passes_when_zero_grad_comes_after_step():
    def clear_last(model, optimizer, X, y):
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()

    assert check.train_step(clear_last)


def test_train_step_names_gradients_that_accumulate():
    verdict = check.train_step(step_without_zero_grad)
    assert not verdict
    assert "sum of both batches' gradients: .grad accumulates" in verdict_text(verdict)


def test_train_step_names_step_before_backward():
    verdict = check.train_step(step_before_backward)
    assert "the weights did not change after one call: call loss.backward() before optimizer.step()" \
        in verdict_text(verdict)


def test_train_step_names_a_missing_return():
    assert "the step returned None: return the loss" in verdict_text(check.train_step(step_returning_nothing))


def test_train_step_stub_is_not_attempted():
    assert "not attempted yet" in verdict_text(check.train_step(step_stub))


# --- linear_backward ------------------------------------------------------------------------------

def linear_right(X, W, grad_z):
    return grad_z @ W.T, X.T @ grad_z, grad_z.sum(dim=0)


def test_linear_backward_passes_the_formulas_of_the_chapter():
    assert check.linear_backward(linear_right)


def test_linear_backward_names_a_transposed_weight_gradient():
    verdict = check.linear_backward(lambda X, W, g: (g @ W.T, g.T @ X, g.sum(dim=0)))
    assert "grad_W has shape (3, 4) where (4, 3) was expected (transposed?)" in verdict_text(verdict)


def test_linear_backward_names_a_bias_gradient_not_summed_over_the_batch():
    verdict = check.linear_backward(lambda X, W, g: (g @ W.T, X.T @ g, g))
    assert "grad_b has shape (5, 3) where (3,) was expected: b is added to every row" in verdict_text(verdict)


def test_linear_backward_names_a_mean_where_the_sum_belongs():
    verdict = check.linear_backward(lambda X, W, g: (g @ W.T, X.T @ g, g.mean(dim=0)))
    assert "grad_b is the mean of grad_z's rows" in verdict_text(verdict)


def test_linear_backward_names_a_second_division_by_n():
    verdict = check.linear_backward(lambda X, W, g: (g @ W.T, X.T @ g / len(X), g.sum(dim=0)))
    assert "grad_W is off by a factor of 1/n = 1/5" in verdict_text(verdict)


def test_linear_backward_names_w_where_w_transposed_belongs():
    verdict = check.linear_backward(lambda X, W, g: (g @ W, X.T @ g, g.sum(dim=0)))
    assert "check each product's shapes: grad_X = grad_z @ W.T" in verdict_text(verdict)


def test_linear_backward_names_w_where_w_transposed_belongs_for_a_square_w():
    def square_only_mistake(X, W, g):
        return (g @ W if W.shape[0] == W.shape[1] else g @ W.T), X.T @ g, g.sum(dim=0)

    assert "grad_X = grad_z @ W.T, not grad_z @ W" in verdict_text(check.linear_backward(square_only_mistake))


def test_linear_backward_stub_is_not_attempted():
    assert "not attempted yet" in verdict_text(check.linear_backward(lambda X, W, g: None))


# --- central_difference ---------------------------------------------------------------------------

def central_right(loss_at, params, k, index, eps=1e-6):
    old = params[k][index].item()
    params[k][index] = old + eps
    up = loss_at(params)
    params[k][index] = old - eps
    down = loss_at(params)
    params[k][index] = old
    return (up - down) / (2 * eps)


def test_central_difference_passes_and_leaves_params_unchanged():
    assert check.central_difference(central_right)


def test_central_difference_names_a_missing_factor_of_two():
    verdict = check.central_difference(lambda *args: 2 * central_right(*args))
    assert "expected 14, got 28: off by a factor of 2" in verdict_text(verdict)


def test_central_difference_names_the_forward_difference():
    def forward(loss_at, params, k, index, eps=1e-6):
        base, old = loss_at(params), params[k][index].item()
        params[k][index] = old + eps
        up = loss_at(params)
        params[k][index] = old
        return (up - base) / eps

    assert "that is the forward difference" in verdict_text(check.central_difference(forward))


def test_central_difference_names_params_left_perturbed():
    def no_restore(loss_at, params, k, index, eps=1e-6):
        params[k][index] += eps
        up = loss_at(params)
        params[k][index] -= 2 * eps
        return (up - loss_at(params)) / (2 * eps)

    assert "params changed: put the entry back" in verdict_text(check.central_difference(no_restore))


def test_central_difference_stub_is_not_attempted():
    assert "not attempted yet" in verdict_text(check.central_difference(lambda *args: None))


# --- momentum_step --------------------------------------------------------------------------------

def momentum_right(p, v, grad, lr, momentum):
    v = momentum * v + grad
    return p - lr * v, v


def test_momentum_step_passes_torch_optim_sgds_rule():
    assert check.momentum_step(momentum_right)


def test_momentum_step_names_the_averaged_velocity():
    def averaged(p, v, grad, lr, momentum):
        v = momentum * v + (1 - momentum) * grad
        return p - lr * v, v

    assert "(1 - momentum) * grad is an average" in verdict_text(check.momentum_step(averaged))


def test_momentum_step_names_a_step_with_the_gradient():
    def with_gradient(p, v, grad, lr, momentum):
        return p - lr * grad, momentum * v + grad

    verdict = check.momentum_step(with_gradient)
    assert "after step 2: the parameter moved by lr * grad" in verdict_text(verdict)


def test_momentum_step_names_a_step_with_the_old_velocity():
    def old_velocity(p, v, grad, lr, momentum):
        return p - lr * v, momentum * v + grad

    assert "moved with the old velocity: update v first" in verdict_text(check.momentum_step(old_velocity))


def test_momentum_step_names_a_missing_velocity():
    verdict = check.momentum_step(lambda p, v, grad, lr, momentum: p - lr * grad)
    assert "return two tensors: the new parameter and the new velocity" in verdict_text(verdict)


def test_momentum_step_stub_is_not_attempted():
    assert "not attempted yet" in verdict_text(check.momentum_step(lambda *args: None))


# --- backprop_relu --------------------------------------------------------------------------------

def relu_backprop(params, X, y, slope=lambda z1, a1: (z1 > 0), activation=torch.relu, divide=True):
    W1, b1, W2, b2 = params
    z1 = X @ W1 + b1
    a1 = activation(z1)
    logits = a1 @ W2 + b2
    grad_logits = torch.softmax(logits, dim=1) - F.one_hot(y, 10).to(logits.dtype)
    grad_logits = grad_logits / len(X) if divide else grad_logits
    grad_z1 = grad_logits @ W2.T * slope(z1, a1)
    return [X.T @ grad_z1, grad_z1.sum(dim=0), a1.T @ grad_logits, grad_logits.sum(dim=0)]


def test_backprop_relu_passes_the_relu_derivative():
    assert check.backprop_relu(relu_backprop)


def test_backprop_relu_accepts_loss_and_gradients_as_backprop_returns_them():
    assert check.backprop_relu(lambda params, X, y: (0.0, relu_backprop(params, X, y)))


def test_backprop_relu_names_the_sigmoid_derivative_left_in():
    verdict = check.backprop_relu(
        lambda params, X, y: relu_backprop(params, X, y, slope=lambda z, a: a * (1 - a)))
    assert "still uses the sigmoid's derivative a1 * (1 - a1)" in verdict_text(verdict)


def test_backprop_relu_names_the_sigmoid_forward_pass():
    verdict = check.backprop_relu(lambda params, X, y: relu_backprop(
        params, X, y, slope=lambda z, a: a * (1 - a), activation=torch.sigmoid))
    assert "the forward pass still uses the sigmoid" in verdict_text(verdict)


def test_backprop_relu_names_a_missing_division_by_n():
    verdict = check.backprop_relu(lambda params, X, y: relu_backprop(params, X, y, divide=False))
    assert "every gradient is n = 4 times too large" in verdict_text(verdict)


def test_backprop_relu_stub_is_not_attempted():
    assert "not attempted yet" in verdict_text(check.backprop_relu(lambda params, X, y: None))


# --- summed_loss_lr -------------------------------------------------------------------------------

def test_summed_loss_lr_passes_lr_over_n():
    assert str(check.summed_loss_lr(0.1 / 64)) == "✔ summed_loss_lr: passed: lr / n = 0.1 / 64 = 0.0015625"


def test_summed_loss_lr_names_lr_times_n():
    assert "got 6.4 = lr * n" in verdict_text(check.summed_loss_lr(6.4))


def test_summed_loss_lr_names_an_unchanged_learning_rate():
    assert "lr unchanged" in verdict_text(check.summed_loss_lr(0.1))


def test_summed_loss_lr_stub_is_not_attempted():
    assert "not attempted yet" in verdict_text(check.summed_loss_lr(...))
