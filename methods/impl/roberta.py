"""RoBERTa: BERT's architecture, pre-trained longer, on more data, without next sentence prediction.

Paper: RoBERTa: A Robustly Optimized BERT Pretraining Approach - https://arxiv.org/abs/1907.11692

The network is BERT's post-norm bidirectional encoder with its tied masked-LM head; what
RoBERTa changes is the training recipe: no NSP objective (so no pooler and no NSP head), a single
segment type, full-length sequences, byte-level BPE (50K tokens), larger batches, and *dynamic*
masking, a new mask drawn every time a sequence is seen instead of once in preprocessing. This
forward draws that mask: each token is chosen with probability `mask_prob`; a chosen token becomes
`<mask>` (id `V - 1` here) 80% of the time, a random token 10% and stays 10% - BERT's rule.
Follows Hugging Face's `RobertaForMaskedLM` apart from its position-id offset.

Shapes: `forward(input_ids: [B, L])` -> `{"mlm_logits": [B, L, V], "masked": [B, L] bool,
"loss": []}` (cross-entropy over the chosen positions).

Hyperparameters: `vocab_size` $V$ (50,265; 64 here), `hidden` $H$ (768 in base; 32 here),
`layers` (12; 2), `heads` (12; 4), `max_positions` (514), `mask_prob` (0.15), `dropout` (0.1).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.bert import BertEncoder, MaskedLMHead


def dynamic_mask(
    input_ids: torch.Tensor, vocab_size: int, mask_prob: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """A fresh BERT-style corruption of input_ids [B, L] -> (corrupted ids [B, L], chosen [B, L] bool)."""
    chosen = torch.rand(input_ids.shape, device=input_ids.device) < mask_prob
    roll = torch.rand(input_ids.shape, device=input_ids.device)
    random_ids = torch.randint(0, vocab_size, input_ids.shape, device=input_ids.device)
    corrupted = torch.where(chosen & (roll < 0.8), torch.full_like(input_ids, vocab_size - 1), input_ids)
    corrupted = torch.where(chosen & (roll >= 0.8) & (roll < 0.9), random_ids, corrupted)
    return corrupted, chosen


class RoBERTa(nn.Module):
    """BERT's encoder and masked-LM head, trained on dynamically masked sequences only."""

    def __init__(
        self,
        vocab_size: int = 64,
        hidden: int = 32,
        layers: int = 2,
        heads: int = 4,
        max_positions: int = 64,
        mask_prob: float = 0.15,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.vocab_size, self.mask_prob = vocab_size, mask_prob
        self.encoder = BertEncoder(vocab_size, hidden, layers, heads, max_positions, 1, dropout)
        self.mlm = MaskedLMHead(hidden, self.encoder.embeddings.tokens)

    def forward(self, input_ids: torch.Tensor) -> dict[str, torch.Tensor]:
        """input_ids: [B, L] -> mlm_logits [B, L, V], masked [B, L], loss []."""
        corrupted, chosen = dynamic_mask(input_ids, self.vocab_size, self.mask_prob)
        logits = self.mlm(self.encoder(corrupted))
        # L_MLM = -mean over chosen positions of log p(x_i | corrupted x); zero when none was chosen
        per_token = F.cross_entropy(logits.transpose(1, 2), input_ids, reduction="none")
        loss = (per_token * chosen).sum() / chosen.sum().clamp(min=1)
        return {"mlm_logits": logits, "masked": chosen, "loss": loss}
