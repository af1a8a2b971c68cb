"""Chapter 9's checkers: the right answer passes, each common mistake is named, a stub is not attempted."""

import math

from helpers.check import results as check


def upper(reference):
    return max(reference) if isinstance(reference, tuple) else reference


# --- error_rate_reduction -------------------------------------------------------------------------

def test_error_rate_reduction_passes_the_fraction_of_the_references_errors_avoided():
    assert check.error_rate_reduction(lambda acc, ref: ((1 - ref) - (1 - acc)) / (1 - ref))


def test_error_rate_reduction_names_the_gain_in_points():
    verdict = str(check.error_rate_reduction(lambda acc, ref: acc - ref))
    assert "expected 0.2545, got 0.0140: that is the gain in accuracy" in verdict


def test_error_rate_reduction_names_a_percentage():
    verdict = str(check.error_rate_reduction(lambda acc, ref: 100 * (acc - ref) / (1 - ref)))
    assert "a percentage; return the fraction" in verdict


def test_error_rate_reduction_names_division_by_our_error_rate():
    verdict = str(check.error_rate_reduction(lambda acc, ref: (acc - ref) / (1 - acc)))
    assert "divided by our error rate" in verdict


def test_error_rate_reduction_names_the_relative_change_of_accuracy():
    verdict = str(check.error_rate_reduction(lambda acc, ref: acc / ref - 1))
    assert "the relative change of the accuracy, not of the error rate" in verdict


def test_error_rate_reduction_names_a_flipped_sign():
    verdict = str(check.error_rate_reduction(lambda acc, ref: (ref - acc) / (1 - ref)))
    assert "the sign is flipped" in verdict


def test_error_rate_reduction_names_the_ratio_of_error_rates():
    verdict = str(check.error_rate_reduction(lambda acc, ref: (1 - acc) / (1 - ref)))
    assert "the ratio of the error rates; the reduction is 1 minus it" in verdict


def test_error_rate_reduction_stub_is_not_attempted():
    assert "not attempted yet" in str(check.error_rate_reduction(lambda acc, ref: None))


# --- largest_gain ---------------------------------------------------------------------------------

def gains(table, reference_of=upper):
    return {row[1]: row[4] - reference_of(row[3]) for row in table if row[3] is not None}


def test_largest_gain_passes_ours_minus_the_upper_end_of_the_reference():
    assert check.largest_gain(lambda table: max(gains(table), key=gains(table).get))


def test_largest_gain_names_rows_without_a_reference():
    verdict = str(check.largest_gain(lambda table: max(table, key=lambda row: row[4] - upper(row[3]))[1]))
    assert "skip the rows whose reference accuracy is None" in verdict


def test_largest_gain_names_the_lower_end_of_a_range():
    def lower_end(table):
        found = gains(table, reference_of=lambda r: min(r) if isinstance(r, tuple) else r)
        return max(found, key=found.get)

    assert "compared with the lower end of a range" in str(check.largest_gain(lower_end))


def test_largest_gain_names_the_most_accurate_row():
    verdict = str(check.largest_gain(lambda table: max((r for r in table if r[3]), key=lambda r: r[4])[1]))
    assert "that is the most accurate row" in verdict


def test_largest_gain_names_the_smallest_gain():
    assert "max, not min" in str(check.largest_gain(lambda table: min(gains(table), key=gains(table).get)))


def test_largest_gain_names_a_whole_row_returned():
    verdict = str(check.largest_gain(lambda table: next(r for r in table if r[1] == "largest gain")))
    assert "returned a whole row; return its model name (row[1])" in verdict


def test_largest_gain_stub_is_not_attempted():
    assert "not attempted yet" in str(check.largest_gain(lambda table: None))


# --- cheapest_accuracy ----------------------------------------------------------------------------

def test_cheapest_accuracy_passes_accuracy_over_log_parameters():
    assert check.cheapest_accuracy(
        lambda table: max((acc / math.log(n), model) for _, model, _, _, acc, n, _ in table if n)[1])


def test_cheapest_accuracy_names_division_by_the_parameter_count():
    verdict = str(check.cheapest_accuracy(
        lambda table: max((acc / n, model) for _, model, _, _, acc, n, _ in table if n)[1]))
    assert "divides by the parameter count itself" in verdict


def test_cheapest_accuracy_names_the_most_accurate_row():
    verdict = str(check.cheapest_accuracy(lambda table: max((acc, m) for _, m, _, _, acc, _, _ in table)[1]))
    assert "that is the most accurate row" in verdict


def test_cheapest_accuracy_names_rows_without_a_parameter_count():
    verdict = str(check.cheapest_accuracy(
        lambda table: max((acc / math.log(n), model) for _, model, _, _, acc, n, _ in table)[1]))
    assert "skip the rows without a parameter count" in verdict


def test_cheapest_accuracy_stub_is_not_attempted():
    assert "not attempted yet" in str(check.cheapest_accuracy(lambda table: None))


# --- error_rates ----------------------------------------------------------------------------------

def mnist_errors(table):
    return sorted((100 * (1 - acc), model) for chapter, model, _, _, acc, _, _ in table
                  if chapter != "ch-gradient-descent")


def test_error_rates_passes_mnist_rows_in_percent_best_first():
    assert check.error_rates(mnist_errors)


def test_error_rates_names_the_two_gaussians_row():
    verdict = str(check.error_rates(lambda table: sorted((100 * (1 - r[4]), r[1]) for r in table)))
    assert "are not an MNIST result" in verdict


def test_error_rates_names_worst_first():
    assert "sorted worst first" in str(check.error_rates(lambda table: mnist_errors(table)[::-1]))


def test_error_rates_names_accuracies():
    verdict = str(check.error_rates(lambda table: sorted(
        ((100 * r[4], r[1]) for r in table if r[0] != "ch-gradient-descent"), reverse=True)))
    assert "99.9 is the accuracy, not the error rate" in verdict


def test_error_rates_names_fractions():
    verdict = str(check.error_rates(lambda table: [(e / 100, m) for e, m in mnist_errors(table)]))
    assert "0.001 is a fraction; give the error in percent" in verdict


def test_error_rates_stub_is_not_attempted():
    assert "not attempted yet" in str(check.error_rates(lambda table: None))
