"""The chapter 7 checkers: the right answer passes, each usual mistake is caught with its hint, and an
untouched stub is "not attempted yet"."""


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
