"""Gluing a value into the rendered book (myst_nb), with a plain fallback where myst_nb is absent.

Colab, Binder and a downloaded notebook have no Jupyter Book tooling: there `glue` prints the value
instead, so a chapter runs top to bottom anywhere."""

import importlib.util

# myst_nb's glue protocol (myst_nb.ext.glue): a display output whose metadata names the value, and
# whose MIME types carry this prefix when the value is glued without being shown.
GLUE_PREFIX = "application/papermill.record/"


def glue(name, value, display=True):
    """What ``myst_nb.glue(name, value, display)`` does when myst_nb is installed, else print
    ``name = value``.

    The output is written here rather than by ``myst_nb.glue`` because importing that module
    imports nbformat's JSON-schema validator, which costs a kernel seconds (about 3 s on a 2-core
    machine) in every chapter; `tests/test_book.py` checks that both write the same output."""
    if importlib.util.find_spec("myst_nb") is None:
        print(f"{name} = {value!r}")
        return
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    mimebundle, metadata = format_display_data(value)
    mime_prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = dict(name=name, mime_prefix=mime_prefix)
    ipy_display({mime_prefix + k: v for k, v in mimebundle.items()}, raw=True, metadata=metadata)


def check_band(name, value, low=None, high=None):
    """Record a trained result for the book (glued as ``name``) and fail with a clear message when it
    falls outside ``[low, high]``: the one place a chapter states the band it expects, so that
    ``benchmarks/seed_spread.py`` can collect the value and ``tests/test_bands.py`` the bounds."""
    value = float(value)
    glue(name, value, display=False)
    if (low is not None and not value >= low) or (high is not None and not value <= high):
        expected = " and ".join(([f">= {low}"] if low is not None else [])
                                + ([f"<= {high}"] if high is not None else []))
        raise AssertionError(f"{name} = {value:.6g}, expected {expected}: this run trained worse than "
                             "every run of the study the band comes from (see 'How this book is tested')")
