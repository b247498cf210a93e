"""GLIDE: Guided Language to Image Diffusion for Generation and Editing.

Paper: GLIDE: Towards Photorealistic Image Generation and Editing with Text-Guided
Diffusion Models - https://arxiv.org/abs/2112.10741

A text-conditional diffusion model. A transformer encodes the caption's K tokens; its
last token embedding is projected and added to the timestep embedding (in place of a
class embedding), and all K final token embeddings are projected into every attention
layer of the ADM U-Net, where they are concatenated to the image's keys and values.
The U-Net predicts the noise $\\epsilon_\\theta(x_t | c)$ added by the forward process

$$q(x_t | x_0) = \\mathcal{N}(\\sqrt{\\bar\\alpha_t} x_0, (1 - \\bar\\alpha_t) I), \\qquad
  \\bar\\alpha_t = \\frac{f(t)}{f(0)}, \\ f(t) = \\cos^2\\Big(\\frac{t / T + s}{1 + s} \\frac{\\pi}{2}\\Big)$$

(the cosine schedule, $s = 0.008$, $\\beta_t \\le 0.999$). Captions are replaced by the
empty sequence 20% of the time in training, so the same network also gives the
unconditional $\\epsilon_\\theta(x_t | \\emptyset)$, and sampling uses classifier-free guidance

$$\\hat\\epsilon_\\theta(x_t | c) = \\epsilon_\\theta(x_t | \\emptyset)
  + s \\, (\\epsilon_\\theta(x_t | c) - \\epsilon_\\theta(x_t | \\emptyset))$$

U-Net blocks follow the paper's code: residual blocks with GroupNorm, SiLU, FiLM-like
scale-shift conditioning on the embedding and residual up/downsampling; the output
convolutions start at zero, so an untrained model predicts $\\epsilon = 0$. Token id 0 is
padding: padded positions take a learned padding embedding, and the empty caption is
all padding. The learned-variance output channels of the paper's model are left out.

Shapes: `forward(x_t: [B, C, S, S], timesteps: [B] int, tokens: [B, K] int) -> guided eps
[B, C, S, S]`; `GaussianDiffusion.q_sample(x_0, t, noise) -> x_t`.

Hyperparameters: `guidance_scale` is $s$ (3 in the paper's samples), `num_timesteps`
is $T$, `model_channels`/`channel_mult`/`num_res_blocks`/`attention_resolutions` shape
the U-Net (192, (1, 2, 3, 4), 3, (2, 4, 8) at 64x64), `text_ctx` is K (128),
`xf_width`/`xf_layers`/`xf_heads` size the text transformer (2048, 16, 32).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

GROUPS = 8
"""GroupNorm groups (32 in the paper, fewer for toy widths)."""


def timestep_embedding(timesteps: torch.Tensor, dim: int, max_period: float = 10000.0) -> torch.Tensor:
    """Sinusoidal embedding: t: [B] -> [B, dim], cos then sin of t * 10000^(-i / (dim / 2))."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, device=timesteps.device) / half)
    args = timesteps.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


def _zero(module: nn.Module) -> nn.Module:
    for p in module.parameters():
        nn.init.zeros_(p)
    return module


class GaussianDiffusion(nn.Module):
    """The forward process q(x_t | x_0) with the cosine noise schedule."""

    def __init__(self, num_timesteps: int, s: float = 0.008) -> None:
        super().__init__()
        steps = torch.arange(num_timesteps + 1, dtype=torch.float64) / num_timesteps
        f = torch.cos((steps + s) / (1 + s) * math.pi / 2) ** 2
        # beta_t = min(1 - alpha_bar(t) / alpha_bar(t - 1), 0.999)
        betas = torch.clamp(1 - f[1:] / f[:-1], max=0.999)
        self.register_buffer("betas", betas.float(), persistent=False)
        self.register_buffer("alphas_cumprod", torch.cumprod(1 - betas, 0).float(), persistent=False)

    def q_sample(self, x_start: torch.Tensor, t: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        """x_0: [B, ...], t: [B] int, noise: [B, ...] -> x_t = sqrt(a_bar_t) x_0 + sqrt(1 - a_bar_t) noise."""
        alpha_bar = self.alphas_cumprod[t].view(-1, *([1] * (x_start.dim() - 1)))
        return alpha_bar.sqrt() * x_start + (1 - alpha_bar).sqrt() * noise


class TextEncoder(nn.Module):
    """Caption transformer: token + position (or padding) embeddings, pre-LN blocks, final LayerNorm."""

    def __init__(self, vocab_size: int, text_ctx: int, width: int, layers: int, heads: int, emb_dim: int):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.positional_embedding = nn.Parameter(0.01 * torch.randn(text_ctx, width))
        self.padding_embedding = nn.Parameter(0.01 * torch.randn(text_ctx, width))
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(
                width, heads, 4 * width, dropout=0.0, activation="gelu", batch_first=True, norm_first=True
            )
            for _ in range(layers)
        )
        self.final_ln = nn.LayerNorm(width)
        self.proj = nn.Linear(width, emb_dim)

    def forward(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """tokens: [B, K] (0 = padding) -> (projected last token [B, emb_dim], token states [B, width, K])."""
        x = self.token_embedding(tokens) + self.positional_embedding[None]
        x = torch.where((tokens != 0)[..., None], x, self.padding_embedding[None])
        for block in self.blocks:
            x = block(x)
        x = self.final_ln(x)
        return self.proj(x[:, -1]), x.transpose(1, 2)


class ResBlock(nn.Module):
    """ADM residual block: GN-SiLU-conv, scale-shift by the embedding, GN-SiLU-dropout-conv, optional resampling."""

    def __init__(
        self, channels: int, emb_dim: int, out_channels: int, dropout: float, resample: str | None = None
    ) -> None:
        super().__init__()
        self.in_norm = nn.GroupNorm(GROUPS, channels)
        self.in_conv = nn.Conv2d(channels, out_channels, 3, padding=1)
        self.resample = resample
        self.emb = nn.Linear(emb_dim, 2 * out_channels)
        self.out_norm = nn.GroupNorm(GROUPS, out_channels)
        self.dropout = nn.Dropout(dropout)
        self.out_conv = _zero(nn.Conv2d(out_channels, out_channels, 3, padding=1))
        self.skip = nn.Identity() if out_channels == channels else nn.Conv2d(channels, out_channels, 1)

    def _resample(self, x: torch.Tensor) -> torch.Tensor:
        if self.resample == "down":
            return F.avg_pool2d(x, 2)
        if self.resample == "up":
            return F.interpolate(x, scale_factor=2.0, mode="nearest")
        return x

    def forward(self, x: torch.Tensor, emb: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W], emb: [B, E] -> [B, C_out, H', W'] (H' = H/2, H or 2H)."""
        h = self._resample(F.silu(self.in_norm(x)))
        h = self.in_conv(h)
        x = self._resample(x)
        scale, shift = self.emb(F.silu(emb))[..., None, None].chunk(2, dim=1)
        # h = GN(h) * (1 + scale) + shift
        h = self.out_norm(h) * (1 + scale) + shift
        h = self.out_conv(self.dropout(F.silu(h)))
        return self.skip(x) + h


class AttentionBlock(nn.Module):
    """Self-attention over pixels whose keys and values are extended by the caption's token states."""

    def __init__(self, channels: int, head_channels: int, encoder_channels: int) -> None:
        super().__init__()
        self.heads = channels // head_channels
        self.norm = nn.GroupNorm(GROUPS, channels)
        self.qkv = nn.Conv1d(channels, 3 * channels, 1)
        self.encoder_kv = nn.Conv1d(encoder_channels, 2 * channels, 1)
        self.proj_out = _zero(nn.Conv1d(channels, channels, 1))

    def forward(self, x: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        """x: [B, C, H, W], text: [B, W_xf, K] -> [B, C, H, W]."""
        b, c, height, width = x.shape
        n, ch = b * self.heads, c // self.heads
        q, k, v = self.qkv(self.norm(x).view(b, c, -1)).reshape(n, 3 * ch, -1).split(ch, dim=1)
        ek, ev = self.encoder_kv(text).reshape(n, 2 * ch, -1).split(ch, dim=1)
        # keys/values = [text tokens; pixels]
        k, v = torch.cat([ek, k], dim=-1), torch.cat([ev, v], dim=-1)
        # softmax(q^T k / sqrt(ch)) v
        weight = torch.softmax(torch.einsum("nct,ncs->nts", q, k) / math.sqrt(ch), dim=-1)
        h = torch.einsum("nts,ncs->nct", weight, v).reshape(b, c, -1)
        return x + self.proj_out(h).view(b, c, height, width)


class Stage(nn.ModuleList):
    """A sequence of blocks, each fed what it needs: the embedding, the caption states, or neither."""

    def forward(self, h: torch.Tensor, emb: torch.Tensor, text: torch.Tensor) -> torch.Tensor:
        for layer in self:
            if isinstance(layer, ResBlock):
                h = layer(h, emb)
            elif isinstance(layer, AttentionBlock):
                h = layer(h, text)
            else:
                h = layer(h)
        return h


class Text2ImUNet(nn.Module):
    """The ADM U-Net with text conditioning: eps_theta(x_t | t, tokens)."""

    def __init__(
        self,
        in_channels: int,
        model_channels: int,
        channel_mult: tuple[int, ...],
        num_res_blocks: int,
        attention_resolutions: tuple[int, ...],
        head_channels: int,
        dropout: float,
        vocab_size: int,
        text_ctx: int,
        xf_width: int,
        xf_layers: int,
        xf_heads: int,
    ) -> None:
        super().__init__()
        self.model_channels = model_channels
        emb_dim = 4 * model_channels
        self.time_embed = nn.Sequential(
            nn.Linear(model_channels, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim)
        )
        self.text = TextEncoder(vocab_size, text_ctx, xf_width, xf_layers, xf_heads, emb_dim)

        def attention(ch: int) -> AttentionBlock:
            return AttentionBlock(ch, head_channels, xf_width)

        ch = channel_mult[0] * model_channels
        self.input_blocks = nn.ModuleList([Stage([nn.Conv2d(in_channels, ch, 3, padding=1)])])
        skip_channels, ds = [ch], 1
        for level, mult in enumerate(channel_mult):
            for _ in range(num_res_blocks):
                layers: list[nn.Module] = [ResBlock(ch, emb_dim, mult * model_channels, dropout)]
                ch = mult * model_channels
                if ds in attention_resolutions:
                    layers.append(attention(ch))
                self.input_blocks.append(Stage(layers))
                skip_channels.append(ch)
            if level != len(channel_mult) - 1:
                self.input_blocks.append(Stage([ResBlock(ch, emb_dim, ch, dropout, "down")]))
                skip_channels.append(ch)
                ds *= 2
        self.middle_block = Stage(
            [ResBlock(ch, emb_dim, ch, dropout), attention(ch), ResBlock(ch, emb_dim, ch, dropout)]
        )
        self.output_blocks = nn.ModuleList()
        for level, mult in reversed(list(enumerate(channel_mult))):
            for i in range(num_res_blocks + 1):
                layers = [ResBlock(ch + skip_channels.pop(), emb_dim, mult * model_channels, dropout)]
                ch = mult * model_channels
                if ds in attention_resolutions:
                    layers.append(attention(ch))
                if level and i == num_res_blocks:
                    layers.append(ResBlock(ch, emb_dim, ch, dropout, "up"))
                    ds //= 2
                self.output_blocks.append(Stage(layers))
        self.out = nn.Sequential(
            nn.GroupNorm(GROUPS, ch), nn.SiLU(), _zero(nn.Conv2d(ch, in_channels, 3, padding=1))
        )

    def forward(self, x: torch.Tensor, timesteps: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """x: [B, C, S, S], timesteps: [B], tokens: [B, K] -> eps [B, C, S, S]."""
        text_emb, text = self.text(tokens)
        # emb = time embedding + projected final token
        emb = self.time_embed(timestep_embedding(timesteps, self.model_channels)) + text_emb
        skips, h = [], x
        for stage in self.input_blocks:
            h = stage(h, emb, text)
            skips.append(h)
        h = self.middle_block(h, emb, text)
        for stage in self.output_blocks:
            h = stage(torch.cat([h, skips.pop()], dim=1), emb, text)
        return self.out(h)


class GLIDE(nn.Module):
    """Text-conditional noise predictor with classifier-free guidance, and its forward process."""

    def __init__(
        self,
        in_channels: int = 3,
        image_size: int = 16,
        model_channels: int = 16,
        channel_mult: tuple[int, ...] = (1, 2),
        num_res_blocks: int = 1,
        attention_resolutions: tuple[int, ...] = (2,),
        head_channels: int = 8,
        dropout: float = 0.0,
        vocab_size: int = 64,
        text_ctx: int = 8,
        xf_width: int = 32,
        xf_layers: int = 2,
        xf_heads: int = 4,
        num_timesteps: int = 1000,
        guidance_scale: float = 3.0,
    ) -> None:
        super().__init__()
        if image_size % 2 ** (len(channel_mult) - 1):
            raise ValueError(f"image_size {image_size} must be divisible by 2**(len(channel_mult) - 1)")
        if model_channels % head_channels or xf_width % xf_heads:
            raise ValueError("model_channels and xf_width must be divisible by the head sizes")
        self.guidance_scale = guidance_scale
        self.unet = Text2ImUNet(
            in_channels,
            model_channels,
            channel_mult,
            num_res_blocks,
            attention_resolutions,
            head_channels,
            dropout,
            vocab_size,
            text_ctx,
            xf_width,
            xf_layers,
            xf_heads,
        )
        self.diffusion = GaussianDiffusion(num_timesteps)

    def forward(self, x_t: torch.Tensor, timesteps: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """x_t: [B, C, S, S], timesteps: [B] int, tokens: [B, K] int -> guided eps [B, C, S, S]."""
        empty = torch.zeros_like(tokens)
        # eps(x_t | c) and eps(x_t | empty caption) in one batch
        eps = self.unet(torch.cat([x_t, x_t]), torch.cat([timesteps, timesteps]), torch.cat([tokens, empty]))
        cond, uncond = eps.chunk(2)
        # eps_hat = eps(x_t | empty) + s * (eps(x_t | c) - eps(x_t | empty))
        return uncond + self.guidance_scale * (cond - uncond)
