"""The chapter 8 checkers: the right answer passes, each usual mistake is caught with its hint, and an
untouched stub is "not attempted yet"."""

import math

import torch

from helpers.check import training_better as check


def stub(*args):
    ...  # the learner's cell, untouched


# he_std

def test_he_std_passes_sqrt_two_over_fan_in():
    assert str(check.he_std(lambda layer: math.sqrt(2 / layer.in_features))) == \
        "✔ he_std: passed: nn.Linear(784, 1024): std 0.0505"


def test_he_std_with_fan_out_says_fan_in():
    verdict = check.he_std(lambda layer: math.sqrt(2 / layer.weight.shape[0]))
    assert str(verdict).startswith("✘ he_std: wrong: nn.Linear(784, 1024): expected 0.05051, got 0.04419: "
                                   "fan_out used where He's rule takes fan_in")


def test_he_std_without_the_factor_two_says_so():
    verdict = check.he_std(lambda layer: 1 / math.sqrt(layer.in_features))
    assert "missing the factor 2" in str(verdict)


def test_he_std_returning_the_variance_says_take_the_square_root():
    assert "that is the variance 2 / fan_in" in str(check.he_std(lambda layer: 2 / layer.in_features))


def test_he_std_with_glorot_says_fan_in_only():
    verdict = check.he_std(lambda layer: math.sqrt(2 / (layer.in_features + layer.out_features)))
    assert "that is Glorot's std" in str(verdict)


def test_he_std_untouched_stub_is_not_attempted():
    assert "not attempted yet" in str(check.he_std(stub))


# activation_stds

def stds(std, relu=True, include_input=False, truncated=False):
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(512, 256, generator=gen)
    out = [a.std().item()] if include_input else []
    for _ in range(10):
        W = torch.randn(256, 256, generator=gen) * std
        if truncated:
            W = torch.nn.init.trunc_normal_(torch.empty(256, 256), std=std, a=-2 * std, b=2 * std,
                                            generator=gen)
        a = a @ W
        a = torch.relu(a) if relu else a
        out.append(a.std().item())
    return out


def test_activation_stds_passes_the_right_experiment():
    assert str(check.activation_stds(stds)) == \
        "✔ activation_stds: passed: He keeps the scale, 0.01 vanishes, 0.1 grows"


def test_activation_stds_without_relu_says_the_relu_is_missing():
    verdict = check.activation_stds(lambda std: stds(std, relu=False))
    assert "is the ReLU missing?" in str(verdict)


def test_activation_stds_with_the_input_included_says_so():
    verdict = check.activation_stds(lambda std: stds(std, include_input=True))
    assert str(verdict) == ("✘ activation_stds: wrong: std 0.08839: 11 values where 10 (one per layer) "
                            "were expected: the input's std included?")


def test_activation_stds_with_truncated_weights_says_the_std_is_lower():
    verdict = check.activation_stds(lambda std: stds(std, truncated=True))
    assert "a normal truncated at 2 std has an std of 0.88 times the one asked for" in str(verdict)


def test_activation_stds_untouched_stub_is_not_attempted():
    assert "not attempted yet" in str(check.activation_stds(stub))


# shrink_factor

def test_shrink_factor_passes_one_minus_lr_times_decay():
    assert str(check.shrink_factor(1 - 0.5 * 0.01)) == \
        "✔ shrink_factor: passed: 1 - lr * weight_decay = 0.995"


def test_shrink_factor_of_the_fraction_removed_says_one_minus_it():
    assert str(check.shrink_factor(0.005)) == ("✘ shrink_factor: wrong: expected 0.995, got 0.005: that is "
                                               "lr * weight_decay, the fraction taken off; the factor is 1 "
                                               "minus it")


def test_shrink_factor_without_the_learning_rate_says_so():
    assert "the learning rate is missing" in str(check.shrink_factor(0.99))


def test_shrink_factor_with_half_the_decay_says_the_half_cancels():
    assert "the 1/2 of the penalty" in str(check.shrink_factor(0.9975))


def test_shrink_factor_over_all_steps_says_one_step():
    assert "the shrink over all 200 steps" in str(check.shrink_factor(0.995 ** 200))


def test_shrink_factor_untouched_stub_is_not_attempted():
    assert "not attempted yet" in str(check.shrink_factor(...))
