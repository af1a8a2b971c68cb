"""The chapter 4 checkers pass the right answer, name each typical mistake, and call a stub
"not attempted yet"."""

import numpy as np

from helpers.backprop import softmax
from helpers.check import mnist_from_scratch as check


def logits_gradient(mistake=None):
    """(softmax(logits) - one-hot) / n, or one of its typical mistakes."""
    def answer(logits, y):
        n, P, Y = len(y), softmax(logits, axis=1), np.eye(10)[y]
        if mistake == "not divided":
            return P - Y
        if mistake == "labels in every column":
            return (P - y[:, None]) / n
        if mistake == "integer labels":
            return (P - y) / n
        if mistake == "no labels":
            return P / n
        return (P - Y) / n
    return answer


def inverted_dropout(mistake=None):
    def answer(a, p, rng):
        keep = rng.random(a.shape) >= p
        if mistake == "keeps p":
            return a * ~keep / (1 - p)
        if mistake == "not scaled":
            return a * keep
        if mistake == "scaled by 1/p":
            return a * keep / p
        return a * keep / (1 - p)
    return answer


def test_logits_gradient_passes_the_right_answer():
    assert str(check.logits_gradient(logits_gradient())) == (
        "✔ logits_gradient: passed: matches central differences")


def test_logits_gradient_names_the_missing_division_by_the_batch_size():
    verdict = check.logits_gradient(logits_gradient("not divided"))
    assert "off by a factor of 5 = the batch size" in str(verdict)


def test_logits_gradient_names_labels_subtracted_from_every_column():
    assert "subtract the one-hot Y" in str(check.logits_gradient(logits_gradient("labels in every column")))


def test_logits_gradient_names_integer_labels_that_do_not_broadcast():
    assert "subtract the one-hot labels Y = np.eye(10)[y]" in str(
        check.logits_gradient(logits_gradient("integer labels")))


def test_logits_gradient_names_the_missing_one_hot_term():
    assert "the one-hot labels are missing" in str(check.logits_gradient(logits_gradient("no labels")))


def test_logits_gradient_calls_the_untouched_stub_not_attempted():
    verdict = check.logits_gradient(lambda logits, y: ...)
    assert str(verdict).startswith("… logits_gradient: not attempted yet")


def test_weight_gradient_passes_the_right_answer():
    assert str(check.weight_gradient(lambda h, g, W2, l2: h.T @ g + l2 * W2)) == (
        "✔ weight_gradient: passed: matches central differences")


def test_weight_gradient_names_a_transposed_gradient():
    assert "shape (10, 4) where (4, 10) was expected: transposed" in str(
        check.weight_gradient(lambda h, g, W2, l2: g.T @ h + l2 * W2.T))


def test_weight_gradient_names_the_penalty_off_by_a_factor_of_2():
    assert "the penalty's gradient is off by a factor of 2" in str(
        check.weight_gradient(lambda h, g, W2, l2: h.T @ g + 2 * l2 * W2))


def test_weight_gradient_names_the_missing_penalty():
    assert "the L2 term l2 * W2 is missing" in str(check.weight_gradient(lambda h, g, W2, l2: h.T @ g))


def test_weight_gradient_calls_the_untouched_stub_not_attempted():
    verdict = check.weight_gradient(lambda h, g, W2, l2: ...)
    assert str(verdict).startswith("… weight_gradient: not attempted yet")


def test_inverted_dropout_passes_the_right_answer():
    assert str(check.inverted_dropout(inverted_dropout())) == (
        "✔ inverted_dropout: passed: drops 30.1%, scales the rest by 1 / (1 - p)")


def test_inverted_dropout_names_missing_scaling():
    assert "the kept activations are not scaled: divide them by 1 - p" in str(
        check.inverted_dropout(inverted_dropout("not scaled")))


def test_inverted_dropout_names_scaling_by_1_over_p():
    assert "scaled by 1 / p where 1 / (1 - p) was expected" in str(
        check.inverted_dropout(inverted_dropout("scaled by 1/p")))


def test_inverted_dropout_names_p_taken_as_the_keep_probability():
    assert "p is the probability of dropping, not of keeping" in str(
        check.inverted_dropout(inverted_dropout("keeps p")))


def test_inverted_dropout_calls_the_untouched_stub_not_attempted():
    verdict = check.inverted_dropout(lambda a, p, rng: ...)
    assert str(verdict).startswith("… inverted_dropout: not attempted yet")


def test_softmax_bound_passes_e_over_e_plus_c_minus_1():
    assert str(check.softmax_bound(lambda C: np.e / (np.e + C - 1))) == "✔ softmax_bound: passed"


def test_softmax_bound_names_the_top_input_counted_twice():
    assert "e / (e + C) counts the top input twice" in str(check.softmax_bound(lambda C: np.e / (np.e + C)))


def test_softmax_bound_names_the_uniform_share():
    assert "1 / C is the share when all inputs are equal" in str(check.softmax_bound(lambda C: 1 / C))


def test_softmax_bound_calls_the_untouched_stub_not_attempted():
    assert str(check.softmax_bound(lambda C: ...)).startswith("… softmax_bound: not attempted yet")
