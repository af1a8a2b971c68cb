"""The speed run of chapter 12: the course's recipe (the network and loop the chapter writes out,
kept here in step with it: tests/test_speedrun.py compares the two) against the public recipe
(helpers.speedrun), seed by seed in the same process, and (with --ablation) the recipe with one
setting changed per row, written to benchmarks/speedrun.json for the chapter's table (`make tables`
copies it beside the chapters).

Run: python -m benchmarks speedrun [--seeds 5] [--ablation]   (or python -m benchmarks.speedrun)
The last line printed is
    seconds_to_99=<mean training seconds> mean_acc=<mean test accuracy> min_acc=<worst seed>
    seeds=<N> ref_seconds=<the public recipe's mean training seconds, same seeds, same run>
The two recipes alternate (recipe, public, recipe, public, ...), so that a change in the machine's
load hits both; the ratio line before it gives the medians too.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file: import the benchmarks as a package from the repository
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from benchmarks import common  # noqa: E402
from helpers import machine  # noqa: E402
from helpers.data import load_mnist  # noqa: E402
from helpers.speedrun import PUBLIC, public_cnn, random_affine  # noqa: E402
from helpers.training import evaluate  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "speedrun.json"

# The course's recipe, named as in the chapter.
RECIPE = dict(channels=(16, 32), batch_norm=True, crop=2, stride=1, epochs=1.0, batch_size=256,
              max_lr=4e-2, betas=(0.9, 0.99), label_smoothing=0.1, one_cycle=True, fused=True,
              bf16=False, channels_last=True, max_shift=0.0)
PEAK = RECIPE["max_lr"]

# (name, what changes from RECIPE, run options): each row changes one thing.
ABLATION = [
    ("the recipe", {}, {}),
    ("the public recipe (train_mnist_fast)", {}, {"public": True}),
    ("bfloat16 autocast instead of float32", {"bf16": True}, {}),  # only where the CPU has it
    ("NCHW instead of channels_last", {"channels_last": False}, {}),
    ("28x28 images instead of the 24x24 crop", {"crop": 0}, {}),
    ("first convolution at stride 2 instead of stride 1 and max-pool", {"stride": 2}, {}),
    ("no batch norm", {"batch_norm": False}, {}),
    (f"constant learning rate at the peak {PEAK:g} instead of one-cycle", {"one_cycle": False}, {}),
    ("no label smoothing", {"label_smoothing": 0.0}, {}),
    ("Adam's default betas (0.9, 0.999): beta2 0.999 instead of 0.99", {"betas": (0.9, 0.999)}, {}),
    ("Adam unfused (one operation per tensor)", {"fused": False}, {}),
    (f"batch 128 at half the peak, {PEAK / 2:g}", {"batch_size": 128, "max_lr": PEAK / 2}, {}),
    (f"batch 512 at twice the peak, {PEAK * 2:g}", {"batch_size": 512, "max_lr": PEAK * 2}, {}),
    ("1 thread instead of PyTorch's default", {}, {"threads": 1}),
    ("chapter 9's widths (32, 64)", {"channels": (32, 64)}, {}),
    ("half an epoch", {"epochs": 0.5}, {}),
    ("two epochs", {"epochs": 2.0}, {}),
    ("the recipe, AVX2 only", {}, {"avx2": True}),  # only on an AVX-512 CPU
    ("the public recipe, AVX2 only", {}, {"public": True, "avx2": True}),
]
# What restricts PyTorch, oneDNN, MKL, OpenBLAS and NumPy to AVX2: read once, when a process starts.
AVX2 = {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "MKL_ENABLE_INSTRUCTIONS": "AVX2",
        "OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}


def speedrun_cnn(channels=(16, 32), batch_norm=True, crop=2, stride=1):
    """[crop] -> conv 5x5 (stride 2, or stride 1 and max-pool 2) -> [batch norm] -> ReLU -> conv 5x5
    -> max-pool 2 -> [batch norm] -> ReLU -> linear to 10 logits. ``crop`` pixels are cut from each
    border (a negative padding); the first convolution's stride 2 does the pooling's down-sampling."""
    c1, c2 = channels
    norm = nn.BatchNorm2d if batch_norm else (lambda c: nn.Identity())
    side = (28 - 2 * crop - 4) // 2  # after the first convolution: 10 from 24, 12 from 28
    first = ([nn.Conv2d(1, c1, 5, stride=2, bias=not batch_norm)] if stride == 2
             else [nn.Conv2d(1, c1, 5, bias=not batch_norm), nn.MaxPool2d(2)])
    last = (side - 4) // 2  # after the second convolution and pooling: 3 from 10, 4 from 12
    return nn.Sequential(
        nn.ZeroPad2d(-crop), *first, norm(c1), nn.ReLU(),                        # (c1, side, side)
        nn.Conv2d(c1, c2, 5, bias=not batch_norm), nn.MaxPool2d(2), norm(c2), nn.ReLU(),  # (c2, last, last)
        nn.Flatten(), nn.Linear(c2 * last * last, 10),
    )


def train(model, X, y, *, epochs, batch_size, max_lr, betas, label_smoothing, one_cycle=True,
          fused=False, bf16=False, max_shift=0.0, generator=None):
    """Adam over ``epochs`` (may be fractional) passes of in-memory tensors, with a one-cycle
    schedule that rises to ``max_lr`` and leaves Adam's betas alone, or at the constant rate
    ``max_lr``; returns the training seconds, first optimizer step to last."""
    optimizer = torch.optim.Adam(model.parameters(), lr=max_lr, betas=betas, fused=fused or None)
    n = len(X)
    steps = math.ceil(epochs * n / batch_size)
    schedule = (torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, total_steps=steps,
                                                    cycle_momentum=False) if one_cycle else None)
    order = torch.cat([torch.randperm(n, generator=generator) for _ in range(math.ceil(epochs))])
    model.train()
    start = time.perf_counter()
    for step in range(steps):
        idx = order[step * batch_size:(step + 1) * batch_size]
        X_batch, y_batch = X[idx], y[idx]  # (batch, 1, 28, 28), (batch,)
        if max_shift:
            X_batch = random_affine(X_batch, max_shift, generator)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = F.cross_entropy(model(X_batch), y_batch, label_smoothing=label_smoothing)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if schedule is not None:
            schedule.step()
    return time.perf_counter() - start


def mnist_tensors():
    """Train and test images standardized with the training mean and std, (N, 1, 28, 28)."""
    X_train, y_train = load_mnist("train", flatten=False)
    X_test, y_test = load_mnist("test", flatten=False)
    X_train, X_test = torch.from_numpy(X_train)[:, None], torch.from_numpy(X_test)[:, None]
    mean, std = X_train.mean(), X_train.std()
    return ((X_train - mean) / std, torch.from_numpy(y_train).long(),
            (X_test - mean) / std, torch.from_numpy(y_test).long())


def run_once(data, seed, changes=None, threads=2, public=False, avx2=False):
    """One training run of RECIPE with ``changes`` (or of the public recipe): (seconds, test accuracy).
    With ``avx2``, in a fresh process restricted to AVX2 (warmed up as this one is)."""
    if avx2:
        command = [sys.executable, "-m", "benchmarks.speedrun", "--one", str(seed)] + ["--public"] * public
        out = subprocess.run(command, env={**os.environ, **AVX2, "OMP_NUM_THREADS": str(threads)},
                             cwd=common.ROOT, capture_output=True, text=True, check=True).stdout
        seconds, accuracy = out.split()[-2:]
        return float(seconds), float(accuracy)
    X_train, y_train, X_test, y_test = data
    settings = dict(PUBLIC) if public else {**RECIPE, **(changes or {})}
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model = (public_cnn() if public else
             speedrun_cnn(settings["channels"], settings["batch_norm"], settings["crop"], settings["stride"]))
    if settings["channels_last"]:
        model = model.to(memory_format=torch.channels_last)
    seconds = train(model, X_train, y_train, generator=torch.Generator().manual_seed(seed),
                    **{key: settings[key] for key in ("epochs", "batch_size", "max_lr", "betas",
                                                      "label_smoothing", "one_cycle", "fused", "bf16",
                                                      "max_shift")})
    _, accuracy = evaluate(model, X_test, y_test, batch_size=1000)
    return seconds, accuracy


def run_rows(data, rows, seeds, threads):
    """Each row over ``seeds`` seeds, the rows taking turns seed by seed (so that a change in the
    machine's load hits every row alike); bfloat16 rows only where the CPU has the instructions."""
    rows = [row for row in rows if not (row[1].get("bf16") and not machine.bf16_instructions()
                                        or row[2].get("avx2") and machine.vector_extension() != "AVX-512"
                                        or row[2].get("threads") == threads)]
    results = [{"name": name, "seconds": [], "accs": []} for name, *_ in rows]
    for seed in range(seeds):
        for (name, changes, options), result in zip(rows, results):
            seconds, accuracy = run_once(data, seed, changes, **{"threads": threads, **options})
            result["seconds"].append(seconds)
            result["accs"].append(accuracy)
            print(f"seed {seed} {name:<62} {seconds:6.2f} s  {accuracy:.4f}", flush=True)
    return results


def table(rows):
    """The markdown table of a list of results (as written to speedrun.json)."""
    lines = ["| setting | training seconds, median (min-max) | test accuracy (mean) | worst seed |",
             "|---|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['name']} | {common.spread(row['seconds'], '{:.2f}')} | "
                     f"{statistics.mean(row['accs']):.4f} | {min(row['accs']):.4f} |")
    return "\n".join(lines)


def summary_line(recipe, public):
    """The benchmark's last line: the recipe's means and worst seed, and the public recipe's mean time."""
    return (f"seconds_to_99={statistics.mean(recipe['seconds']):.2f} "
            f"mean_acc={statistics.mean(recipe['accs']):.4f} min_acc={min(recipe['accs']):.4f} "
            f"seeds={len(recipe['accs'])} ref_seconds={statistics.mean(public['seconds']):.2f}")


def ratio_line(recipe, public):
    """The recipe's training time over the public recipe's, of the means and of the medians."""
    mean = statistics.mean(recipe["seconds"]) / statistics.mean(public["seconds"])
    median = statistics.median(recipe["seconds"]) / statistics.median(public["seconds"])
    return f"recipe / public recipe, training seconds: {mean:.2f} of the means, {median:.2f} of the medians"


def warm_up(data, threads):
    """Untimed: two steps of each recipe, which build oneDNN's kernels for the shapes of a batch."""
    X_train, y_train, X_test, y_test = data
    for public in (False, True):
        run_once((X_train[:512], y_train[:512], X_test[:1000], y_test[:1000]), 0, threads=threads,
                 public=public)


def run(seeds=5, ablation=False):
    """The recipe and the public recipe (and with ``ablation`` every other row) over ``seeds`` seeds;
    return (markdown table, summary line)."""
    data = mnist_tensors()
    threads, load = torch.get_num_threads(), os.getloadavg()[0]
    warm_up(data, threads)
    results = run_rows(data, ABLATION if ablation else ABLATION[:2], seeds, threads)
    torch.set_num_threads(threads)
    recipe, public = results[0], results[1]
    if ablation:
        record = {"date": datetime.date.today().isoformat(), "machine": machine.describe(),
                  "torch": torch.__version__, "bf16": machine.bf16_instructions(), "seeds": seeds,
                  "threads": threads, "load": [load, os.getloadavg()[0]],
                  "recipe": {k: list(v) if isinstance(v, tuple) else v for k, v in RECIPE.items()},
                  "ablation": results}
        common.write_atomically(RESULTS, json.dumps(record, indent=1) + "\n")
    return table(results) + "\n\n" + ratio_line(recipe, public), summary_line(recipe, public)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks speedrun",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--ablation", action="store_true",
                        help="also change each setting in turn; writes benchmarks/speedrun.json")
    parser.add_argument("--one", type=int, metavar="SEED", help=argparse.SUPPRESS)  # one run, for AVX2
    parser.add_argument("--public", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one is not None:
        data = mnist_tensors()
        warm_up(data, torch.get_num_threads())
        print(*run_once(data, args.one, threads=torch.get_num_threads(), public=args.public))
        return
    markdown, summary = run(args.seeds, args.ablation)
    print(markdown)
    print(summary)


if __name__ == "__main__":
    main()
