"""ALBERT: BERT with a factorized embedding and one Transformer layer shared across depth.

Paper: ALBERT: A Lite BERT for Self-supervised Learning of Language Representations -
https://arxiv.org/abs/1909.11942

Two parameter reductions: (1) factorized embedding parameterization - tokens are embedded in a
small space of size $E$ and projected to the hidden size $H$, so the embedding costs
$O(V \\times E + E \\times H)$ instead of $O(V \\times H)$; (2) cross-layer parameter sharing - one
layer's weights are applied $L$ times. Next sentence prediction is replaced by sentence-order
prediction (SOP): the pooled `[CLS]` state classifies whether the two segments are in order or
swapped. The masked-LM head predicts tokens in the $E$-dimensional space, tied to the embedding.
Follows Hugging Face's `AlbertForPreTraining`.

Shapes: `forward(input_ids: [B, L], token_type_ids: [B, L])` ->
`{"mlm_logits": [B, L, V], "sop_logits": [B, 2]}`.

Hyperparameters: `vocab_size` $V$ (30,000; 64 here), `embedding_size` $E$ (128; 16 here),
`hidden` $H$ (768 in base; 32 here), `layers` $L$ (12; 4 here, all one set of weights), `heads`
(12; 4), feed-forward width $4H$, `max_positions` (512), `dropout` (0 in ALBERT).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.bert import BertEmbeddings, MaskedLMHead
from methods.impl.blocks import TransformerLayer


class ALBERT(nn.Module):
    """Factorized embeddings, one shared layer repeated, masked-LM and sentence-order heads."""

    def __init__(
        self,
        vocab_size: int = 64,
        embedding_size: int = 16,
        hidden: int = 32,
        layers: int = 4,
        heads: int = 4,
        max_positions: int = 64,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.layers = layers
        self.embeddings = BertEmbeddings(vocab_size, embedding_size, max_positions, 2, dropout)
        # E -> H projection of the factorized embedding
        self.projection = nn.Linear(embedding_size, hidden)
        self.shared = TransformerLayer(hidden, heads, 4 * hidden, dropout=dropout)
        self.mlm = MaskedLMHead(hidden, self.embeddings.tokens)
        self.pooler = nn.Linear(hidden, hidden)
        self.sop = nn.Linear(hidden, 2)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor) -> dict[str, torch.Tensor]:
        """input_ids, token_type_ids: [B, L] -> mlm_logits [B, L, V], sop_logits [B, 2]."""
        h = self.projection(self.embeddings(input_ids, token_type_ids))
        for _ in range(self.layers):
            h = self.shared(h)
        pooled = torch.tanh(self.pooler(h[:, 0]))
        return {"mlm_logits": self.mlm(h), "sop_logits": self.sop(pooled)}
