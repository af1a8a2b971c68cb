"""CNN speed on the CPU: images per second for training and inference under the settings the
PyTorch performance guide suggests (thread count, channels_last, batch size, inference_mode,
torch.compile), then the time to first reach 99.0% test accuracy with the fastest settings.

Run: python benchmarks/bench_cnn.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn.functional as F

from helpers.cnn import buffed_cnn  # the chapter-8 network
from helpers.data import load_mnist

TARGET = 0.990
TIME_LIMIT_S = 240


def images(split):
    X, y = load_mnist(split, flatten=False)
    return torch.from_numpy(X).unsqueeze(1), torch.from_numpy(y)  # (N, 1, 28, 28)


def train_rate(X, y, *, batch, channels_last, steps=30, compile=False):
    """Training images per second after 3 warm-up steps; with ``compile=True`` the model goes
    through ``torch.compile`` and the seconds of the warm-up (which compiles) are returned too."""
    torch.manual_seed(0)
    model = buffed_cnn()
    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    model = model.to(memory_format=memory_format)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    forward = torch.compile(model) if compile else model

    def step(i):
        xb = X[i * batch:(i + 1) * batch].contiguous(memory_format=memory_format)
        loss = F.cross_entropy(forward(xb), y[i * batch:(i + 1) * batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    t0 = time.perf_counter()
    for i in range(3):
        step(i)
    warmup = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(steps):
        step(i % (len(X) // batch))
    rate = steps * batch / (time.perf_counter() - t0)
    return (rate, warmup) if compile else rate


def wait_policy_rates(batches=(16, 64)):
    """Training images per second with OpenMP's default wait policy and with PASSIVE, at the
    default thread count. The policy is read once when PyTorch starts, so each runs in a new
    process (this file with --rate)."""
    rates = {}
    for policy in ("default", "PASSIVE"):
        env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
        if policy != "default":
            env["OMP_WAIT_POLICY"] = policy
        for batch in batches:
            out = subprocess.run([sys.executable, __file__, "--rate", str(batch)], env=env, check=True,
                                 capture_output=True, text=True).stdout
            rates[policy, batch] = float(out.split()[-1])
    return rates


def inference_rate(X, *, mode, batch=1000, repeats=3, compile=False):
    torch.manual_seed(0)
    model = buffed_cnn().eval()
    if compile:
        model = torch.compile(model)
    context = torch.inference_mode if mode == "inference_mode" else torch.no_grad
    rates = []
    with context():
        model(X[:batch])
        for _ in range(repeats):
            t0 = time.perf_counter()
            for start in range(0, 5000, batch):
                model(X[start:start + batch])
            rates.append(5000 / (time.perf_counter() - t0))
    return statistics.median(rates)


def time_to_accuracy(X, y, X_test, y_test, *, batch, channels_last, eval_every=200):
    """Seconds of training (evaluation excluded) until test accuracy first reaches TARGET."""
    torch.manual_seed(0)
    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    model = buffed_cnn().to(memory_format=memory_format)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(0)
    trained, steps = 0.0, 0
    while trained < TIME_LIMIT_S:
        order = torch.randperm(len(X), generator=generator)
        for first in range(0, len(X) - batch + 1, batch):
            t0 = time.perf_counter()
            model.train()
            idx = order[first:first + batch]
            loss = F.cross_entropy(model(X[idx].contiguous(memory_format=memory_format)), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            trained += time.perf_counter() - t0
            steps += 1
            if steps % eval_every == 0:
                model.eval()
                with torch.inference_mode():
                    correct = sum((model(X_test[i:i + 2000]).argmax(1) == y_test[i:i + 2000]).sum().item()
                                  for i in range(0, len(X_test), 2000))
                accuracy = correct / len(X_test)
                if accuracy >= TARGET:
                    return trained, steps, accuracy
    return float("nan"), steps, accuracy


def run():
    X, y = images("train")
    X_test, y_test = images("test")
    lines = ["| setting | training images/s |", "|---|---:|"]
    best = (0.0, None)
    for threads in sorted({1, torch.get_num_threads()}):
        torch.set_num_threads(threads)
        for batch in (64, 128, 256):
            for channels_last in (False, True):
                rate = train_rate(X, y, batch=batch, channels_last=channels_last)
                label = f"{threads} thread(s), batch {batch}, {'channels_last' if channels_last else 'NCHW'}"
                print(f"train  {label:<45} {rate:8,.0f} images/s", flush=True)
                lines.append(f"| {label} | {rate:,.0f} |")
                if rate > best[0]:
                    best = (rate, (threads, batch, channels_last))
    lines += ["", f"| OpenMP wait policy ({torch.get_num_threads()} threads, channels_last) | batch | "
              "training images/s |", "|---|---:|---:|"]
    for (policy, wait_batch), rate in wait_policy_rates().items():
        label = "default (spin, then sleep)" if policy == "default" else "`OMP_WAIT_POLICY=PASSIVE`"
        print(f"train  wait policy {label:<27} batch {wait_batch:>3} {rate:8,.0f} images/s", flush=True)
        lines.append(f"| {label} | {wait_batch} | {rate:,.0f} |")
    threads, batch, channels_last = best[1]
    torch.set_num_threads(threads)
    # torch.compile (TorchInductor: fused C++ kernels) on the fastest eager setting. Compiling is
    # paid once per process (and again for each new input shape) and is shown apart; an empty
    # kernel cache makes it what a first run pays, not a run that finds earlier runs' kernels.
    label = f"{threads} thread(s), batch {batch}, {'channels_last' if channels_last else 'NCHW'}"
    label += ", `torch.compile`"
    with tempfile.TemporaryDirectory() as cache:
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = cache
        compiled_train, compile_s = train_rate(X, y, batch=batch, channels_last=channels_last,
                                               compile=True)
        compiled_infer = inference_rate(X_test, mode="inference_mode", compile=True)
        del os.environ["TORCHINDUCTOR_CACHE_DIR"]
    print(f"train  {label:<45} {compiled_train:8,.0f} images/s (compiling: {compile_s:.1f} s)", flush=True)
    lines.append(f"| {label} (compiling took {compile_s:.0f} s, empty cache) | {compiled_train:,.0f} |")
    lines += ["", "| inference (batch 1000) | images/s |", "|---|---:|"]
    eager_infer = inference_rate(X_test, mode="inference_mode")
    rates = {"`torch.no_grad()`": inference_rate(X_test, mode="no_grad"),
             "`torch.inference_mode()`": eager_infer,
             "`torch.compile` + `torch.inference_mode()`": compiled_infer}
    for label, rate in rates.items():
        print(f"infer  {label:<45} {rate:8,.0f} images/s", flush=True)
        lines.append(f"| {label} | {rate:,.0f} |")
    seconds, steps, accuracy = time_to_accuracy(X, y, X_test, y_test, batch=batch,
                                                channels_last=channels_last)
    summary = (f"Fastest training setting: {threads} thread(s), batch {batch}, "
               f"{'channels_last' if channels_last else 'NCHW'}. With it (Adam 1e-3), the CNN first "
               f"reached {accuracy:.2%} test accuracy after {seconds:.1f} s of training "
               f"({steps} steps; test accuracy checked every 200 steps). "
               f"`torch.compile` trained at {compiled_train / best[0]:.2f}x the eager speed after "
               f"{compile_s:.0f} s of compiling, and ran inference at {compiled_infer / eager_infer:.2f}x "
               f"the eager speed.")
    print(summary)
    return "\n".join(lines) + "\n\n" + summary, seconds


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rate"]:  # one measurement for wait_policy_rates, in a fresh process
        X, y = images("train")
        batch = int(sys.argv[2])
        print(train_rate(X, y, batch=batch, channels_last=True, steps=max(30, 3000 // batch)))
    else:
        print(run()[0])
