"""T5: the Text-to-Text Transfer Transformer, an encoder-decoder with relative position biases.

Paper: Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer -
https://arxiv.org/abs/1910.10683

Every task is cast as text in, text out, and one encoder-decoder Transformer learns them all. Its
departures from the original Transformer (Section 2.1): layer normalization is scale-only
(no mean subtraction, no bias, an RMS norm) and sits before each sub-layer, with a final one after
each stack; there are no absolute position embeddings, instead each attention layer adds a learned
scalar $b_{\\mathrm{bucket}(j - i)}$ per head, shared across layers, with relative offsets
bucketed logarithmically up to `max_distance`; attention logits are not divided by
$\\sqrt{d_{kv}}$; the feed-forward uses ReLU and no biases; and input embedding, decoder embedding
and LM head share one matrix, the head scaled by $d_{model}^{-1/2}$. Pre-training is span
corruption: dropped-out spans are replaced by sentinel tokens in the input and the decoder
predicts them. The blocks are the ones of `methods.impl.codet5` (CodeT5 is T5 trained on code);
this module is T5 itself, without CodeT5's identifier head. Follows Hugging Face's
`T5ForConditionalGeneration` (v1.0).

Shapes: `forward(input_ids: [B, S], decoder_input_ids: [B, T])` -> `logits: [B, T, V]`.

Hyperparameters: `vocab_size` $V$ (32,128; 64 here), `d_model` (512 for T5-small; 32 here),
`d_kv` (64; 8), `num_heads` (8; 4), `d_ff` (2,048; 64), `num_layers` (6 per stack; 2),
`num_buckets` (32), `max_distance` (128), `dropout` (0.1).
"""

from __future__ import annotations

import torch

from methods.impl.codet5 import CodeT5


class T5(CodeT5):
    """T5's encoder-decoder and tied LM head (CodeT5's blocks without its identifier head)."""

    def __init__(
        self,
        vocab_size: int = 64,
        d_model: int = 32,
        d_kv: int = 8,
        num_heads: int = 4,
        d_ff: int = 64,
        num_layers: int = 2,
        num_buckets: int = 32,
        max_distance: int = 128,
        dropout: float = 0.1,
    ) -> None:
        super().__init__(
            vocab_size, d_model, d_kv, num_heads, d_ff, num_layers, num_buckets, max_distance, dropout
        )
        del self.identifier_head

    def forward(self, input_ids: torch.Tensor, decoder_input_ids: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        """input_ids: [B, S], decoder_input_ids: [B, T] -> logits [B, T, V]."""
        decoder_out = self.decode(decoder_input_ids, self.encode(input_ids))
        # tied LM head: logits = (d_model^{-1/2} y) E^T
        return (decoder_out * self.d_model**-0.5) @ self.shared.weight.t()
