"""Vision-and-Language BERT (ViLBERT): the co-attentional transformer layer.

Paper: ViLBERT: Pretraining Task-Agnostic Visiolinguistic Representations for Vision-and-Language
Tasks - https://arxiv.org/abs/1908.02265

ViLBERT runs two BERT-style streams, one over image regions and one over text tokens, that interact
only through co-attentional transformer layers (Co-TRM). In a Co-TRM layer each stream computes
queries, keys and values as usual, but the keys and values are exchanged: visual queries attend over
the words and word queries attend over the regions. The rest of each stream's block is a standard
post-norm BERT block (output projection, residual, LayerNorm, GELU feed-forward, residual,
LayerNorm), so the layer yields image features conditioned on language and vice versa:

$$ A_V = \\mathrm{softmax}\\!\\left(\\frac{Q_V K_W^\\top}{\\sqrt{d_h}}\\right) V_W, \\qquad
   A_W = \\mathrm{softmax}\\!\\left(\\frac{Q_W K_V^\\top}{\\sqrt{d_h}}\\right) V_V $$
$$ H_V' = \\mathrm{LN}(H_V + A_V W_O^V), \\qquad H_V'' = \\mathrm{LN}(H_V' + \\mathrm{FFN}_V(H_V')) $$

and symmetrically for the text stream $W$. As in the released model, the two streams may have
different widths ($D_v$ = 1024, $D_t$ = 768) and attend in a shared co-attention width $d$.

Shapes: `forward(visual: [B, Nv, Dv], text: [B, Nt, Dt])` ->
`{"visual": [B, Nv, Dv], "text": [B, Nt, Dt]}`; optional key masks `visual_mask: [B, Nv]`,
`text_mask: [B, Nt]` (True = attend).

Hyperparameters: `visual_dim` $D_v$, `text_dim` $D_t$, `co_attention_dim` $d$ (= heads x $d_h$),
`num_heads` $h$, `visual_ffn_dim` and `text_ffn_dim` (the FFN inner widths), `dropout` (BERT's 0.1).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


class CoAttention(nn.Module):
    """Queries of each stream attend over the keys and values of the other stream."""

    def __init__(self, visual_dim: int, text_dim: int, dim: int, num_heads: int, dropout: float) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f"co_attention_dim {dim} is not divisible by num_heads {num_heads}")
        self.visual_qkv = nn.ModuleDict({n: nn.Linear(visual_dim, dim) for n in ("query", "key", "value")})
        self.text_qkv = nn.ModuleDict({n: nn.Linear(text_dim, dim) for n in ("query", "key", "value")})
        self.num_heads, self.head_dim = num_heads, dim // num_heads
        self.dropout = nn.Dropout(dropout)

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        return x.view(x.shape[0], x.shape[1], self.num_heads, self.head_dim).transpose(1, 2)

    def _attend(
        self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, key_mask: torch.Tensor | None
    ) -> torch.Tensor:
        # softmax(Q K^T / sqrt(d_h)) V
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        if key_mask is not None:
            scores = scores.masked_fill(~key_mask[:, None, None, :], torch.finfo(scores.dtype).min)
        out = self.dropout(scores.softmax(-1)) @ v
        return out.transpose(1, 2).flatten(2)

    def forward(
        self,
        visual: torch.Tensor,
        text: torch.Tensor,
        visual_mask: torch.Tensor | None = None,
        text_mask: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """visual: [B, Nv, Dv], text: [B, Nt, Dt] -> (A_V: [B, Nv, d], A_W: [B, Nt, d])."""
        qv, kv, vv = (self._heads(self.visual_qkv[n](visual)) for n in ("query", "key", "value"))
        qw, kw, vw = (self._heads(self.text_qkv[n](text)) for n in ("query", "key", "value"))
        # A_V: visual queries over word keys/values; A_W: word queries over region keys/values
        return self._attend(qv, kw, vw, text_mask), self._attend(qw, kv, vv, visual_mask)


class StreamOutput(nn.Module):
    """One stream's rest of the block: LN(H + A W_O), then LN(H' + FFN(H')) with a GELU FFN."""

    def __init__(self, dim: int, attention_dim: int, ffn_dim: int, dropout: float) -> None:
        super().__init__()
        self.attention_out = nn.Linear(attention_dim, dim)
        self.attention_norm = nn.LayerNorm(dim, eps=1e-12)
        self.ffn_in = nn.Linear(dim, ffn_dim)
        self.ffn_out = nn.Linear(ffn_dim, dim)
        self.ffn_norm = nn.LayerNorm(dim, eps=1e-12)
        self.dropout = nn.Dropout(dropout)

    def forward(self, hidden: torch.Tensor, attended: torch.Tensor) -> torch.Tensor:
        """hidden: [B, N, D] stream input, attended: [B, N, d] co-attention output -> [B, N, D]."""
        # H' = LN(H + dropout(A W_O))
        hidden = self.attention_norm(hidden + self.dropout(self.attention_out(attended)))
        # H'' = LN(H' + dropout(W_2 GELU(W_1 H')))
        return self.ffn_norm(hidden + self.dropout(self.ffn_out(F.gelu(self.ffn_in(hidden)))))


class CoAttentionalTransformerLayer(nn.Module):
    """ViLBERT's Co-TRM layer over a visual stream and a text stream."""

    def __init__(
        self,
        visual_dim: int = 24,
        text_dim: int = 32,
        co_attention_dim: int = 32,
        num_heads: int = 4,
        visual_ffn_dim: int = 48,
        text_ffn_dim: int = 64,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.co_attention = CoAttention(visual_dim, text_dim, co_attention_dim, num_heads, dropout)
        self.visual_output = StreamOutput(visual_dim, co_attention_dim, visual_ffn_dim, dropout)
        self.text_output = StreamOutput(text_dim, co_attention_dim, text_ffn_dim, dropout)

    def forward(
        self,
        visual: torch.Tensor,
        text: torch.Tensor,
        visual_mask: torch.Tensor | None = None,
        text_mask: torch.Tensor | None = None,
    ) -> dict[str, torch.Tensor]:
        """visual: [B, Nv, Dv], text: [B, Nt, Dt], masks [B, Nv] / [B, Nt] (True = attend) ->
        {"visual": [B, Nv, Dv], "text": [B, Nt, Dt]}."""
        visual_attended, text_attended = self.co_attention(visual, text, visual_mask, text_mask)
        return {
            "visual": self.visual_output(visual, visual_attended),
            "text": self.text_output(text, text_attended),
        }
