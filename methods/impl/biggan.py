"""BigGAN: a class-conditional GAN generator scaled up, with shared class embeddings, hierarchical latents and self-attention.

Paper: Large Scale GAN Training for High Fidelity Natural Image Synthesis - https://arxiv.org/abs/1809.11096

The generator is a stack of residual up-sampling blocks (SA-GAN's architecture). Each block is
BN-ReLU-upsample-conv3x3-BN-ReLU-conv3x3 with an upsample-conv1x1 skip, and its batch norms are
*conditional*: gains and biases are linear functions of the class. BigGAN's changes: a shared class
embedding feeds every conditional BN (instead of per-layer class tables); the latent $z$ is split
into one chunk per resolution ("hierarchical latent spaces"), each chunk concatenated with the
shared embedding to condition its block; a SAGAN self-attention module sits at one resolution;
spectral normalization is applied to every layer of $G$ as well as $D$. The truncation trick
samples $z$ from a normal truncated at a threshold (values beyond it are resampled), trading variety
for fidelity. Orthogonal regularization and the discriminator are outside this generator.
Follows the authors' `BigGAN.py` (BigGAN-PyTorch); demo: 32x32 images, widths 32, 3 blocks.

$$\\mathrm{CBN}(x, c) = (1 + W_\\gamma c) \\odot \\frac{x - \\mu}{\\sigma} + W_\\beta c, \\quad
c = [\\mathrm{shared}(y), z_i]$$

Shapes: `forward(z: [B, Z], labels: [B])` -> `image: [B, 3, 4 \\cdot 2^n, 4 \\cdot 2^n]`.

Hyperparameters: `z_dim` (120 at 128x128; 32 here, split into n + 1 chunks), `num_classes`
(1,000; 10), `shared_dim` (128; 16), `channels` (96 ch multiplier; 32), `blocks` $n$ (5 at
128x128; 3), `attention_block` (the block after which self-attention runs; 1 = at 16x16 here),
`truncation` (0 disables the trick; 0.5 is a typical threshold).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

from methods.impl.sagan_self_attention_module import SAGANSelfAttention


def truncate(z: torch.Tensor, threshold: float, rounds: int = 50) -> torch.Tensor:
    """The truncation trick: entries with |z| > threshold are redrawn from N(0, 1) until inside."""
    for _ in range(rounds):
        outside = z.abs() > threshold
        if not outside.any():
            break
        z = torch.where(outside, torch.randn_like(z), z)
    return z.clamp(-threshold, threshold)


class ConditionalBatchNorm(nn.Module):
    """BatchNorm without affine, then gain 1 + W_gamma c and bias W_beta c from the condition c."""

    def __init__(self, channels: int, condition_dim: int) -> None:
        super().__init__()
        self.norm = nn.BatchNorm2d(channels, affine=False)
        self.gain = spectral_norm(nn.Linear(condition_dim, channels, bias=False))
        self.bias = spectral_norm(nn.Linear(condition_dim, channels, bias=False))

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        return (1 + self.gain(c))[:, :, None, None] * self.norm(x) + self.bias(c)[:, :, None, None]


class GBlock(nn.Module):
    """CBN-ReLU-up-conv3x3-CBN-ReLU-conv3x3, plus an upsampled 1x1-conv skip."""

    def __init__(self, in_channels: int, out_channels: int, condition_dim: int) -> None:
        super().__init__()
        self.bn1 = ConditionalBatchNorm(in_channels, condition_dim)
        self.conv1 = spectral_norm(nn.Conv2d(in_channels, out_channels, 3, padding=1))
        self.bn2 = ConditionalBatchNorm(out_channels, condition_dim)
        self.conv2 = spectral_norm(nn.Conv2d(out_channels, out_channels, 3, padding=1))
        self.skip = spectral_norm(nn.Conv2d(in_channels, out_channels, 1))

    def forward(self, x: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """x: [B, C_in, H, W], c: [B, cond] -> [B, C_out, 2H, 2W]."""
        h = F.interpolate(F.relu(self.bn1(x, c)), scale_factor=2.0)
        h = self.conv2(F.relu(self.bn2(self.conv1(h), c)))
        return h + self.skip(F.interpolate(x, scale_factor=2.0))


class BigGAN(nn.Module):
    """Shared class embedding, z split across blocks, residual CBN up-blocks, self-attention, tanh output."""

    def __init__(
        self,
        z_dim: int = 32,
        num_classes: int = 10,
        shared_dim: int = 16,
        channels: int = 32,
        blocks: int = 3,
        attention_block: int = 1,
        truncation: float = 0.0,
    ) -> None:
        super().__init__()
        if z_dim % (blocks + 1):
            raise ValueError(f"z_dim {z_dim} must split evenly into blocks + 1 = {blocks + 1} chunks")
        self.chunk, self.channels, self.attention_block, self.truncation = (
            z_dim // (blocks + 1),
            channels,
            attention_block,
            truncation,
        )
        self.shared = nn.Embedding(num_classes, shared_dim)
        self.linear = spectral_norm(nn.Linear(self.chunk, 4 * 4 * channels))
        self.blocks = nn.ModuleList(
            GBlock(channels, channels, shared_dim + self.chunk) for _ in range(blocks)
        )
        self.attention = SAGANSelfAttention(channels)
        self.output = nn.Sequential(
            nn.BatchNorm2d(channels),
            nn.ReLU(),
            spectral_norm(nn.Conv2d(channels, 3, 3, padding=1)),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """z: [B, Z], labels: [B] -> images [B, 3, 4 * 2^n, 4 * 2^n] in (-1, 1)."""
        if self.truncation > 0:
            z = truncate(z, self.truncation)
        chunks = z.split(self.chunk, dim=1)
        shared = self.shared(labels)
        h = self.linear(chunks[0]).view(z.shape[0], self.channels, 4, 4)
        for i, (block, z_i) in enumerate(zip(self.blocks, chunks[1:], strict=True)):
            # c = [shared(y), z_i]: the block's condition
            h = block(h, torch.cat((shared, z_i), dim=1))
            if i == self.attention_block:
                h = self.attention(h)["output"]
        return self.output(h)
