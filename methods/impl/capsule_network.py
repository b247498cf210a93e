"""Capsule Network (CapsNet) with dynamic routing between capsules.

Paper: Dynamic Routing Between Capsules - https://arxiv.org/abs/1710.09829

A capsule is a group of neurons whose activity vector stands for one entity: its length is
the probability that the entity is present and its orientation encodes the entity's pose.
CapsNet is a ReLU convolution, a PrimaryCapsules layer (a convolution whose channels are
cut into $d_p$-dimensional capsules) and a DigitCaps layer with one $d_o$-dimensional
capsule per class. Lower capsule $i$ predicts each parent $j$ as $\\hat u_{j|i} = W_{ij} u_i$;
routing-by-agreement then runs $r$ iterations, starting from logits $b_{ij} = 0$:

$$c_{ij} = \\frac{\\exp b_{ij}}{\\sum_k \\exp b_{ik}}, \\quad s_j = \\sum_i c_{ij} \\hat u_{j|i}, \\quad
v_j = \\frac{\\lVert s_j \\rVert^2}{1 + \\lVert s_j \\rVert^2} \\frac{s_j}{\\lVert s_j \\rVert}, \\quad
b_{ij} \\leftarrow b_{ij} + \\hat u_{j|i} \\cdot v_j .$$

The "squash" non-linearity keeps $\\lVert v \\rVert < 1$. Classes are scored by
$\\lVert v_k \\rVert$ and trained with the margin loss
$L_k = T_k \\max(0, m^+ - \\lVert v_k \\rVert)^2 + \\lambda (1 - T_k) \\max(0, \\lVert v_k \\rVert - m^-)^2$
($m^+ = 0.9$, $m^- = 0.1$, $\\lambda = 0.5$), plus $0.0005 \\times$ the sum of squared errors of a
3-layer decoder that reconstructs the image from the true class's capsule (the others
masked to zero; the longest capsule when no label is given).

This is the paper's architecture at toy width: 9x9 convolutions, stride 2 in
PrimaryCapsules, 8-D primary and 16-D class capsules, 3 routing iterations; the channel
counts (256 and 32x8 in the paper) and the decoder widths (512, 1024) are hyperparameters.

Shapes: `forward(images: [B, C, S, S] in [0, 1], labels: [B] | None) -> {"class_capsules":
[B, K, d_o], "lengths": [B, K], "reconstruction": [B, C, S, S], "loss": []}` (the loss only
when labels are given).

Hyperparameters: `in_channels` ($C$), `image_size` ($S$, at least 17), `conv_channels` (256 in
the paper), `primary_types` (32 capsule types in the paper), `primary_dim` ($d_p$ = 8),
`num_classes` ($K$), `class_dim` ($d_o$ = 16), `routing_iterations` ($r$ = 3),
`decoder_width` (first decoder layer, 512 in the paper; the second is twice as wide).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

M_PLUS, M_MINUS, ABSENT_WEIGHT, RECONSTRUCTION_WEIGHT = 0.9, 0.1, 0.5, 0.0005


def squash(s: torch.Tensor, dim: int = -1, eps: float = 1e-8) -> torch.Tensor:
    """Shrinks vectors along `dim` to length $\\lVert s \\rVert^2 / (1 + \\lVert s \\rVert^2) < 1$."""
    squared_norm = (s * s).sum(dim, keepdim=True)
    # v = ||s||^2 / (1 + ||s||^2) * s / ||s||  (eps keeps the gradient finite at s = 0)
    return squared_norm / (1.0 + squared_norm) * s / torch.sqrt(squared_norm + eps)


class PrimaryCapsules(nn.Module):
    """A convolution whose output channels are grouped into `types` capsules of `capsule_dim` each."""

    def __init__(self, in_channels: int, types: int, capsule_dim: int, kernel_size: int = 9) -> None:
        super().__init__()
        self.types, self.capsule_dim = types, capsule_dim
        self.conv = nn.Conv2d(in_channels, types * capsule_dim, kernel_size, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """`x: [B, C, H, W] -> u: [B, types * H' * W', capsule_dim]`, squashed."""
        out = self.conv(x)
        batch, _, height, width = out.shape
        capsules = out.view(batch, self.types, self.capsule_dim, height, width)
        # one capsule per (type, position): [B, types, H', W', d_p] -> [B, N_in, d_p]
        capsules = capsules.permute(0, 1, 3, 4, 2).reshape(batch, -1, self.capsule_dim)
        return squash(capsules)


class RoutingCapsules(nn.Module):
    """DigitCaps: predictions $\\hat u_{j|i} = W_{ij} u_i$ combined by routing-by-agreement."""

    def __init__(
        self, in_capsules: int, in_dim: int, out_capsules: int, out_dim: int, iterations: int
    ) -> None:
        super().__init__()
        self.iterations = iterations
        self.weight = nn.Parameter(0.01 * torch.randn(in_capsules, out_capsules, out_dim, in_dim))

    def forward(self, u: torch.Tensor) -> torch.Tensor:
        """`u: [B, N_in, d_in] -> v: [B, N_out, d_out]`."""
        # u_hat_{j|i} = W_ij u_i: [B, N_in, N_out, d_out]
        u_hat = torch.einsum("ijdk,bik->bijd", self.weight, u)
        logits = u.new_zeros(u.shape[0], u_hat.shape[1], u_hat.shape[2])
        for iteration in range(self.iterations):
            # c_ij = softmax_j(b_ij): each lower capsule splits its vote over the parents
            coupling = torch.softmax(logits, dim=2)
            # s_j = sum_i c_ij u_hat_{j|i}
            s = torch.einsum("bij,bijd->bjd", coupling, u_hat)
            v = squash(s)
            if iteration < self.iterations - 1:
                # b_ij <- b_ij + u_hat_{j|i} . v_j (agreement)
                logits = logits + torch.einsum("bijd,bjd->bij", u_hat, v)
        return v


class CapsuleDecoder(nn.Module):
    """Three fully connected layers that reconstruct the image from the masked class capsules."""

    def __init__(
        self, num_classes: int, class_dim: int, width: int, image_shape: tuple[int, int, int]
    ) -> None:
        super().__init__()
        self.image_shape = image_shape
        self.net = nn.Sequential(
            nn.Linear(num_classes * class_dim, width),
            nn.ReLU(),
            nn.Linear(width, 2 * width),
            nn.ReLU(),
            nn.Linear(2 * width, image_shape[0] * image_shape[1] * image_shape[2]),
            nn.Sigmoid(),
        )

    def forward(self, v: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """`v: [B, K, d_o]`, `target: [B]` class whose capsule is kept -> images `[B, C, S, S]`."""
        mask = F.one_hot(target, v.shape[1]).to(v.dtype)
        return self.net((v * mask.unsqueeze(-1)).flatten(1)).view(-1, *self.image_shape)


def margin_loss(lengths: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """`lengths: [B, K]` capsule lengths, `labels: [B]` -> $\\frac{1}{B} \\sum_b \\sum_k L_k$."""
    present = F.one_hot(labels, lengths.shape[1]).to(lengths.dtype)
    # L_k = T_k max(0, m+ - ||v_k||)^2 + lambda (1 - T_k) max(0, ||v_k|| - m-)^2
    per_class = (
        present * F.relu(M_PLUS - lengths) ** 2
        + ABSENT_WEIGHT * (1.0 - present) * F.relu(lengths - M_MINUS) ** 2
    )
    return per_class.sum(1).mean()


class CapsuleNetwork(nn.Module):
    """Conv -> PrimaryCapsules -> DigitCaps (dynamic routing) -> lengths, decoder and loss."""

    def __init__(
        self,
        in_channels: int = 1,
        image_size: int = 28,
        conv_channels: int = 32,
        primary_types: int = 8,
        primary_dim: int = 8,
        num_classes: int = 10,
        class_dim: int = 16,
        routing_iterations: int = 3,
        decoder_width: int = 128,
    ) -> None:
        super().__init__()
        grid = (image_size - 8 - 9) // 2 + 1
        if grid < 1:
            raise ValueError(f"image_size must be at least 17 for two 9x9 convolutions, got {image_size}")
        self.conv = nn.Conv2d(in_channels, conv_channels, 9)
        self.primary = PrimaryCapsules(conv_channels, primary_types, primary_dim)
        self.digits = RoutingCapsules(
            primary_types * grid * grid, primary_dim, num_classes, class_dim, routing_iterations
        )
        self.decoder = CapsuleDecoder(
            num_classes, class_dim, decoder_width, (in_channels, image_size, image_size)
        )

    def forward(self, images: torch.Tensor, labels: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """`images: [B, C, S, S]` in [0, 1], `labels: [B]` (optional) -> capsules, lengths, image, loss."""
        v = self.digits(self.primary(F.relu(self.conv(images))))
        lengths = v.norm(dim=-1)
        # the decoder reads the true class's capsule in training, the longest one otherwise
        reconstruction = self.decoder(v, labels if labels is not None else lengths.argmax(1))
        out = {"class_capsules": v, "lengths": lengths, "reconstruction": reconstruction}
        if labels is not None:
            squared_error = ((reconstruction - images) ** 2).flatten(1).sum(1).mean()
            out["loss"] = margin_loss(lengths, labels) + RECONSTRUCTION_WEIGHT * squared_error
        return out
