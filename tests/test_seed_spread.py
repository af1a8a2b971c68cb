"""Every hidden band on a trained result is derived from the seed-spread study (benchmarks/).

A band sits at least max(4 standard deviations, 0.003) from the mean over 5 seeds at 1 and 2 threads
for an accuracy, 4 standard deviations for any other result (README, "Contributing")."""

import json
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from seed_spread import BANDS, RAW, band_holds, values_of  # noqa: E402

STUDY = json.loads(RAW.read_text())


def code_source(notebook):
    nb = nbformat.read(ROOT / "chapters" / f"{notebook}.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("name", list(BANDS))
def test_the_band_is_asserted_in_its_chapter_as_the_study_states_it(name):
    notebook, assertion, *_ = BANDS[name]
    assert assertion in code_source(notebook)


@pytest.mark.parametrize("name", list(BANDS))
def test_the_band_sits_far_enough_from_the_mean_of_at_least_ten_runs(name):
    assert len(values_of(STUDY, name)) >= 10
    assert band_holds(STUDY, name)
