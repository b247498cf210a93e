"""CodeT5: an identifier-aware T5 encoder-decoder for code.

Paper: CodeT5: Identifier-aware Unified Pre-trained Encoder-Decoder Models for Code Understanding
and Generation - https://arxiv.org/abs/2109.00859

CodeT5 is the T5 architecture (Raffel et al., https://arxiv.org/abs/1910.10683) trained on code:
a pre-norm Transformer encoder-decoder whose layer norm is T5's scale-only RMS norm, whose attention
carries a learned bucketed relative position bias instead of position embeddings, and whose
embedding matrix is shared by encoder, decoder and LM head. Besides the span-denoising LM head,
CodeT5 adds an identifier tagging (IT) head on the encoder's final hidden states that predicts, for
every token, whether it is an identifier (a variable or function name):

$$ \\mathcal{L}_{IT} = \\sum_{i=1}^{m} -[y_i \\log p_i + (1 - y_i) \\log(1 - p_i)], \\quad
p_i = \\sigma(w^\\top h_i + b) $$

T5 details kept here: RMS norm $y = g \\odot x / \\sqrt{\\mathrm{mean}(x^2) + \\epsilon}$; attention
logits $q k^\\top + b_{\\mathrm{bucket}(j - i)}$ with no $1/\\sqrt{d}$ scaling (folded into the
initialization); one relative bias table per stack, bidirectional in the encoder and causal in the
decoder, none in cross-attention; ReLU feed-forward; tied LM head scaled by $d_{model}^{-1/2}$.

Shapes: `forward(input_ids: [B, S], decoder_input_ids: [B, T])` ->
`{"logits": [B, T, V], "identifier_logits": [B, S]}` (the IT head's pre-sigmoid logits).

Hyperparameters: `vocab_size` $V$, `d_model` $d_{model}$, `d_kv` $d_{kv}$ (per-head width),
`num_heads` $h$, `d_ff` $d_{ff}$, `num_layers` $N$ (per stack), `num_buckets` and `max_distance`
(the relative position bucketing), `dropout` (T5's rate 0.1).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def relative_position_bucket(
    relative_position: torch.Tensor, bidirectional: bool, num_buckets: int, max_distance: int
) -> torch.Tensor:
    """T5's bucket of each relative position $j - i$ (key minus query): exact buckets for small
    offsets, logarithmically wider ones up to `max_distance`, the sign split into halves when
    `bidirectional`, and future positions folded to bucket 0 otherwise."""
    buckets = torch.zeros_like(relative_position)
    if bidirectional:
        num_buckets //= 2
        buckets = buckets + (relative_position > 0).long() * num_buckets
        distance = relative_position.abs()
    else:
        distance = (-relative_position).clamp(min=0)
    max_exact = num_buckets // 2
    is_small = distance < max_exact
    # bucket = max_exact + log(n / max_exact) / log(max_distance / max_exact) * (num_buckets - max_exact)
    large = (
        max_exact
        + (
            torch.log(distance.float().clamp(min=1) / max_exact)
            / math.log(max_distance / max_exact)
            * (num_buckets - max_exact)
        ).long()
    )
    large = large.clamp(max=num_buckets - 1)
    return buckets + torch.where(is_small, distance, large)


class T5LayerNorm(nn.Module):
    """Scale-only RMS norm: no mean subtraction, no bias."""

    def __init__(self, dim: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [*, D] -> [*, D]."""
        # y = g * x / sqrt(mean(x^2) + eps)
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class RelativePositionBias(nn.Module):
    """A learned scalar per (bucket, head), shared by every layer of one stack."""

    def __init__(self, num_heads: int, num_buckets: int, max_distance: int, bidirectional: bool) -> None:
        super().__init__()
        self.embedding = nn.Embedding(num_buckets, num_heads)
        self.num_buckets, self.max_distance, self.bidirectional = num_buckets, max_distance, bidirectional

    def forward(self, query_length: int, key_length: int, device: torch.device) -> torch.Tensor:
        """-> bias [1, h, query_length, key_length]."""
        query = torch.arange(query_length, device=device)[:, None]
        key = torch.arange(key_length, device=device)[None, :]
        bucket = relative_position_bucket(
            key - query, self.bidirectional, self.num_buckets, self.max_distance
        )
        return self.embedding(bucket).permute(2, 0, 1).unsqueeze(0)


class T5Attention(nn.Module):
    """Multi-head attention without the $1/\\sqrt{d_{kv}}$ scaling and without biases."""

    def __init__(self, d_model: int, d_kv: int, num_heads: int, dropout: float) -> None:
        super().__init__()
        inner = num_heads * d_kv
        self.q = nn.Linear(d_model, inner, bias=False)
        self.k = nn.Linear(d_model, inner, bias=False)
        self.v = nn.Linear(d_model, inner, bias=False)
        self.o = nn.Linear(inner, d_model, bias=False)
        self.num_heads, self.d_kv = num_heads, d_kv
        self.dropout = nn.Dropout(dropout)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        return x.view(x.shape[0], x.shape[1], self.num_heads, self.d_kv).transpose(1, 2)

    def forward(self, x: torch.Tensor, memory: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
        """x: [B, Lq, D] queries, memory: [B, Lk, D] keys/values, bias: [1, h, Lq, Lk] -> [B, Lq, D]."""
        q, k, v = self._split(self.q(x)), self._split(self.k(memory)), self._split(self.v(memory))
        # scores = q k^T + b  (T5 folds 1/sqrt(d_kv) into the initialization)
        scores = q @ k.transpose(-1, -2)
        if bias is not None:
            scores = scores + bias
        weights = self.dropout(scores.float().softmax(-1).type_as(scores))
        out = (weights @ v).transpose(1, 2).reshape(x.shape[0], x.shape[1], -1)
        return self.o(out)


class T5FeedForward(nn.Module):
    """ReLU feed-forward: $W_o \\, \\mathrm{dropout}(\\max(0, W_i x))$."""

    def __init__(self, d_model: int, d_ff: int, dropout: float) -> None:
        super().__init__()
        self.wi = nn.Linear(d_model, d_ff, bias=False)
        self.wo = nn.Linear(d_ff, d_model, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, L, D] -> [B, L, D]."""
        return self.wo(self.dropout(F.relu(self.wi(x))))


class T5Block(nn.Module):
    """Pre-norm residual sub-layers: self-attention, cross-attention (decoder only), feed-forward."""

    def __init__(self, d_model: int, d_kv: int, num_heads: int, d_ff: int, dropout: float, decoder: bool):
        super().__init__()
        self.self_norm = T5LayerNorm(d_model)
        self.self_attention = T5Attention(d_model, d_kv, num_heads, dropout)
        self.cross_norm = T5LayerNorm(d_model) if decoder else None
        self.cross_attention = T5Attention(d_model, d_kv, num_heads, dropout) if decoder else None
        self.ff_norm = T5LayerNorm(d_model)
        self.feed_forward = T5FeedForward(d_model, d_ff, dropout)
        self.dropout = nn.Dropout(dropout)

    def forward(
        self, x: torch.Tensor, bias: torch.Tensor, encoder_out: torch.Tensor | None = None
    ) -> torch.Tensor:
        """x: [B, L, D], bias: [1, h, L, L], encoder_out: [B, S, D] (decoder) -> [B, L, D]."""
        # x <- x + dropout(SelfAttn(LN(x)))
        h = self.self_norm(x)
        x = x + self.dropout(self.self_attention(h, h, bias))
        if self.cross_attention is not None:
            # x <- x + dropout(CrossAttn(LN(x), encoder_out)); cross-attention has no position bias
            x = x + self.dropout(self.cross_attention(self.cross_norm(x), encoder_out, None))
        # x <- x + dropout(FFN(LN(x)))
        return x + self.dropout(self.feed_forward(self.ff_norm(x)))


class CodeT5(nn.Module):
    """T5 encoder-decoder with a tied LM head and CodeT5's identifier tagging head."""

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
        super().__init__()
        self.shared = nn.Embedding(vocab_size, d_model)
        self.encoder_bias = RelativePositionBias(num_heads, num_buckets, max_distance, bidirectional=True)
        self.decoder_bias = RelativePositionBias(num_heads, num_buckets, max_distance, bidirectional=False)

        def stack(decoder: bool) -> nn.ModuleList:
            return nn.ModuleList(
                T5Block(d_model, d_kv, num_heads, d_ff, dropout, decoder) for _ in range(num_layers)
            )

        self.encoder, self.decoder = stack(False), stack(True)
        self.encoder_norm, self.decoder_norm = T5LayerNorm(d_model), T5LayerNorm(d_model)
        self.identifier_head = nn.Linear(d_model, 1)
        self.dropout = nn.Dropout(dropout)
        self.d_model = d_model

    def encode(self, input_ids: torch.Tensor) -> torch.Tensor:
        """input_ids: [B, S] -> encoder states [B, S, D]."""
        x = self.dropout(self.shared(input_ids))
        bias = self.encoder_bias(x.shape[1], x.shape[1], x.device)
        for block in self.encoder:
            x = block(x, bias)
        return self.dropout(self.encoder_norm(x))

    def decode(self, decoder_input_ids: torch.Tensor, encoder_out: torch.Tensor) -> torch.Tensor:
        """decoder_input_ids: [B, T], encoder_out: [B, S, D] -> decoder states [B, T, D]."""
        y = self.dropout(self.shared(decoder_input_ids))
        length = y.shape[1]
        future = torch.ones(length, length, dtype=torch.bool, device=y.device).triu(1)
        bias = self.decoder_bias(length, length, y.device).masked_fill(future, torch.finfo(y.dtype).min)
        for block in self.decoder:
            y = block(y, bias, encoder_out)
        return self.dropout(self.decoder_norm(y))

    def forward(self, input_ids: torch.Tensor, decoder_input_ids: torch.Tensor) -> dict[str, torch.Tensor]:
        """input_ids: [B, S], decoder_input_ids: [B, T] ->
        {"logits": [B, T, V], "identifier_logits": [B, S]}."""
        encoder_out = self.encode(input_ids)
        decoder_out = self.decode(decoder_input_ids, encoder_out)
        # tied LM head: logits = (d_model^{-1/2} y) E^T
        logits = (decoder_out * self.d_model**-0.5) @ self.shared.weight.t()
        # identifier tagging: p_i = sigmoid(w^T h_i + b); the logit is returned
        identifier_logits = self.identifier_head(encoder_out).squeeze(-1)
        return {"logits": logits, "identifier_logits": identifier_logits}
