"""Specifications of helpers.cnn: the CNN chapter's buffed network."""

import torch
from torch import nn

from helpers.cnn import buffed_cnn


def test_buffed_cnn_maps_a_batch_of_digits_to_ten_logits():
    assert buffed_cnn()(torch.zeros(3, 1, 28, 28)).shape == (3, 10)


def test_buffed_cnn_has_118346_parameters_with_64_hidden_units():
    assert sum(p.numel() for p in buffed_cnn().parameters()) == 118_346


def test_buffed_cnn_takes_the_dense_width_and_the_dropout_rate():
    model = buffed_cnn(hidden=128, dropout=0.0)
    assert model[7].out_features == 128 and model[10].in_features == 128
    assert isinstance(model[9], nn.Dropout) and model[9].p == 0.0
