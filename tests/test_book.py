"""Specifications of helpers.book.glue: myst_nb's glue output where myst_nb is installed, a print
where it is not."""

import importlib.util

import IPython.display
import myst_nb.ext.glue
import pytest

from helpers.book import glue


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
