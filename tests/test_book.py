"""Specifications of helpers.book.glue: myst_nb's glue output where myst_nb is installed, a print
where it is not."""

import importlib.util

import IPython.display
import myst_nb.ext.glue
import pytest

from helpers.book import check_band, glue


def displayed_by(glue_function, monkeypatch, module, name, value, display):
    """The (data, metadata) of every display call made by ``glue_function(name, value, display)``."""
    calls = []
    monkeypatch.setattr(module, "ipy_display" if module is myst_nb.ext.glue else "display",
                        lambda data, raw, metadata: calls.append((data, metadata)))
    glue_function(name, value, display=display)
    return calls


@pytest.mark.parametrize("value", [0.9412, 3, "way 3", [1, 2]])
@pytest.mark.parametrize("display", [False, True])
def test_glue_writes_the_same_output_as_myst_nb_glue(monkeypatch, value, display):
    ours = displayed_by(glue, monkeypatch, IPython.display, "key", value, display)
    theirs = displayed_by(myst_nb.ext.glue.glue, monkeypatch, myst_nb.ext.glue, "key", value, display)
    assert ours == theirs and len(ours) == 1


def test_glue_without_display_hides_the_value_behind_myst_nbs_prefix(monkeypatch):
    [(data, metadata)] = displayed_by(glue, monkeypatch, IPython.display, "acc", 0.5, False)
    assert data == {"application/papermill.record/text/plain": "0.5"}
    assert metadata["scrapbook"] == {"name": "acc", "mime_prefix": "application/papermill.record/"}


def test_glue_prints_name_and_value_where_myst_nb_is_not_installed(monkeypatch, capsys):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name == "myst_nb" else find_spec(name, *args))
    glue("r5_test_acc", 0.9593, display=False)
    assert capsys.readouterr().out == "r5_test_acc = 0.9593\n"


def test_check_band_records_the_value_for_the_book(monkeypatch):
    calls = []
    monkeypatch.setattr(IPython.display, "display", lambda data, raw, metadata: calls.append(data))
    check_band("acc", 0.975, 0.97)
    assert calls == [{"application/papermill.record/text/plain": "0.975"}]


@pytest.mark.parametrize("value, low, high", [(0.97, 0.97, 0.98), (0.98, 0.97, 0.98), (1e-12, None, 1e-10)],
                         ids=["on-the-low-bound", "on-the-high-bound", "one-bound"])
def test_check_band_passes_a_value_inside_or_on_a_bound(value, low, high):
    check_band("acc", value, low, high)


@pytest.mark.parametrize("value, low, high, message", [
    (0.9699, 0.97, 0.98, "acc = 0.9699, expected >= 0.97 and <= 0.98"),
    (0.9801, 0.97, 0.98, "acc = 0.9801, expected >= 0.97 and <= 0.98"),
    (1e-3, None, 1e-10, "acc = 0.001, expected <= 1e-10"),
    (float("nan"), 0.9, None, "acc = nan"),
], ids=["below", "above", "above-the-one-bound", "nan"])
def test_check_band_names_the_result_the_value_and_the_band_when_outside(value, low, high, message):
    with pytest.raises(AssertionError, match=message):
        check_band("acc", value, low, high)
