"""TTUR: the Two Time-scale Update Rule, separate learning rates for a GAN's discriminator and generator.

Paper: GANs Trained by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium (Heusel
et al., 2017) - https://arxiv.org/abs/1706.08500

TTUR trains the discriminator and the generator with their own learning rates, $b(n)$ and
$a(n)$, with the generator on the slower time scale ($a(n) = o(b(n))$ in the stochastic
approximation proof); in practice Adam with, for example, $\\eta_D = 3 \\cdot 10^{-4}$ and
$\\eta_G = 10^{-4}$, and under these conditions GAN training converges to a local Nash
equilibrium. The demo takes one discriminator step and one generator step of the standard
non-saturating GAN on a batch, each with its own SGD learning rate, on small MLPs, and reports
the losses and the size of each network's update. The steps are taken out of place, so the
module keeps its weights and stays differentiable.

Shapes: `real: [B, D]`, `noise: [B, Z]` -> `d_loss: []`, `g_loss: []`, `d_update: []`,
`g_update: []`, `g_loss_after: []` (the generator's loss after both steps).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.func import functional_call


class TTUR(nn.Module):
    """One discriminator and one generator SGD step, each at its own learning rate."""

    def __init__(
        self,
        data_dim: int = 2,
        noise_dim: int = 4,
        hidden: int = 32,
        lr_discriminator: float = 4e-4,
        lr_generator: float = 1e-4,
    ):
        super().__init__()
        self.generator = nn.Sequential(nn.Linear(noise_dim, hidden), nn.ReLU(), nn.Linear(hidden, data_dim))
        self.discriminator = nn.Sequential(
            nn.Linear(data_dim, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, 1)
        )
        self.lr_d, self.lr_g = lr_discriminator, lr_generator

    def forward(self, real: torch.Tensor, noise: torch.Tensor) -> dict[str, torch.Tensor]:
        """real: [B, D], noise: [B, Z] -> d_loss, g_loss, d_update, g_update, g_loss_after."""
        bce = nn.functional.binary_cross_entropy_with_logits
        d_params, g_params = (
            dict(self.discriminator.named_parameters()),
            dict(self.generator.named_parameters()),
        )
        with torch.enable_grad():
            fake = self.generator(noise)
            d_real, d_fake = self.discriminator(real), self.discriminator(fake.detach())
            d_loss = bce(d_real, torch.ones_like(d_real)) + bce(d_fake, torch.zeros_like(d_fake))
            d_grads = torch.autograd.grad(d_loss, list(d_params.values()))
            # θ_D ← θ_D − b ∇ (fast time scale)
            d_new = {n: p - self.lr_d * gr for (n, p), gr in zip(d_params.items(), d_grads, strict=True)}
            scores = functional_call(self.discriminator, d_new, (fake,))
            g_loss = bce(scores, torch.ones_like(scores))
            g_grads = torch.autograd.grad(g_loss, list(g_params.values()))
        # θ_G ← θ_G − a ∇ (slow time scale)
        g_new = {n: p - self.lr_g * gr for (n, p), gr in zip(g_params.items(), g_grads, strict=True)}
        after = functional_call(
            self.discriminator, d_new, (functional_call(self.generator, g_new, (noise,)),)
        )
        return {
            "d_loss": d_loss.detach(),
            "g_loss": g_loss.detach(),
            "d_update": self.lr_d * torch.cat([gr.flatten() for gr in d_grads]).norm(),
            "g_update": self.lr_g * torch.cat([gr.flatten() for gr in g_grads]).norm(),
            "g_loss_after": bce(after, torch.ones_like(after)),
        }
