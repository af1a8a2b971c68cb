"""Seed study: how far every trained result a chapter checks spreads over seeds and thread counts.

Each run executes a chapter as committed, in its own process, with `COURSE_SEED` and the thread
count set in the environment, and keeps every value the chapter glues without showing it,
`check_band`'s among them (and any check that failed: a failed band does not stop the run).
`tests/test_bands.py` then holds each band written in a chapter against this table.

    python -m benchmarks seeds run [--chapters 02 07] [--seeds 0 1 2 3 4] [--threads 1 2] [--again]
    python -m benchmarks seeds report           # rewrite seed_spread.md from seed_spread.json

Runs are saved one by one to seed_spread.json, written atomically, so that a stopped study resumes.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from helpers import machine  # noqa: E402

RAW = ROOT / "benchmarks" / "seed_spread.json"
TABLE = ROOT / "benchmarks" / "seed_spread.md"
CHECK_BAND = re.compile(r"check_band\(\s*\"(\w+)\",\s*(.+?),\s*([-\d.e]+|None)(?:,\s*([-\d.e]+))?\)")
GLUE_MIME = "application/papermill.record/text/plain"


def bands():
    """Every band written in a chapter: name -> (chapter stem, low, high, the line as written)."""
    found = {}
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            for line in "".join(cell["source"]).splitlines() if cell["cell_type"] == "code" else []:
                match = CHECK_BAND.search(line)
                if match and not line.lstrip().startswith(("#", "def ")):
                    low, high = (None if b in (None, "None") else float(b) for b in match.group(3, 4))
                    found[match.group(1)] = (path.stem, low, high, line.strip())
    return found


def distinct_values(raw, name):
    """The values of `name` over all runs, a run whose result repeats another run of the same seed
    (the same arithmetic at another thread count) counted once."""
    by_seed = {}
    for key, run in raw.items():
        value = run["results"].get(name)
        if value is not None and value == value:
            by_seed.setdefault(key.split(" threads=")[0], set()).add(value)
    return [value for values in by_seed.values() for value in sorted(values)]


def rule_bounds(name, values):
    """The band's bounds by the course's rule: 4 standard deviations from the mean, or 0.003 for an
    accuracy, whichever is wider."""
    mean, sd = statistics.fmean(values), statistics.stdev(values)
    distance = max(4 * sd, 0.003) if "acc" in name else 4 * sd
    return mean - distance, mean + distance


def run_one(job):
    """Execute one chapter at one seed and thread count; its recorded values and failed checks."""
    import nbformat
    from nbclient import NotebookClient

    chapter, seed, threads = job
    os.environ.update(COURSE_SEED=str(seed), COURSE_PROGRESS="0", OMP_NUM_THREADS=str(threads),
                      MKL_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    nb = nbformat.read(ROOT / "chapters" / f"{chapter}.ipynb", as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=1200, allow_errors=True,
                   resources={"metadata": {"path": str(ROOT / "chapters")}}).execute()
    results, errors = {}, []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and GLUE_MIME in output.get("data", {}):  # every value glued without display
                results[name] = float(output["data"][GLUE_MIME])
            if output.get("output_type") == "error":
                errors.append(f"cell {index}: {output['ename']}: {output['evalue']}")
    return job, {"results": results, "errors": errors, "cpu": machine.cpu_model(),
                 "date": datetime.date.today().isoformat(),
                 "seconds": round(time.perf_counter() - start, 1)}


def save(key, result=None):
    """Add one run to the study (or, with no result, remove it), re-reading the study first: two
    studies of different chapters may run at once, and neither loses the other's runs."""
    raw = json.loads(RAW.read_text()) if RAW.exists() else {}
    if result is None:
        raw.pop(key, None)
    else:
        raw[key] = result
    fd, tmp = tempfile.mkstemp(dir=RAW.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(raw, f, indent=1, sort_keys=True)
    os.replace(tmp, RAW)


def run(chapters, seeds, threads_list, again=False):
    """Every (chapter, seed, threads) not yet in the study (with `again`, every one, its old run
    dropped first: after the chapter's training changed), as many at once as the cores allow."""
    raw = json.loads(RAW.read_text()) if RAW.exists() else {}
    if again:
        for key in [key for key in raw if key.split(" seed=")[0] in chapters]:
            save(key)
            del raw[key]
    jobs = [(c, s, t) for t in threads_list for s in seeds for c in chapters
            if f"{c} seed={s} threads={t}" not in raw]
    workers = max(1, (os.cpu_count() or 1) // max(threads_list))
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        for (chapter, seed, threads), result in pool.map(run_one, jobs):
            save(f"{chapter} seed={seed} threads={threads}", result)
            print(f"{chapter} seed={seed} threads={threads}: {result['seconds']} s, "
                  f"errors: {result['errors']}", flush=True)


def report(raw):
    """The markdown table of seed_spread.md: each band against the runs."""
    lines = ["# Seed study of every trained result a chapter checks", "",
             f"Written by `python -m benchmarks seeds report` from {len(raw)} runs "
             f"(CPUs: {', '.join(sorted({run['cpu'] for run in raw.values()}))}). Identical results of "
             "one seed at two thread counts count once. Rule: a band sits 4 sd from the mean, or "
             "0.003 for an accuracy, whichever is wider.", "",
             "| result | chapter | distinct runs | mean | sd | worst | best | band | rule |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, (chapter, low, high, _) in bands().items():
        values = distinct_values(raw, name)
        if len(values) < 2:
            continue
        rule_low, rule_high = rule_bounds(name, values)
        band = f"[{low}, {high}]".replace("None", "")
        lines.append(f"| {name} | {chapter[:2]} | {len(values)} | {statistics.fmean(values):.4g} | "
                     f"{statistics.stdev(values):.2g} | {min(values):.4g} | {max(values):.4g} | {band} | "
                     f"[{rule_low:.4g}, {rule_high:.4g}] |")
    failures = sorted(f"{key}: {error}" for key, run in raw.items() for error in run["errors"])
    lines += ["", "Checks that failed during the runs:", ""] + ([f"- {f}" for f in failures] or ["- none"])
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run")
    run_parser.add_argument("--chapters", nargs="*", default=[])
    run_parser.add_argument("--seeds", nargs="*", type=int, default=list(range(5)))
    run_parser.add_argument("--threads", nargs="*", type=int, default=[1, 2])
    run_parser.add_argument("--again", action="store_true",
                            help="drop the chapters' stored runs first (their training changed)")
    sub.add_parser("report")
    args = parser.parse_args(argv)
    if args.command == "run":
        every = sorted({chapter for chapter, *_ in bands().values()})
        chapters = [c for c in every if not args.chapters or c[:2] in args.chapters]
        run(chapters, args.seeds, args.threads, args.again)
    else:
        TABLE.write_text(report(json.loads(RAW.read_text())))
        print(f"wrote {TABLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
