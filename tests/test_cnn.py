"""Specifications of helpers.cnn: the CNN chapter's buffed network."""

import torch
from torch import nn

from helpers.cnn import buffed_cnn


def test_buffed_cnn_maps_a_batch_of_digits_to_ten_logits():
    assert buffed_cnn()(torch.zeros(3, 1, 28, 28)).shape == (3, 10)


def test_buffed_cnn_has_118346_parameters_with_64_hidden_units():
    assert sum(p.numel() for p in buffed_cnn().parameters()) == 118_346


def test_buffed_cnn_takes_the_dense_width():
    widths = [m.out_features for m in buffed_cnn(hidden=128).modules() if isinstance(m, nn.Linear)]
    assert widths == [128, 10]


def test_buffed_cnn_with_dropout_zero_is_the_same_function_in_training_and_evaluation():
    model = buffed_cnn(dropout=0.0).train()
    for module in model.modules():  # batch norm uses batch statistics in training: compare without it
        if isinstance(module, nn.BatchNorm2d):
            module.eval()
    x = torch.randn(4, 1, 28, 28)
    assert torch.equal(model(x), model.eval()(x))
