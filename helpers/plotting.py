"""The course's plots, in one consistent style. Every function returns its Figure and never calls
``plt.show()``: a notebook displays the returned figure, a test inspects it."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

COLORS = {"train": "#1f77b4", "val": "#ff7f0e", "good": "#2ca02c", "bad": "#d62728"}
_STYLE = {
    "figure.figsize": (6.0, 3.6),
    "figure.dpi": 80,  # small PNGs in the notebooks and the book
    "savefig.dpi": 80,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "image.cmap": "gray_r",
}


def use_course_style() -> None:
    """Apply the course style to every later figure (called once on import)."""
    mpl.rcParams.update(_STYLE)


use_course_style()


def plot_function(f, df, x, *, name="f", title=None):
    """A function and its derivative on the grid ``x``, on one axes."""
    fig, ax = plt.subplots()
    ax.plot(x, f(x), label=f"${name}(x)$")
    ax.plot(x, df(x), "--", label=f"${name}'(x)$")
    ax.set(xlabel="$x$", ylabel="value", title=title or f"${name}$ and its derivative")
    ax.legend()
    return fig


def plot_digits(images, labels, predictions=None, *, ncols=5, title=None):
    """A grid of 28x28 digits titled with their label (and prediction: wrong ones in red)."""
    images = np.asarray(images).reshape(len(images), 28, 28)
    nrows = int(np.ceil(len(images) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 * ncols, 1.5 * nrows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= len(images):
            continue
        ax.imshow(images[i], cmap="gray_r", vmin=0, vmax=images.max() or 1)
        if predictions is None:
            ax.set_title(f"{labels[i]}", fontsize=10)
        else:
            wrong = predictions[i] != labels[i]
            ax.set_title(f"true {labels[i]} / pred {predictions[i]}", fontsize=8,
                         color=COLORS["bad"] if wrong else "black")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_probabilities(probs, label=None, *, title=None):
    """A bar chart of one example's predicted class probabilities; the true class in green."""
    probs = np.asarray(probs)
    fig, ax = plt.subplots(figsize=(5.0, 2.8))
    colors = [COLORS["good"] if k == label else COLORS["train"] for k in range(len(probs))]
    ax.bar(np.arange(len(probs)), probs, color=colors)
    if title is None:
        title = "predicted probabilities" + ("" if label is None else f" (true class {label})")
    ax.set(xlabel="class", ylabel="probability", ylim=(0, 1), xticks=np.arange(len(probs)), title=title)
    return fig


def plot_history(history, *, title="Training history"):
    """Loss and accuracy per epoch from a dict of lists such as ``{"train_loss": [...],
    "val_loss": [...], "train_acc": [...], "val_acc": [...]}`` (any subset of these keys)."""
    panels = [k for k in ("loss", "acc") if any(key.endswith(k) for key in history)]
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.2), squeeze=False)
    for ax, metric in zip(axes.flat, panels):
        for split in ("train", "val"):
            values = history.get(f"{split}_{metric}")
            if values is not None:
                epochs = np.arange(1, len(values) + 1)
                ax.plot(epochs, values, "o-", ms=3, color=COLORS[split],
                        label="train" if split == "train" else "validation")
        ax.set(xlabel="epoch", ylabel="accuracy" if metric == "acc" else "loss")
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_decision_boundary(predict_fn, X, y, *, resolution=200, title="Decision boundary"):
    """Shade the plane by ``predict_fn`` (returning a score in [0, 1] or a class per row) and draw
    the points X (N, 2) coloured by their label y."""
    X = np.asarray(X, dtype=float)
    pad = 0.5
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])  # (resolution**2, 2)
    scores = np.asarray(predict_fn(grid), dtype=float).reshape(gx.shape)
    fig, ax = plt.subplots(figsize=(4.2, 3.6))
    filled = ax.contourf(gx, gy, scores, levels=20, cmap="RdBu_r", alpha=0.6)
    ax.contour(gx, gy, scores, levels=[0.5], colors="k", linewidths=1)
    fig.colorbar(filled, ax=ax, label="prediction")
    for label, marker in ((0, "o"), (1, "s")):
        pts = X[np.asarray(y) == label]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, s=60, edgecolor="k",
                   color=COLORS["train"] if label == 0 else COLORS["bad"], label=f"class {label}")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    ax.grid(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.25, 1))
    return fig


def plot_confusion_matrix(counts, *, title="Confusion matrix"):
    """A (classes, classes) matrix of counts as an annotated heat map; rows are true classes,
    columns predicted ones."""
    counts = np.asarray(counts)
    k = len(counts)
    fig, ax = plt.subplots(figsize=(5.0, 4.4))
    ax.imshow(counts, cmap="Blues")
    for i in range(k):
        for j in range(k):
            ax.text(j, i, counts[i, j], ha="center", va="center", fontsize=7,
                    color="white" if counts[i, j] > counts.max() / 2 else "black")
    ax.set(xlabel="predicted", ylabel="true", title=title, xticks=range(k), yticks=range(k))
    ax.grid(False)
    return fig
