"""Gluing a value into the rendered book (myst_nb), with a plain fallback where myst_nb is absent.

Colab, Binder and a downloaded notebook have no Jupyter Book tooling: there `glue` prints the value
instead, so a chapter runs top to bottom anywhere."""


def glue(name, value, display=True):
    """``myst_nb.glue(name, value, display)`` when myst_nb is installed, else print ``name = value``."""
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        print(f"{name} = {value!r}")
        return
    myst_glue(name, value, display=display)
