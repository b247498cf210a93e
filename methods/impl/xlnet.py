"""XLNet: permutation language modelling with two-stream self-attention and relative positions.

Paper: XLNet: Generalized Autoregressive Pretraining for Language Understanding - https://arxiv.org/abs/1906.08237

XLNet maximizes the expected log-likelihood over factorization orders $z$ of the sequence,
$\\max_\\theta \\mathbb{E}_{z \\sim \\mathcal{Z}_T} \\big[\\sum_t \\log p_\\theta(x_{z_t} | x_{z_{<t}})\\big]$,
so each token learns from context on both sides without BERT's artificial `[MASK]` inputs. The
order only changes attention masks, never the input positions. Predicting $x_{z_t}$ needs its
position but must not see its content, hence two streams per layer:

$$g^{(m)}_{z_t} \\leftarrow \\mathrm{Attention}(Q = g^{(m-1)}_{z_t}, KV = h^{(m-1)}_{z_{<t}})
\\quad \\text{(query stream: position, no content)}$$
$$h^{(m)}_{z_t} \\leftarrow \\mathrm{Attention}(Q = h^{(m-1)}_{z_t}, KV = h^{(m-1)}_{z_{\\le t}})
\\quad \\text{(content stream)}$$

with $g^{(0)} = w$ a learned vector and $h^{(0)}$ the word embeddings; both streams share weights,
and the LM head reads the query stream. Attention uses Transformer-XL's relative positional
encoding, $A_{ij} = (q_i + u)^\\top k_j + (q_i + v)^\\top W_R R_{i-j}$ with sinusoidal $R$.
Segment recurrence (the cached memory of the previous segment) and partial prediction (only the
last $1/K$ of each order is predicted) are left out; here every position is predicted. Follows
Hugging Face's `XLNetLMHeadModel` in spirit, without its memory and segment biases.

Shapes: `forward(input_ids: [B, L])` -> `{"logits": [B, L, V], "order": [B, L], "loss": []}`,
`order[b, i]` the rank of position $i$ in the sampled factorization order.

Hyperparameters: `vocab_size` $V$ (32,000; 64 here), `d_model` (1,024 for XLNet-Large; 32),
`layers` (24; 2), `heads` (16; 4), `d_inner` (4,096; 64), `dropout` (0.1).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.blocks import sinusoidal_positions


class RelativeAttention(nn.Module):
    """Multi-head attention scored by content (q + u)^T k plus position (q + v)^T W_R R_{i-j}."""

    def __init__(self, dim: int, heads: int, dropout: float) -> None:
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.q, self.k, self.v = (
            nn.Linear(dim, dim, bias=False),
            nn.Linear(dim, dim, bias=False),
            nn.Linear(dim, dim, bias=False),
        )
        self.r = nn.Linear(dim, dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.u = nn.Parameter(torch.zeros(heads, self.head_dim))
        self.v_bias = nn.Parameter(torch.zeros(heads, self.head_dim))
        self.dropout = nn.Dropout(dropout)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        return x.view(*x.shape[:-1], self.heads, self.head_dim)

    def forward(
        self, query: torch.Tensor, content: torch.Tensor, rel: torch.Tensor, mask: torch.Tensor
    ) -> torch.Tensor:
        """query: [B, L, d] (either stream), content: [B, L, d] (keys / values), rel: [L, L, d] R_{i-j},
        mask: [B, L, L] bool (True: i may attend j) -> [B, L, d]."""
        q, k, v = self._split(self.q(query)), self._split(self.k(content)), self._split(self.v(content))
        r = self._split(self.r(rel))
        # A_ij = (q_i + u)^T k_j + (q_i + v)^T W_R R_{i-j}
        scores = torch.einsum("bihd,bjhd->bhij", q + self.u, k) + torch.einsum(
            "bihd,ijhd->bhij", q + self.v_bias, r
        )
        scores = (scores / math.sqrt(self.head_dim)).masked_fill(
            ~mask[:, None], torch.finfo(scores.dtype).min
        )
        out = torch.einsum("bhij,bjhd->bihd", self.dropout(scores.softmax(-1)), v)
        return self.o(out.reshape(*query.shape))


class TwoStreamLayer(nn.Module):
    """One attention and one feed-forward, shared by the content and query streams (post-norm)."""

    def __init__(self, dim: int, heads: int, d_inner: int, dropout: float) -> None:
        super().__init__()
        self.attention = RelativeAttention(dim, heads, dropout)
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.ff = nn.Sequential(
            nn.Linear(dim, d_inner), nn.GELU(), nn.Dropout(dropout), nn.Linear(d_inner, dim)
        )
        self.dropout = nn.Dropout(dropout)

    def _stream(
        self, x: torch.Tensor, content: torch.Tensor, rel: torch.Tensor, mask: torch.Tensor
    ) -> torch.Tensor:
        x = self.norm1(x + self.dropout(self.attention(x, content, rel, mask)))
        return self.norm2(x + self.dropout(self.ff(x)))

    def forward(
        self,
        h: torch.Tensor,
        g: torch.Tensor,
        rel: torch.Tensor,
        content_mask: torch.Tensor,
        query_mask: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Both streams attend to the content stream h of the previous layer."""
        return self._stream(h, h, rel, content_mask), self._stream(g, h, rel, query_mask)


class XLNet(nn.Module):
    """Permutation LM: a random factorization order, two-stream relative-attention layers, LM head on g."""

    def __init__(
        self,
        vocab_size: int = 64,
        d_model: int = 32,
        layers: int = 2,
        heads: int = 4,
        d_inner: int = 64,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.d_model = d_model
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.mask_emb = nn.Parameter(torch.randn(d_model) * 0.02)
        self.layers = nn.ModuleList(TwoStreamLayer(d_model, heads, d_inner, dropout) for _ in range(layers))
        self.bias = nn.Parameter(torch.zeros(vocab_size))
        self.dropout = nn.Dropout(dropout)

    def masks(self, order: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """order: [B, L] rank of each position in z -> (content [B, L, L]: rank_j <= rank_i; query: rank_j < rank_i)."""
        earlier_or_same = order[:, None, :] <= order[:, :, None]
        return earlier_or_same, order[:, None, :] < order[:, :, None]

    def forward(self, input_ids: torch.Tensor, order: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """input_ids: [B, L] (and optionally the factorization order's ranks [B, L]) -> logits, order, loss."""
        b, length = input_ids.shape
        if order is None:
            # z ~ uniform over permutations: rank of each position in a random order
            order = torch.rand(b, length, device=input_ids.device).argsort(-1).argsort(-1)
        content_mask, query_mask = self.masks(order)
        positions = torch.arange(length, device=input_ids.device)
        # R_{i-j}: sinusoids of the signed offset, offset + L - 1 indexing a table of 2L - 1 rows
        table = sinusoidal_positions(2 * length - 1, self.d_model, input_ids.device)
        rel = table[positions[:, None] - positions[None, :] + length - 1]
        h = self.dropout(self.embedding(input_ids))
        g = self.dropout(self.mask_emb.expand(b, length, -1))
        for layer in self.layers:
            h, g = layer(h, g, rel, content_mask, query_mask)
        logits = g @ self.embedding.weight.t() + self.bias
        # the first token of the order has no context: every position is predicted but that one
        predicted = order > 0
        loss = F.cross_entropy(logits[predicted], input_ids[predicted])
        return {"logits": logits, "order": order, "loss": loss}
