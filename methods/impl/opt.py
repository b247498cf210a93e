"""OPT: Open Pre-trained Transformers, decoder-only language models with learned positions and ReLU MLPs.

Paper: OPT: Open Pre-trained Transformer Language Models (Zhang et al., 2022) - https://arxiv.org/abs/2205.01068

OPT follows GPT-3's architecture: token embeddings plus learned positional embeddings (whose
table is offset by 2, a quirk kept by Hugging Face `OPTLearnedPositionalEmbedding`), a stack of
pre-LayerNorm decoder blocks, each causal multi-head self-attention then a ReLU MLP of width
$4d$, a final LayerNorm and an output projection tied to the token embeddings,
$p(x_t \\mid x_{<t}) = \\text{softmax}(h_t E^\\top)$. The demo model has 2 layers of width 64
(OPT-125M: 12 layers of 768; OPT-175B: 96 of 12,288). Training minimizes next-token
cross-entropy, returned as `loss`.

Shapes: `tokens: [B, T]` -> `logits: [B, T, V]`, `loss: []`.
"""

from __future__ import annotations

import torch
from torch import nn

POSITION_OFFSET = 2


class OPT(nn.Module):
    """Decoder-only pre-LN Transformer with learned (offset) positions and tied output embeddings."""

    def __init__(
        self, vocab_size: int = 1000, dim: int = 64, heads: int = 4, layers: int = 2, max_positions: int = 128
    ):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, dim)
        self.positions = nn.Embedding(max_positions + POSITION_OFFSET, dim)
        layer = nn.TransformerEncoderLayer(
            dim, heads, 4 * dim, dropout=0.0, activation="relu", batch_first=True, norm_first=True
        )
        self.blocks = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.final_norm = nn.LayerNorm(dim)

    def forward(self, tokens: torch.Tensor) -> dict[str, torch.Tensor]:
        """tokens: [B, T] -> logits [B, T, V], loss []."""
        t = tokens.shape[1]
        if t > self.positions.num_embeddings - POSITION_OFFSET:
            raise ValueError(f"sequence of {t} tokens exceeds max_positions")
        positions = torch.arange(t, device=tokens.device) + POSITION_OFFSET
        h = self.tokens(tokens) + self.positions(positions)
        causal = nn.Transformer.generate_square_subsequent_mask(t, device=tokens.device)
        h = self.final_norm(self.blocks(h, mask=causal, is_causal=True))
        # p(x_t | x_<t) = softmax(h_t Eᵀ), output projection tied to the embeddings
        logits = h @ self.tokens.weight.T
        loss = nn.functional.cross_entropy(logits[:, :-1].flatten(0, 1), tokens[:, 1:].flatten())
        return {"logits": logits, "loss": loss}
