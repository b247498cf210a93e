"""CRF: a linear-chain Conditional Random Field, with the forward algorithm and Viterbi decoding.

Paper: Conditional Random Fields: Probabilistic Models for Segmenting and Labeling Sequence Data
(Lafferty, McCallum & Pereira, 2001) - https://repository.upenn.edu/cis_papers/159/

A linear-chain CRF scores a tag sequence $y_{1..T}$ given per-position emission scores
$E_{t, y}$ (from any encoder) with learned transitions $A_{y, y'}$ and start/end scores:
$$s(y) = \\pi_{y_1} + \\sum_{t=1}^{T} E_{t, y_t} + \\sum_{t=2}^{T} A_{y_{t-1}, y_t} + \\eta_{y_T},
\\qquad p(y \\mid x) = \\frac{\\exp s(y)}{Z}, \\quad Z = \\sum_{y'} \\exp s(y').$$
$\\log Z$ comes from the forward algorithm, $\\alpha_t(j) = E_{t,j} + \\log\\sum_i \\exp(\\alpha_{t-1}(i) + A_{ij})$,
and the best sequence from Viterbi, the same recursion with max and back-pointers. This is the
layer of BiLSTM-CRF taggers (Lample et al., 2016); pytorch-crf's `CRF` is the well-known
implementation it matches (tensors batch-first here).

Shapes: `emissions: [B, T, K]`, `tags: [B, T]` in [0, K) -> `log_likelihood: [B]`
($\\log p(\\text{tags} \\mid x)$), `best_path: [B, T]`, `best_score: [B]`.
"""

from __future__ import annotations

import torch
from torch import nn


class LinearChainCRF(nn.Module):
    """Sequence log-likelihood and Viterbi decoding under learned transition scores."""

    def __init__(self, num_tags: int = 5):
        super().__init__()
        self.transitions = nn.Parameter(0.1 * torch.randn(num_tags, num_tags))
        self.start = nn.Parameter(0.1 * torch.randn(num_tags))
        self.end = nn.Parameter(0.1 * torch.randn(num_tags))

    def score(self, emissions: torch.Tensor, tags: torch.Tensor) -> torch.Tensor:
        """s(y) = π_{y1} + Σ_t E_{t,y_t} + Σ_t A_{y_{t−1},y_t} + η_{y_T}; [B]."""
        emitted = emissions.gather(2, tags.unsqueeze(2)).squeeze(2).sum(dim=1)
        moved = self.transitions[tags[:, :-1], tags[:, 1:]].sum(dim=1)
        return self.start[tags[:, 0]] + emitted + moved + self.end[tags[:, -1]]

    def log_partition(self, emissions: torch.Tensor) -> torch.Tensor:
        """log Z by the forward algorithm; [B]."""
        alpha = self.start + emissions[:, 0]
        for t in range(1, emissions.shape[1]):
            # α_t(j) = E_{t,j} + logsumexp_i(α_{t−1}(i) + A_ij)
            alpha = emissions[:, t] + torch.logsumexp(alpha.unsqueeze(2) + self.transitions, dim=1)
        return torch.logsumexp(alpha + self.end, dim=1)

    def viterbi(self, emissions: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The highest-scoring tag sequence [B, T] and its score [B]."""
        delta = self.start + emissions[:, 0]
        pointers = []
        for t in range(1, emissions.shape[1]):
            # δ_t(j) = E_{t,j} + max_i(δ_{t−1}(i) + A_ij)
            best, arg = (delta.unsqueeze(2) + self.transitions).max(dim=1)
            pointers.append(arg)
            delta = emissions[:, t] + best
        score, last = (delta + self.end).max(dim=1)
        path = [last]
        for arg in reversed(pointers):
            path.append(arg.gather(1, path[-1].unsqueeze(1)).squeeze(1))
        return torch.stack(path[::-1], dim=1), score

    def forward(self, emissions: torch.Tensor, tags: torch.Tensor) -> dict[str, torch.Tensor]:
        """emissions: [B, T, K], tags: [B, T] -> log_likelihood [B], best_path [B, T], best_score [B]."""
        path, best = self.viterbi(emissions)
        return {
            "log_likelihood": self.score(emissions, tags) - self.log_partition(emissions),
            "best_path": path,
            "best_score": best,
        }
