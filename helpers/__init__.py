"""The course package of "Neural Networks from Scratch to PyTorch": what a chapter derives once and
the later chapters import, and the noise (loading, plotting, bookkeeping) kept out of the lessons.

data        MNIST from the bundled files (parse_idx is chapter 4's), the split, the toy data sets
backprop    the NumPy reference: activations, losses, a numerical gradient, a dense network (1-4)
autograd    the reverse-mode autograd engine built in chapter 5
training    the PyTorch training loop of chapter 7: fit and evaluate
cnn         the buffed CNN of chapter 9, for the chapters after it
speedrun    the public recipe the speed-run chapter (12) races, and its data augmentation
machine     the CPU named once (chapters 11-12, benchmarks): model, cores, vector width, peak
launch      chapter 13's torchrun launcher: logs kept, errors shown, no process left behind
plotting    the course's plots, in one style
book        glue: a value recorded for the rendered book, printed where Jupyter Book is absent
check       the exercises' checkers, one module per chapter
"""
