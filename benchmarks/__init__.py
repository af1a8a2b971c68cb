"""The course's speed measurements and seed study, one tool: `python -m benchmarks <command>`
(__main__.py; `python -m benchmarks --help` lists the commands). common.py describes the machine,
times a function over repeats and writes files atomically; bench_data.py, bench_training.py,
bench_cnn.py and bench_notebooks.py each measure one section of results.md; speedrun.py is chapter
12's speed run, seed_spread.py the seed study of every band a chapter checks."""
