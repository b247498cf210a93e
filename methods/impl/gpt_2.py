"""GPT-2: GPT with pre-norm layers, a final LayerNorm and depth-scaled residual initialization.

Paper: Language Models are Unsupervised Multitask Learners -
https://cdn.openai.com/better-language-models/language_models_are_unsupervised_multitask_learners.pdf

GPT-2 keeps GPT's causal Transformer decoder and changes three things (Section 2.3): layer
normalization moves to the input of each sub-block, $x \\leftarrow x + \\mathrm{Sub}(\\mathrm{LN}(x))$;
an extra LayerNorm follows the last block; and the weights of the residual output projections are
scaled at initialization by $1/\\sqrt{N}$, $N$ the number of residual layers, so the residual
stream's variance does not grow with depth. Context grows to 1,024 tokens and the vocabulary to
50,257 byte-level BPE tokens. Follows Hugging Face's `GPT2LMHeadModel` (init std 0.02,
$0.02/\\sqrt{2 n_{layer}}$ on `c_proj`).

Shapes: `forward(input_ids: [B, L])` -> `logits: [B, L, V]`.

Hyperparameters: `vocab_size` $V$ (50,257; 64 here), `d_model` (768 for the 117M model; 32 here),
`layers` $n_{layer}$ (12; 2), `heads` (12; 4), `max_positions` (1,024; 64), `dropout` (0.1).
"""

from __future__ import annotations

import math

from torch import nn

from methods.impl.gpt import DecoderOnlyLM


def gpt2_init(model: DecoderOnlyLM, std: float = 0.02) -> None:
    """N(0, 0.02) weights, zero biases, and N(0, 0.02 / sqrt(2 n_layer)) on the residual projections."""
    residual_std = std / math.sqrt(2 * len(model.layers))
    for name, parameter in model.named_parameters():
        if name.endswith("bias"):
            nn.init.zeros_(parameter)
        elif "norm" in name:
            nn.init.ones_(parameter)
        elif name.endswith("attention.out.weight") or name.endswith("feed_forward.fc2.weight"):
            nn.init.normal_(parameter, 0.0, residual_std)
        else:
            nn.init.normal_(parameter, 0.0, std)


class GPT2(DecoderOnlyLM):
    """Pre-norm causal decoder with a final LayerNorm."""

    def __init__(
        self,
        vocab_size: int = 64,
        d_model: int = 32,
        layers: int = 2,
        heads: int = 4,
        max_positions: int = 64,
        dropout: float = 0.1,
    ) -> None:
        super().__init__(vocab_size, d_model, layers, heads, max_positions, dropout, norm_first=True)
        gpt2_init(self)
