"""Extreme Value Machine (EVM).

Paper: The Extreme Value Machine (Rudd, Jain, Scheirer, Boult, 2018; arXiv 2015) -
https://arxiv.org/abs/1506.06112

An open-set classifier grounded in extreme value theory. Every training point $x_i$ of
class $C_l$ gets a radial probability of inclusion from the margins to the *other* classes:
the half distances $m_{ij} = \\lVert x_i - x_j \\rVert / 2$ to the points $x_j \\notin C_l$,
of which the $\\tau$ smallest are fitted with a Weibull distribution $(\\kappa_i, \\lambda_i)$.

$$\\Psi(x_i, x'; \\kappa_i, \\lambda_i) = \\exp\\left(-\\left(\\frac{\\lVert x_i - x' \\rVert}
{\\lambda_i}\\right)^{\\kappa_i}\\right)$$

Model reduction keeps only the extreme vectors: within each class a greedy set cover picks,
again and again, the point whose $\\Psi \\ge \\varsigma$ covers the most still-uncovered
class points. A query's class probability is the largest $\\Psi$ over that class's extreme
vectors, $\\hat P(C_l \\mid x') = \\max_{i \\in C_l} \\Psi(x_i, x')$; all of them near zero
means "unknown".

The paper fits the Weibull with libMR. Here it is the maximum-likelihood fit in plain
torch: with $y = x / \\max x$, Newton's method solves the shape equation
$\\sum y^\\kappa \\ln y / \\sum y^\\kappa - 1/\\kappa - \\overline{\\ln y} = 0$ (started from the
moment estimate $\\kappa_0 = \\pi / (\\sqrt 6 \\, \\mathrm{std}(\\ln y))$), then
$\\lambda = \\max x \\cdot (\\overline{y^\\kappa})^{1/\\kappa}$.

Shapes: `forward(train_x: [N, D], train_labels: [N], query_x: [Q, D]) -> [Q, n_classes]`
(it fits, then predicts). Hyperparameters: `n_classes`, `features` is $D$, `tail_size` is
$\\tau$, `coverage_threshold` is $\\varsigma$.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def fit_weibull(samples: torch.Tensor, newton_steps: int = 50) -> tuple[torch.Tensor, torch.Tensor]:
    """Maximum-likelihood Weibull fit of each row. samples: [M, n] > 0 -> (shape kappa [M], scale lambda [M])."""
    if samples.shape[-1] < 2:
        raise ValueError("a Weibull fit needs at least two samples per row")
    top = samples.amax(dim=-1, keepdim=True)
    # Shape is scale-free: fit y = x / max(x) in (0, 1] so that y^kappa never overflows
    log_y = torch.log(torch.clamp(samples / top, min=torch.finfo(samples.dtype).tiny))
    mean_log = log_y.mean(dim=-1)
    # kappa_0 = pi / (sqrt(6) std(ln y)), the Gumbel moment estimate
    spread = torch.clamp(log_y.std(dim=-1), min=1e-6)
    kappa = math.pi / (math.sqrt(6.0) * spread)
    for _ in range(newton_steps):
        powered = torch.exp(kappa.unsqueeze(-1) * log_y)
        b = powered.sum(dim=-1)
        a = (powered * log_y).sum(dim=-1)
        c = (powered * log_y.square()).sum(dim=-1)
        # f(kappa) = A / B - 1 / kappa - mean(ln y)
        f = a / b - 1.0 / kappa - mean_log
        # f'(kappa) = (C B - A^2) / B^2 + 1 / kappa^2 > 0
        slope = (c * b - a.square()) / b.square() + 1.0 / kappa.square()
        # Newton step, never more than halving kappa so it stays positive
        kappa = torch.maximum(kappa - f / slope, kappa / 2.0)
    # lambda = max(x) * mean(y^kappa)^(1 / kappa)
    scale = top.squeeze(-1) * torch.exp(kappa.unsqueeze(-1) * log_y).mean(dim=-1) ** (1.0 / kappa)
    return kappa, scale


def _distances(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a: [P, D], b: [R, D] -> ||a_p - b_r||: [P, R], from differences (exactly 0 for a point and itself)."""
    return torch.cdist(a, b, compute_mode="donot_use_mm_for_euclid_dist")


class ExtremeValueMachine(nn.Module):
    """Fits per-point Weibull margins, reduces them to extreme vectors, and scores queries."""

    def __init__(
        self,
        n_classes: int = 3,
        features: int = 2,
        tail_size: int = 8,
        coverage_threshold: float = 0.5,
        newton_steps: int = 50,
    ) -> None:
        super().__init__()
        self.n_classes = n_classes
        self.features = features
        self.tail_size = tail_size
        self.coverage_threshold = coverage_threshold
        self.newton_steps = newton_steps
        self.register_buffer("extreme_vectors", torch.empty(0, features))
        self.register_buffer("extreme_labels", torch.empty(0, dtype=torch.long))
        self.register_buffer("extreme_index", torch.empty(0, dtype=torch.long))
        self.register_buffer("weibull_shape", torch.empty(0))
        self.register_buffer("weibull_scale", torch.empty(0))

    @staticmethod
    def inclusion(
        points: torch.Tensor, shape: torch.Tensor, scale: torch.Tensor, query: torch.Tensor
    ) -> torch.Tensor:
        """points: [M, D], shape, scale: [M], query: [Q, D] -> Psi(x_i, x'): [Q, M]."""
        # Psi(x_i, x') = exp(-(||x_i - x'|| / lambda_i)^kappa_i)
        return torch.exp(-((_distances(query, points) / scale) ** shape))

    def fit(self, x: torch.Tensor, labels: torch.Tensor) -> ExtremeValueMachine:
        """x: [N, D] features, labels: [N] in [0, n_classes) -> self, holding the extreme vectors.

        tau is capped at the smallest number of other-class points any training point has.
        """
        if x.shape[-1] != self.features:
            raise ValueError(f"expected {self.features} features per point, got {x.shape[-1]}")
        distances = _distances(x, x)
        same = labels.unsqueeze(0) == labels.unsqueeze(1)
        others = (~same).sum(dim=1)
        if others.min() < 2:
            raise ValueError("every point needs at least two points of other classes to fit its margin")
        tail = min(self.tail_size, int(others.min()))
        # m_ij = ||x_i - x_j|| / 2 for x_j of another class; the tau smallest per point
        margins = (distances / 2.0).masked_fill(same, math.inf)
        smallest = margins.topk(tail, dim=1, largest=False).values
        shape, scale = fit_weibull(smallest, self.newton_steps)
        # Psi(x_i, x_j), [N (j), N (i)]: how strongly point i includes point j
        psi = self.inclusion(x, shape, scale, x)
        keep = []
        for c in range(self.n_classes):
            members = torch.nonzero(labels == c).squeeze(1)
            if members.numel():
                keep.append(members[self._set_cover(psi[members][:, members])])
        index = torch.cat(keep) if keep else labels.new_empty(0)
        self.extreme_vectors = x[index]
        self.extreme_labels = labels[index]
        self.extreme_index = index
        self.weibull_shape = shape[index]
        self.weibull_scale = scale[index]
        return self

    def _set_cover(self, psi: torch.Tensor) -> torch.Tensor:
        """psi: [n (j), n (i)] within one class -> indices of the greedily chosen extreme vectors."""
        # i covers j when Psi(x_i, x_j) >= varsigma; every point covers itself (Psi(x_i, x_i) = 1)
        covers = (psi >= self.coverage_threshold).T
        covers.diagonal().fill_(True)
        uncovered = torch.ones(psi.shape[0], dtype=torch.bool, device=psi.device)
        chosen = []
        while uncovered.any():
            gains = (covers & uncovered).sum(dim=1)
            best = int(gains.argmax())
            chosen.append(best)
            uncovered &= ~covers[best]
        return torch.tensor(chosen, dtype=torch.long, device=psi.device)

    def predict_proba(self, query: torch.Tensor) -> torch.Tensor:
        """query: [Q, D] -> P(C_l | x') = max over class-l extreme vectors of Psi: [Q, n_classes]."""
        psi = self.inclusion(self.extreme_vectors, self.weibull_shape, self.weibull_scale, query)
        probabilities = query.new_zeros(query.shape[0], self.n_classes)
        index = self.extreme_labels.unsqueeze(0).expand_as(psi)
        return probabilities.scatter_reduce(1, index, psi, reduce="amax")

    def forward(
        self, train_x: torch.Tensor, train_labels: torch.Tensor, query_x: torch.Tensor
    ) -> torch.Tensor:
        """train_x: [N, D], train_labels: [N], query_x: [Q, D] -> class probabilities [Q, n_classes]."""
        return self.fit(train_x, train_labels).predict_proba(query_x)
