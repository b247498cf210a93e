"""Every registry entry builds, runs its example inputs, and behaves; its metadata is complete.

The sweep parametrizes over the registry itself, so an entry added to any module of
`methods.entries` is swept without a list to edit. The checks live in `tests/methods/sweep.py`.
On the CPU the sweep runs on one thread: on a shared machine a second one mostly waits.
"""

import pytest
import torch

from methods import registry
from tests.methods.sweep import check_metadata, sweep


@pytest.fixture(scope="module", autouse=True)
def one_thread(device):
    threads = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("entry", registry, ids=lambda e: e.id)
def test_entry_runs_with_declared_shapes_gradients_and_a_fixed_seed(entry, device):
    sweep(entry, device)


@pytest.mark.parametrize("entry", registry, ids=lambda e: e.id)
def test_entry_metadata_is_complete(entry):
    check_metadata(entry)
