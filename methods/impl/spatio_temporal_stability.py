"""TS: spatio-temporal stability analysis, per-pixel stability of a video from run-length encoding.

Paper: Results of a Prototype Television Bandwidth Compression Scheme (Robinson & Cherry, 1967), the run-length encoding the method builds on
- https://doi.org/10.1109/PROC.1967.5493

The method measures how stable each location of a sequence is over time by run-length encoding
its temporal signal: a pixel whose quantized value changes rarely produces few, long runs. For
a pixel with values $v_1..v_T$ quantized to `levels` levels, the run-length encoding is the list
of (value, length) pairs of maximal constant stretches; the stability feature is the mean run
length over the sequence length,
$$s = \\frac{1}{T} \\cdot \\frac{T}{R} = \\frac{1}{R}, \\qquad R = 1 + \\#\\{t : q(v_t) \\ne q(v_{t-1})\\},$$
1 for a constant pixel and $1 / T$ for one that changes every frame, with the longest run as a
second feature. The catalog's entry describes the workflow only in a figure; this is the
RLE-based stability measure it names.

Shapes: `video: [T, H, W]` values in [0, 1] -> `stability: [H, W]` ($1 / R$), `runs: [H, W]` ($R$),
`longest_run: [H, W]`.
"""

from __future__ import annotations

import torch
from torch import nn


class RunLengthStability(nn.Module):
    """Per-pixel run counts of the quantized temporal signal and the derived stability."""

    def __init__(self, levels: int = 4):
        super().__init__()
        self.levels = levels

    def forward(self, video: torch.Tensor) -> dict[str, torch.Tensor]:
        """video: [T, H, W] -> stability [H, W], runs [H, W], longest_run [H, W]."""
        q = (video.clamp(0, 1) * self.levels).floor().clamp(max=self.levels - 1)
        changes = q[1:] != q[:-1]
        # R = 1 + number of value changes
        runs = 1 + changes.sum(dim=0)
        # run lengths: positions since the last change, the longest of them
        length = torch.ones_like(q[0])
        longest = length.clone()
        for t in range(1, q.shape[0]):
            length = torch.where(changes[t - 1], torch.ones_like(length), length + 1)
            longest = torch.maximum(longest, length)
        return {"stability": 1.0 / runs.to(video.dtype), "runs": runs, "longest_run": longest}
