"""mBERT: multilingual BERT, one BERT encoder pre-trained by masked language modelling on 104 languages.

Paper: BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding (Devlin et
al., 2019) - https://arxiv.org/abs/1810.04805

mBERT is BERT-Base trained on the Wikipedias of 104 languages with one shared WordPiece
vocabulary of 119,547 units and no cross-lingual signal, languages sampled with exponentially
smoothed weights. The architecture is BERT's: token + position + segment embeddings with
LayerNorm, post-LN Transformer encoder layers with GELU MLPs, and the masked-LM head (dense,
GELU, LayerNorm, projection tied to the token embeddings). The MLM objective masks 15% of the
tokens (80% `[MASK]`, 10% random, 10% kept) and predicts them,
$\\mathcal{L} = -\\frac{1}{|M|}\\sum_{i \\in M} \\log p(x_i \\mid \\tilde x)$. Hugging Face's `BertForMaskedLM` is
the reference; the demo model is 2 layers of width 64 with a 1,000-unit vocabulary (mBERT: 12
layers of 768, 119,547 units), and masks are drawn from a generator seeded with `seed`.

Shapes: `tokens: [B, T]`, `segments: [B, T]` -> `logits: [B, T, V]`, `loss: []`, `masked: [B, T]`.
"""

from __future__ import annotations

import torch
from torch import nn

MASK_ID = 1


class MultilingualBERT(nn.Module):
    """BERT encoder with the masked-LM head and BERT's 80/10/10 masking."""

    def __init__(
        self,
        vocab_size: int = 1000,
        dim: int = 64,
        heads: int = 4,
        layers: int = 2,
        max_positions: int = 128,
        mask_prob: float = 0.15,
        seed: int = 0,
    ):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, dim)
        self.positions = nn.Embedding(max_positions, dim)
        self.segments = nn.Embedding(2, dim)
        self.embed_norm = nn.LayerNorm(dim)
        layer = nn.TransformerEncoderLayer(
            dim, heads, 4 * dim, dropout=0.0, activation="gelu", batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.mlm = nn.Sequential(nn.Linear(dim, dim), nn.GELU(), nn.LayerNorm(dim))
        self.mlm_bias = nn.Parameter(torch.zeros(vocab_size))
        self.vocab_size, self.mask_prob, self.seed = vocab_size, mask_prob, seed

    def mask_tokens(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """BERT's corruption: choose 15%; of those 80% [MASK], 10% a random token, 10% unchanged."""
        generator = torch.Generator().manual_seed(self.seed)
        draw = torch.rand((2, *tokens.shape), generator=generator).to(tokens.device)
        chosen = draw[0] < self.mask_prob
        random_tokens = torch.randint(self.vocab_size, tokens.shape, generator=generator).to(tokens.device)
        corrupted = torch.where(chosen & (draw[1] < 0.8), torch.full_like(tokens, MASK_ID), tokens)
        corrupted = torch.where(chosen & (draw[1] >= 0.8) & (draw[1] < 0.9), random_tokens, corrupted)
        return corrupted, chosen

    def forward(self, tokens: torch.Tensor, segments: torch.Tensor) -> dict[str, torch.Tensor]:
        """tokens, segments: [B, T] -> logits [B, T, V], loss [], masked [B, T]."""
        corrupted, masked = self.mask_tokens(tokens)
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        h = self.embed_norm(self.tokens(corrupted) + self.positions(positions) + self.segments(segments))
        logits = self.mlm(self.encoder(h)) @ self.tokens.weight.T + self.mlm_bias
        # −mean over masked positions of log p(x_i | x̃)
        losses = nn.functional.cross_entropy(logits.flatten(0, 1), tokens.flatten(), reduction="none")
        loss = (losses * masked.flatten()).sum() / masked.sum().clamp(min=1)
        return {"logits": logits, "loss": loss, "masked": masked}
