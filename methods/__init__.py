"""Executable PyTorch implementations of catalog methods and their live shape demo.

`from methods import registry` reads every entry's metadata without importing
torch; building an entry or making its example inputs imports it.
"""

from methods.registry import registry
from methods.spec import InputError, MethodEntry, Params, TensorSpec

__all__ = ["InputError", "MethodEntry", "Params", "TensorSpec", "registry"]
