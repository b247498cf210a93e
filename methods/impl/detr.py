"""DETR (Detection Transformer): object detection as direct set prediction with a Transformer encoder-decoder.

Paper: End-to-End Object Detection with Transformers - https://arxiv.org/abs/2005.12872

A CNN backbone's map is projected to $d$ channels and flattened into $HW$ tokens; a Transformer
encoder, with fixed 2-D sine position encodings added to the queries and keys of every attention
layer, reasons over them globally. A decoder turns $N$ learned *object queries* (also added to the
queries and keys of every decoder attention, as positions) into $N$ detections in parallel; a
linear layer gives $K + 1$ class logits ("no object" included) and a 3-layer MLP a normalized box
$(c_x, c_y, w, h) \\in [0, 1]^4$. Training matches predictions to ground truth one-to-one with
the Hungarian algorithm, so no NMS or anchors are needed. Post-norm layers with ReLU, as in the
official `detr/models/transformer.py`. Demo: a three-layer conv backbone instead of ResNet-50.

Shapes: `forward(image: [B, 3, H, W])` -> `{"pred_logits": [B, N, K + 1], "pred_boxes": [B, N, 4]}`.

Hyperparameters: `num_classes` $K$ (91 on COCO; 4 here), `d_model` $d$ (256; 32), `heads` (8;
4), `encoder_layers` (6; 1), `decoder_layers` (6; 2), `d_ff` (2,048; 64), `num_queries` $N$ (100;
8), `dropout` (0.1).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from methods.impl.faster_r_cnn import tiny_backbone


def sine_positions(height: int, width: int, d_model: int, device: torch.device) -> torch.Tensor:
    """DETR's 2-D sine encoding [H W, d]: d/2 channels for y and d/2 for x, sin/cos interleaved over frequencies."""
    half = d_model // 2
    y = torch.arange(1, height + 1, device=device, dtype=torch.float32)[:, None].expand(height, width)
    x = torch.arange(1, width + 1, device=device, dtype=torch.float32)[None, :].expand(height, width)
    # normalize to (0, 2 pi], as in the official code
    y, x = y / height * 2 * math.pi, x / width * 2 * math.pi
    dim_t = 10000 ** (2 * (torch.arange(half, device=device) // 2) / half)
    pos_x, pos_y = x[..., None] / dim_t, y[..., None] / dim_t
    pos_x = torch.stack((pos_x[..., 0::2].sin(), pos_x[..., 1::2].cos()), -1).flatten(-2)
    pos_y = torch.stack((pos_y[..., 0::2].sin(), pos_y[..., 1::2].cos()), -1).flatten(-2)
    return torch.cat((pos_y, pos_x), -1).flatten(0, 1)


class EncoderLayer(nn.Module):
    """Self-attention with positions added to queries and keys, feed-forward; post-norm."""

    def __init__(self, d: int, heads: int, d_ff: int, dropout: float) -> None:
        super().__init__()
        self.attention = nn.MultiheadAttention(d, heads, dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, d_ff), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d_ff, d))
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
        q = k = x + pos
        x = self.norm1(x + self.dropout(self.attention(q, k, x, need_weights=False)[0]))
        return self.norm2(x + self.dropout(self.ff(x)))


class DecoderLayer(nn.Module):
    """Self-attention among queries, cross-attention to the memory, feed-forward; post-norm."""

    def __init__(self, d: int, heads: int, d_ff: int, dropout: float) -> None:
        super().__init__()
        self.self_attention = nn.MultiheadAttention(d, heads, dropout, batch_first=True)
        self.cross_attention = nn.MultiheadAttention(d, heads, dropout, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(d, d_ff), nn.ReLU(), nn.Dropout(dropout), nn.Linear(d_ff, d))
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.dropout = nn.Dropout(dropout)

    def forward(
        self, tgt: torch.Tensor, memory: torch.Tensor, pos: torch.Tensor, query_pos: torch.Tensor
    ) -> torch.Tensor:
        q = k = tgt + query_pos
        tgt = self.norm1(tgt + self.dropout(self.self_attention(q, k, tgt, need_weights=False)[0]))
        attended = self.cross_attention(tgt + query_pos, memory + pos, memory, need_weights=False)[0]
        tgt = self.norm2(tgt + self.dropout(attended))
        return self.norm3(tgt + self.dropout(self.ff(tgt)))


class DETR(nn.Module):
    """Backbone, 1x1 projection, Transformer encoder-decoder over object queries, class and box heads."""

    def __init__(
        self,
        num_classes: int = 4,
        d_model: int = 32,
        heads: int = 4,
        encoder_layers: int = 1,
        decoder_layers: int = 2,
        d_ff: int = 64,
        num_queries: int = 8,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        self.backbone = tiny_backbone(2 * d_model)
        self.input_proj = nn.Conv2d(2 * d_model, d_model, 1)
        self.encoder = nn.ModuleList(
            EncoderLayer(d_model, heads, d_ff, dropout) for _ in range(encoder_layers)
        )
        self.decoder = nn.ModuleList(
            DecoderLayer(d_model, heads, d_ff, dropout) for _ in range(decoder_layers)
        )
        self.decoder_norm = nn.LayerNorm(d_model)
        self.query_embed = nn.Embedding(num_queries, d_model)
        self.class_embed = nn.Linear(d_model, num_classes + 1)
        self.bbox_embed = nn.Sequential(
            nn.Linear(d_model, d_model),
            nn.ReLU(),
            nn.Linear(d_model, d_model),
            nn.ReLU(),
            nn.Linear(d_model, 4),
        )

    def forward(self, image: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [B, 3, H, W] -> pred_logits [B, N, K + 1], pred_boxes [B, N, 4] (normalized cx, cy, w, h)."""
        features = self.input_proj(self.backbone(image))
        b, d, h, w = features.shape
        memory = features.flatten(2).transpose(1, 2)
        pos = sine_positions(h, w, d, image.device)[None].expand(b, -1, -1)
        for layer in self.encoder:
            memory = layer(memory, pos)
        query_pos = self.query_embed.weight[None].expand(b, -1, -1)
        tgt = torch.zeros_like(query_pos)
        for layer in self.decoder:
            tgt = layer(tgt, memory, pos, query_pos)
        tgt = self.decoder_norm(tgt)
        return {"pred_logits": self.class_embed(tgt), "pred_boxes": self.bbox_embed(tgt).sigmoid()}
