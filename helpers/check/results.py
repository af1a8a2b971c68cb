"""Checkers for chapter 10, the results page: reading the table's rows (chapter, model, reference
set-up, reference accuracy, ours, parameters, seconds) as error rates, gains and costs."""

import math

from helpers.check.verdict import Wrong, call, checker

# Rows as the results table has them: (chapter, model, reference set-up, reference accuracy, ours,
# parameters, training seconds). A reference accuracy is a number, a (low, high) range or None.
TABLE = [
    ("ch-a", "no reference, best accuracy", "-", None, 0.999, 50_000, 9.0),
    ("ch-a", "highest accuracy with a reference", "X1", 0.985, 0.998, 400_000, 30.0),
    ("ch-b", "range reference", "X2", (0.50, 0.70), 0.80, 2_000, 1.0),
    ("ch-b", "largest gain", "X3", 0.60, 0.82, 100_000, 4.0),
    ("ch-c", "middling", "X4", 0.90, 0.97, 8_000, 2.0),
    ("ch-c", "below its reference", "X5", 0.95, 0.90, 1_000_000, 60.0),
    ("ch-gradient-descent", "two Gaussians", "X6", 0.98, 0.98, None, None),
]


def _number(value, what):
    try:
        return float(value)
    except (TypeError, ValueError):
        raise Wrong(f"{what} is {value!r} where a number was expected") from None


@checker
def error_rate_reduction(reduction):
    """`reduction(acc, ref_acc)`: the fraction of the reference's test errors that ours avoids."""
    for acc, ref in [(0.959, 0.945), (0.9892, 0.986), (0.90, 0.95)]:
        err, err_ref = 1 - acc, 1 - ref
        expected = (err_ref - err) / err_ref
        got = _number(call(reduction, acc, ref), f"reduction({acc}, {ref})")
        where = f"reduction({acc}, {ref}): expected {expected:.4f}, got {got:.4f}"
        mistakes = [
            (acc - ref, "that is the gain in accuracy; divide it by the reference's error rate, 1 - ref_acc"),
            (100 * expected, "a percentage; return the fraction (0.25, not 25)"),
            ((err_ref - err) / err, "divided by our error rate; the reduction is relative to the "
                                    "reference's error rate, 1 - ref_acc"),
            (acc / ref - 1, "that is the relative change of the accuracy, not of the error rate"),
            (-expected, "the sign is flipped: the reduction is positive when ours makes fewer errors"),
            (err / err_ref, "that is the ratio of the error rates; the reduction is 1 minus it"),
        ]
        if math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12):
            continue
        for value, hint in mistakes:
            if math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-12):
                raise Wrong(f"{where}: {hint}")
        raise Wrong(where)
    return "(err_ref - err) / err_ref, also when ours is worse (negative)"


def _upper(reference):
    return max(reference) if isinstance(reference, tuple) else reference


def _name(answer, what):
    if isinstance(answer, (tuple, list)) and len(answer) == 7:
        raise Wrong(f"{what} returned a whole row; return its model name (row[1])")
    if not isinstance(answer, str):
        raise Wrong(f"{what} returned {answer!r} where a model name (a string) was expected")
    return answer


@checker
def largest_gain(largest):
    """`largest(table)`: the model whose accuracy exceeds its reference's by the most points."""
    try:
        got = _name(call(largest, list(TABLE)), "largest_gain(table)")
    except TypeError as error:
        raise Wrong(f"your function raised TypeError ({error}): skip the rows whose reference "
                    "accuracy is None") from None
    hints = {
        "no reference, best accuracy": "that row has no reference: skip rows whose reference is None",
        "highest accuracy with a reference": ("that is the most accurate row (and the largest relative cut "
                                              "of errors); the gain is ours minus the reference, in points"),
        "range reference": "compared with the lower end of a range; a range is beaten only above its "
                           "upper end (R6's dropout row is 74-77%)",
        "below its reference": "that is the smallest gain (max, not min)",
    }
    if got == "largest gain":
        return "ours - reference, a range compared at its upper end"
    raise Wrong(f"on a table of {len(TABLE)} rows: expected 'largest gain', got {got!r}"
                + (f": {hints[got]}" if got in hints else ""))


@checker
def cheapest_accuracy(cheapest):
    """`cheapest(table)`: the model with the highest accuracy / ln(parameters), over rows with both."""
    try:
        got = _name(call(cheapest, list(TABLE)), "cheapest(table)")
    except TypeError as error:
        raise Wrong(f"your function raised TypeError ({error}): skip the rows without a parameter "
                    "count (None)") from None
    scores = {row[1]: row[4] / math.log(row[5]) for row in TABLE if row[4] is not None and row[5]}
    expected = max(scores, key=scores.get)
    rows = [row for row in TABLE if row[4] is not None and row[5]]
    per_parameter = max(rows, key=lambda row: row[4] / row[5])[1]
    if got == expected:
        return "accuracy / ln(parameters)"
    if got == per_parameter:
        raise Wrong(f"expected {expected!r}, got {got!r}: that divides by the parameter count itself; "
                    "divide by its logarithm, math.log(params)")
    if got == max(TABLE, key=lambda row: row[4])[1]:
        raise Wrong(f"expected {expected!r}, got {got!r}: that is the most accurate row; divide each "
                    "accuracy by math.log(params)")
    raise Wrong(f"expected {expected!r}, got {got!r}")


@checker
def error_rates(rates):
    """`rates(table)`: (test error in percent, model) for every MNIST row, best first."""
    mnist = [row for row in TABLE if row[0] != "ch-gradient-descent"]
    expected = sorted((100 * (1 - row[4]), row[1]) for row in mnist)
    got = call(rates, list(TABLE))
    try:
        got = [(float(error), str(model)) for error, model in got]
    except (TypeError, ValueError):
        raise Wrong("return a list of (error in percent, model name) pairs") from None
    names = [model for _, model in got]
    if "two Gaussians" in names:
        raise Wrong("R1's two Gaussians (chapter ch-gradient-descent) are not an MNIST result: leave "
                    "that row out")
    if len(got) != len(expected):
        raise Wrong(f"{len(got)} rows where {len(expected)} were expected (every MNIST row)")
    if names == [model for _, model in reversed(expected)]:
        raise Wrong("sorted worst first: the best (lowest error) comes first")
    first_error, first_model = got[0]
    accuracy = {row[1]: row[4] for row in TABLE}
    if math.isclose(first_error, 100 * accuracy[first_model], rel_tol=1e-9):
        raise Wrong(f"{first_model}: {first_error:g} is the accuracy, not the error rate 100 * (1 - acc)")
    if math.isclose(first_error, expected[0][0] / 100, rel_tol=1e-9):
        raise Wrong(f"{first_model}: {first_error:g} is a fraction; give the error in percent")
    for (error, model), (want_error, want_model) in zip(got, expected):
        if model != want_model or not math.isclose(error, want_error, rel_tol=1e-9, abs_tol=1e-9):
            raise Wrong(f"expected ({want_error:.2f}, {want_model!r}), got ({error:.2f}, {model!r})")
    return "every MNIST row, best first"
