"""Variational dropout for recurrent networks, one dropout mask for every time step.

Paper: A Theoretically Grounded Application of Dropout in Recurrent Neural
Networks - https://arxiv.org/abs/1512.05287

Read as variational inference in a Bayesian RNN, dropout must drop the same
units at every time step: one mask z_x for the inputs and one z_h for the
recurrent state are sampled per sequence and reused for all t,
h_t = LSTM(x_t ⊙ z_x, h_{t−1} ⊙ z_h), whereas naive dropout resamples at each step
and never touches the recurrent connections. Gal & Ghahramani use p = 0.25 to
0.5 on a medium LSTM (650 units); here the LSTM is small and masks are scaled
by 1/(1 − p) (inverted dropout) so evaluation uses the weights as they are.

Shapes: `forward(x: [B, T, D]) -> {"output": [B, T, H], "input_mask": [B, D], "hidden_mask": [B, H]}`.
"""

from __future__ import annotations

import torch
from torch import nn


class VariationalDropoutLSTM(nn.Module):
    """An LSTM whose input and recurrent dropout masks are sampled once per sequence."""

    def __init__(
        self, input_size: int = 8, hidden_size: int = 16, p_input: float = 0.25, p_hidden: float = 0.25
    ):
        super().__init__()
        self.cell = nn.LSTMCell(input_size, hidden_size)
        self.p_input, self.p_hidden = p_input, p_hidden

    def _mask(self, b: int, width: int, p: float, like: torch.Tensor) -> torch.Tensor:
        if not self.training or p == 0.0:
            return torch.ones(b, width, dtype=like.dtype, device=like.device)
        # z ~ Bernoulli(1 − p), scaled by 1/(1 − p)
        return torch.empty(b, width, dtype=like.dtype, device=like.device).bernoulli_(1 - p) / (1 - p)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, T, D] -> hidden states [B, T, H] and the two masks used at every step."""
        b, t, _ = x.shape
        z_x = self._mask(b, x.shape[2], self.p_input, x)
        z_h = self._mask(b, self.cell.hidden_size, self.p_hidden, x)
        h = x.new_zeros(b, self.cell.hidden_size)
        c = x.new_zeros(b, self.cell.hidden_size)
        outputs = []
        for step in range(t):
            # h_t = LSTM(x_t ⊙ z_x, h_{t−1} ⊙ z_h): the same z_x, z_h at every step
            h, c = self.cell(x[:, step] * z_x, (h * z_h, c))
            outputs.append(h)
        return {"output": torch.stack(outputs, dim=1), "input_mask": z_x, "hidden_mask": z_h}
