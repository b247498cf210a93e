"""ELECTRA: a discriminator trained to detect which tokens a small generator replaced.

Paper: ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators -
https://arxiv.org/abs/2003.10555

Replaced token detection: a small masked-LM generator $G$ fills the masked positions of $x$ with
samples $\\hat x_i \\sim p_G(x_i | x^{masked})$, and the discriminator $D$ (the model kept after
pre-training) predicts for every token whether it is original or replaced. Both are BERT encoders
that share the token and position embeddings; the sampling step is not back-propagated through, so

$$\\min_{\\theta_G, \\theta_D} \\; \\mathcal{L}_{MLM}(x, \\theta_G) + \\lambda \\, \\mathcal{L}_{Disc}(x, \\theta_D),
\\quad \\mathcal{L}_{Disc} = -\\sum_t \\big[ \\mathbb{1}(\\hat x_t = x_t) \\log D(\\hat x, t)
+ \\mathbb{1}(\\hat x_t \\ne x_t) \\log (1 - D(\\hat x, t)) \\big]$$

($D$ outputs the probability that a token is original; here the logit of "replaced" is returned.)
A sampled token equal to the original counts as original, as in the paper. Follows Hugging
Face's `ElectraForPreTraining` plus the generator of the paper's released code.

Shapes: `forward(input_ids: [B, L], mask: [B, L] bool)` -> `{"generator_logits": [B, L, V],
"replaced_logits": [B, L], "replaced": [B, L] bool, "loss": []}`.

Hyperparameters: `vocab_size` $V$ (64 here), `hidden` (256 in ELECTRA-small; 32 here), `layers`
(12; 2), `generator_layers` (the generator is a smaller encoder; 1 here), `heads` (4),
`disc_weight` $\\lambda$ (50), `dropout` (0.1). Token `V - 1` stands for `[MASK]`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.bert import BertEmbeddings, MaskedLMHead
from methods.impl.blocks import transformer_stack


class ELECTRA(nn.Module):
    """Generator and discriminator encoders over shared embeddings, with the joint loss."""

    def __init__(
        self,
        vocab_size: int = 64,
        hidden: int = 32,
        layers: int = 2,
        generator_layers: int = 1,
        heads: int = 4,
        max_positions: int = 64,
        disc_weight: float = 50.0,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.vocab_size, self.disc_weight = vocab_size, disc_weight
        self.embeddings = BertEmbeddings(vocab_size, hidden, max_positions, 0, dropout)
        self.generator = transformer_stack(generator_layers, hidden, heads, 4 * hidden, dropout=dropout)
        self.generator_head = MaskedLMHead(hidden, self.embeddings.tokens)
        self.discriminator = transformer_stack(layers, hidden, heads, 4 * hidden, dropout=dropout)
        self.discriminator_head = nn.Sequential(nn.Linear(hidden, hidden), nn.GELU(), nn.Linear(hidden, 1))

    @staticmethod
    def _encode(layers: nn.ModuleList, x: torch.Tensor) -> torch.Tensor:
        for layer in layers:
            x = layer(x)
        return x

    def forward(self, input_ids: torch.Tensor, mask: torch.Tensor) -> dict[str, torch.Tensor]:
        """input_ids: [B, L], mask: [B, L] bool (positions to corrupt) -> logits, replaced, loss."""
        masked = input_ids.masked_fill(mask, self.vocab_size - 1)
        generator_logits = self.generator_head(self._encode(self.generator, self.embeddings(masked)))
        # x_hat_i ~ p_G(x_i | x_masked) at masked positions; no gradient flows through the sample
        with torch.no_grad():
            samples = torch.distributions.Categorical(logits=generator_logits).sample()
        corrupted = torch.where(mask, samples, input_ids)
        replaced = corrupted != input_ids
        hidden = self._encode(self.discriminator, self.embeddings(corrupted))
        replaced_logits = self.discriminator_head(hidden).squeeze(-1)
        mlm = (F.cross_entropy(generator_logits.transpose(1, 2), input_ids, reduction="none") * mask).sum()
        mlm = mlm / mask.sum().clamp(min=1)
        disc = F.binary_cross_entropy_with_logits(replaced_logits, replaced.float())
        return {
            "generator_logits": generator_logits,
            "replaced_logits": replaced_logits,
            "replaced": replaced,
            "loss": mlm + self.disc_weight * disc,
        }
