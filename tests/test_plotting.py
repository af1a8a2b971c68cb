"""Specifications of helpers.plotting: each function returns a Figure with the expected axes."""

import numpy as np
from matplotlib.figure import Figure

from helpers.backprop import sigmoid, sigmoid_prime
from helpers.plotting import (
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_digits,
    plot_function,
    plot_history,
    plot_probabilities,
)


def test_plot_function_draws_function_and_derivative_with_labels():
    fig = plot_function(sigmoid, sigmoid_prime, np.linspace(-10, 10, 50), name=r"\sigma")
    ax = fig.axes[0]
    assert isinstance(fig, Figure) and len(ax.lines) == 2
    assert ax.get_xlabel() == "$x$" and len(ax.get_legend().get_texts()) == 2


def test_plot_digits_makes_one_axes_per_grid_cell_and_marks_wrong_predictions_red():
    images = np.zeros((6, 784))
    fig = plot_digits(images, [1, 2, 3, 4, 5, 6], predictions=[1, 2, 3, 4, 5, 0], ncols=3)
    assert len(fig.axes) == 6
    assert fig.axes[0].get_title() == "true 1 / pred 1"
    assert fig.axes[5].title.get_color() != fig.axes[0].title.get_color()


def test_plot_probabilities_has_one_bar_per_class():
    fig = plot_probabilities(np.full(10, 0.1), label=3)
    assert len(fig.axes[0].patches) == 10 and fig.axes[0].get_ylim() == (0, 1)


def test_plot_history_draws_loss_and_accuracy_panels_with_train_and_validation():
    fig = plot_history({"train_loss": [1, 0.5], "val_loss": [1.1, 0.6],
                        "train_acc": [0.8, 0.9], "val_acc": [0.7, 0.85]})
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    assert all(len(ax.lines) == 2 for ax in fig.axes)


def test_plot_history_draws_only_the_panels_whose_keys_it_is_given():
    fig = plot_history({"train_loss": [1.0, 0.4]})
    assert len(fig.axes) == 1 and len(fig.axes[0].lines[0].get_xdata()) == 2


def test_plot_decision_boundary_shades_the_plane_and_scatters_both_classes():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    fig = plot_decision_boundary(lambda G: G[:, 0] > 0.5, X, [0, 1, 1, 0], resolution=20)
    ax = fig.axes[0]
    assert len(ax.collections) >= 3 and ax.get_xlabel() == "$x_1$"


def test_plot_confusion_matrix_draws_the_counts_it_is_given_with_each_count_written():
    counts = [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
    fig = plot_confusion_matrix(counts)
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.images[0].get_array(), counts)
    assert [t.get_text() for t in ax.texts] == ["1", "0", "0", "0", "1", "1", "0", "0", "1"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted", "true")
