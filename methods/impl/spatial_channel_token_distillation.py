"""Spatial-Channel Token Distillation (STD) for MLP-like vision models.

Paper: Spatial-Channel Token Distillation for Vision MLPs (ICML 2022) -
https://proceedings.mlr.press/v162/li22c.html

An MLP-Mixer block mixes $P$ patches of $N$ channels, $Z \\in \\mathbb{R}^{P \\times N}$, first
across patches, then across channels:

$$U = Z + \\mathrm{MLP}_S(\\mathrm{LN}(Z)^\\top)^\\top, \\qquad Z' = U + \\mathrm{MLP}_C(\\mathrm{LN}(U)).$$

STD distills a teacher into such a model through two extra tokens, one per mixing
dimension. A spatial token $T_S \\in \\mathbb{R}^{1 \\times N}$ is appended as a $(P{+}1)$-th row
and goes through token mixing; a channel token $T_C \\in \\mathbb{R}^{P \\times 1}$ is appended as
an $(N{+}1)$-th column and goes through channel mixing. Each mixing MLP is extended by one
input and one output for its token, so the token reads all patches (and itself):

$$T_S' = T_S + w_{S}^{\\top} \\sigma\\big([W_1 \\;|\\; a_S]\\, \\mathrm{LN}([Z; T_S])_{:,j} + b_1\\big) + c_S
\\quad (j = 1..N),$$
$$T_C' = T_C + w_{C}^{\\top} \\sigma\\big([W_3 \\;|\\; a_C]\\, [\\mathrm{LN}(U)_{i,:}, T_{C,i}] + b_3\\big)
+ c_C \\quad (i = 1..P),$$

where $W_1, b_1$ ($W_3, b_3$) are the block's own first token-mixing (channel-mixing) layer
and $a, w, c$ are the token's new input column, output row and bias. The paper stresses
that the tokens "aggregate information from patches, but do not copy the information back
to them", so the patch path is exactly the plain Mixer block. The tokens are concatenated,
$[T_S, T_C^\\top] \\in \\mathbb{R}^{N+P}$, and a distillation head maps them to logits trained
against the teacher, while the usual head (LN, average pooling, linear) is trained against
the labels:

$$L = (1 - \\alpha)\\, \\mathrm{CE}(f_{cls}, y) + \\alpha\\, L_{dist}, \\quad
L_{dist} = \\mathrm{CE}(f_{dist}, \\arg\\max g) \\text{ (hard) or }
\\tau^2 \\mathrm{KL}(\\mathrm{softmax}(g/\\tau) \\,\\|\\, \\mathrm{softmax}(f_{dist}/\\tau)) \\text{ (soft)}$$

with teacher logits $g$; at inference the two heads' logits are averaged. The paper uses
hard distillation. Here the tokens enter the last block only (the paper's last-layer
distillation); its intermediate-layer tokens, multi-teacher reweighting and the MINE
mutual-information regularizer between $T_S$ and $T_C$ (a separately trained statistics
network) are left out.

Shapes: `forward(images: [B, C, S, S], teacher_logits: [B, K], labels: [B]) -> {"logits": [B, K],
"distill_logits": [B, K], "loss": []}`; `STDMixerBlock.forward(z: [B, P, N], spatial_token:
[B, 1, N] | None, channel_token: [B, P, 1] | None) -> (z', T_S', T_C')`.

Hyperparameters: `image_size` ($S$), `patch_size`, `in_channels` ($C$), `dim` ($N$), `depth`
(blocks), `token_hidden` / `channel_hidden` (hidden widths of $\\mathrm{MLP}_S$ / $\\mathrm{MLP}_C$),
`num_classes` ($K$), `alpha` ($\\alpha$), `tau` ($\\tau$), `distillation` ("hard" or "soft").
"""

from __future__ import annotations

from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn


class MixingMLP(nn.Module):
    """Two linear layers with a GELU, mixing along the last dimension; can read one extra token entry."""

    def __init__(self, features: int, hidden: int, with_token: bool) -> None:
        super().__init__()
        self.fc1 = nn.Linear(features, hidden)
        self.fc2 = nn.Linear(hidden, features)
        if with_token:
            # a: the token's new input column of the first layer; w, c: its output row and bias
            self.token_in = nn.Parameter(torch.randn(hidden, 1) * features**-0.5)
            self.token_out = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """`x: [..., F] -> [..., F]`, the plain mixing MLP."""
        return self.fc2(F.gelu(self.fc1(x)))

    def token(self, x: torch.Tensor, token: torch.Tensor) -> torch.Tensor:
        """`x: [..., F]` patch entries, `token: [..., 1]` -> the token's update `[..., 1]`."""
        # sigma([W_1 | a] [x; t] + b_1): the extended first layer sees the patches and the token
        hidden = F.gelu(
            F.linear(torch.cat([x, token], -1), torch.cat([self.fc1.weight, self.token_in], 1), self.fc1.bias)
        )
        # w^T hidden + c: the token's own output row
        return self.token_out(hidden)


class STDMixerBlock(nn.Module):
    """A Mixer block; optional spatial and channel distillation tokens read it without writing back."""

    def __init__(
        self, num_patches: int, dim: int, token_hidden: int, channel_hidden: int, distill: bool
    ) -> None:
        super().__init__()
        self.token_norm = nn.LayerNorm(dim)
        self.token_mixing = MixingMLP(num_patches, token_hidden, with_token=distill)
        self.channel_norm = nn.LayerNorm(dim)
        self.channel_mixing = MixingMLP(dim, channel_hidden, with_token=distill)

    def forward(
        self,
        z: torch.Tensor,
        spatial_token: torch.Tensor | None = None,
        channel_token: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
        """`z: [B, P, N]`, `spatial_token: [B, 1, N]`, `channel_token: [B, P, 1]` -> `(z', T_S', T_C')`."""
        normed = self.token_norm(z).mT
        # U = Z + MLP_S(LN(Z)^T)^T: mixing across the P patches, per channel
        u = z + self.token_mixing(normed).mT
        if spatial_token is not None:
            # T_S' = T_S + MLP_S-token(LN([Z; T_S])), column by column; LN acts per row, so LN(Z) is shared
            spatial_token = (
                spatial_token + self.token_mixing.token(normed, self.token_norm(spatial_token).mT).mT
            )
        normed = self.channel_norm(u)
        # Z' = U + MLP_C(LN(U)): mixing across the N channels, per patch
        out = u + self.channel_mixing(normed)
        if channel_token is not None:
            # T_C' = T_C + MLP_C-token([LN(U), T_C]), row by row
            channel_token = channel_token + self.channel_mixing.token(normed, channel_token)
        return out, spatial_token, channel_token


def std_distillation_loss(
    logits: torch.Tensor,
    distill_logits: torch.Tensor,
    labels: torch.Tensor,
    teacher_logits: torch.Tensor,
    alpha: float,
    tau: float,
    distillation: Literal["hard", "soft"],
) -> torch.Tensor:
    """`logits, distill_logits, teacher_logits: [B, K]`, `labels: [B]` -> the scalar STD objective."""
    teacher_logits = teacher_logits.detach()
    if distillation == "hard":
        # L_dist = CE(f_dist, argmax g)
        distill = F.cross_entropy(distill_logits, teacher_logits.argmax(1))
    else:
        # L_dist = tau^2 KL(softmax(g / tau) || softmax(f_dist / tau))
        distill = tau**2 * F.kl_div(
            F.log_softmax(distill_logits / tau, 1),
            F.log_softmax(teacher_logits / tau, 1),
            reduction="batchmean",
            log_target=True,
        )
    # L = (1 - alpha) CE(f_cls, y) + alpha L_dist
    return (1.0 - alpha) * F.cross_entropy(logits, labels) + alpha * distill


class STDMixer(nn.Module):
    """A toy MLP-Mixer with spatial and channel distillation tokens in its last block."""

    def __init__(
        self,
        image_size: int = 16,
        patch_size: int = 4,
        in_channels: int = 3,
        dim: int = 32,
        depth: int = 2,
        token_hidden: int = 16,
        channel_hidden: int = 64,
        num_classes: int = 10,
        alpha: float = 0.5,
        tau: float = 1.0,
        distillation: Literal["hard", "soft"] = "hard",
    ) -> None:
        super().__init__()
        if image_size % patch_size:
            raise ValueError(f"image_size {image_size} is not a multiple of patch_size {patch_size}")
        if distillation not in ("hard", "soft"):
            raise ValueError(f"distillation must be 'hard' or 'soft', got {distillation!r}")
        num_patches = (image_size // patch_size) ** 2
        self.alpha, self.tau, self.distillation = alpha, tau, distillation
        self.patch_embed = nn.Conv2d(in_channels, dim, patch_size, stride=patch_size)
        self.blocks = nn.ModuleList(
            STDMixerBlock(num_patches, dim, token_hidden, channel_hidden, distill=i == depth - 1)
            for i in range(depth)
        )
        self.spatial_token = nn.Parameter(0.02 * torch.randn(1, 1, dim))
        self.channel_token = nn.Parameter(0.02 * torch.randn(1, num_patches, 1))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)
        self.distill_head = nn.Linear(dim + num_patches, num_classes)

    def forward(
        self, images: torch.Tensor, teacher_logits: torch.Tensor, labels: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """`images: [B, C, S, S]`, `teacher_logits: [B, K]`, `labels: [B]` -> logits, distill_logits, loss."""
        z = self.patch_embed(images).flatten(2).mT
        batch = z.shape[0]
        *blocks, last = self.blocks
        for block in blocks:
            z, _, _ = block(z)
        z, spatial, channel = last(
            z, self.spatial_token.expand(batch, -1, -1), self.channel_token.expand(batch, -1, -1)
        )
        logits = self.head(self.norm(z).mean(1))
        # the distillation head reads the concatenated tokens [T_S, T_C^T]: [B, N + P]
        distill_logits = self.distill_head(torch.cat([spatial.flatten(1), channel.flatten(1)], 1))
        loss = std_distillation_loss(
            logits, distill_logits, labels, teacher_logits, self.alpha, self.tau, self.distillation
        )
        return {"logits": logits, "distill_logits": distill_logits, "loss": loss}
