"""ConvLSTM: an LSTM whose input-to-state and state-to-state transitions are convolutions, for spatiotemporal sequences.

Paper: Convolutional LSTM Network: A Machine Learning Approach for Precipitation Nowcasting -
https://arxiv.org/abs/1506.04214

Inputs $\\mathcal{X}_t$, cell outputs $\\mathcal{C}_t$, hidden states $\\mathcal{H}_t$ and gates are
3-D tensors (channels x rows x columns), and the fully connected products of the FC-LSTM become
convolutions $*$, with Hadamard peephole terms $\\circ$:

$$i_t = \\sigma(W_{xi} * \\mathcal{X}_t + W_{hi} * \\mathcal{H}_{t-1} + W_{ci} \\circ \\mathcal{C}_{t-1} + b_i)$$
$$f_t = \\sigma(W_{xf} * \\mathcal{X}_t + W_{hf} * \\mathcal{H}_{t-1} + W_{cf} \\circ \\mathcal{C}_{t-1} + b_f)$$
$$\\mathcal{C}_t = f_t \\circ \\mathcal{C}_{t-1} + i_t \\circ \\tanh(W_{xc} * \\mathcal{X}_t + W_{hc} * \\mathcal{H}_{t-1} + b_c)$$
$$o_t = \\sigma(W_{xo} * \\mathcal{X}_t + W_{ho} * \\mathcal{H}_{t-1} + W_{co} \\circ \\mathcal{C}_t + b_o), \\quad
\\mathcal{H}_t = o_t \\circ \\tanh(\\mathcal{C}_t)$$

States start at zero and keep the input's spatial size ("same" padding), so the future of each
location depends on the inputs and past states of its neighbours.

Shapes: `forward(x: [B, T, C, H, W])` -> `{"outputs": [B, T, C_h, H, W], "h": [B, C_h, H, W],
"c": [B, C_h, H, W]}`.

Hyperparameters: `in_channels` $C$ (1 for radar maps), `hidden_channels` $C_h$ (64 to 128 in the
paper; 8 here), `kernel_size` (3 or 5), `height`, `width` (the peephole weights' size; 16).
"""

from __future__ import annotations

import torch
from torch import nn


class ConvLSTM(nn.Module):
    """One ConvLSTM layer with peepholes, unrolled over the sequence."""

    def __init__(
        self,
        in_channels: int = 1,
        hidden_channels: int = 8,
        kernel_size: int = 3,
        height: int = 16,
        width: int = 16,
    ) -> None:
        super().__init__()
        self.hidden_channels = hidden_channels
        # W_x* and W_h* for the four gates (i, f, c, o), one convolution over [X_t, H_{t-1}]
        self.conv = nn.Conv2d(
            in_channels + hidden_channels, 4 * hidden_channels, kernel_size, padding=kernel_size // 2
        )
        # Hadamard peephole weights W_ci, W_cf, W_co
        self.peephole = nn.Parameter(torch.zeros(3, hidden_channels, height, width))

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, T, C, H, W] -> every step's H_t, and the final H and C."""
        b, steps, _, height, width = x.shape
        h = x.new_zeros(b, self.hidden_channels, height, width)
        c = torch.zeros_like(h)
        w_ci, w_cf, w_co = self.peephole
        outputs = []
        for t in range(steps):
            gi, gf, gc, go = self.conv(torch.cat((x[:, t], h), dim=1)).chunk(4, dim=1)
            i = torch.sigmoid(gi + w_ci * c)
            f = torch.sigmoid(gf + w_cf * c)
            c = f * c + i * torch.tanh(gc)
            o = torch.sigmoid(go + w_co * c)
            h = o * torch.tanh(c)
            outputs.append(h)
        return {"outputs": torch.stack(outputs, 1), "h": h, "c": c}
