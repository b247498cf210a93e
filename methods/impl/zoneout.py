"""Zoneout.

Paper: Zoneout: Regularizing RNNs by Randomly Preserving Hidden Activations -
https://arxiv.org/abs/1606.01305

Zoneout regularizes a recurrent network by letting each hidden unit, at each time step,
keep its previous value with probability $z$ instead of taking its update. Like dropout it
trains a pseudo-ensemble, but because the identity is kept rather than zeroed, state and
gradients flow through time as in stochastic-depth networks. With the candidate state
$\\tilde h_t$ from the wrapped cell and a mask $d_t \\sim \\text{Bernoulli}(z)$ per unit:

$$h_t = d_t \\odot h_{t-1} + (1 - d_t) \\odot \\tilde h_t \\quad\\text{(training)}, \\qquad
h_t = z\\, h_{t-1} + (1 - z)\\, \\tilde h_t \\quad\\text{(evaluation, the expectation)}.$$

For an LSTM, cell and hidden state get separate rates $z_c$ and $z_h$:
$c_t = d^c_t \\odot c_{t-1} + (1 - d^c_t) \\odot (f_t \\odot c_{t-1} + i_t \\odot g_t)$ and
$h_t = d^h_t \\odot h_{t-1} + (1 - d^h_t) \\odot (o_t \\odot \\tanh(f_t \\odot c_{t-1} + i_t \\odot g_t))$;
note that $\\tilde h_t$ reads the un-zoned candidate cell, which is exactly what
`nn.LSTMCell` returns. A GRU has a single state and uses $z_h$ only.

Shapes: `ZoneoutRNN.forward(x: [T, B, D], h0: [B, H] | None, c0: [B, H] | None) -> [T, B, H]`
(all hidden states $h_1 .. h_T$).

Hyperparameters: `input_size` ($D$), `hidden_size` ($H$), `cell` ("lstm" or "gru"),
`zoneout_hidden` ($z_h$), `zoneout_cell` ($z_c$; LSTM only, ignored for a GRU).
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn

State = torch.Tensor | tuple[torch.Tensor, torch.Tensor]


class ZoneoutCell(nn.Module):
    """Wraps an `nn.LSTMCell` or `nn.GRUCell`: each unit keeps its previous value with probability z."""

    def __init__(
        self, cell: nn.LSTMCell | nn.GRUCell, zoneout_hidden: float, zoneout_cell: float = 0.0
    ) -> None:
        super().__init__()
        for name, rate in (("zoneout_hidden", zoneout_hidden), ("zoneout_cell", zoneout_cell)):
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be a probability in [0, 1], got {rate}")
        self.cell = cell
        self.zoneout_hidden = zoneout_hidden
        self.zoneout_cell = zoneout_cell

    def forward(self, x: torch.Tensor, state: State) -> State:
        """`x: [B, D]`, `state`: `h [B, H]` (GRU) or `(h, c)` (LSTM) -> the next state, same form."""
        if isinstance(self.cell, nn.LSTMCell):
            h, c = state
            h_candidate, c_candidate = self.cell(x, (h, c))
            return self.zoneout(h, h_candidate, self.zoneout_hidden), self.zoneout(
                c, c_candidate, self.zoneout_cell
            )
        return self.zoneout(state, self.cell(x, state), self.zoneout_hidden)

    def zoneout(self, previous: torch.Tensor, candidate: torch.Tensor, rate: float) -> torch.Tensor:
        """Mixes `previous` ($h_{t-1}$) and `candidate` ($\\tilde h_t$), both `[B, H]`, at zoneout rate z."""
        if not self.training:
            # h_t = z h_{t-1} + (1 - z) h~_t, the expectation over the mask
            return rate * previous + (1.0 - rate) * candidate
        # d_t ~ Bernoulli(z), one trial per unit
        keep_previous = torch.bernoulli(torch.full_like(previous, rate))
        # h_t = d_t * h_{t-1} + (1 - d_t) * h~_t
        return keep_previous * previous + (1.0 - keep_previous) * candidate


class ZoneoutRNN(nn.Module):
    """Runs a zoneout-wrapped LSTM or GRU cell over a sequence and returns every hidden state."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        cell: Literal["lstm", "gru"] = "lstm",
        zoneout_hidden: float = 0.05,
        zoneout_cell: float = 0.5,
    ) -> None:
        super().__init__()
        cells = {"lstm": nn.LSTMCell, "gru": nn.GRUCell}
        if cell not in cells:
            raise ValueError(f"cell must be one of {sorted(cells)}, got {cell!r}")
        self.hidden_size = hidden_size
        self.step = ZoneoutCell(cells[cell](input_size, hidden_size), zoneout_hidden, zoneout_cell)

    def forward(
        self, x: torch.Tensor, h0: torch.Tensor | None = None, c0: torch.Tensor | None = None
    ) -> torch.Tensor:
        """`x: [T, B, D]`, optional initial states `h0, c0: [B, H]` (zeros) -> hidden states `[T, B, H]`."""
        zeros = x.new_zeros(x.shape[1], self.hidden_size)
        h = zeros if h0 is None else h0
        state: State = (h, zeros if c0 is None else c0) if isinstance(self.step.cell, nn.LSTMCell) else h
        hidden = []
        for x_t in x:
            state = self.step(x_t, state)
            hidden.append(state[0] if isinstance(state, tuple) else state)
        return torch.stack(hidden)
