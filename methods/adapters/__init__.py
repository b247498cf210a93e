"""Builders that adapt PyTorch's own implementations to the registry's typed hyperparameters.

Each module groups one topic. Where a registry entry's hyperparameters carry
the library's argument names, the module re-exports the library object; where
they do not, a small builder maps the paper's symbols onto the library's
arguments. These modules import torch; entry modules never import them.
"""
