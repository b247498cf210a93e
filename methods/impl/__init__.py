"""One file per method: the PyTorch implementation, its docstring the method's summary."""
