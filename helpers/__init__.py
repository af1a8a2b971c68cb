"""Helpers for the course "Neural Networks from Scratch to PyTorch": data loading (data), a NumPy
backpropagation reference (backprop), plots (plotting) and the PyTorch training loop (training)."""
