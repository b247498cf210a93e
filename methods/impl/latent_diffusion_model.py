"""Latent Diffusion Model: diffusion in the latent space of a pretrained autoencoder, conditioned through cross-attention.

Paper: High-Resolution Image Synthesis with Latent Diffusion Models - https://arxiv.org/abs/2112.10752

Two stages. A perceptual-compression autoencoder ($\\mathcal{E}$, $\\mathcal{D}$) maps an image
$x \\in \\mathbb{R}^{H \\times W \\times 3}$ to a latent $z = \\mathcal{E}(x)$ downsampled by
$f = H / h$ (4 to 16), trained once and then frozen. A diffusion model then runs on $z$ instead of
pixels, which is much cheaper at equal quality; conditioning $y$ (text, classes, layouts) enters
through a domain-specific encoder $\\tau_\\theta(y)$ and cross-attention layers in the denoiser,
$\\mathrm{Attention}(Q, K, V)$ with $Q = W_Q \\varphi(z_t)$, $K = W_K \\tau_\\theta(y)$,
$V = W_V \\tau_\\theta(y)$:

$$L_{LDM} = \\mathbb{E}_{\\mathcal{E}(x), y, \\epsilon, t} \\| \\epsilon - \\epsilon_\\theta(z_t, t, \\tau_\\theta(y)) \\|^2$$

Demo: a two-layer stride-2 encoder ($f$ = 4) and its mirror decoder, frozen (`requires_grad`
off, as a trained first stage would be), a class-embedding $\\tau_\\theta$, and the DDPM denoiser
of `methods.impl.diffusion` with one cross-attention layer over the conditioning tokens.

Shapes: `forward(x: [B, 3, H, W], labels: [B])` -> `{"loss": [], "z": [B, c, H/4, W/4],
"eps_pred": [B, c, H/4, W/4], "recon": [B, 3, H, W]}`.

Hyperparameters: `latent_channels` $c$ (3 or 4), `hidden` (denoiser width; 16), `num_classes`
(conditioning vocabulary; 10), `context_dim` ($\\tau_\\theta$ width; 16), `timesteps` $T$ (1,000).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.diffusion import Denoiser, NoiseSchedule


class CrossAttention(nn.Module):
    """Q from the latent features, K and V from the conditioning tokens; residual."""

    def __init__(self, channels: int, context_dim: int, heads: int = 2) -> None:
        super().__init__()
        self.norm = nn.GroupNorm(4, channels)
        self.attention = nn.MultiheadAttention(
            channels, heads, kdim=context_dim, vdim=context_dim, batch_first=True
        )

    def forward(self, h: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        """h: [B, C, H, W], context: [B, M, d] -> [B, C, H, W]."""
        b, c, height, width = h.shape
        q = self.norm(h).flatten(2).transpose(1, 2)
        out = self.attention(q, context, context, need_weights=False)[0]
        return h + out.transpose(1, 2).view(b, c, height, width)


class LatentDiffusionModel(nn.Module):
    """Frozen autoencoder, conditional latent denoiser with cross-attention, L_LDM."""

    def __init__(
        self,
        latent_channels: int = 4,
        hidden: int = 16,
        num_classes: int = 10,
        context_dim: int = 16,
        timesteps: int = 1000,
    ) -> None:
        super().__init__()
        self.timesteps = timesteps
        self.encoder = nn.Sequential(
            nn.Conv2d(3, hidden, 3, 2, 1), nn.SiLU(), nn.Conv2d(hidden, latent_channels, 3, 2, 1)
        )
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(latent_channels, hidden, 4, 2, 1),
            nn.SiLU(),
            nn.ConvTranspose2d(hidden, 3, 4, 2, 1),
        )
        # the first stage is trained beforehand and frozen while the diffusion model learns
        for parameter in (*self.encoder.parameters(), *self.decoder.parameters()):
            parameter.requires_grad_(False)
        self.schedule = NoiseSchedule(timesteps, 1e-4, 0.02)
        self.tau = nn.Embedding(num_classes, context_dim)
        self.denoiser = Denoiser(latent_channels, hidden)
        self.cross = CrossAttention(hidden, context_dim)

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, 3, H, W], labels: [B] conditioning classes -> L_LDM, z, eps_pred, D(z)."""
        with torch.no_grad():
            z = self.encoder(x)
            recon = self.decoder(z)
        t = torch.randint(0, self.timesteps, (x.shape[0],), device=x.device)
        noise = torch.randn_like(z)
        z_t = self.schedule.q_sample(z, t, noise)
        context = self.tau(labels)[:, None]
        # eps_theta(z_t, t, tau(y)): cross-attention to the conditioning after the first block
        eps_pred = self.denoiser(z_t, t, lambda h: self.cross(h, context))
        return {"loss": F.mse_loss(eps_pred, noise), "z": z, "eps_pred": eps_pred, "recon": recon}
