"""Phase Shuffle.

Paper: Adversarial Audio Synthesis (WaveGAN) - https://arxiv.org/abs/1802.04208

Transposed convolutions leave periodic, pitched artifacts in generated audio that a
discriminator can use to reject samples by their phase alone. Phase shuffle, applied
between the discriminator's layers, shifts each example's activations in time by a random
integer $s \\sim \\mathcal{U}\\{-n, \\dots, n\\}$ and fills the gap by reflection, so the
discriminator has to be invariant to such phase perturbations:

$$y_{c,t} = x_{c,\\,\\rho(t - s)}, \\qquad \\rho(i) = \\begin{cases} -i & i < 0 \\\\ i & 0 \\le i < T
\\\\ 2(T - 1) - i & i \\ge T \\end{cases}$$

($\\rho$ is reflection padding without repeating the edge sample). WaveGAN uses $n = 2$.
Here one shift is drawn per example, the same for all of its channels; the released
TensorFlow code draws a single shift per batch. It acts in training mode only (in eval
mode it is the identity unless shifts are passed explicitly), like the other
regularizers of this catalog.

Shapes: `forward(x: [B, C, T], shifts: [B] int64 | None) -> [B, C, T]`, requires $n < T$.

Hyperparameters: `shift_factor` (the maximum shift $n$).
"""

from __future__ import annotations

import torch
from torch import nn


class PhaseShuffle(nn.Module):
    """Shifts each example by a random integer in [-n, n] along time, with reflection padding."""

    def __init__(self, shift_factor: int = 2) -> None:
        super().__init__()
        self.shift_factor = shift_factor

    def forward(self, x: torch.Tensor, shifts: torch.Tensor | None = None) -> torch.Tensor:
        """`x: [B, C, T] -> [B, C, T]`.

        `shifts: [B]` integer shifts $s$ (positive moves the signal later in time); when
        omitted they are drawn from U{-n, ..., n} with torch's global RNG in training mode.
        """
        batch, channels, length = x.shape
        if shifts is None:
            if not self.training or self.shift_factor == 0:
                return x
            # s ~ U{-n, ..., n}, one per example
            shifts = torch.randint(-self.shift_factor, self.shift_factor + 1, (batch,), device=x.device)
        if int(shifts.abs().max()) >= length:
            raise ValueError(f"shifts must be smaller than the sequence length {length}")
        time = torch.arange(length, device=x.device)
        # y_t = x_{rho(t - s)}: the source index before reflection
        source = time - shifts.to(x.device)[:, None]
        # rho: reflect negative indices about 0, then indices past T - 1 about T - 1
        source = (length - 1) - ((length - 1) - source.abs()).abs()
        return x.gather(2, source[:, None, :].expand(batch, channels, length))
