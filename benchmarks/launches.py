"""Chapter 13's DDP launch, many times in a row while another process keeps a core busy: does every
launch pass? (A flaky shutdown once failed one launch in six.)

Run: python -m benchmarks launches [--runs 20] [--script FILE] [--no-busy]
It prints the machine, each launch's result and seconds, and the pass count.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import common  # noqa: E402
from helpers.launch import LaunchError, torchrun  # noqa: E402

NOTEBOOK = ROOT / "chapters" / "13_data_parallel.ipynb"
MAGIC = "%%write_to_workdir train_ddp.py"
# The chapter's first launch (the equality check), the one that once failed at shutdown
ARGS = ["--n-train", 1024, "--batch-size", 64, "--lr", 0.05, "--momentum", 0.9, "--seed", 0,
        "--steps", 8, "--dropout", 0, "--float64", "--check"]


def chapter_script() -> str:
    """The text of train_ddp.py as chapter 13 writes it: the cell that starts with the magic."""
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    for cell in cells:
        source = "".join(cell["source"])
        if source.startswith(MAGIC):
            return source.split("\n", 1)[1]
    raise LookupError(f"no cell starting with {MAGIC} in {NOTEBOOK}")


def busy_loop(cpu):
    """Spin forever on one core (the other helpers' work, in the small)."""
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    while True:
        pass


def main(argv=None) -> int:
    summary = " ".join(__doc__.split("\n\n")[0].split())
    parser = argparse.ArgumentParser(prog="python -m benchmarks launches", description=summary)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--script", type=Path, help="a train_ddp.py to launch instead of the chapter's")
    parser.add_argument("--no-busy", action="store_true", help="do not keep a core busy")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per launch")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a kill stops the running launch cleanly

    text = args.script.read_text() if args.script else chapter_script()
    busy = None
    if not args.no_busy:
        cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [None]
        busy = multiprocessing.Process(target=busy_loop, args=(cpus[-1],), daemon=True)
        busy.start()
    print("\n".join(common.machine_lines()))
    print(f"- {args.runs} launches of {args.script or 'chapter 13 train_ddp.py'}, 2 processes x 1 thread, "
          f"{'a busy loop on the last core' if busy else 'no busy loop'}; load average "
          f"{os.getloadavg()[0]:.1f} at the start", flush=True)
    passed, seconds = 0, []
    try:
        with tempfile.TemporaryDirectory(prefix="launches-") as workdir:
            workdir = Path(workdir)
            (workdir / "train_ddp.py").write_text(text)
            env = {"PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
            for run in range(1, args.runs + 1):
                out = workdir / f"run{run}"
                out.mkdir()
                start = time.perf_counter()
                try:
                    torchrun("train_ddp.py", "--out", out, *ARGS, cwd=workdir, timeout=args.timeout, env=env)
                    ok = all(json.loads((out / "results.json").read_text())["identical"])
                    detail = "passed" if ok else "FAILED: the ranks' weights differ"
                except LaunchError as error:
                    ok, detail = False, "FAILED:\n" + str(error)
                seconds.append(time.perf_counter() - start)
                passed += ok
                print(f"launch {run:2d}: {seconds[-1]:5.1f} s, {detail}", flush=True)
    finally:
        if busy is not None:
            busy.terminate()
            busy.join()
    print(f"passed {passed} of {args.runs}; seconds per launch {common.spread(seconds, '{:.1f}')}")
    return 0 if passed == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
