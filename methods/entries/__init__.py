"""Torch-free declarations of the registry's entries, one module per family."""
