"""SAM: Segment Anything Model, a promptable segmenter of an image encoder, a prompt encoder and a mask decoder.

Paper: Segment Anything (Kirillov et al., 2023) - https://arxiv.org/abs/2304.02643

SAM embeds the image once with a ViT encoder, embeds prompts (here foreground/background
points) as random Fourier features of their coordinates plus a learned label embedding, and
decodes masks with a light two-way transformer: output tokens (one IoU token and
`num_masks` mask tokens) and prompt tokens attend to the image embedding and the image embedding
attends back to them. The upscaled image embedding is multiplied by a per-mask vector from each
mask token's MLP (a dynamic linear classifier), and the IoU head predicts each mask's quality.
This follows `segment_anything`'s `MaskDecoder` and `PromptEncoder` at demo scale: a 2-layer
ViT on 8x8 patches of a 64x64 image (the paper: ViT-H on 1024x1024), one two-way block, and
a 2x upscaling (the paper: 4x).

Shapes: `image: [B, 3, 64, 64]`, `points: [B, P, 2]` in [0, 1], `labels: [B, P]` (1 foreground,
0 background) -> `masks: [B, M, 16, 16]` (logits), `iou_predictions: [B, M]`.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class TwoWayBlock(nn.Module):
    """Tokens self-attend, attend to the image, pass an MLP; then the image attends to the tokens."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.token_to_image = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.ReLU(), nn.Linear(2 * dim, dim))
        self.image_to_token = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(4))

    def forward(
        self, tokens: torch.Tensor, image: torch.Tensor, pos: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        tokens = self.norms[0](tokens + self.self_attn(tokens, tokens, tokens)[0])
        tokens = self.norms[1](tokens + self.token_to_image(tokens, image + pos, image)[0])
        tokens = self.norms[2](tokens + self.mlp(tokens))
        image = self.norms[3](image + self.image_to_token(image + pos, tokens, tokens)[0])
        return tokens, image


class SegmentAnything(nn.Module):
    """Image encoder, point prompt encoder and two-way mask decoder."""

    def __init__(
        self,
        dim: int = 32,
        heads: int = 2,
        depth: int = 2,
        num_masks: int = 3,
        patch: int = 8,
        image_size: int = 64,
    ):
        super().__init__()
        self.grid = image_size // patch
        self.patchify = nn.Conv2d(3, dim, patch, stride=patch)
        self.pos = nn.Parameter(torch.randn(1, self.grid * self.grid, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(
            dim, heads, 2 * dim, dropout=0.0, batch_first=True, norm_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        # random Fourier features of coordinates: [sin(2π B p), cos(2π B p)]
        self.register_buffer("fourier", torch.randn(2, dim // 2))
        self.label_embed = nn.Embedding(2, dim)
        self.output_tokens = nn.Parameter(torch.randn(1 + num_masks, dim) * 0.02)
        self.decoder = TwoWayBlock(dim, heads)
        self.upscale = nn.Sequential(nn.ConvTranspose2d(dim, dim // 4, 2, stride=2), nn.GELU())
        self.hypernetworks = nn.ModuleList(
            nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim // 4)) for _ in range(num_masks)
        )
        self.iou_head = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, num_masks))
        self.num_masks = num_masks

    def encode_points(self, points: torch.Tensor) -> torch.Tensor:
        projected = 2 * math.pi * (2 * points - 1) @ self.fourier
        return torch.cat([projected.sin(), projected.cos()], dim=-1)

    def forward(
        self, image: torch.Tensor, points: torch.Tensor, labels: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        """image: [B, 3, S, S], points: [B, P, 2], labels: [B, P] -> masks [B, M, 2S/p, 2S/p], iou_predictions [B, M]."""
        b = image.shape[0]
        embedding = self.encoder(self.patchify(image).flatten(2).transpose(1, 2) + self.pos)
        prompts = self.encode_points(points) + self.label_embed(labels)
        tokens = torch.cat([self.output_tokens.expand(b, -1, -1), prompts], dim=1)
        # the image positional encoding: Fourier features of the patch centres
        centres = (torch.arange(self.grid, device=image.device, dtype=image.dtype) + 0.5) / self.grid
        grid = torch.stack(torch.meshgrid(centres, centres, indexing="xy"), dim=-1).reshape(1, -1, 2)
        tokens, embedding = self.decoder(tokens, embedding, self.encode_points(grid))
        upscaled = self.upscale(embedding.transpose(1, 2).reshape(b, -1, self.grid, self.grid))
        # mask_m = (MLP_m(token_m)) · upscaled embedding
        weights = torch.stack([mlp(tokens[:, 1 + m]) for m, mlp in enumerate(self.hypernetworks)], dim=1)
        masks = torch.einsum("bmc,bchw->bmhw", weights, upscaled)
        return {"masks": masks, "iou_predictions": self.iou_head(tokens[:, 0])}
