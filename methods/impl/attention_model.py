"""AM: the Attention Model for routing problems, a graph attention encoder and a pointing decoder.

Paper: Attention, Learn to Solve Routing Problems! (Kool, van Hoof & Welling, 2019) - https://arxiv.org/abs/1803.08475

For the travelling salesman problem the encoder embeds the node coordinates and applies $N$
Transformer layers without positional encoding (graph attention over the complete graph). The
decoder builds the tour one node at a time from the context $h_{(c)} = [\\bar h; h_{\\pi_{t-1}}; h_{\\pi_1}]$
(graph mean, last and first node; learned placeholders at $t = 1$): a multi-head glimpse
attends over the nodes, then a single head gives the pointer logits
$u_j = C \\tanh(q^\\top k_j / \\sqrt{d})$ with $C = 10$, visited nodes masked, and
$p_\\theta(\\pi \\mid s) = \\prod_t p(\\pi_t \\mid s, \\pi_{<t})$. Training is REINFORCE with a greedy
rollout baseline; this runs the greedy decoding and returns the tour's log-likelihood (what the
policy gradient multiplies) and its length. The reference implementation is the authors'
`attention-learn-to-route`; the demo model has 2 layers of width 32 (paper: 3 of 128).

Shapes: `coordinates: [B, N, 2]` -> `tour: [B, N]`, `log_likelihood: [B]`, `length: [B]`.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class AttentionModel(nn.Module):
    """Graph attention encoder and greedy pointer decoder for TSP tours."""

    def __init__(self, dim: int = 32, heads: int = 4, layers: int = 2, clip: float = 10.0):
        super().__init__()
        self.embed = nn.Linear(2, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.placeholder = nn.Parameter(torch.randn(2 * dim) * 0.1)
        self.context = nn.Linear(3 * dim, dim, bias=False)
        self.glimpse = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.pointer_key = nn.Linear(dim, dim, bias=False)
        self.clip = clip

    def forward(self, coordinates: torch.Tensor) -> dict[str, torch.Tensor]:
        """coordinates: [B, N, 2] -> tour [B, N], log_likelihood [B], length [B]."""
        b, n, _ = coordinates.shape
        h = self.encoder(self.embed(coordinates))
        graph = h.mean(dim=1)
        keys = self.pointer_key(h)
        visited = torch.zeros(b, n, dtype=torch.bool, device=h.device)
        rows = torch.arange(b, device=h.device)
        tour, log_likelihood, first = [], h.new_zeros(b), None
        for t in range(n):
            ends = (
                self.placeholder.expand(b, -1)
                if t == 0
                else torch.cat([h[rows, tour[-1]], h[rows, first]], dim=-1)
            )
            # h_(c) = [h̄; h_π(t−1); h_π(1)], a glimpse over unvisited nodes
            query = self.context(torch.cat([graph, ends], dim=-1))[:, None]
            glimpse = self.glimpse(query, h, h, key_padding_mask=visited)[0][:, 0]
            # u_j = C tanh(qᵀ k_j / √d), visited nodes masked
            logits = self.clip * torch.tanh((keys @ glimpse[:, :, None])[:, :, 0] / math.sqrt(h.shape[-1]))
            log_p = logits.masked_fill(visited, float("-inf")).log_softmax(dim=-1)
            choice = log_p.argmax(dim=-1)
            log_likelihood = log_likelihood + log_p[rows, choice]
            visited = visited.clone()
            visited[rows, choice] = True
            tour.append(choice)
            first = choice if first is None else first
        order = torch.stack(tour, dim=1)
        ordered = coordinates[rows[:, None], order]
        length = (ordered - ordered.roll(-1, dims=1)).norm(dim=-1).sum(dim=1)
        return {"tour": order, "log_likelihood": log_likelihood, "length": length}
