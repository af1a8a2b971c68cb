"""Every band a chapter writes with `check_band` sits at the course's rule against the seed study
(benchmarks/seed_spread.json): 4 standard deviations from the mean of the distinct runs, or 0.003
for an accuracy, whichever is wider, rounded outward to the digits written. A band may be looser
only where its line says why (a comment with "looser:"); it is tighter only where it backs a claim
(a comment with "claim:"), and then every run of the study meets it."""

import json
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from seed_spread import CHECK_BAND, RAW, bands, distinct_values, rule_bounds  # noqa: E402

STUDY = json.loads(RAW.read_text())
BANDS = bands()


def outward(bound, written, direction):
    """`bound` rounded away from the mean to the precision of the literal `written`."""
    if "e" in written:
        exponent = math.floor(math.log10(abs(bound)))
        step = 10.0 ** exponent
    else:
        step = 10.0 ** -len(written.split(".")[1]) if "." in written else 1.0
    return (math.floor if direction < 0 else math.ceil)(bound / step - 1e-9 * direction) * step


def test_the_chapters_write_bands():
    assert len(BANDS) >= 20


@pytest.mark.parametrize("name", sorted(BANDS))
def test_the_band_rests_on_at_least_five_distinct_runs(name):
    assert len(distinct_values(STUDY, name)) >= 5


@pytest.mark.parametrize("name", sorted(BANDS))
def test_the_band_is_no_tighter_than_the_rule(name):
    _, low, high, line = BANDS[name]
    if "claim:" in line:  # a check that backs a claim asks for what it says, and held in every run
        assert all((low is None or v >= low) and (high is None or v <= high)
                   for v in distinct_values(STUDY, name)), (low, high)
        return
    rule_low, rule_high = rule_bounds(name, distinct_values(STUDY, name))
    assert low is None or low <= rule_low + 1e-12, (low, rule_low)
    assert high is None or high >= rule_high - 1e-12, (high, rule_high)


@pytest.mark.parametrize("name", sorted(BANDS))
def test_the_band_is_no_looser_than_the_rule_unless_its_line_says_why(name):
    _, low, high, line = BANDS[name]
    if "looser:" in line:
        return
    written_low, written_high = CHECK_BAND.search(line).group(3, 4)
    rule_low, rule_high = rule_bounds(name, distinct_values(STUDY, name))
    assert low is None or low >= outward(rule_low, written_low, -1) - 1e-12, (low, rule_low)
    assert high is None or high <= outward(rule_high, written_high, +1) + 1e-12, (high, rule_high)
