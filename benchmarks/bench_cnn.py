"""The chapter-8 CNN on the CPU: training images per second under the settings the PyTorch
performance guide suggests (thread count, batch size, channels_last, OpenMP's wait policy,
torch.compile) and inference images per second (no_grad, inference_mode, torch.compile)."""

import os
import statistics
import subprocess
import sys
import tempfile

import torch
import torch.nn.functional as F

from helpers.cnn import buffed_cnn
from helpers.data import load_mnist

from . import common


def images(split):
    X, y = load_mnist(split, flatten=False)
    return torch.from_numpy(X).unsqueeze(1), torch.from_numpy(y)  # (N, 1, 28, 28)


def train_rates(X, y, *, batch, channels_last, steps, repeats, compile=False):
    """Training images per second of each of `repeats` runs of `steps` Adam steps, and the seconds
    of the 3 warm-up steps before them (with `compile`, the compiling)."""
    torch.manual_seed(0)
    layout = torch.channels_last if channels_last else torch.contiguous_format
    model = buffed_cnn().to(memory_format=layout)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    forward = torch.compile(model) if compile else model
    batches = iter(range(10**9))

    def train(n):
        for i in (next(batches) % (len(X) // batch) for _ in range(n)):
            xb = X[i * batch:(i + 1) * batch].contiguous(memory_format=layout)
            loss = F.cross_entropy(forward(xb), y[i * batch:(i + 1) * batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    warmup = common.repeat(lambda: train(3), 1)[0]
    return [steps * batch / s for s in common.repeat(lambda: train(steps), repeats)], warmup


def wait_policy_rates(policy, batch, steps, repeats):
    """Training rates with OpenMP's wait policy `policy`, read once when PyTorch starts: in a new
    process."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    env.update({"OMP_WAIT_POLICY": policy} if policy != "default" else {})
    code = ("from benchmarks.bench_cnn import images, train_rates; X, y = images('train'); "
            f"print(*train_rates(X, y, batch={batch}, channels_last=True, steps={steps}, "
            f"repeats={repeats})[0])")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=common.ROOT, check=True,
                         capture_output=True, text=True).stdout
    return [float(rate) for rate in out.split()]


def inference_rates(X, *, repeats, inference_mode=True, compile=False, batch=1000):
    torch.manual_seed(0)
    model = buffed_cnn().eval()
    model = torch.compile(model) if compile else model
    with torch.inference_mode() if inference_mode else torch.no_grad():
        model(X[:batch])  # warm-up (with `compile`, the compiling)
        seconds = common.repeat(lambda: [model(X[s:s + batch]) for s in range(0, 5000, batch)], repeats)
    return [5000 / s for s in seconds]


def label(threads, batch, channels_last):
    return f"{threads} thread(s), batch {batch}, {'channels_last' if channels_last else 'NCHW'}"


def run(repeats=3, quick=False):
    """With `quick`: 10 steps a measurement, the default thread count only, and neither torch.compile
    nor the wait policy (whose runs start new processes)."""
    (X, y), (X_test, _) = images("train"), images("test")
    steps, median, default_threads = 10 if quick else 30, statistics.median, torch.get_num_threads()
    settings = {}
    for threads in [default_threads] if quick else sorted({1, default_threads}):
        torch.set_num_threads(threads)
        for batch in (64, 128, 256):
            for channels_last in (False, True):
                setting = threads, batch, channels_last
                settings[setting], _ = train_rates(X, y, batch=batch, channels_last=channels_last,
                                                   steps=steps, repeats=repeats)
                print(label(*setting), common.spread(settings[setting], "{:,.0f}"), flush=True)
    best = max(settings, key=lambda setting: median(settings[setting]))
    train = {label(*setting): rates for setting, rates in settings.items()}
    torch.set_num_threads(best[0])
    infer = {"`torch.no_grad()`": inference_rates(X_test, repeats=repeats, inference_mode=False),
             "`torch.inference_mode()`": inference_rates(X_test, repeats=repeats)}
    notes, wait = [f"The fastest training setting: {label(*best)}."], {}
    if not quick:
        with tempfile.TemporaryDirectory() as cache:  # empty: the compiling a first run pays
            os.environ["TORCHINDUCTOR_CACHE_DIR"] = cache
            compiled, compile_s = train_rates(X, y, batch=best[1], channels_last=best[2], steps=steps,
                                              repeats=repeats, compile=True)
            infer["`torch.compile` + `torch.inference_mode()`"] = inference_rates(
                X_test, repeats=repeats, compile=True)
            del os.environ["TORCHINDUCTOR_CACHE_DIR"]
        train[f"{label(*best)}, `torch.compile` (compiling: {compile_s:.0f} s)"] = compiled
        eager_infer, compiled_infer = (median(rates) for rates in list(infer.values())[1:])
        notes.append(f"`torch.compile` trained at {median(compiled) / median(settings[best]):.2f}x the eager "
                     f"rate and ran inference at {compiled_infer / eager_infer:.2f}x.")
        wait = {(policy, batch): wait_policy_rates(policy, batch, 3000 // batch, repeats)
                for policy in ("default", "PASSIVE") for batch in (16, 64)}

    def table(header, rows):
        return [header, "|---|---:|"] + [f"| {name} | {common.spread(rates, '{:,.0f}')} |"
                                         for name, rates in rows.items()] + [""]

    lines = [f"Images per second, median (min-max) of {repeats} runs{' (a quick run)' if quick else ''}.", ""]
    lines += table(f"| training ({steps} Adam steps a run) | images/s |", train)
    if wait:
        lines += table(f"| training, OpenMP wait policy ({default_threads} threads, channels_last) "
                       "| images/s |", {f"{policy}, batch {b}": rates for (policy, b), rates in wait.items()})
    lines += table("| inference (batch 1000, 5,000 test images) | images/s |", infer)
    return "\n".join(lines + [" ".join(notes)])
