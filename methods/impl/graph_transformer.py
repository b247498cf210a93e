"""Graph Transformer: Transformer layers whose attention is restricted to graph neighbours, with Laplacian positional encodings.

Paper: A Generalization of Transformer Networks to Graphs - https://arxiv.org/abs/2012.09699

Three changes turn the Transformer into a graph network: attention for node $i$ runs over its
neighbours $\\mathcal{N}_i$ only (sparse attention, which keeps the graph's structure as an
inductive bias); positions are Laplacian eigenvectors - the $k$ smallest non-trivial eigenvectors
of $\\Delta = I - D^{-1/2} A D^{-1/2}$, the graph analogue of sinusoids - linearly mapped and added
to the input node embeddings; and BatchNorm replaces LayerNorm. Each layer computes

$$w_{ij}^{k} = \\mathrm{softmax}_j\\Big(\\frac{Q^k h_i \\cdot K^k h_j}{\\sqrt{d_k}}\\Big), \\;
\\hat h_i = O \\big\\Vert_{k=1}^{H} \\sum_{j \\in \\mathcal{N}_i} w_{ij}^k V^k h_j, \\;
h'_i = \\mathrm{BN}(h_i + \\hat h_i) \\to \\mathrm{BN}(\\cdot + \\mathrm{FFN}(\\cdot))$$

(a node attends to itself as well, as the self-loops of the reference code do). The eigenvectors'
sign is arbitrary; the paper flips it randomly during training, which this demo leaves out.

Shapes: `forward(x: [N, F], adj: [N, N])` -> `{"output": [N, C], "attention": [H, N, N]}` (the
last layer's weights).

Hyperparameters: `in_features` $F$, `dim` $d$ (80 in the paper; 32 here), `heads` $H$ (8; 4),
`layers` (10; 2), `pe_dim` $k$ (Laplacian eigenvectors; 4), `num_classes` $C$.
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import Attention, FeedForward
from methods.impl.gcn import undirected


def laplacian_positional_encoding(adj: torch.Tensor, k: int) -> torch.Tensor:
    """The k eigenvectors of I - D^{-1/2} A D^{-1/2} after the trivial one, by increasing eigenvalue: [N, k]."""
    degree = adj.sum(1).clamp(min=1).rsqrt()
    laplacian = torch.eye(adj.shape[0], device=adj.device) - degree[:, None] * adj * degree[None, :]
    _, vectors = torch.linalg.eigh(laplacian)
    encoding = vectors[:, 1 : k + 1]
    if encoding.shape[1] < k:
        encoding = torch.cat((encoding, encoding.new_zeros(adj.shape[0], k - encoding.shape[1])), 1)
    return encoding


class GraphTransformerLayer(nn.Module):
    """Neighbour-masked multi-head attention and FFN, each with a residual and BatchNorm."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.attention = Attention(dim, heads)
        self.norm1, self.norm2 = nn.BatchNorm1d(dim), nn.BatchNorm1d(dim)
        self.ffn = FeedForward(dim, 2 * dim, activation="relu")

    def forward(self, h: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """h: [N, d], mask: [N, N] bool -> [N, d]."""
        h = self.norm1(h + self.attention(h[None], mask=mask)[0])
        return self.norm2(h + self.ffn(h))


class GraphTransformer(nn.Module):
    """Input embedding + Laplacian PE, graph Transformer layers, a linear node classifier."""

    def __init__(
        self,
        in_features: int = 16,
        dim: int = 32,
        heads: int = 4,
        layers: int = 2,
        pe_dim: int = 4,
        num_classes: int = 7,
    ) -> None:
        super().__init__()
        self.pe_dim = pe_dim
        self.embed = nn.Linear(in_features, dim)
        self.embed_pe = nn.Linear(pe_dim, dim)
        self.layers = nn.ModuleList(GraphTransformerLayer(dim, heads) for _ in range(layers))
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x: torch.Tensor, adj: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [N, F], adj: [N, N] -> node logits [N, C] and the last layer's attention [H, N, N]."""
        a = undirected(adj)
        mask = (a + torch.eye(a.shape[0], device=a.device)) > 0
        # h_0 = A x + B lambda: node embedding plus its Laplacian positional encoding
        h = self.embed(x) + self.embed_pe(laplacian_positional_encoding(a, self.pe_dim))
        for layer in self.layers:
            h = layer(h, mask)
        return {"output": self.head(h), "attention": self.layers[-1].attention.weights[0]}
