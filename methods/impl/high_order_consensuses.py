"""HOC: High-Order Consensuses, estimating the noise transition matrix from the clusterability of features.

Paper: Clusterability as an Alternative to Anchor Points When Learning with Noisy Labels (Zhu,
Song & Liu, 2021) - https://arxiv.org/abs/2102.05291

With clean labels $y$, noisy labels $\\tilde y$ and transition matrix $T_{ij} = P(\\tilde y = j \\mid y = i)$,
if each example and its two nearest neighbours share the clean label (2-NN clusterability),
the consensuses of their noisy labels determine $T$ and the clean prior $p$:
$$e^{(1)}_j = \\sum_i p_i T_{ij}, \\quad e^{(2)}_{jl} = \\sum_i p_i T_{ij} T_{il}, \\quad e^{(3)}_{jlm} = \\sum_i p_i T_{ij} T_{il} T_{im}.$$
HOC counts the empirical $\\hat e^{(1)}, \\hat e^{(2)}, \\hat e^{(3)}$ over the (example, 1st
neighbour, 2nd neighbour) triples and solves for $(T, p)$ by minimizing the squared gaps, with
$T$'s rows and $p$ parametrized by softmaxes and $T$ started near the identity; here by
`steps` steps of gradient descent (the authors' code uses Adam).

Shapes: `features: [N, D]`, `noisy_labels: [N]` in [0, C) -> `transition: [C, C]`, `prior: [C]`,
`consensus_error: [steps]`.
"""

from __future__ import annotations

import torch
from torch import nn


class HighOrderConsensuses(nn.Module):
    """Fits (T, p) to first-, second- and third-order noisy-label consensuses of 2-NN triples."""

    def __init__(self, num_classes: int = 3, steps: int = 100, lr: float = 5.0):
        super().__init__()
        self.num_classes, self.steps, self.lr = num_classes, steps, lr

    def forward(self, features: torch.Tensor, noisy_labels: torch.Tensor) -> dict[str, torch.Tensor]:
        """features: [N, D], noisy_labels: [N] -> transition [C, C], prior [C], consensus_error [steps]."""
        c = self.num_classes
        distances = torch.cdist(features, features)
        distances.fill_diagonal_(float("inf"))
        neighbours = distances.topk(2, largest=False).indices
        one_hot = nn.functional.one_hot(noisy_labels, c).to(features.dtype)
        y0, y1, y2 = one_hot, one_hot[neighbours[:, 0]], one_hot[neighbours[:, 1]]
        n = features.shape[0]
        e1 = y0.mean(dim=0)
        e2 = torch.einsum("nj,nl->jl", y0, y1) / n
        e3 = torch.einsum("nj,nl,nm->jlm", y0, y1, y2) / n
        t_logits = (4.0 * torch.eye(c, dtype=features.dtype, device=features.device)).requires_grad_(True)
        p_logits = torch.zeros(c, dtype=features.dtype, device=features.device, requires_grad=True)
        errors = []
        with torch.enable_grad():
            for _ in range(self.steps):
                t, p = t_logits.softmax(dim=1), p_logits.softmax(dim=0)
                # e¹ = pᵀT, e² = Σ_i p_i T_i ⊗ T_i, e³ = Σ_i p_i T_i ⊗ T_i ⊗ T_i
                pt = p[:, None] * t
                pt2 = pt[:, :, None] * t[:, None, :]
                pt3 = pt2[:, :, :, None] * t[:, None, None, :]
                error = (
                    (pt.sum(dim=0) - e1).square().sum()
                    + (pt2.sum(dim=0) - e2).square().sum()
                    + (pt3.sum(dim=0) - e3).square().sum()
                )
                grad_t, grad_p = torch.autograd.grad(error, (t_logits, p_logits))
                t_logits = (t_logits - self.lr * grad_t).detach().requires_grad_(True)
                p_logits = (p_logits - self.lr * grad_p).detach().requires_grad_(True)
                errors.append(error.detach())
        return {
            "transition": t_logits.detach().softmax(dim=1),
            "prior": p_logits.detach().softmax(dim=0),
            "consensus_error": torch.stack(errors),
        }
