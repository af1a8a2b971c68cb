"""The speed run: the chapter-11 recipe over several seeds, and (with --ablation) every trick
removed in turn plus the 15-second and 60-second recipes, written to benchmarks/speedrun.json
for the chapter's ablation table.

Run: python benchmarks/speedrun.py [--seeds 5] [--ablation]
The last line printed is
    seconds_to_99=<mean training seconds> mean_acc=<mean test accuracy> min_acc=<worst seed> seeds=<N>
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.data import load_mnist  # noqa: E402
from helpers.speedrun import RECIPE, bf16_supported, speedrun_cnn, train  # noqa: E402
from helpers.training import evaluate  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "speedrun.json"

# (name, what changes from RECIPE, run options): each row removes or changes one thing.
ABLATION = [
    ("the recipe", {}, {}),
    ("bfloat16 autocast instead of float32", {"bf16": True}, {}),  # only where the CPU has it
    ("NCHW instead of channels_last", {"channels_last": False}, {}),
    ("no batch norm", {"batch_norm": False}, {}),
    ("constant learning rate 1e-3 instead of one-cycle", {"one_cycle": False}, {}),
    ("no label smoothing", {"label_smoothing": 0.0}, {}),
    ("Adam's default betas (0.9, 0.999)", {"betas": (0.9, 0.999)}, {}),
    ("batch 64 instead of 128", {"batch_size": 64}, {}),
    ("batch 512 instead of 128", {"batch_size": 512}, {}),
    ("1 thread instead of 2", {}, {"threads": 1}),
    ("chapter 8's widths (32, 64)", {"channels": (32, 64)}, {}),
    ("half an epoch", {"epochs": 0.5}, {}),
    ("two epochs", {"epochs": 2.0}, {}),
    ("torch.compile (compile time counted)", {}, {"compile": True}),
]
TARGETS = [
    ("99.3% in 15 s: widths (24, 48), 2 epochs, random shifts", {"channels": (24, 48), "epochs": 2.0,
                                                                 "max_shift": 2.0}, {}),
    ("best in 60 s: widths (32, 64), 6 epochs, random shifts", {"channels": (32, 64), "epochs": 6.0,
                                                                "max_shift": 2.0}, {}),
]


def mnist_tensors():
    """Train and test images standardized with the training mean and std, (N, 1, 28, 28)."""
    X_train, y_train = load_mnist("train", flatten=False)
    X_test, y_test = load_mnist("test", flatten=False)
    X_train, X_test = torch.from_numpy(X_train)[:, None], torch.from_numpy(X_test)[:, None]
    mean, std = X_train.mean(), X_train.std()
    return ((X_train - mean) / std, torch.from_numpy(y_train).long(),
            (X_test - mean) / std, torch.from_numpy(y_test).long())


def run_once(data, seed, changes, threads=2, compile=False):
    """One training run of RECIPE with ``changes``: (training seconds, test accuracy)."""
    X_train, y_train, X_test, y_test = data
    settings = {**RECIPE, **changes}
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    model = speedrun_cnn(settings["channels"], settings["batch_norm"])
    if settings["channels_last"]:
        model = model.to(memory_format=torch.channels_last)
    if compile:  # an empty kernel cache, so that the compile time counted is a first run's
        cache = tempfile.TemporaryDirectory()
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = cache.name
    forward = torch.compile(model) if compile else model
    seconds = train(forward, X_train, y_train, epochs=settings["epochs"],
                    batch_size=settings["batch_size"], max_lr=settings["max_lr"],
                    betas=settings["betas"], label_smoothing=settings["label_smoothing"],
                    one_cycle=settings["one_cycle"], bf16=settings["bf16"],
                    max_shift=settings["max_shift"], generator=torch.Generator().manual_seed(seed))
    _, accuracy = evaluate(forward, X_test, y_test, batch_size=1000)
    if compile:
        torch._dynamo.reset()  # the next run compiles afresh: its compile time counts too
        del os.environ["TORCHINDUCTOR_CACHE_DIR"]
        cache.cleanup()
    return seconds, accuracy


def run_rows(data, rows, seeds):
    """Each row over ``seeds`` seeds; bfloat16 rows only where the CPU has bfloat16 instructions
    (emulated, one run would take longer than the whole table)."""
    results = []
    for name, changes, options in rows:
        if changes.get("bf16") and not bf16_supported():
            print(f"{name}: skipped, this CPU has no bfloat16 instructions", flush=True)
            continue
        runs = [run_once(data, seed, changes, **options) for seed in range(seeds)]
        seconds, accs = [r[0] for r in runs], [r[1] for r in runs]
        results.append({"name": name, "seconds": seconds, "accs": accs})
        print(f"{name:<58} {statistics.mean(seconds):6.2f} s  mean {statistics.mean(accs):.4f}  "
              f"min {min(accs):.4f}", flush=True)
    return results


def table(rows):
    """The markdown table of a list of results (as written to speedrun.json)."""
    lines = ["| setting | training seconds (mean) | test accuracy (mean) | worst seed |",
             "|---|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['name']} | {statistics.mean(row['seconds']):.2f} | "
                     f"{statistics.mean(row['accs']):.4f} | {min(row['accs']):.4f} |")
    return "\n".join(lines)


def summary_line(row):
    return (f"seconds_to_99={statistics.mean(row['seconds']):.2f} "
            f"mean_acc={statistics.mean(row['accs']):.4f} min_acc={min(row['accs']):.4f} "
            f"seeds={len(row['accs'])}")


def write_atomically(path, text):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def run(seeds=5, ablation=False):
    """Run the recipe (and with ``ablation`` everything else); return (markdown, recipe row)."""
    from run_all import cpu_model  # the benchmarks' one description of the machine
    data = mnist_tensors()
    threads = torch.get_num_threads()
    run_once(data, 0, {})  # untimed warm-up: the first run in a process also builds oneDNN's kernels
    if ablation and bf16_supported():
        run_once(data, 0, {"bf16": True})  # and the bfloat16 kernels
    rows = run_rows(data, ABLATION if ablation else ABLATION[:1], seeds)
    targets = run_rows(data, TARGETS, seeds) if ablation else []
    torch.set_num_threads(threads)
    if ablation:
        record = {"date": datetime.date.today().isoformat(), "cpu": f"{cpu_model()}, {os.cpu_count()} cores",
                  "torch": torch.__version__, "bf16": bf16_supported(), "seeds": seeds,
                  "recipe": {k: list(v) if isinstance(v, tuple) else v for k, v in RECIPE.items()},
                  "ablation": rows, "targets": targets}
        write_atomically(RESULTS, json.dumps(record, indent=1) + "\n")
    markdown = table(rows + targets)
    return markdown, rows[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--ablation", action="store_true",
                        help="also remove each trick in turn and run the 15 s and 60 s recipes; "
                             "writes benchmarks/speedrun.json")
    args = parser.parse_args()
    markdown, recipe = run(args.seeds, args.ablation)
    print(markdown)
    print(summary_line(recipe))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
