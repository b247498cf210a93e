"""MoE (Mixture of Experts): a gating network routes each input to a few expert networks and mixes their outputs.

Paper: Outrageously Large Neural Networks: The Sparsely-Gated Mixture-of-Experts Layer -
https://arxiv.org/abs/1701.06538

$n$ feed-forward experts $E_1, \\ldots, E_n$ and a gate $G$; the output is
$y = \\sum_{i=1}^{n} G(x)_i E_i(x)$, computed only for experts with a nonzero gate. Noisy top-$k$
gating keeps the $k$ largest noisy logits and softmaxes over them:

$$G(x) = \\mathrm{Softmax}(\\mathrm{KeepTopK}(H(x), k)), \\quad
H(x)_i = (x W_g)_i + \\mathcal{N}(0, 1) \\cdot \\mathrm{Softplus}((x W_{noise})_i)$$

with $\\mathrm{KeepTopK}$ setting the others to $-\\infty$. A balancing loss keeps experts equally
used: $L_{importance} = w_{importance} \\cdot CV(\\mathrm{Importance}(X))^2$, Importance being the
batch sum of gate values per expert. Noise is applied in training mode only. Demo: 4 experts of
width 64 on 16-dimensional tokens, $k$ = 2.

Shapes: `forward(x: [B, T, D])` -> `{"output": [B, T, D], "gates": [B, T, n], "balance_loss": []}`.

Hyperparameters: `dim` $D$ (16), `hidden` (expert width; 64), `num_experts` $n$ (4 to 131,072 in
the paper; 4 here), `k` (2 or 4), `importance_weight` $w_{importance}$ (0.1).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class MixtureOfExperts(nn.Module):
    """Noisy top-k gate over n two-layer ReLU experts, plus the importance balancing loss."""

    def __init__(
        self,
        dim: int = 16,
        hidden: int = 64,
        num_experts: int = 4,
        k: int = 2,
        importance_weight: float = 0.1,
    ) -> None:
        super().__init__()
        if k > num_experts:
            raise ValueError(f"k ({k}) cannot exceed num_experts ({num_experts})")
        self.k, self.importance_weight = k, importance_weight
        self.w_gate = nn.Linear(dim, num_experts, bias=False)
        self.w_noise = nn.Linear(dim, num_experts, bias=False)
        self.experts = nn.ModuleList(
            nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, dim))
            for _ in range(num_experts)
        )

    def gates(self, x: torch.Tensor) -> torch.Tensor:
        """x: [N, D] -> G(x) [N, n], exactly k nonzero entries per row summing to 1."""
        logits = self.w_gate(x)
        if self.training:
            # H(x) = x W_g + N(0, 1) softplus(x W_noise)
            logits = logits + torch.randn_like(logits) * F.softplus(self.w_noise(x))
        top = logits.topk(self.k, dim=-1)
        kept = torch.full_like(logits, float("-inf")).scatter(-1, top.indices, top.values)
        return kept.softmax(dim=-1)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, T, D] -> y = sum_i G(x)_i E_i(x), the gates and the balancing loss."""
        flat = x.reshape(-1, x.shape[-1])
        gates = self.gates(flat)
        output = torch.zeros_like(flat)
        for i, expert in enumerate(self.experts):
            routed = gates[:, i] > 0
            if routed.any():
                # only the inputs routed to expert i are computed by it
                output[routed] += gates[routed, i, None] * expert(flat[routed])
        importance = gates.sum(0)
        # CV(Importance)^2 = (std / mean)^2
        balance = self.importance_weight * importance.var(unbiased=False) / importance.mean().pow(2)
        return {"output": output.view_as(x), "gates": gates.view(*x.shape[:-1], -1), "balance_loss": balance}
