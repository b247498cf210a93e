"""NON: Network On Network for tabular data, intra-field, across-field and fusion networks stacked.

Paper: Network On Network for Tabular Data Classification in Real-world Applications (Luo et al.,
2020) - https://arxiv.org/abs/2005.10114

NON has three parts. The field-wise network gives each field its own small network over its
embedding, $e'_i = \\text{DNN}_i(e_i)$, keeping the intra-field information. The across-field
network runs several interaction operations on all fields at once, here the paper's choices: a
DNN on the concatenation, the pairwise inner products of Bi-Interaction (FM), and the
self-attention of multi-head attention. The operation fusion network, a DNN on the
concatenation of all operations' outputs (and the field outputs), replaces a linear sum and
predicts $\\hat y = \\sigma(\\text{DNN}([e'; o_1; \\dots; o_k]))$.

Shapes: `fields: [B, F]` categorical ids (each field its own vocabulary) -> `logits: [B]`,
`field_outputs: [B, F, E]`.
"""

from __future__ import annotations

import torch
from torch import nn


class NetworkOnNetwork(nn.Module):
    """Field-wise DNNs, across-field DNN, FM and attention, and the fusion DNN."""

    def __init__(self, num_fields: int = 6, field_vocab: int = 50, dim: int = 8, hidden: int = 32):
        super().__init__()
        self.embeddings = nn.Embedding(num_fields * field_vocab, dim)
        self.field_vocab = field_vocab
        self.field_networks = nn.ModuleList(
            nn.Sequential(nn.Linear(dim, dim), nn.ReLU()) for _ in range(num_fields)
        )
        self.dnn = nn.Sequential(nn.Linear(num_fields * dim, hidden), nn.ReLU())
        self.attention = nn.MultiheadAttention(dim, 2, batch_first=True)
        fused = num_fields * dim + hidden + dim + num_fields * dim
        self.fusion = nn.Sequential(nn.Linear(fused, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, fields: torch.Tensor) -> dict[str, torch.Tensor]:
        """fields: [B, F] ids in [0, field_vocab) -> logits [B], field_outputs [B, F, E]."""
        offsets = torch.arange(fields.shape[1], device=fields.device) * self.field_vocab
        e = self.embeddings(fields + offsets)
        # e'_i = DNN_i(e_i), one network per field
        fe = torch.stack([net(e[:, i]) for i, net in enumerate(self.field_networks)], dim=1)
        flat = fe.flatten(1)
        # Bi-Interaction: ½((Σ e)² − Σ e²)
        fm = 0.5 * (fe.sum(dim=1).square() - fe.square().sum(dim=1))
        attended = self.attention(fe, fe, fe)[0].flatten(1)
        logits = self.fusion(torch.cat([flat, self.dnn(flat), fm, attended], dim=1)).squeeze(-1)
        return {"logits": logits, "field_outputs": fe}
