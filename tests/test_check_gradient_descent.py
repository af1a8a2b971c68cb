"""Chapter 2's checkers: the right answer passes, each common mistake is named, a stub is not attempted."""

import numpy as np

from helpers.backprop import sigmoid
from helpers.check import gradient_descent as check


def stub(*args):
    ...  # the exercise's stub, untouched


def l2_grad(x, t, A):
    return 2 * x * (x * A - t)


# l1_grad

def test_l1_grad_passes_sign_times_x():
    verdict = check.l1_grad(lambda x, t, A: np.sign(x * A - t) * x)
    assert str(verdict) == "✔ l1_grad: passed: sign(xA - t) x, on arrays too"


def test_l1_grad_names_the_missing_factor_x():
    assert "the factor x is missing" in str(check.l1_grad(lambda x, t, A: np.sign(x * A - t)))


def test_l1_grad_names_the_wrong_sign():
    assert "off by the sign" in str(check.l1_grad(lambda x, t, A: np.sign(t - x * A) * x))


def test_l1_grad_names_the_l2_gradient():
    assert "that is the L2 gradient" in str(check.l1_grad(l2_grad))


def test_l1_grad_names_an_if_on_an_array():
    def with_if(x, t, A):
        return x if x * A - t > 0 else -x
    assert "use np.sign" in str(check.l1_grad(with_if))


def test_l1_grad_stub_is_not_attempted():
    assert str(check.l1_grad(stub)).startswith("… l1_grad: not attempted yet")


# sgd

def sgd(grad, x, t, A0, lr, order):
    A_history = [A0]
    for i in order:
        A_history.append(A_history[-1] - lr * grad(x[i], t[i], A_history[-1]))
    return np.array(A_history)


def test_sgd_passes_the_update_rule():
    assert check.sgd(sgd)


def test_sgd_names_the_uphill_step():
    def uphill(grad, x, t, A0, lr, order):
        return sgd(grad, x, t, A0, -lr, order)
    assert "the step goes uphill" in str(check.sgd(uphill))


def test_sgd_names_the_missing_learning_rate():
    def no_lr(grad, x, t, A0, lr, order):
        return sgd(grad, x, t, A0, 1.0, order)
    assert "the learning rate is missing" in str(check.sgd(no_lr))


def test_sgd_names_samples_taken_in_index_order():
    def in_index_order(grad, x, t, A0, lr, order):
        return sgd(grad, x, t, A0, lr, range(len(order)))
    assert "at step k use sample order[k]" in str(check.sgd(in_index_order))


def test_sgd_names_the_missing_start():
    def no_start(grad, x, t, A0, lr, order):
        return sgd(grad, x, t, A0, lr, order)[1:]
    assert "A0 is missing" in str(check.sgd(no_start))


def test_sgd_names_a_history_recorded_before_each_update():
    def before(grad, x, t, A0, lr, order):
        A, history = A0, [A0]
        for i in order:
            history.append(A)
            A = A - lr * grad(x[i], t[i], A)
        return np.array(history)
    assert "recorded before each update" in str(check.sgd(before))


def test_sgd_names_full_batch_gradient_descent():
    def full_batch(grad, x, t, A0, lr, order):
        history = [A0]
        for _ in order:
            history.append(history[-1] - lr * grad(x, t, history[-1]).mean())
        return np.array(history)
    assert "that is full-batch gradient descent" in str(check.sgd(full_batch))


def test_sgd_names_a_single_number_returned():
    assert "returns one number" in str(check.sgd(lambda *args: sgd(*args)[-1]))


def test_sgd_stub_is_not_attempted():
    assert str(check.sgd(stub)).startswith("… sgd: not attempted yet")


# bce_grad

def test_bce_grad_passes_p_minus_y():
    assert check.bce_grad(lambda x, y, A: sigmoid(x + A) - y)


def test_bce_grad_names_the_wrong_sign():
    assert "off by the sign: p - y, not y - p" in str(check.bce_grad(lambda x, y, A: y - sigmoid(x + A)))


def test_bce_grad_names_p_instead_of_p_minus_y():
    assert "p instead of p - y" in str(check.bce_grad(lambda x, y, A: sigmoid(x + A)))


def test_bce_grad_names_the_sigmoid_slope():
    assert "that is dp/dz" in str(check.bce_grad(lambda x, y, A: sigmoid(x + A) * (1 - sigmoid(x + A))))


def test_bce_grad_names_the_missing_sigmoid():
    assert "apply the sigmoid to the logit" in str(check.bce_grad(lambda x, y, A: x + A - y))


def test_bce_grad_stub_is_not_attempted():
    assert str(check.bce_grad(stub)).startswith("… bce_grad: not attempted yet")


# l1_resting_point

X_DATA = np.array([0.8, 0.9, 1.0, 1.1, 1.3])  # 10/x = 12.5, 11.11, 10, 9.09, 7.69


def test_l1_resting_point_passes_the_weighted_median():
    assert check.l1_resting_point(10.0, X_DATA)


def test_l1_resting_point_names_a_star():
    a_star = np.mean(10 * X_DATA) / np.mean(X_DATA**2)
    assert "that is A*" in str(check.l1_resting_point(a_star, X_DATA))


def test_l1_resting_point_names_the_mean():
    assert "the mean of 10/x" in str(check.l1_resting_point(np.mean(10 / X_DATA), X_DATA))


def test_l1_resting_point_stub_is_not_attempted():
    assert str(check.l1_resting_point(..., X_DATA)).startswith("… l1_resting_point: not attempted yet")


# full_batch_gd

def full_batch_gd(x, t, A0, lr, n_steps):
    history = [A0]
    for _ in range(n_steps):
        history.append(history[-1] - lr * l2_grad(x, t, history[-1]).mean())
    return np.array(history)


def test_full_batch_gd_passes_the_mean_gradient():
    assert check.full_batch_gd(full_batch_gd)


def test_full_batch_gd_names_summed_gradients():
    def summed(x, t, A0, lr, n_steps):
        return full_batch_gd(x, t, A0, lr * len(x), n_steps)
    assert "summed, not averaged" in str(check.full_batch_gd(summed))


def test_full_batch_gd_names_the_missing_start():
    assert "A0 is missing" in str(check.full_batch_gd(lambda *args: full_batch_gd(*args)[1:]))


def test_full_batch_gd_stub_is_not_attempted():
    assert str(check.full_batch_gd(stub)).startswith("… full_batch_gd: not attempted yet")


# moved_threshold

def test_moved_threshold_passes_minus_two():
    assert check.moved_threshold(-(0 + 4) / 2)


def test_moved_threshold_names_the_threshold_for_a():
    assert "2 is the threshold x = -A" in str(check.moved_threshold(2))


def test_moved_threshold_names_the_old_value():
    assert "the old classes" in str(check.moved_threshold(-1))


def test_moved_threshold_stub_is_not_attempted():
    assert str(check.moved_threshold(...)).startswith("… moved_threshold: not attempted yet")
