"""node2vec: node embeddings from skip-gram on second-order biased random walks.

Paper: node2vec: Scalable Feature Learning for Networks (Grover & Leskovec, 2016) - https://arxiv.org/abs/1607.00653

Walks are second-order Markov chains: having just moved $t \\to v$, the walk goes to a neighbour
$x$ of $v$ with unnormalized probability $\\alpha_{pq}(t, x) \\cdot w_{vx}$, where
$$\\alpha_{pq}(t, x) = \\begin{cases} 1/p & d_{tx} = 0 \\text{ (return to } t) \\\\ 1 & d_{tx} = 1 \\\\ 1/q & d_{tx} = 2 \\end{cases}$$
so the return parameter $p$ and the in-out parameter $q$ interpolate between breadth-first
(local, structural) and depth-first (community) exploration. Embeddings $f(u)$ are then trained
with skip-gram and negative sampling on the walks: for every node pair $(u, c)$ within `window`
on a walk, $-\\log\\sigma(f(u)^\\top f'(c)) - \\sum_{n} \\log\\sigma(-f(u)^\\top f'(n))$ with `negatives`
uniform negatives. Walks and negatives come from a generator seeded with `seed`; the module
returns the loss of one skip-gram step on them.

Shapes: `adjacency: [N, N]` (0/1, symmetric) -> `walks: [N * walks_per_node, walk_length]`,
`loss: []`, `embeddings: [N, d]`.
"""

from __future__ import annotations

import torch
from torch import nn


def biased_walks(
    adjacency: torch.Tensor, walks_per_node: int, length: int, p: float, q: float, generator: torch.Generator
) -> torch.Tensor:
    """Second-order walks from every node; a node without neighbours stays in place."""
    a = adjacency.bool().cpu()
    n = a.shape[0]
    walks = []
    for _ in range(walks_per_node):
        for start in range(n):
            walk = [start]
            while len(walk) < length:
                v = walk[-1]
                neighbours = a[v].nonzero()[:, 0]
                if neighbours.numel() == 0:
                    walk.append(v)
                    continue
                if len(walk) == 1:
                    weights = torch.ones(neighbours.numel())
                else:
                    t = walk[-2]
                    # α = 1/p back to t, 1 for neighbours of t, 1/q farther away
                    weights = torch.where(
                        neighbours == t,
                        torch.tensor(1 / p),
                        torch.where(a[t, neighbours], torch.tensor(1.0), torch.tensor(1 / q)),
                    )
                walk.append(int(neighbours[torch.multinomial(weights, 1, generator=generator)]))
            walks.append(walk)
    return torch.tensor(walks)


class Node2Vec(nn.Module):
    """Biased walks on the graph and the skip-gram negative-sampling loss on them."""

    def __init__(
        self,
        num_nodes: int = 16,
        dim: int = 16,
        walks_per_node: int = 2,
        walk_length: int = 8,
        window: int = 2,
        p: float = 1.0,
        q: float = 0.5,
        negatives: int = 3,
        seed: int = 0,
    ):
        super().__init__()
        self.embeddings = nn.Embedding(num_nodes, dim)
        self.context = nn.Embedding(num_nodes, dim)
        self.walks_per_node, self.walk_length, self.window = walks_per_node, walk_length, window
        self.p, self.q, self.negatives, self.seed = p, q, negatives, seed

    def forward(self, adjacency: torch.Tensor) -> dict[str, torch.Tensor]:
        """adjacency: [N, N] -> walks [N * r, l], loss [], embeddings [N, d]."""
        generator = torch.Generator().manual_seed(self.seed)
        walks = biased_walks(adjacency, self.walks_per_node, self.walk_length, self.p, self.q, generator)
        pairs = [
            (w[i], w[j])
            for w in walks.tolist()
            for i in range(len(w))
            for j in range(max(0, i - self.window), min(len(w), i + self.window + 1))
            if i != j
        ]
        centre, context = torch.tensor(pairs).T.to(adjacency.device)
        negatives = torch.randint(adjacency.shape[0], (len(pairs), self.negatives), generator=generator).to(
            adjacency.device
        )
        f = self.embeddings(centre)
        # −log σ(f(u)ᵀ f'(c)) − Σ_n log σ(−f(u)ᵀ f'(n))
        positive = nn.functional.logsigmoid((f * self.context(context)).sum(dim=-1))
        negative = nn.functional.logsigmoid(-(f[:, None] * self.context(negatives)).sum(dim=-1)).sum(dim=-1)
        return {
            "walks": walks.to(adjacency.device),
            "loss": -(positive + negative).mean(),
            "embeddings": self.embeddings.weight,
        }
