"""The checkers of chapter 12: the right answer passes, each usual slip is named, a stub is not attempted."""

import math

import pytest

from helpers.check import speed_run as check


def one_cycle_lr(step, total_steps, max_lr, *, linear=False, start=None, end=None, peak_step=None):
    """PyTorch's OneCycleLR by its formula; the keywords make the usual slips."""
    start = max_lr / 25 if start is None else start
    end = max_lr / 25 / 1e4 if end is None else end
    peak_step = 0.3 * total_steps - 1 if peak_step is None else peak_step
    if step <= peak_step:
        a, b, p = start, max_lr, step / peak_step
    else:
        a, b, p = max_lr, end, (step - peak_step) / (total_steps - 1 - peak_step)
    return a + (b - a) * p if linear else b + (a - b) * (1 + math.cos(math.pi * p)) / 2


def stub(*args):
    ...


def test_one_cycle_lr_passes_the_two_half_cosines():
    verdict = check.one_cycle_lr(one_cycle_lr)
    assert str(verdict) == "✔ one_cycle_lr: passed: equal to torch's OneCycleLR at every step tried"


@pytest.mark.parametrize("slip, hint", [
    (dict(linear=True), "step 70 of 469, max_lr 0.02: expected 0.0104324, got 0.0104206: a straight line"),
    (dict(start=0.0), "starts at 0: the schedule starts at max_lr / 25"),
    (dict(end=0.0), "ends at 0: the schedule ends at max_lr / 25 / 10^4"),
    ("late", "the rise ends one step late: at step 0.3 T - 1"),
    ("constant", "a constant learning rate: the schedule rises and falls"),
])
def test_one_cycle_lr_names_the_slip(slip, hint):
    wrong = {"late": lambda s, t, m: one_cycle_lr(s, t, m, peak_step=0.3 * t),
             "constant": lambda s, t, m: m}.get(slip) if isinstance(slip, str) else (
        lambda s, t, m: one_cycle_lr(s, t, m, **slip))
    verdict = str(check.one_cycle_lr(wrong))
    assert verdict.startswith("✘ one_cycle_lr: wrong:") and hint in verdict


def test_scaled_lr_passes_the_linear_rule():
    verdict = check.scaled_lr(lambda lr, batch, new: lr * new / batch)
    assert str(verdict) == "✔ scaled_lr: passed: batch 512: 0.08 from 0.02 at batch 128"


@pytest.mark.parametrize("scale, hint", [
    (lambda lr, batch, new: lr, "expected 0.08, got 0.02: unchanged"),
    (lambda lr, batch, new: lr * batch / new, "the ratio upside down"),
    (lambda lr, batch, new: lr * math.sqrt(new / batch), "got 0.04: that is the square-root rule"),
])
def test_scaled_lr_names_the_slip(scale, hint):
    assert hint in str(check.scaled_lr(scale))


def test_wider_flops_ratios_passes_the_training_flops_ratios_on_the_crop():
    verdict = check.wider_flops_ratios({(24, 48): 2.105947, (32, 64): 3.615859})
    assert str(verdict) == "✔ wider_flops_ratios: passed: 2.11 and 3.62 times the recipe's FLOPs"


@pytest.mark.parametrize("ratios, hint", [
    ({(24, 48): 2.054130, (32, 64): 3.477681}, "got 2.054: the forward pass only"),
    ({(24, 48): 2.25, (32, 64): 4.0}, "the ratio of the width products"),
    ({(24, 48): 2.128272, (32, 64): 3.675393}, "full 28 x 28 images: count the recipe's crop"),
    ({(24, 48): 1 / 2.105947, (32, 64): 1 / 3.615859}, "upside down"),
    ([2.11, 3.62], "give a dict with the keys (24, 48) and (32, 64)"),
])
def test_wider_flops_ratios_names_the_slip(ratios, hint):
    assert hint in str(check.wider_flops_ratios(ratios))


@pytest.mark.parametrize("checker, attempt", [(check.one_cycle_lr, stub), (check.scaled_lr, stub),
                                              (check.wider_flops_ratios, ...)])
def test_a_stub_is_not_attempted(checker, attempt):
    assert "not attempted yet" in str(checker(attempt))
