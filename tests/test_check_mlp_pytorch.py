"""The chapter 7 checkers: the right answer passes, each usual mistake is caught with its hint, and an
untouched stub is "not attempted yet"."""

import math

import torch
from torch import nn

from helpers.check import mlp_pytorch as check


def stub(*args):
    ...  # the learner's cell, untouched


# linear_params

def test_linear_params_passes_weights_plus_one_bias_per_output():
    verdict = check.linear_params(lambda fan_in, fan_out: fan_in * fan_out + fan_out)
    assert verdict
    assert str(verdict) == "✔ linear_params: passed: nn.Linear(784, 1024) has 803,840 parameters"


def test_linear_params_without_bias_says_bias_forgotten():
    verdict = check.linear_params(lambda fan_in, fan_out: fan_in * fan_out)
    assert not verdict
    assert str(verdict) == ("✘ linear_params: wrong: linear_params(784, 10): expected 7,850, got 7,840: "
                            "bias forgotten: the layer also has one bias per output unit")


def test_linear_params_with_a_bias_per_input_says_so():
    verdict = check.linear_params(lambda fan_in, fan_out: fan_in * fan_out + fan_in)
    assert "one bias per input" in str(verdict)


def test_linear_params_sum_instead_of_product_says_so():
    verdict = check.linear_params(lambda fan_in, fan_out: fan_in + fan_out)
    assert "a sum where a product was expected" in str(verdict)


def test_linear_params_untouched_stub_is_not_attempted():
    assert "not attempted yet" in str(check.linear_params(stub))


# dense_params

def dense_right(sizes):
    return sum(k * m + m for k, m in zip(sizes[:-1], sizes[1:]))


def test_dense_params_passes_the_formula():
    assert str(check.dense_params(dense_right)) == \
        "✔ dense_params: passed: 784-1024-10 has 814,090 parameters"


def test_dense_params_without_biases_says_biases_forgotten():
    verdict = check.dense_params(lambda sizes: sum(k * m for k, m in zip(sizes[:-1], sizes[1:])))
    assert str(verdict) == ("✘ dense_params: wrong: dense_params([784, 10]): expected 7,850, got 7,840: "
                            "biases forgotten: each layer has one bias per output unit")


def test_dense_params_counting_the_first_layer_only_says_so():
    verdict = check.dense_params(lambda sizes: sizes[0] * sizes[1] + sizes[1])
    assert "dense_params([784, 1024, 10]): expected 814,090, got 803,840: only the first layer counted" \
        in str(verdict)


def test_dense_params_with_biases_on_the_inputs_says_so():
    verdict = check.dense_params(lambda sizes: sum(k * m for k, m in zip(sizes[:-1], sizes[1:])) + sum(sizes))
    assert "a bias counted for the input units too" in str(verdict)


def test_dense_params_untouched_stub_is_not_attempted():
    assert "not attempted yet" in str(check.dense_params(stub))


# deep_mlp

def deep(*tail, bias=True, sizes=(784, 256, 128, 10), activation=nn.ReLU):
    layers = [nn.Linear(sizes[0], sizes[1], bias=bias), activation(),
              nn.Linear(sizes[1], sizes[2], bias=bias), activation(),
              nn.Linear(sizes[2], sizes[3], bias=bias)]
    return nn.Sequential(*layers, *tail)


def test_deep_mlp_passes_the_right_network():
    assert str(check.deep_mlp(deep())) == "✔ deep_mlp: passed: 235,146 parameters, (4, 784) -> (4, 10) logits"


def test_deep_mlp_passes_with_dropout_and_keeps_the_training_mode():
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 128), nn.ReLU(),
                          nn.Linear(128, 10))
    assert check.deep_mlp(model)
    assert model.training


def test_deep_mlp_with_a_trailing_softmax_says_leave_it_out():
    verdict = check.deep_mlp(deep(nn.Softmax(dim=1)))
    assert str(verdict) == ("✘ deep_mlp: wrong: each output row sums to 1: the network ends with a softmax; "
                            "leave it out, F.cross_entropy and nn.CrossEntropyLoss apply log-softmax to the "
                            "logits themselves")


def test_deep_mlp_with_a_trailing_log_softmax_says_leave_it_out():
    assert "ends with a log-softmax" in str(check.deep_mlp(deep(nn.LogSoftmax(dim=1))))


def test_deep_mlp_without_biases_says_biases_forgotten():
    verdict = check.deep_mlp(deep(bias=False))
    assert str(verdict) == ("✘ deep_mlp: wrong: 234,752 parameters where 235,146 were expected: "
                            "biases forgotten (bias=False?)")


def test_deep_mlp_with_other_sizes_names_the_expected_sizes():
    verdict = check.deep_mlp(deep(sizes=(784, 300, 100, 10)))
    assert "266,610 parameters where 235,146 were expected: check the layer sizes 784 -> 256 -> 128 -> 10" \
        in str(verdict)


def test_deep_mlp_whose_layers_do_not_chain_says_so():
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(128, 256), nn.ReLU(), nn.Linear(128, 10))
    verdict = check.deep_mlp(model)
    assert "each nn.Linear's in_features must equal the previous one's out_features" in str(verdict)


def test_deep_mlp_with_the_wrong_number_of_outputs_says_so():
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    assert "gives (4, 10)" not in str(check.deep_mlp(model))
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128))
    assert "a (4, 784) batch gives (4, 128) where (4, 10) was expected" in str(check.deep_mlp(model))


def test_deep_mlp_without_relu_says_the_network_is_linear():
    model = nn.Sequential(nn.Linear(784, 256), nn.Linear(256, 128), nn.Linear(128, 10))
    assert "the network is linear: no ReLU after the hidden layers" in str(check.deep_mlp(model))


def test_deep_mlp_with_a_trailing_relu_says_logits_take_any_sign():
    assert "the network ends with a ReLU" in str(check.deep_mlp(deep(nn.ReLU())))


def test_deep_mlp_with_sigmoid_hidden_units_says_relu_after_each_hidden_layer():
    verdict = check.deep_mlp(deep(activation=nn.Sigmoid))
    assert "one ReLU after each hidden layer, nothing after the last" in str(verdict)


def test_deep_mlp_that_is_not_a_module_says_so():
    assert "expected an nn.Module" in str(check.deep_mlp([nn.Linear(784, 10)]))


def test_deep_mlp_untouched_stub_is_not_attempted():
    assert "not attempted yet" in str(check.deep_mlp(...))


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
