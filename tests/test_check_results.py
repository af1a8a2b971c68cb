"""Chapter 10's checkers: the right answer passes, each typical mistake is named, a stub is not attempted."""

import math

import pytest

from helpers.check import results as check


def upper(reference):
    return max(reference) if isinstance(reference, tuple) else reference


def lower(reference):
    return min(reference) if isinstance(reference, tuple) else reference


def gains(table, reference_of=upper):
    return {row[1]: row[4] - reference_of(row[3]) for row in table if row[3] is not None}


def largest_gain(table, reference_of=upper, pick=max):
    found = gains(table, reference_of)
    return pick(found, key=found.get)


def cheapest(table, cost=math.log, skip_unknown=True):
    return max((acc / cost(n), model) for _, model, _, _, acc, n, _ in table if n or not skip_unknown)[1]


def mnist_errors(table):
    return sorted((100 * (1 - acc), model) for chapter, model, _, _, acc, _, _ in table
                  if chapter != "ch-gradient-descent")


STUB = "your function is still the stub: write its body in place of the ..."


VERDICTS = {  # id: (checker, the answer, its verdict's mark: ✔ passed, ✘ wrong, … not attempted, words in it)
    "error_rate_reduction-right": (
        "error_rate_reduction", lambda acc, ref: ((1 - ref) - (1 - acc)) / (1 - ref), "✔",
        "(err_ref - err) / err_ref, also when ours is worse (negative)"),
    "error_rate_reduction-stub": ("error_rate_reduction", lambda acc, ref: None, "…", STUB),
    "error_rate_reduction-points": ("error_rate_reduction", lambda acc, ref: acc - ref, "✘",
                                    "expected 0.2545, got 0.0140: that is the gain in accuracy"),
    "error_rate_reduction-percent": (
        "error_rate_reduction", lambda acc, ref: 100 * (acc - ref) / (1 - ref), "✘",
        "a percentage; return the fraction"),
    "error_rate_reduction-by-our-error": (
        "error_rate_reduction", lambda acc, ref: (acc - ref) / (1 - acc), "✘", "divided by our error rate"),
    "error_rate_reduction-of-accuracy": ("error_rate_reduction", lambda acc, ref: acc / ref - 1, "✘",
                                         "the relative change of the accuracy, not of the error rate"),
    "error_rate_reduction-sign": ("error_rate_reduction", lambda acc, ref: (ref - acc) / (1 - ref), "✘",
                                  "the sign is flipped"),
    "error_rate_reduction-ratio": ("error_rate_reduction", lambda acc, ref: (1 - acc) / (1 - ref), "✘",
                                   "the ratio of the error rates; the reduction is 1 minus it"),

    "largest_gain-right": ("largest_gain", largest_gain, "✔",
                           "ours - reference, a range compared at its upper end"),
    "largest_gain-stub": ("largest_gain", lambda table: None, "…", STUB),
    "largest_gain-rows-without-reference": (
        "largest_gain", lambda table: max(table, key=lambda row: row[4] - upper(row[3]))[1], "✘",
        "skip the rows whose reference accuracy is None"),
    "largest_gain-lower-end": ("largest_gain", lambda table: largest_gain(table, reference_of=lower), "✘",
                               "compared with the lower end of a range"),
    "largest_gain-most-accurate": (
        "largest_gain", lambda table: max((r for r in table if r[3]),
                                                                     key=lambda r: r[4])[1], "✘",
        "that is the most accurate row"),
    "largest_gain-smallest": ("largest_gain", lambda table: largest_gain(table, pick=min), "✘",
                              "max, not min"),
    "largest_gain-whole-row": (
        "largest_gain", lambda table: next(r for r in table if r[1] == "largest gain"), "✘",
        "returned a whole row; return its model name (row[1])"),

    "cheapest_accuracy-right": ("cheapest_accuracy", cheapest, "✔", "accuracy / ln(parameters)"),
    "cheapest_accuracy-stub": ("cheapest_accuracy", lambda table: None, "…", STUB),
    "cheapest_accuracy-by-count": ("cheapest_accuracy", lambda table: cheapest(table, cost=lambda n: n), "✘",
                                   "divides by the parameter count itself"),
    "cheapest_accuracy-most-accurate": (
        "cheapest_accuracy", lambda table: cheapest(table, cost=lambda n: 1, skip_unknown=False), "✘",
        "that is the most accurate row"),
    "cheapest_accuracy-rows-without-count": (
        "cheapest_accuracy", lambda t: cheapest(t, skip_unknown=False), "✘",
        "skip the rows without a parameter count"),

    "error_rates-right": ("error_rates", mnist_errors, "✔", "every MNIST row, best first"),
    "error_rates-stub": ("error_rates", lambda table: None, "…", STUB),
    "error_rates-two-gaussians": (
        "error_rates", lambda table: sorted((100 * (1 - r[4]), r[1]) for r in table), "✘",
        "are not an MNIST result"),
    "error_rates-worst-first": ("error_rates", lambda table: mnist_errors(table)[::-1], "✘",
                                "sorted worst first"),
    "error_rates-accuracies": (
        "error_rates", lambda table: sorted(
        ((100 * r[4], r[1]) for r in table if r[0] != "ch-gradient-descent"), reverse=True), "✘",
        "99.9 is the accuracy, not the error rate"),
    "error_rates-fractions": (
        "error_rates", lambda table: [(e / 100, m) for e, m in mnist_errors(table)], "✘",
        "0.001 is a fraction; give the error in percent"),
}


@pytest.mark.parametrize("name, answer, mark, words", VERDICTS.values(), ids=VERDICTS)
def test_each_answer_gets_its_verdict(name, answer, mark, words):
    verdict = str(getattr(check, name)(answer))
    assert verdict.startswith(f"{mark} {name}: ") and words in verdict, verdict
