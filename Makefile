# Two commands set everything up on a fresh machine: `make book` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test lab execute bench clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $(STAMP)

## book: render the book into _build/html (Sphinx warnings are errors)
book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

## test: unit tests and every notebook under nbval, then ruff
test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check helpers tests chapters benchmarks

## lab: open the notebooks in JupyterLab
lab: $(STAMP)
	$(BIN)/jupyter lab chapters

## execute: run one notebook top to bottom in a fresh kernel and store its outputs
##          (make execute NB=chapters/01_sigmoid_softmax.ipynb); do this before committing it
execute: $(STAMP)
	COURSE_PROGRESS=0 $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=600 $(NB)

## bench: the speed measurements in benchmarks/
bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf _build
