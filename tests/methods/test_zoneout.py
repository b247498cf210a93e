"""Zoneout against plain cell loops (z = 0), the initial state (z = 1) and the expectation (eval mode)."""

import pytest
import torch
from torch import nn

from methods import registry
from methods.impl.zoneout import ZoneoutCell


def _rnn(device, cell, zoneout_hidden, zoneout_cell):
    torch.manual_seed(0)
    return (
        registry.get("zoneout")
        .build(
            input_size=5, hidden_size=6, cell=cell, zoneout_hidden=zoneout_hidden, zoneout_cell=zoneout_cell
        )
        .to(device)
    )


def _data(device):
    g = torch.Generator().manual_seed(1)
    x, h0, c0 = (
        torch.randn(7, 3, 5, generator=g),
        torch.randn(3, 6, generator=g),
        torch.randn(3, 6, generator=g),
    )
    return x.to(device), h0.to(device), c0.to(device)


def _loop(cell, x, h0, c0, z_h=0.0, z_c=0.0):
    """Reference: the wrapped nn.LSTMCell / nn.GRUCell stepped by hand, mixing in the expectation z h + (1-z) h~."""
    h, c, out = h0, c0, []
    for x_t in x:
        if isinstance(cell, nn.LSTMCell):
            h_new, c_new = cell(x_t, (h, c))
            c = z_c * c + (1 - z_c) * c_new
        else:
            h_new = cell(x_t, h)
        h = z_h * h + (1 - z_h) * h_new
        out.append(h)
    return torch.stack(out)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_zero_rate_equals_the_plain_cell_loop(device, cell):
    """Reference: with z = 0 zoneout never keeps a unit, so training mode is the plain cell loop."""
    rnn = _rnn(device, cell, 0.0, 0.0)
    x, h0, c0 = _data(device)
    expected = _loop(rnn.step.cell, x, h0, c0)
    assert torch.allclose(rnn(x, h0, c0), expected, atol=1e-6), (
        f"z=0 zoneout {cell} differs from the plain loop"
    )


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_unit_rate_keeps_the_initial_state(device, cell):
    """Property: with z = 1 every unit keeps its previous value, so all hidden states equal h0."""
    rnn = _rnn(device, cell, 1.0, 1.0)
    x, h0, c0 = _data(device)
    out = rnn(x, h0, c0)
    assert torch.equal(out, h0.expand_as(out)), f"z=1 zoneout {cell} moved away from the initial state"


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_eval_mode_is_the_expectation(device, cell):
    """Reference: the paper's test-time rule h_t = z h_{t-1} + (1 - z) h~_t (and c likewise), looped by hand."""
    rnn = _rnn(device, cell, 0.3, 0.6).eval()
    x, h0, c0 = _data(device)
    expected = _loop(rnn.step.cell, x, h0, c0, z_h=0.3, z_c=0.6 if cell == "lstm" else 0.0)
    assert torch.allclose(rnn(x, h0, c0), expected, atol=1e-6), (
        f"eval-mode zoneout {cell} is not the expectation"
    )


def test_training_step_keeps_or_updates_each_unit(device):
    """Property: in training each unit of h and c is either its previous value or the LSTM candidate,
    kept with frequency near z_h and z_c respectively."""
    torch.manual_seed(0)
    step = ZoneoutCell(nn.LSTMCell(4, 64), zoneout_hidden=0.2, zoneout_cell=0.7).to(device)
    g = torch.Generator().manual_seed(2)
    x, h, c = (torch.randn(64, n, generator=g).to(device) for n in (4, 64, 64))
    h_candidate, c_candidate = step.cell(x, (h, c))
    torch.manual_seed(9)
    h_next, c_next = step(x, (h, c))
    for name, new, old, cand, rate in (
        ("h", h_next, h, h_candidate, 0.2),
        ("c", c_next, c, c_candidate, 0.7),
    ):
        kept, updated = new == old, torch.isclose(new, cand, atol=1e-6)
        assert (kept | updated).all(), f"a unit of {name} is neither its previous value nor the candidate"
        fraction = kept.float().mean().item()
        assert abs(fraction - rate) < 0.05, f"{name} kept {fraction:.3f} of its units, expected about {rate}"
