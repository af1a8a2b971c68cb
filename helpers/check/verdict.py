"""What every exercise checker shares: run the learner's answer, and say in one line whether it is
right, what is wrong with it, or that it has not been attempted yet.

A checker is a function decorated with `@checker` that raises `Wrong("...")` with a hint when the
answer is wrong and returns (optionally) a short note when it is right."""

import functools

import numpy as np


class NotAttempted(Exception):
    """The answer is still the stub: `...`, `None`, or a function that raises NotImplementedError."""


class Wrong(Exception):
    """The answer is wrong; the message says where, expected against got, and the likely mistake."""


class Verdict:
    """One checker's answer: shown as a single line, and true only when the answer passed."""

    def __init__(self, name, status, message=""):
        self.name, self.status, self.message = name, status, message

    def __bool__(self):
        return self.status == "passed"

    def __repr__(self):
        mark = {"passed": "✔", "wrong": "✘", "not attempted yet": "…"}[self.status]
        text = f"{mark} {self.name}: {self.status}"
        return f"{text}: {self.message}" if self.message else text

    __str__ = __repr__


def checker(check):
    """Turn `check(answer, ...)` into a function that returns a Verdict instead of raising."""

    @functools.wraps(check)
    def run(*answers, **options):
        name = check.__name__
        if any(answer is None or answer is Ellipsis for answer in answers):
            return Verdict(name, "not attempted yet", "replace the ... with your answer")
        try:
            note = check(*answers, **options)
        except NotAttempted:
            return Verdict(name, "not attempted yet",
                           "your function is still the stub: write its body in place of the ...")
        except Wrong as wrong:
            return Verdict(name, "wrong", str(wrong))
        except Exception as error:  # the learner's code raised: say what, not a traceback
            return Verdict(name, "wrong", f"your answer raised {type(error).__name__}: {error}")
        return Verdict(name, "passed", note or "")

    return run


def call(function, *args):
    """The learner's `function(*args)`, with a stub (NotImplementedError, `...`, None) as NotAttempted."""
    try:
        result = function(*args)
    except NotImplementedError:
        raise NotAttempted from None
    if result is None or result is Ellipsis:
        raise NotAttempted
    return result


def name_the_mistake(got, where, mistakes, rtol=1e-9):
    """Raise Wrong for a wrong number: with the hint of the first known mistake it equals (a list of
    (value, hint) pairs), else saying only `where` it differs."""
    for value, hint in mistakes:
        if np.isclose(got, value, rtol=rtol):
            raise Wrong(f"{where}: {hint}")
    raise Wrong(where)


def expect_shape(got, shape, what):
    """Raise Wrong unless `got` has exactly `shape`."""
    got_shape = np.shape(got)
    if got_shape != tuple(shape):
        transposed = " (transposed?)" if got_shape == tuple(shape)[::-1] else ""
        raise Wrong(f"{what} has shape {got_shape} where {tuple(shape)} was expected{transposed}")


def expect_close(got, expected, what, rtol=1e-6, atol=1e-9):
    """Raise Wrong unless `got` matches `expected` in shape and value; name the first difference."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    expect_shape(got, expected.shape, what)
    if not np.all(np.isfinite(got)):
        raise Wrong(f"{what} contains nan or inf: {_short(got)}")
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        raise Wrong(f"{what}: expected {_short(expected)}, got {_short(got)}")


def _short(array):
    """A number, or an array on one short line."""
    array = np.asarray(array)
    if array.ndim == 0:
        return f"{array.item():.6g}"
    return np.array2string(array, precision=4, threshold=6, max_line_width=10**6)
