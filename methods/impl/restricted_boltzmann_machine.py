"""Restricted Boltzmann Machine: a bipartite energy model of visible and hidden binary units, trained by contrastive divergence.

Paper: Training Products of Experts by Minimizing Contrastive Divergence -
https://www.cs.toronto.edu/~hinton/absps/tr00-004.pdf

Visible units $v$ and hidden units $h$ with no connections within a layer have the energy
$E(v, h) = -b^\\top v - c^\\top h - v^\\top W h$, so both conditionals factorize:
$p(h_j = 1 | v) = \\sigma(c_j + v^\\top W_{:j})$ and $p(v_i = 1 | h) = \\sigma(b_i + W_{i:} h)$.
Summing out $h$ gives the free energy

$$F(v) = -b^\\top v - \\sum_j \\log(1 + e^{c_j + v^\\top W_{:j}}), \\quad p(v) \\propto e^{-F(v)}$$

CD-$k$ approximates the log-likelihood gradient by starting a Gibbs chain at the data and running
$k$ alternating steps; $F(v_{data}) - F(v_k)$ with $v_k$ held fixed has exactly the CD gradient,
so it is returned as the loss.

Shapes: `forward(v: [B, n_v])` binary -> `{"loss": [], "hidden_probs": [B, n_h], "recon_probs":
[B, n_v], "free_energy": [B]}`.

Hyperparameters: `n_visible` (784 for MNIST; 64 here), `n_hidden` (500; 16), `k` (Gibbs steps, 1).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class RBM(nn.Module):
    """Binary RBM with CD-k: free-energy difference between data and the chain's end."""

    def __init__(self, n_visible: int = 64, n_hidden: int = 16, k: int = 1) -> None:
        super().__init__()
        self.k = k
        self.weight = nn.Parameter(torch.randn(n_visible, n_hidden) * 0.01)
        self.visible_bias = nn.Parameter(torch.zeros(n_visible))
        self.hidden_bias = nn.Parameter(torch.zeros(n_hidden))

    def free_energy(self, v: torch.Tensor) -> torch.Tensor:
        """F(v) = -b^T v - sum_j softplus(c_j + v^T W_:j): [B, n_v] -> [B]."""
        return -v @ self.visible_bias - F.softplus(self.hidden_bias + v @ self.weight).sum(-1)

    def forward(self, v: torch.Tensor) -> dict[str, torch.Tensor]:
        """v: [B, n_v] in {0, 1} -> CD-k loss, p(h | v), p(v | h) at the last step, F(v)."""
        v = v.float()
        hidden_probs = torch.sigmoid(self.hidden_bias + v @ self.weight)
        chain = v
        with torch.no_grad():
            for _ in range(self.k):
                h = torch.bernoulli(torch.sigmoid(self.hidden_bias + chain @ self.weight))
                recon_probs = torch.sigmoid(self.visible_bias + h @ self.weight.t())
                chain = torch.bernoulli(recon_probs)
        free_energy = self.free_energy(v)
        loss = (free_energy - self.free_energy(chain)).mean()
        return {
            "loss": loss,
            "hidden_probs": hidden_probs,
            "recon_probs": recon_probs,
            "free_energy": free_energy,
        }
