"""GPT: a decoder-only Transformer language model, generatively pre-trained, then fine-tuned.

Paper: Improving Language Understanding by Generative Pre-Training -
https://cdn.openai.com/research-covers/language-unsupervised/language_understanding_paper.pdf

A 12-layer stack of masked (causal) self-attention layers, post-norm like the original
Transformer, with GELU feed-forward layers, learned position embeddings and an output projection
tied to the token embedding. Pre-training maximizes the language-modelling likelihood

$$L_1(\\mathcal{U}) = \\sum_i \\log P(u_i \\mid u_{i-k}, \\ldots, u_{i-1}; \\Theta), \\quad
h_0 = U W_e + W_p, \\; h_l = \\mathrm{block}(h_{l-1}), \\; P(u) = \\mathrm{softmax}(h_n W_e^\\top)$$

Causality is the point: the prediction at position $t$ depends on tokens $\\le t$ only. The
`DecoderOnlyLM` here also serves GPT-2 and GPT-3, which move the norm before each sub-layer and
(GPT-3) alternate dense with locally banded attention. Follows Hugging Face's `OpenAIGPTLMHeadModel`.

Shapes: `forward(input_ids: [B, L])` -> `logits: [B, L, V]`.

Hyperparameters: `vocab_size` $V$ (40,478 BPE tokens; 64 here), `d_model` (768; 32 here),
`layers` (12; 2), `heads` (12; 4), feed-forward width $4 d_{model}$ (3072), `max_positions`
(context $k$ = 512; 64 here), `dropout` (0.1).
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import TransformerLayer, causal_mask


class DecoderOnlyLM(nn.Module):
    """Token + learned position embeddings, causal Transformer layers, tied LM head.

    `norm_first` puts LayerNorm before each sub-layer and adds a final one (GPT-2); `local_window`,
    when set, makes every other layer attend only to the last `local_window` positions (GPT-3's
    alternating dense and locally banded sparse attention).
    """

    def __init__(
        self,
        vocab_size: int,
        d_model: int,
        layers: int,
        heads: int,
        max_positions: int,
        dropout: float,
        norm_first: bool = False,
        local_window: int | None = None,
    ) -> None:
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, d_model)
        self.positions = nn.Embedding(max_positions, d_model)
        self.dropout = nn.Dropout(dropout)
        self.layers = nn.ModuleList(
            TransformerLayer(d_model, heads, 4 * d_model, dropout, norm_first=norm_first)
            for _ in range(layers)
        )
        self.final_norm = nn.LayerNorm(d_model) if norm_first else nn.Identity()
        self.local_window = local_window

    def masks(self, length: int, device: torch.device) -> list[torch.Tensor]:
        """One causal mask per layer; with `local_window`, odd layers also drop keys older than the window."""
        dense = causal_mask(length, device)
        if self.local_window is None:
            return [dense] * len(self.layers)
        # banded: query t sees keys t - w < s <= t
        banded = dense & ~causal_mask(length, device).tril(-self.local_window)
        return [dense if i % 2 == 0 else banded for i in range(len(self.layers))]

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        """input_ids: [B, L] -> logits [B, L, V]."""
        length = input_ids.shape[1]
        # h_0 = U W_e + W_p
        h = self.dropout(
            self.tokens(input_ids) + self.positions(torch.arange(length, device=input_ids.device))
        )
        for layer, mask in zip(self.layers, self.masks(length, input_ids.device), strict=True):
            h = layer(h, mask=mask)
        # P(u) = softmax(h_n W_e^T): the logits
        return self.final_norm(h) @ self.tokens.weight.t()


class GPT(DecoderOnlyLM):
    """GPT-1: post-norm causal Transformer decoder."""

    def __init__(
        self,
        vocab_size: int = 64,
        d_model: int = 32,
        layers: int = 2,
        heads: int = 4,
        max_positions: int = 64,
        dropout: float = 0.1,
    ) -> None:
        super().__init__(vocab_size, d_model, layers, heads, max_positions, dropout)
