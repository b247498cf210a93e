import os

import pytest

torch = pytest.importorskip("torch")


@pytest.fixture(scope="session")
def device() -> "torch.device":
    """The device under test, from TORCH_DEVICE (default cpu)."""
    return torch.device(os.environ.get("TORCH_DEVICE", "cpu"))
