# Two commands set everything up on a fresh machine: `make book` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test test-portable test-gpu lab execute bench seed-spread tables sync-url clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --timeout 15 --retries 2 -r requirements.txt
	touch $(STAMP)

## book: render the book into _build/html (Sphinx warnings are errors)
book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

## test: unit tests and every notebook under nbval, then ruff
test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check conftest.py helpers tests chapters benchmarks tools

## test-portable: every notebook under nbval as a learner's other machines would run it: the CPU
##                dispatch narrowed to AVX2 (PyTorch, MKL, OpenBLAS and NumPy), then with 1 thread,
##                then with 4 threads in one worker (a common laptop; threads that wait sleep, so
##                that it also runs on fewer cores). All three must pass before a notebook's
##                outputs or bands are committed.
AVX2 := ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 MKL_ENABLE_INSTRUCTIONS=AVX2 OPENBLAS_CORETYPE=Haswell \
	NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR"
test-portable: $(STAMP)
	$(AVX2) $(BIN)/python -m pytest chapters
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest chapters
	OMP_NUM_THREADS=4 MKL_NUM_THREADS=4 OPENBLAS_NUM_THREADS=4 OMP_WAIT_POLICY=PASSIVE \
		$(BIN)/python -m pytest -n 1 chapters

## lab: open the notebooks in JupyterLab, with jupyterlab-myst (requirements.txt) rendering their MyST
##      markdown: labels, {term} and {eq} roles, exercise and solution boxes, numbered equations
lab: $(STAMP)
	@$(BIN)/jupyter labextension list 2>&1 | grep -q "jupyterlab-myst.*enabled" || \
		{ echo "jupyterlab-myst is not enabled in $(VENV): $(BIN)/python -m pip install jupyterlab-myst"; exit 1; }
	$(BIN)/jupyter lab chapters

## execute: run one notebook top to bottom in a fresh kernel and store its outputs
##          (make execute NB=chapters/01_sigmoid_softmax.ipynb); do this before committing it
execute: $(STAMP)
	COURSE_PROGRESS=0 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=600 $(NB)
	$(BIN)/python -c "import nbformat, sys; nb = nbformat.read(sys.argv[1], 4); \
		nb.metadata.pop('widgets', None); nbformat.write(nb, sys.argv[1])" $(NB)  # no slider state

## bench: every speed measurement, written to benchmarks/results.md (tens of minutes on 2 cores);
##        one section alone: .venv/bin/python -m benchmarks <section> (--help lists them)
bench: $(STAMP)
	$(BIN)/python -m benchmarks all

## seed-spread: re-train every result a hidden check asserts over 5 seeds at 1 and 2 threads
##              (resumes; about an hour on 2 cores) and rewrite benchmarks/seed_spread.md
seed-spread: $(STAMP)
	$(BIN)/python -m benchmarks seeds run
	$(BIN)/python -m benchmarks seeds report

## tables: copy the stored tables two chapters show from the benchmarks' outputs into chapters/tables/
##         (chapter 12's speed-run ablation, chapter 10's seed study); the only command that changes
##         a file a chapter reads: `make bench` and `make seed-spread` write inside benchmarks/ alone
tables:
	mkdir -p chapters/tables
	cp benchmarks/speedrun.json chapters/tables/speedrun.json
	cp benchmarks/seed_spread.json chapters/tables/seed_study.json

## test-gpu: the PyTorch chapters under nbval with a CUDA device visible, where they train on the GPU
##           (needs a GPU and a CUDA build of torch in .venv; not yet run: the GPU path is untested)
test-gpu: $(STAMP)
	$(BIN)/python -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 'no CUDA device')"
	$(BIN)/python -m pytest -n 0 chapters/06_*.ipynb chapters/07_*.ipynb chapters/08_*.ipynb \
		chapters/09_*.ipynb chapters/12_*.ipynb chapters/13_*.ipynb

## sync-url: after changing repository.url in _config.yml (a fork), copy it into every chapter's
##           set-up cell and pyproject.toml
sync-url: $(STAMP)
	$(BIN)/python tools/sync_setup_cells.py

clean:
	rm -rf _build
