"""MAE (Masked Autoencoder): reconstruct the pixels of randomly masked image patches from the visible ones.

Paper: Masked Autoencoders Are Scalable Vision Learners - https://arxiv.org/abs/2111.06377

A large random subset of patches (75%) is removed; the ViT encoder sees only the visible patches
(with their position embeddings), which makes pre-training cheap. A lightweight decoder receives
the encoded visible tokens plus a shared, learned `[mask]` token at every masked position (all
with position embeddings, fixed 2-D sin-cos in the paper, learned here), and a linear layer
predicts each patch's pixels. The loss is the mean squared error on the *masked* patches only,
with per-patch normalized pixel targets (the paper's `norm_pix_loss`):

$$\\mathcal{L} = \\frac{1}{|M|} \\sum_{i \\in M} \\frac{1}{P^2 C} \\| \\hat x_i - \\tilde x_i \\|^2,
\\quad \\tilde x_i = \\frac{x_i - \\mu_i}{\\sqrt{\\sigma_i^2 + 10^{-6}}}$$

Masking is per-sample random shuffling: argsort of uniform noise keeps the first
$N(1 - r)$ patches. Follows the official `models_mae.py`.

Shapes: `forward(x: [B, C, H, W])` -> `{"loss": [], "pred": [B, N, P^2 C], "mask": [B, N]}`
(mask 1 = removed).

Hyperparameters: `image_size` (224; 32 here), `patch_size` $P$ (16; 4 here), `dim` (1,024 for
ViT-L; 32), `depth` (24; 2), `heads` (16; 4), `decoder_dim` (512; 16), `decoder_depth` (8; 1),
`decoder_heads` (16; 2), `mask_ratio` $r$ (0.75), `norm_pix_loss`.
"""

from __future__ import annotations

import torch
from torch import nn

from methods.impl.blocks import transformer_stack
from methods.impl.vision_transformer import PatchEmbedding


def patchify(images: torch.Tensor, p: int) -> torch.Tensor:
    """[B, C, H, W] -> [B, N, P * P * C], patches in row-major order."""
    b, c, h, w = images.shape
    x = images.view(b, c, h // p, p, w // p, p).permute(0, 2, 4, 3, 5, 1)
    return x.reshape(b, (h // p) * (w // p), p * p * c)


def random_masking(n: int, keep: int, batch: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-sample shuffles: (ids_shuffle [B, N], ids_restore [B, N]); the first `keep` shuffled ids stay visible."""
    noise = torch.rand(batch, n, device=device)
    ids_shuffle = noise.argsort(dim=1)
    return ids_shuffle, ids_shuffle.argsort(dim=1)


class MAE(nn.Module):
    """ViT encoder over visible patches, light decoder with mask tokens, masked-patch pixel MSE."""

    def __init__(
        self,
        image_size: int = 32,
        patch_size: int = 4,
        in_channels: int = 3,
        dim: int = 32,
        depth: int = 2,
        heads: int = 4,
        decoder_dim: int = 16,
        decoder_depth: int = 1,
        decoder_heads: int = 2,
        mask_ratio: float = 0.75,
        norm_pix_loss: bool = True,
    ) -> None:
        super().__init__()
        self.patch_size, self.mask_ratio, self.norm_pix_loss = patch_size, mask_ratio, norm_pix_loss
        n = (image_size // patch_size) ** 2
        self.patch_embed = PatchEmbedding(in_channels, dim, patch_size)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, n + 1, dim) * 0.02)
        self.encoder = transformer_stack(depth, dim, heads, 4 * dim, norm_first=True)
        self.norm = nn.LayerNorm(dim)
        self.decoder_embed = nn.Linear(dim, decoder_dim)
        self.mask_token = nn.Parameter(torch.randn(1, 1, decoder_dim) * 0.02)
        self.decoder_pos_embed = nn.Parameter(torch.randn(1, n + 1, decoder_dim) * 0.02)
        self.decoder = transformer_stack(
            decoder_depth, decoder_dim, decoder_heads, 4 * decoder_dim, norm_first=True
        )
        self.decoder_norm = nn.LayerNorm(decoder_dim)
        self.decoder_pred = nn.Linear(decoder_dim, patch_size**2 * in_channels)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """x: [B, C, H, W] -> loss [], pred [B, N, P^2 C], mask [B, N]."""
        tokens = self.patch_embed(x) + self.pos_embed[:, 1:]
        b, n, d = tokens.shape
        keep = max(1, int(n * (1 - self.mask_ratio)))
        ids_shuffle, ids_restore = random_masking(n, keep, b, x.device)
        visible = tokens.gather(1, ids_shuffle[:, :keep, None].expand(-1, -1, d))
        cls = (self.cls_token + self.pos_embed[:, :1]).expand(b, -1, -1)
        h = torch.cat((cls, visible), dim=1)
        for layer in self.encoder:
            h = layer(h)
        h = self.decoder_embed(self.norm(h))
        # append mask tokens, then unshuffle to the original patch order
        filled = torch.cat((h[:, 1:], self.mask_token.expand(b, n - keep, -1)), dim=1)
        filled = filled.gather(1, ids_restore[..., None].expand(-1, -1, filled.shape[-1]))
        y = torch.cat((h[:, :1], filled), dim=1) + self.decoder_pos_embed
        for layer in self.decoder:
            y = layer(y)
        pred = self.decoder_pred(self.decoder_norm(y))[:, 1:]
        mask = torch.ones(b, n, device=x.device)
        mask[:, :keep] = 0
        mask = mask.gather(1, ids_restore)
        target = patchify(x, self.patch_size)
        if self.norm_pix_loss:
            mean, var = target.mean(-1, keepdim=True), target.var(-1, keepdim=True)
            target = (target - mean) / (var + 1e-6).sqrt()
        # mean squared error per patch, averaged over the removed patches only
        per_patch = (pred - target).pow(2).mean(-1)
        loss = (per_patch * mask).sum() / mask.sum()
        return {"loss": loss, "pred": pred, "mask": mask}
