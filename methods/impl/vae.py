"""VAE (Variational Autoencoder): an encoder infers q(z|x), a decoder models p(x|z), trained on the evidence lower bound.

Paper: Auto-Encoding Variational Bayes - https://arxiv.org/abs/1312.6114

The recognition model $q_\\phi(z|x) = \\mathcal{N}(\\mu, \\mathrm{diag}(\\sigma^2))$ is an MLP giving
$\\mu$ and $\\log \\sigma^2$; the reparameterization $z = \\mu + \\sigma \\odot \\epsilon$,
$\\epsilon \\sim \\mathcal{N}(0, I)$, makes a one-sample Monte Carlo estimate of the bound
differentiable in $\\phi$. With prior $p(z) = \\mathcal{N}(0, I)$ the KL term is analytic
(Appendix B), and the bound per datapoint is

$$\\mathcal{L}(\\theta, \\phi; x) = \\tfrac12 \\sum_{j=1}^{J} (1 + \\log \\sigma_j^2 - \\mu_j^2 - \\sigma_j^2)
+ \\log p_\\theta(x | z)$$

with a Bernoulli MLP decoder for binary data (the paper's MNIST setup, tanh hidden units).

Shapes: `forward(x: [B, D])` with `x` in [0, 1] -> `{"recon": [B, D], "mu": [B, J], "logvar":
[B, J], "loss": [], "kl": [], "recon_loss": []}`, `loss` = $-\\mathcal{L}$ averaged over the batch.

Hyperparameters: `input_dim` $D$ (784; 64 here), `hidden_dim` (500; 32), `latent_dim` $J$ (2 to
200; 4 here).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class VAE(nn.Module):
    """Gaussian MLP encoder, reparameterized sample, Bernoulli MLP decoder, negative ELBO."""

    def __init__(self, input_dim: int = 64, hidden_dim: int = 32, latent_dim: int = 4) -> None:
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(input_dim, hidden_dim), nn.Tanh(), nn.Linear(hidden_dim, 2 * latent_dim)
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent_dim, hidden_dim), nn.Tanh(), nn.Linear(hidden_dim, input_dim)
        )

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, D] in [0, 1] -> recon, mu, logvar and the bound's terms."""
        mu, logvar = self.encoder(x).chunk(2, dim=-1)
        # z = mu + sigma * eps
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = self.decoder(z)
        recon_loss = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
        # -D_KL = 1/2 sum (1 + log sigma^2 - mu^2 - sigma^2)
        kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum() / x.shape[0]
        return {
            "recon": torch.sigmoid(logits),
            "mu": mu,
            "logvar": logvar,
            "loss": recon_loss + kl,
            "kl": kl,
            "recon_loss": recon_loss,
        }
