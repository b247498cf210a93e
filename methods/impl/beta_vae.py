"""Beta-VAE (β-VAE).

Paper: beta-VAE: Learning Basic Visual Concepts with a Constrained Variational
Framework - https://openreview.net/forum?id=Sy2fzU9gl

A variational autoencoder whose KL term is weighted by a multiplier $\\beta > 1$.
Maximising the likelihood of the data under the constraint
$D_{KL}(q_\\phi(z|x) \\| p(z)) < \\epsilon$ gives, through the KKT conditions, the
Lagrangian below; a larger $\\beta$ limits the capacity of the latent channel and,
because the prior $p(z) = \\mathcal{N}(0, I)$ is isotropic, pushes the posterior
towards independent (disentangled) latent factors. $\\beta = 1$ is the plain VAE.

$$\\mathcal{F}(\\theta, \\phi, \\beta; x, z) = \\mathbb{E}_{q_\\phi(z|x)}[\\log p_\\theta(x|z)]
  - \\beta \\, D_{KL}(q_\\phi(z|x) \\| p(z))$$

The encoder is the paper's convolutional one (4x4 convolutions of stride 2, ReLU, a
fully connected layer, then a linear layer giving $\\mu$ and $\\log \\sigma^2$), the
decoder its transpose, and $p_\\theta(x|z)$ is Bernoulli as for the paper's binary
dSprites images, so the reconstruction term is a binary cross-entropy.

Shapes: `forward(x: [B, C, S, S]) -> recon [B, C, S, S], mu [B, D], logvar [B, D],
loss [], recon_loss [], kl []` with `x` in [0, 1].

Hyperparameters: `beta` is $\\beta$, `latent_dim` is the size D of $z$ (10 for dSprites
in the paper), `channels` the convolution width (32/64), `n_layers` the number of
stride-2 convolutions (4 for 64x64 images), `hidden_dim` the fully connected width (256).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class Encoder(nn.Module):
    """$q_\\phi(z|x)$: stride-2 convolutions, a hidden layer, and the Gaussian's parameters."""

    def __init__(
        self,
        in_channels: int,
        image_size: int,
        channels: int,
        n_layers: int,
        hidden_dim: int,
        latent_dim: int,
    ) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        for i in range(n_layers):
            layers += [nn.Conv2d(in_channels if i == 0 else channels, channels, 4, 2, 1), nn.ReLU()]
        self.convs = nn.Sequential(*layers)
        side = image_size // 2**n_layers
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(channels * side * side, hidden_dim), nn.ReLU())
        self.to_params = nn.Linear(hidden_dim, 2 * latent_dim)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: [B, C, S, S] -> (mu, logvar), each [B, D]."""
        mu, logvar = self.to_params(self.fc(self.convs(x))).chunk(2, dim=-1)
        return mu, logvar


class Decoder(nn.Module):
    """$p_\\theta(x|z)$: the encoder's transpose, ending in Bernoulli logits."""

    def __init__(
        self,
        out_channels: int,
        image_size: int,
        channels: int,
        n_layers: int,
        hidden_dim: int,
        latent_dim: int,
    ) -> None:
        super().__init__()
        self.channels = channels
        self.side = image_size // 2**n_layers
        self.fc = nn.Sequential(
            nn.Linear(latent_dim, hidden_dim),
            nn.ReLU(),
            nn.Linear(hidden_dim, channels * self.side * self.side),
            nn.ReLU(),
        )
        layers: list[nn.Module] = []
        for i in range(n_layers):
            last = i == n_layers - 1
            layers.append(nn.ConvTranspose2d(channels, out_channels if last else channels, 4, 2, 1))
            if not last:
                layers.append(nn.ReLU())
        self.deconvs = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """z: [B, D] -> Bernoulli logits [B, C, S, S]."""
        h = self.fc(z).view(z.shape[0], self.channels, self.side, self.side)
        return self.deconvs(h)


class BetaVAE(nn.Module):
    """A VAE trained with the β-weighted evidence lower bound."""

    def __init__(
        self,
        in_channels: int = 1,
        image_size: int = 16,
        channels: int = 16,
        n_layers: int = 2,
        hidden_dim: int = 32,
        latent_dim: int = 4,
        beta: float = 4.0,
    ) -> None:
        super().__init__()
        if image_size % 2**n_layers:
            raise ValueError(f"image_size {image_size} is not divisible by 2**n_layers = {2**n_layers}")
        self.beta = beta
        self.encoder = Encoder(in_channels, image_size, channels, n_layers, hidden_dim, latent_dim)
        self.decoder = Decoder(in_channels, image_size, channels, n_layers, hidden_dim, latent_dim)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, S, S] in [0, 1] -> recon [B, C, S, S], mu/logvar [B, D] and the scalar losses.

        The losses are summed over pixels and latent dimensions and averaged over the batch.
        """
        mu, logvar = self.encoder(x)
        # z = mu + sigma * eps, eps ~ N(0, I)  (reparameterisation)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = self.decoder(z)
        # -E_q[log p(x|z)] for a Bernoulli decoder, one sample of z
        recon_loss = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
        # KL(N(mu, sigma^2) || N(0, I)) = 1/2 sum_j (mu_j^2 + sigma_j^2 - log sigma_j^2 - 1)
        kl = 0.5 * (mu.pow(2) + logvar.exp() - logvar - 1).sum() / x.shape[0]
        # -F = recon + beta * KL
        loss = recon_loss + self.beta * kl
        return {
            "recon": torch.sigmoid(logits),
            "mu": mu,
            "logvar": logvar,
            "loss": loss,
            "recon_loss": recon_loss,
            "kl": kl,
        }
