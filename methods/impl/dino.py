"""DINO: self-distillation with no labels, a student matching a momentum teacher's centred, sharpened outputs.

Paper: Emerging Properties in Self-Supervised Vision Transformers (Caron et al., 2021) - https://arxiv.org/abs/2104.14294

Student $g_{\\theta_s}$ and teacher $g_{\\theta_t}$ share an architecture and output $K$-dimensional
scores; the teacher is an exponential moving average of the student and receives no gradient.
For views $x_1, x_2$ the student's distribution $P_s = \\text{softmax}(g_s(x) / \\tau_s)$ is trained to
match the teacher's $P_t = \\text{softmax}((g_t(x) - c) / \\tau_t)$ of the other view,
$$\\mathcal{L} = \\sum_{x \\ne x'} H(P_t(x), P_s(x')) = -\\sum P_t(x) \\log P_s(x'),$$
where centring by $c$ (an EMA of teacher outputs, momentum $m$) and sharpening by $\\tau_t < \\tau_s$
together avoid collapse. Following the paper's pseudocode (two global views, no multi-crop);
the encoder is a small CNN with a 3-layer projection head (paper: ViT and a 65,536-way head).

Shapes: `view1: [N, C, H, W]`, `view2: [N, C, H, W]` -> `loss: []`, `center: [K]` (updated),
`teacher_probabilities: [2N, K]`.
"""

from __future__ import annotations

import copy

import torch
from torch import nn


class DINO(nn.Module):
    """Student and EMA teacher networks, centring and the cross-view cross-entropy."""

    def __init__(
        self,
        channels: int = 3,
        out_dim: int = 64,
        student_temperature: float = 0.1,
        teacher_temperature: float = 0.04,
        center_momentum: float = 0.9,
    ):
        super().__init__()
        self.student = nn.Sequential(
            nn.Conv2d(channels, 16, 3, stride=2, padding=1), nn.GELU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.GELU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(32, 64), nn.GELU(), nn.Linear(64, 16), nn.Linear(16, out_dim, bias=False),
        )  # fmt: skip
        self.teacher = copy.deepcopy(self.student).requires_grad_(False)
        self.register_buffer("center", torch.zeros(out_dim))
        self.tau_s, self.tau_t, self.center_momentum = (
            student_temperature,
            teacher_temperature,
            center_momentum,
        )

    def forward(self, view1: torch.Tensor, view2: torch.Tensor) -> dict[str, torch.Tensor]:
        """view1, view2: [N, C, H, W] -> loss [], center [K], teacher_probabilities [2N, K]."""
        n = view1.shape[0]
        views = torch.cat([view1, view2])
        student_log = (self.student(views) / self.tau_s).log_softmax(dim=-1)
        with torch.no_grad():
            teacher_out = self.teacher(views)
            # P_t = softmax((g_t(x) − c) / τ_t)
            teacher = ((teacher_out - self.center) / self.tau_t).softmax(dim=-1)
        # H(P_t(x1), P_s(x2)) + H(P_t(x2), P_s(x1)), averaged
        loss = (
            -(
                (teacher[:n] * student_log[n:]).sum(dim=-1) + (teacher[n:] * student_log[:n]).sum(dim=-1)
            ).mean()
            / 2
        )
        # c ← m c + (1 − m) mean g_t(x)
        center = self.center_momentum * self.center + (1 - self.center_momentum) * teacher_out.mean(dim=0)
        return {"loss": loss, "center": center, "teacher_probabilities": teacher}
