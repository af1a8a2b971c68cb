"""Specifications of helpers.training: fit and evaluate on tiny, separable data."""

import pytest
import torch
from torch import nn

from helpers.training import evaluate, fit


def separable_data(n=200, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, 2, generator=g)
    y = (X[:, 0] + X[:, 1] > 0).long()
    return X, y


def test_evaluate_returns_mean_loss_and_accuracy():
    model = nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[-1.0, -1.0], [1.0, 1.0]]))
        model.bias.zero_()
    X, y = separable_data()
    loss, acc = evaluate(model, X, y, batch_size=64)
    expected = nn.functional.cross_entropy(model(X), y).item()
    assert acc == 1.0 and loss == pytest.approx(expected, rel=1e-6)


def test_evaluate_restores_training_mode():
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    model.train()
    evaluate(model, *separable_data())
    assert model.training


def test_fit_learns_separable_data_and_records_one_history_row_per_epoch():
    torch.manual_seed(0)
    X, y = separable_data()
    model = nn.Linear(2, 2)
    history = fit(model, torch.optim.SGD(model.parameters(), lr=0.5), X, y, epochs=5,
                  batch_size=32, X_val=X, y_val=y, generator=torch.Generator().manual_seed(0),
                  progress=False)
    assert set(history) == {"train_loss", "train_acc", "val_loss", "val_acc", "seconds"}
    assert all(len(v) == 5 for v in history.values())
    assert history["val_acc"][-1] >= 0.97
    assert history["train_loss"][-1] < history["train_loss"][0]


def test_fit_evaluates_the_validation_set_in_batches_of_eval_batch_size():
    X, y = separable_data(n=100)
    model = nn.Linear(2, 2)
    eval_batches = []
    model.register_forward_hook(lambda module, args, out: None if module.training
                                else eval_batches.append(len(args[0])))
    fit(model, torch.optim.SGD(model.parameters(), lr=0.1), X, y, epochs=1, batch_size=50,
        X_val=X, y_val=y, eval_batch_size=40, progress=False)
    assert eval_batches == [40, 40, 20]


def test_fit_stops_after_max_steps():
    X, y = separable_data(n=100)
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    calls = []
    original_step = optimizer.step
    optimizer.step = lambda: calls.append(1) or original_step()
    history = fit(model, optimizer, X, y, epochs=100, batch_size=10, max_steps=25, progress=False)
    assert len(calls) == 25 and len(history["train_loss"]) == 3  # 10 + 10 + 5 steps


def test_fit_is_reproducible_from_a_seeded_generator():
    X, y = separable_data()
    results = []
    for _ in range(2):
        torch.manual_seed(1)
        model = nn.Linear(2, 2)
        fit(model, torch.optim.SGD(model.parameters(), lr=0.1), X, y, epochs=2, batch_size=16,
            generator=torch.Generator().manual_seed(3), progress=False)
        results.append(model.weight.detach().clone())
    assert torch.equal(results[0], results[1])


def test_fit_steps_the_scheduler_once_per_optimizer_step():
    X, y = separable_data(n=100)
    model = nn.Linear(2, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 / (1 + step))
    fit(model, optimizer, X, y, epochs=3, batch_size=25, scheduler=scheduler, progress=False)
    assert scheduler.last_epoch == 12  # 3 epochs of 100 / 25 steps
    assert optimizer.param_groups[0]["lr"] == pytest.approx(1 / 13)


def test_fit_prints_its_progress_line_to_stderr_only_when_asked(capsys):
    X, y = separable_data(n=100)
    model = nn.Linear(2, 2)
    fit(model, torch.optim.SGD(model.parameters(), lr=0.1), X, y, epochs=1, batch_size=2, progress=True)
    shown = capsys.readouterr()
    assert shown.out == "" and "epoch 1/1     100/100  loss" in shown.err
    fit(model, torch.optim.SGD(model.parameters(), lr=0.1), X, y, epochs=1, batch_size=2, progress=False)
    assert capsys.readouterr().err == ""
