"""The checkers of chapter 11: the right answer passes, each usual slip is named, a stub is not attempted."""

import math

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


# one_cycle_lr

def test_one_cycle_lr_passes_the_two_half_cosines():
    verdict = check.one_cycle_lr(one_cycle_lr)
    assert str(verdict) == "✔ one_cycle_lr: passed: equal to torch's OneCycleLR at every step tried"


def test_one_cycle_lr_names_a_straight_line():
    verdict = check.one_cycle_lr(lambda s, t, m: one_cycle_lr(s, t, m, linear=True))
    assert str(verdict) == ("✘ one_cycle_lr: wrong: step 70 of 469, max_lr 0.02: expected 0.0104324, got "
                            "0.0104206: a straight line: both phases follow half a cosine")


def test_one_cycle_lr_names_a_start_at_zero():
    verdict = check.one_cycle_lr(lambda s, t, m: one_cycle_lr(s, t, m, start=0.0))
    assert "starts at 0: the schedule starts at max_lr / 25" in str(verdict)


def test_one_cycle_lr_names_an_end_at_zero():
    verdict = check.one_cycle_lr(lambda s, t, m: one_cycle_lr(s, t, m, end=0.0))
    assert "ends at 0: the schedule ends at max_lr / 25 / 10^4" in str(verdict)


def test_one_cycle_lr_names_a_peak_one_step_late():
    verdict = check.one_cycle_lr(lambda s, t, m: one_cycle_lr(s, t, m, peak_step=0.3 * t))
    assert "the rise ends one step late: at step 0.3 T - 1" in str(verdict)


def test_one_cycle_lr_names_a_constant_rate():
    verdict = check.one_cycle_lr(lambda s, t, m: m)
    assert "a constant learning rate: the schedule rises and falls" in str(verdict)


def test_one_cycle_lr_stub_is_not_attempted():
    assert str(check.one_cycle_lr(stub)).startswith("… one_cycle_lr: not attempted yet")


# scaled_lr

def test_scaled_lr_passes_the_linear_rule():
    verdict = check.scaled_lr(lambda lr, batch, new: lr * new / batch)
    assert str(verdict) == "✔ scaled_lr: passed: batch 512: 0.08 from 0.02 at batch 128"


def test_scaled_lr_names_an_unchanged_rate():
    verdict = check.scaled_lr(lambda lr, batch, new: lr)
    assert "expected 0.08, got 0.02: unchanged" in str(verdict)


def test_scaled_lr_names_the_ratio_upside_down():
    verdict = check.scaled_lr(lambda lr, batch, new: lr * batch / new)
    assert "the ratio upside down: a larger batch gets a larger learning rate" in str(verdict)


def test_scaled_lr_names_the_square_root_rule():
    verdict = check.scaled_lr(lambda lr, batch, new: lr * math.sqrt(new / batch))
    assert str(verdict) == ("✘ scaled_lr: wrong: lr 0.02 at batch 128, new batch 512: expected 0.08, "
                            "got 0.04: that is the square-root rule; the linear rule multiplies by the ratio "
                            "of the batch sizes itself")


def test_scaled_lr_stub_is_not_attempted():
    assert "not attempted yet" in str(check.scaled_lr(stub))


# wider_flops_ratios

def test_wider_flops_ratios_passes_the_training_flops_ratios():
    verdict = check.wider_flops_ratios({(24, 48): 2.128272, (32, 64): 3.675393})
    assert str(verdict) == "✔ wider_flops_ratios: passed: 2.13 and 3.68 times the recipe's FLOPs"


def test_wider_flops_ratios_names_the_forward_pass_only():
    verdict = check.wider_flops_ratios({(24, 48): 2.082524, (32, 64): 3.553398})
    assert "got 2.083: the forward pass only" in str(verdict)


def test_wider_flops_ratios_names_the_ratio_of_width_products():
    verdict = check.wider_flops_ratios({(24, 48): 2.25, (32, 64): 4.0})
    assert "the ratio of the width products" in str(verdict)


def test_wider_flops_ratios_names_ratios_upside_down():
    verdict = check.wider_flops_ratios({(24, 48): 1 / 2.128272, (32, 64): 1 / 3.675393})
    assert "upside down" in str(verdict)


def test_wider_flops_ratios_asks_for_the_two_keys():
    verdict = check.wider_flops_ratios([2.13, 3.68])
    assert "give a dict with the keys (24, 48) and (32, 64)" in str(verdict)


def test_wider_flops_ratios_untouched_stub_is_not_attempted():
    assert str(check.wider_flops_ratios(...)).startswith("… wider_flops_ratios: not attempted yet")
