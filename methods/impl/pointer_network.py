"""Pointer Network: a sequence-to-sequence model whose outputs are positions in its input, chosen by attention.

Paper: Pointer Networks - https://arxiv.org/abs/1506.03134

For problems whose output vocabulary is the input itself (convex hull, Delaunay triangulation,
travelling salesman), the attention distribution over the encoder states *is* the output: at
decoding step $i$, with encoder states $e_j$ and decoder state $d_i$,

$$u^i_j = v^\\top \\tanh(W_1 e_j + W_2 d_i), \\quad p(C_i | C_1, \\ldots, C_{i-1}, \\mathcal{P}) = \\mathrm{softmax}(u^i)$$

An LSTM encoder reads the input points; an LSTM decoder starts from the encoder's final state, its
first input a learned vector and each next input the embedding of the point just pointed to. This
demo decodes greedily for $n$ steps and masks points already chosen, so it outputs a permutation
(the TSP setting); training would feed the gold indices instead.

Shapes: `forward(points: [B, n, 2])` -> `{"pointer_logits": [B, n, n], "tour": [B, n]}` (step $i$'s
scores over the $n$ inputs, and the greedy choices).

Hyperparameters: `input_dim` (2 for planar points), `hidden` (256 or 512 in the paper; 32 here).
"""

from __future__ import annotations

import torch
from torch import nn


class PointerNetwork(nn.Module):
    """LSTM encoder, LSTM decoder, additive attention used as the output distribution."""

    def __init__(self, input_dim: int = 2, hidden: int = 32) -> None:
        super().__init__()
        self.embed = nn.Linear(input_dim, hidden)
        self.encoder = nn.LSTM(hidden, hidden, batch_first=True)
        self.decoder = nn.LSTMCell(hidden, hidden)
        self.w1 = nn.Linear(hidden, hidden, bias=False)
        self.w2 = nn.Linear(hidden, hidden, bias=False)
        self.v = nn.Linear(hidden, 1, bias=False)
        self.start = nn.Parameter(torch.randn(hidden) * 0.1)

    def forward(self, points: torch.Tensor) -> dict[str, torch.Tensor]:
        """points: [B, n, input_dim] -> pointer logits [B, n, n] and the greedy tour [B, n]."""
        b, n, _ = points.shape
        embedded = self.embed(points)
        encoded, (h, c) = self.encoder(embedded)
        state = (h[0], c[0])
        projected = self.w1(encoded)
        step_input = self.start.expand(b, -1)
        visited = torch.zeros(b, n, dtype=torch.bool, device=points.device)
        logits, tour = [], []
        rows = torch.arange(b, device=points.device)
        for _ in range(n):
            state = self.decoder(step_input, state)
            # u_j = v^T tanh(W1 e_j + W2 d_i), points already chosen masked out
            scores = self.v(torch.tanh(projected + self.w2(state[0])[:, None])).squeeze(-1)
            scores = scores.masked_fill(visited, torch.finfo(scores.dtype).min)
            choice = scores.argmax(dim=-1)
            logits.append(scores)
            tour.append(choice)
            visited = visited.clone()
            visited[rows, choice] = True
            step_input = embedded[rows, choice]
        return {"pointer_logits": torch.stack(logits, 1), "tour": torch.stack(tour, 1)}
