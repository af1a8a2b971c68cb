"""Launching a training script with torchrun from a notebook, the bookkeeping of chapter 13: start
the job, keep every rank's output, show the real error when a launch fails, and leave no process
behind, whether the job ends, fails, runs past its time or the cell is interrupted.

    code, log = torchrun("train_ddp.py", "--out", "run", cwd=workdir, nproc=2, timeout=60)

A launch that fails when it should not (or runs past `timeout`) raises `LaunchError`, whose text
is the last lines of every rank's own output, then who failed how (torchrun's root cause first).
"""

from __future__ import annotations

import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

TORCHRUN_GRACE = 30  # seconds torchrun gives its workers between its SIGTERM and its SIGKILL
STOP_GRACE = TORCHRUN_GRACE + 10  # what we give torchrun after our SIGTERM, so that it goes first
TAIL_LINES = 12  # lines of each rank's output shown in an error


class LaunchError(RuntimeError):
    """A launch failed or ran past its timeout; the message shows the ranks' output."""

    def __init__(self, message, log="", log_dir=None):
        super().__init__(message)
        self.log, self.log_dir = log, log_dir


def unsupported_reason(system=None):
    """Why torchrun launches cannot run on this platform, or None where they can (Linux, macOS)."""
    system = system or platform.system()
    if system == "Windows":
        return ("Launching several processes with torchrun is not supported on native Windows in "
                "this course: torchrun's rendezvous needs a TCP store built with libuv, and stopping "
                "a job relies on POSIX signals. Run this notebook in WSL, on Linux or macOS, or on "
                "Colab; here every cell that launches processes raises this message, and the cells "
                "that run in this one process still work.")
    return None


def free_port():
    """A TCP port that is free on the loopback interface now (binding to port 0 lets the OS pick)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(process):
    try:
        return set(process.children(recursive=True))
    except psutil.Error:
        return set()


def _stop_all(torchrun_process, root, seen, grace):
    """SIGTERM to torchrun, which passes it to its workers and kills them after TORCHRUN_GRACE s;
    after `grace` s (or as soon as torchrun is gone) SIGKILL to every process of the job still
    alive: torchrun and every descendant ever seen, whatever session or group it is in."""
    if torchrun_process.poll() is None:
        seen |= _descendants(root)
        torchrun_process.terminate()
        deadline = time.monotonic() + grace
        while torchrun_process.poll() is None and time.monotonic() < deadline:
            seen |= _descendants(root)
            time.sleep(0.05)
    for p in list(seen):  # grandchildren started since the last look, before anything is killed
        seen |= _descendants(p)
    survivors = []
    for p in seen | {root}:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                p.kill()  # psutil checks the process's start time: a reused PID is never hit
                survivors.append(p)
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(survivors, timeout=5)
    torchrun_process.wait()


def _rank_outputs(log_dir):
    """{rank: text} of each rank's stdout and stderr files, from torchrun's --log-dir layout
    (LOG_DIR/<run id>/attempt_<n>/<local rank>/std{out,err}.log), the last attempt's."""
    outputs = {}
    for rank_dir in sorted(Path(log_dir).glob("*/attempt_*/*"), key=lambda p: (p.parent.name, p.name)):
        if rank_dir.name.isdigit():
            parts = [(rank_dir / name).read_text(errors="replace") for name in ("stdout.log", "stderr.log")
                     if (rank_dir / name).exists()]
            outputs[int(rank_dir.name)] = "".join(parts)
    return outputs


_FAILURE = re.compile(r"rank\s+:\s+(\d+).*\n\s+exitcode\s+:\s+(-?\d+)")


def failures(log):
    """[(rank, exit code)] from torchrun's failure report, the root cause first."""
    listed = [(int(rank), int(code)) for rank, code in _FAILURE.findall(log)]
    root = log.rfind("Root Cause")
    if root >= 0:  # torchrun lists the other failures first, then the root cause
        first = [(int(rank), int(code)) for rank, code in _FAILURE.findall(log[root:])]
        listed = first + [f for f in listed if f not in first]
    return listed


def _how(code):
    if code < 0:  # a negative exit code is the signal that ended the process
        try:
            return f"killed by signal {-code} ({signal.Signals(-code).name})"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def describe_failure(what, log, log_dir, tail=TAIL_LINES):
    """The error text: what happened, the last `tail` lines of every rank, then who failed how."""
    lines = [f"torchrun {what}."]
    for rank, text in sorted(_rank_outputs(log_dir).items()):
        last = [line for line in text.splitlines() if line.strip()][-tail:]
        lines.append(f"--- rank {rank}, its last {len(last)} lines of output:")
        lines.extend(last or ["(no output)"])
    report = failures(log)
    if report:
        lines.append("--- who failed how (torchrun's report):")
        for i, (rank, code) in enumerate(report):
            root_cause = "  <- the first failure, the root cause" if i == 0 else ""
            lines.append(f"rank {rank}: {_how(code)}{root_cause}")
    else:  # torchrun itself failed before or around its workers: its own last lines
        lines.append("--- torchrun's last lines:")
        lines.extend([line for line in log.splitlines() if line.strip()][-tail:])
    return "\n".join(lines)


def torchrun(script, *script_args, cwd, nproc=2, threads=1, timeout=60, expect_failure=False,
             grace=STOP_GRACE, env=None):
    """Run `script` (a file in `cwd`) in `nproc` processes of `threads` threads each on this machine
    and return (torchrun's exit code, its log: its own lines and every rank's, each rank's prefixed
    with [default<rank>]:). Raises LaunchError when it fails, unless `expect_failure`, and when it
    runs past `timeout` seconds. No process of the job outlives the call."""
    reason = unsupported_reason()
    if reason:
        raise LaunchError(reason)
    cwd = Path(cwd)
    log_dir = Path(tempfile.mkdtemp(prefix="launch-", dir=cwd))  # kept: the ranks' own logs
    command = [sys.executable, "-m", "torch.distributed.run",  # torchrun, with this Python
               "--nnodes", "1", "--nproc-per-node", str(nproc),
               "--master-addr", "127.0.0.1", "--master-port", str(free_port()),
               "--max-restarts", "0", "--log-dir", str(log_dir), "--tee", "3",
               script, *map(str, script_args)]
    env = {**os.environ, **(env or {}), "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    if sys.platform in ("linux", "darwin"):  # gloo: the loopback interface, whatever the hostname is
        env["GLOO_SOCKET_IFNAME"] = "lo" if sys.platform == "linux" else "lo0"
    seen, timed_out = set(), False
    with open(log_dir / "torchrun.log", "w+") as log_file:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # a terminal's Ctrl-C goes to us only
        root = psutil.Process(process.pid)  # before anything can reap it
        try:
            deadline = time.monotonic() + timeout
            while process.poll() is None:
                seen |= _descendants(root)  # workers, whatever session they start
                if time.monotonic() > deadline:
                    timed_out = True
                    break
                time.sleep(0.05)
        finally:  # after an ordinary end, a failure, a timeout or an interrupted cell alike
            _stop_all(process, root, seen, grace)
        log_file.seek(0)
        log = log_file.read()
    if timed_out or (process.returncode != 0 and not expect_failure):
        what = (f"ran past its timeout of {timeout} s and was stopped" if timed_out
                else f"failed with exit code {process.returncode}")
        raise LaunchError(describe_failure(what, log, log_dir), log, log_dir)
    return process.returncode, log


def log_lines(log, *keep):
    """The lines of a torchrun log that contain one of `keep`, without the rank prefixes,
    timestamps, PIDs, ports and paths that change from run to run."""
    lines = []
    for line in log.splitlines():
        if any(k in line for k in keep):
            line = re.sub(r"^\[default\d+\]:", "", line)  # --tee's prefix of a rank's lines
            line = re.sub(r"^[IWE]\d{4} [\d:.]+ \d+ \S+\] ", "", line)  # the logger's prefix
            line = re.sub(r" ?\(pid: \d+\)| of binary: .*|process \d+ |\[/\S+\] ", "", line)
            line = re.sub(r"\[?127\.0\.0\.1\]?:\d+", "127.0.0.1:PORT", line)
            lines.append(line.rstrip()[:100])
    return "\n".join(lines)
