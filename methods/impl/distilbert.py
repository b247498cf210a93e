"""DistilBERT: a BERT student with half the layers, trained by knowledge distillation.

Paper: DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter -
https://arxiv.org/abs/1910.01108

The student keeps BERT's hidden size and layer design but halves the number of layers and drops
the token-type embeddings and the pooler; it is initialized from every other layer of the teacher
and trained with a triple loss: distillation cross-entropy against the teacher's softened
distribution, the masked-LM loss, and a cosine loss aligning student and teacher hidden states:

$$L = \\alpha_{ce} \\, T^2 \\sum_i t_i \\log \\frac{t_i}{s_i} + \\alpha_{mlm} L_{mlm} + \\alpha_{cos}
\\left(1 - \\cos(h_s, h_t)\\right), \\quad s_i = \\frac{\\exp(z_i / T)}{\\sum_j \\exp(z_j / T)}$$

Here the teacher's logits and hidden states are inputs, so the demo shows the loss terms; the
distillation term is the KL form (it differs from cross-entropy by the teacher's entropy, a
constant), scaled by $T^2$ as in Hinton et al. Follows Hugging Face's `DistilBertForMaskedLM`.

Shapes: `forward(input_ids: [B, L], labels: [B, L], teacher_logits: [B, L, V], teacher_hidden:
[B, L, H])` -> `{"mlm_logits": [B, L, V], "loss": [], "loss_ce": [], "loss_mlm": [], "loss_cos": []}`.

Hyperparameters: `vocab_size` $V$ (64 here), `hidden` $H$ (768; 32 here), `layers` (6, half of
BERT-base's 12; 1 here), `heads` (12; 4), `temperature` $T$ (2.0), `alpha_ce` (5.0),
`alpha_mlm` (2.0), `alpha_cos` (1.0), `dropout` (0.1).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.bert import BertEncoder, MaskedLMHead


class DistilBERT(nn.Module):
    """A BERT encoder without segments or pooler, and its distillation objective."""

    def __init__(
        self,
        vocab_size: int = 64,
        hidden: int = 32,
        layers: int = 1,
        heads: int = 4,
        max_positions: int = 64,
        temperature: float = 2.0,
        alpha_ce: float = 5.0,
        alpha_mlm: float = 2.0,
        alpha_cos: float = 1.0,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.encoder = BertEncoder(vocab_size, hidden, layers, heads, max_positions, 0, dropout)
        self.mlm = MaskedLMHead(hidden, self.encoder.embeddings.tokens)
        self.temperature = temperature
        self.alphas = (alpha_ce, alpha_mlm, alpha_cos)

    def forward(
        self,
        input_ids: torch.Tensor,
        labels: torch.Tensor,
        teacher_logits: torch.Tensor,
        teacher_hidden: torch.Tensor,
    ) -> dict[str, torch.Tensor]:
        """input_ids, labels: [B, L]; teacher_logits: [B, L, V]; teacher_hidden: [B, L, H] -> logits and losses."""
        hidden = self.encoder(input_ids)
        logits = self.mlm(hidden)
        t = self.temperature
        # T^2 KL(softmax(z_t / T) || softmax(z_s / T)), batch-mean over tokens
        loss_ce = t**2 * F.kl_div(
            F.log_softmax(logits / t, -1).flatten(0, 1),
            F.log_softmax(teacher_logits / t, -1).flatten(0, 1),
            log_target=True,
            reduction="batchmean",
        )
        loss_mlm = F.cross_entropy(logits.flatten(0, 1), labels.flatten())
        # 1 - cos(h_s, h_t), averaged over tokens
        loss_cos = (1 - F.cosine_similarity(hidden, teacher_hidden, dim=-1)).mean()
        a_ce, a_mlm, a_cos = self.alphas
        loss = a_ce * loss_ce + a_mlm * loss_mlm + a_cos * loss_cos
        return {
            "mlm_logits": logits,
            "loss": loss,
            "loss_ce": loss_ce,
            "loss_mlm": loss_mlm,
            "loss_cos": loss_cos,
        }
