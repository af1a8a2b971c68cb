"""The PyTorch training loop taught in the MLP chapter, packaged for the chapters after it.

``fit`` runs minibatch training on tensors already in memory (batches are slices of a shuffled
index, no DataLoader) and returns a per-epoch history that ``plot_history`` draws; ``evaluate``
gives the mean loss and accuracy without tracking gradients.
"""

from __future__ import annotations

import os
import sys
import time

import torch
import torch.nn.functional as F


def _show_progress() -> bool:
    """A live progress line only in interactive use: executed-and-stored notebooks (nbval,
    `make execute`) set COURSE_PROGRESS=0 so their outputs stay clean."""
    return os.environ.get("COURSE_PROGRESS", "1") != "0"


def evaluate(model, X, y, *, batch_size=2000):
    """Mean cross-entropy and accuracy of ``model`` on ``(X, y)`` (the MLP chapter's): eval mode,
    autograd off, and the model's mode restored afterwards."""
    was_training = model.training
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.inference_mode():
        for first in range(0, len(X), batch_size):
            logits = model(X[first:first + batch_size])  # (batch, classes)
            y_batch = y[first:first + batch_size]
            total_loss += F.cross_entropy(logits, y_batch, reduction="sum").item()
            correct += (logits.argmax(dim=1) == y_batch).sum().item()
    model.train(was_training)
    return total_loss / len(X), correct / len(X)


def _print_progress(epoch, epochs, seen, n, loss):
    """One progress line, rewritten in place on stderr (tqdm-style)."""
    print(f"\repoch {epoch + 1}/{epochs}  {seen:>6}/{n}  loss {loss:.4f}", end="", file=sys.stderr,
          flush=True)


def fit(model, optimizer, X_train, y_train, *, epochs, batch_size, X_val=None, y_val=None,
        generator=None, max_steps=None, scheduler=None, eval_batch_size=2000, progress=None):
    """Train for ``epochs`` passes over the data (or until ``max_steps`` updates) and return the
    history: per epoch the mean minibatch loss and accuracy on the training data, the validation
    loss and accuracy when ``X_val`` is given, and the cumulative training seconds. A
    ``scheduler`` (for example OneCycleLR) is stepped after every optimizer step; the validation
    set is evaluated in batches of ``eval_batch_size``."""
    progress = _show_progress() if progress is None else progress
    history = {"train_loss": [], "train_acc": [], "seconds": []}
    if X_val is not None:
        history.update(val_loss=[], val_acc=[])
    n, steps, elapsed = len(X_train), 0, 0.0
    for epoch in range(epochs):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(n, generator=generator).to(X_train.device)  # a new shuffle every epoch
        loss_sum, correct, seen = 0.0, 0, 0
        for first in range(0, n, batch_size):
            idx = order[first:first + batch_size]
            X_batch, y_batch = X_train[idx], y_train[idx]
            logits = model(X_batch)                    # forward
            loss = F.cross_entropy(logits, y_batch)
            optimizer.zero_grad()                      # clear the previous step's .grad
            loss.backward()                            # backpropagation: fill every .grad
            optimizer.step()                           # update every parameter
            if scheduler is not None:
                scheduler.step()
            steps += 1
            loss_sum += loss.item() * len(idx)
            correct += (logits.argmax(dim=1) == y_batch).sum().item()
            seen += len(idx)
            if progress and steps % 50 == 0:
                _print_progress(epoch, epochs, seen, n, loss_sum / seen)
            if max_steps is not None and steps >= max_steps:
                break
        elapsed += time.perf_counter() - start
        history["train_loss"].append(loss_sum / seen)
        history["train_acc"].append(correct / seen)
        history["seconds"].append(elapsed)
        if X_val is not None:
            val_loss, val_acc = evaluate(model, X_val, y_val, batch_size=eval_batch_size)
            history["val_loss"].append(val_loss)
            history["val_acc"].append(val_acc)
        if max_steps is not None and steps >= max_steps:
            break
    if progress:
        print("\r" + " " * 60 + "\r", end="", file=sys.stderr, flush=True)
    return history
