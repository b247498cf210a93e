"""WaveNet: an autoregressive model of raw audio built from stacks of dilated causal convolutions with gated units.

Paper: WaveNet: A Generative Model for Raw Audio - https://arxiv.org/abs/1609.03499

The joint probability of a waveform factorizes as $p(x) = \\prod_t p(x_t | x_1, \\ldots, x_{t-1})$;
each conditional is a softmax over 256 values of the $\\mu$-law companded signal,
$f(x_t) = \\mathrm{sign}(x_t) \\ln(1 + \\mu |x_t|) / \\ln(1 + \\mu)$, $\\mu = 255$. Causal
convolutions (the output at $t$ sees inputs $\\le t$ only) with dilations doubling per layer
(1, 2, ..., 512, repeated) give a receptive field exponential in depth. Each residual block applies
the gated activation unit

$$z = \\tanh(W_{f,k} * x) \\odot \\sigma(W_{g,k} * x)$$

then a 1x1 convolution to a residual output (added to the block input) and a skip output; the
skip outputs are summed, passed through ReLU-1x1-ReLU-1x1 to the 256 logits. Demo: 8 layers
(dilations 1..8, twice), 16 residual and 32 skip channels.

Shapes: `forward(audio: [B, T])` in [-1, 1] -> `{"logits": [B, 256, T], "targets": [B, T],
"loss": []}`: the logits at $t$ predict the quantized sample $t + 1$ from samples $\\le t$.

Hyperparameters: `quantization` (256 classes), `residual_channels` (16), `skip_channels` (32),
`layers` (layers per stack; 10 in the paper, 4 here), `stacks` (2), `kernel_size` (2).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def mu_law_encode(audio: torch.Tensor, quantization: int) -> torch.Tensor:
    """[-1, 1] samples -> integer classes in [0, quantization): f(x) = sign(x) ln(1 + mu |x|) / ln(1 + mu)."""
    mu = quantization - 1
    companded = torch.sign(audio) * torch.log1p(mu * audio.abs().clamp(max=1)) / math.log1p(mu)
    return ((companded + 1) / 2 * mu + 0.5).long().clamp(0, mu)


class ResidualBlock(nn.Module):
    """Dilated causal conv -> tanh * sigmoid gate -> 1x1 residual and 1x1 skip outputs."""

    def __init__(self, residual: int, skip: int, kernel_size: int, dilation: int, last: bool = False) -> None:
        super().__init__()
        self.padding = (kernel_size - 1) * dilation
        self.dilated = nn.Conv1d(residual, 2 * residual, kernel_size, dilation=dilation)
        # the last block feeds only the skip sum, so it has no residual projection
        self.residual = None if last else nn.Conv1d(residual, residual, 1)
        self.skip = nn.Conv1d(residual, skip, 1)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: [B, C, T] -> (next residual stream [B, C, T], skip [B, S, T])."""
        # left padding only: output t sees inputs <= t
        filt, gate = self.dilated(F.pad(x, (self.padding, 0))).chunk(2, dim=1)
        z = torch.tanh(filt) * torch.sigmoid(gate)
        return (x if self.residual is None else x + self.residual(z)), self.skip(z)


class WaveNet(nn.Module):
    """Causal input conv, stacks of dilated gated residual blocks, summed skips, output softmax."""

    def __init__(
        self,
        quantization: int = 256,
        residual_channels: int = 16,
        skip_channels: int = 32,
        layers: int = 4,
        stacks: int = 2,
        kernel_size: int = 2,
    ) -> None:
        super().__init__()
        self.quantization = quantization
        self.embed = nn.Embedding(quantization, residual_channels)
        dilations = [2**i for _ in range(stacks) for i in range(layers)]
        self.blocks = nn.ModuleList(
            ResidualBlock(residual_channels, skip_channels, kernel_size, d, last=n == len(dilations) - 1)
            for n, d in enumerate(dilations)
        )
        self.head = nn.Sequential(
            nn.ReLU(),
            nn.Conv1d(skip_channels, skip_channels, 1),
            nn.ReLU(),
            nn.Conv1d(skip_channels, quantization, 1),
        )

    def receptive_field(self) -> int:
        """1 + sum over blocks of (k - 1) d."""
        return 1 + sum(block.padding for block in self.blocks)

    def forward(self, audio: torch.Tensor) -> dict[str, torch.Tensor]:
        """audio: [B, T] in [-1, 1] -> next-sample logits [B, Q, T], targets [B, T], cross-entropy."""
        classes = mu_law_encode(audio, self.quantization)
        x = self.embed(classes).transpose(1, 2)
        skips = 0
        for block in self.blocks:
            x, skip = block(x)
            skips = skips + skip
        logits = self.head(skips)
        # position t predicts sample t + 1; the last target has nothing to predict it from within the clip
        targets = torch.cat((classes[:, 1:], classes[:, -1:]), dim=1)
        loss = F.cross_entropy(logits[..., :-1], targets[:, :-1])
        return {"logits": logits, "targets": targets, "loss": loss}
