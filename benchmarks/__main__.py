"""`python -m benchmarks <command>`: the course's one benchmark tool. A section command measures one
section of results.md, stores it in benchmarks/sections/<section>.json with the command, machine,
date and load it ran under, and assembles results.md again from every section's last stored run;
`all` runs every section (`make bench`), `report` only assembles. `seeds` and `launches` pass their
arguments on to the seed study and chapter 13's launch test. `<command> --help` lists the options.
"""

import argparse
import importlib
import json
import os
import sys
import time

from . import common

STORED = common.ROOT / "benchmarks" / "sections"
REPORT = common.ROOT / "benchmarks" / "results.md"
# Each section: its title in results.md, the module that measures it and its options' defaults.
SECTIONS = {
    "data": ("Loading MNIST (all 70,000 images and labels, float32)", "bench_data", {"repeats": 5}),
    "training": ("Training throughput of a 784-H-10 sigmoid MLP", "bench_training",
                 {"repeats": 3, "steps": 150}),
    "cnn": ("The chapter-8 CNN on the CPU", "bench_cnn", {"repeats": 3, "quick": False}),
    "notebooks": ("The chapter notebooks: execution time and peak memory", "bench_notebooks",
                  {"repeats": 1, "chapters": []}),
    "speedrun": ("The speed run of chapter 12 (training seconds and test accuracy over seeds)",
                 "speedrun", {"seeds": 5, "ablation": False}),
}
IN_ALL = {"speedrun": {"seeds": 5, "ablation": True}}  # `all` runs the rest with their defaults
PASSED_ON = {"seeds": "seed_spread", "launches": "launches"}  # tools with their own arguments


def measure(name, options):
    """Run section `name` with `options`; its markdown."""
    module = importlib.import_module(f"benchmarks.{SECTIONS[name][1]}")
    if name != "speedrun":
        return module.run(**options)
    table, summary = module.run(options["seeds"], options["ablation"])
    return f"{table}\n\n`{summary}`"


def run_section(name, options, command):
    """Measure section `name`, store it with its command, machine, date and load, and print it."""
    load, start = os.getloadavg()[0], time.perf_counter()
    markdown = measure(name, options)
    run = (f"- Run: `python -m benchmarks {command}` in {time.perf_counter() - start:.0f} s; load average "
           f"before it {load:.1f} on {os.cpu_count()} cores")
    stored = {"lines": [run, *common.machine_lines()], "markdown": markdown}
    STORED.mkdir(exist_ok=True)
    common.write_atomically(STORED / f"{name}.json", json.dumps(stored, indent=1) + "\n")
    print(markdown)


def report():
    """results.md: every section's last stored run, in order, under its number."""
    stored = {name: json.loads((STORED / f"{name}.json").read_text()) for name in SECTIONS
              if (STORED / f"{name}.json").exists()}
    machines = {line for section in stored.values() for line in section["lines"] if "Machine:" in line}
    lines = ["# Benchmark results", "",
             "Each section is the last stored run of `python -m benchmarks <section>` "
             "(benchmarks/sections/), with the machine, date and load it ran under; `make bench` runs them "
             "all. A timing is the median (min-max) of the runs stated: on a shared machine timings vary by "
             "tens of percent, so compare only figures of one run.", "",
             "All sections ran on one machine:" if len(machines) == 1 else "Each section names its machine."]
    common_machine = machines if len(machines) == 1 else set()
    lines += sorted(common_machine)
    for number, (name, (title, *_)) in enumerate(SECTIONS.items(), 1):
        own = [line for line in stored.get(name, {}).get("lines", []) if line not in common_machine]
        body = ("\n".join(own) + "\n\n" + stored[name]["markdown"] if name in stored
                else f"Not run yet: `python -m benchmarks {name}`.")
        lines += ["", f"## {number}. {title}", "", body]
    common.write_atomically(REPORT, "\n".join(lines) + "\n")
    print(f"wrote {REPORT.relative_to(common.ROOT)}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] and argv[0] in PASSED_ON:
        return importlib.import_module(f"benchmarks.{PASSED_ON[argv[0]]}").main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (title, _, defaults) in SECTIONS.items():
        section = commands.add_parser(name, help=title)
        for key, default in defaults.items():
            kind = ({"action": "store_true"} if isinstance(default, bool) else
                    {"nargs": "*", "help": "default: all"} if isinstance(default, list) else
                    {"type": type(default), "help": f"default: {default}"})
            section.add_argument(f"--{key}", default=default, **kind)
    commands.add_parser("all", help="every section, then the report")
    commands.add_parser("report", help="assemble results.md from the stored sections")
    for name in PASSED_ON:
        commands.add_parser(name, help=f"benchmarks/{PASSED_ON[name]}.py with its own arguments")
    args = vars(parser.parse_args(argv))
    command = args.pop("command")
    for name in SECTIONS if command == "all" else [command] if command in SECTIONS else []:
        run_section(name, args if command == name else IN_ALL.get(name, SECTIONS[name][2]), " ".join(argv))
    report()


if __name__ == "__main__":
    sys.exit(main())
