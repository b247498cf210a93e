"""Context Optimization (CoOp): learned prompt context for a frozen CLIP.

Paper: Learning to Prompt for Vision-Language Models - https://arxiv.org/abs/2109.01134

CoOp replaces the handcrafted words of a CLIP prompt ("a photo of a [CLASS].") with $M$ continuous
context vectors $[V]_1 \\dots [V]_M$ that are learned end-to-end from few labelled images while every
pre-trained CLIP weight stays frozen. The prompt of class $i$ is
$t_i = [\\mathrm{SOS}][V]_1 \\dots [V]_M [\\mathrm{CLASS}_i][.][\\mathrm{EOS}]$, where the start, class-name,
period and end embeddings are CLIP's frozen token embeddings. The context is unified (one $[M, D]$
set shared by all classes) or class-specific ($[K, M, D]$). The prompt runs through CLIP's causal
text Transformer; the feature at the EOS token, projected, is the class weight $g(t_i)$, and

$$ p(y = i \\mid x) = \\frac{\\exp(\\cos(g(t_i), f) / \\tau)}{\\sum_{j=1}^{K} \\exp(\\cos(g(t_j), f) / \\tau)} $$

with $f$ the frozen image encoder's feature and $1/\\tau$ CLIP's logit scale. Gradients flow through
the frozen text encoder into the context vectors only.

Here CLIP is a toy (a small causal text Transformer and a small ViT, randomly initialized instead
of pre-trained) and the class names are fixed random token sequences of 1..`max_name_length`
tokens drawn from torch's RNG when the model is built; the class token sits at the end, the paper's
default position.

Shapes: `forward(image: [B, 3, H, W])` -> `logits: [B, K]`.

Hyperparameters: `n_classes` $K$, `n_ctx` $M$, `class_specific_context` (unified vs. class-specific
context), `logit_scale` $1/\\tau$ (100 in CLIP), and the toy CLIP's sizes: `vocab_size`, `width` $D$,
`heads`, `layers`, `embed_dim` (joint space), `image_size`, `patch_size`, `vision_width`,
`vision_layers`, `max_name_length`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class QuickGELU(nn.Module):
    """CLIP's activation $x \\sigma(1.702 x)$."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    """CLIP's pre-norm Transformer block."""

    def __init__(self, width: int, heads: int) -> None:
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), QuickGELU(), nn.Linear(4 * width, width))

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """x: [N, L, D], mask: [L, L] additive -> [N, L, D]."""
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class TextEncoder(nn.Module):
    """CLIP's text tower over prompt embeddings: causal Transformer, final LN, EOS feature projected."""

    def __init__(
        self, vocab_size: int, context_length: int, width: int, heads: int, layers: int, embed_dim: int
    ):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.positional_embedding = nn.Parameter(0.01 * torch.randn(context_length, width))
        self.blocks = nn.ModuleList(ResidualAttentionBlock(width, heads) for _ in range(layers))
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(width**-0.5 * torch.randn(width, embed_dim))

    def forward(self, prompts: torch.Tensor, tokenized_prompts: torch.Tensor) -> torch.Tensor:
        """prompts: [K, L, D] embeddings, tokenized_prompts: [K, L] ids (EOS has the largest id)
        -> text features [K, E]."""
        x = prompts + self.positional_embedding
        length = x.shape[1]
        mask = x.new_full((length, length), float("-inf")).triu(1)
        for block in self.blocks:
            x = block(x, mask)
        x = self.ln_final(x)
        # g(t_i) = LN(x)[EOS] W_proj
        eos = x[torch.arange(x.shape[0], device=x.device), tokenized_prompts.argmax(-1)]
        return eos @ self.text_projection


class ImageEncoder(nn.Module):
    """CLIP's ViT image tower: patch embedding, class token, Transformer, LN, projection."""

    def __init__(self, image_size: int, patch_size: int, width: int, heads: int, layers: int, embed_dim: int):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, patch_size, patch_size, bias=False)
        self.class_embedding = nn.Parameter(width**-0.5 * torch.randn(width))
        self.positional_embedding = nn.Parameter(
            width**-0.5 * torch.randn((image_size // patch_size) ** 2 + 1, width)
        )
        self.ln_pre, self.ln_post = nn.LayerNorm(width), nn.LayerNorm(width)
        self.blocks = nn.ModuleList(ResidualAttentionBlock(width, heads) for _ in range(layers))
        self.proj = nn.Parameter(width**-0.5 * torch.randn(width, embed_dim))

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """image: [B, 3, H, W] -> image features [B, E]."""
        x = self.conv1(image).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = self.ln_pre(torch.cat([cls, x], dim=1) + self.positional_embedding)
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x[:, 0]) @ self.proj


class PromptLearner(nn.Module):
    """The learnable context $[V]_1 \\dots [V]_M$ between frozen SOS and class-name embeddings."""

    def __init__(
        self, token_embedding: nn.Embedding, tokenized_prompts: torch.Tensor, n_ctx: int, class_specific: bool
    ) -> None:
        super().__init__()
        n_classes, width = tokenized_prompts.shape[0], token_embedding.embedding_dim
        shape = (n_classes, n_ctx, width) if class_specific else (n_ctx, width)
        self.ctx = nn.Parameter(0.02 * torch.randn(shape))
        with torch.no_grad():
            embedding = token_embedding(tokenized_prompts)
        self.register_buffer("token_prefix", embedding[:, :1].clone())
        self.register_buffer("token_suffix", embedding[:, 1 + n_ctx :].clone())

    def forward(self) -> torch.Tensor:
        """-> prompt embeddings [K, L, D] = [SOS][V]_1..[V]_M[CLASS][.][EOS][pad...]."""
        ctx = self.ctx if self.ctx.dim() == 3 else self.ctx.expand(self.token_prefix.shape[0], -1, -1)
        return torch.cat([self.token_prefix, ctx, self.token_suffix], dim=1)


class CoOp(nn.Module):
    """A frozen toy CLIP classifying images with CoOp's learned prompts; only `ctx` trains."""

    def __init__(
        self,
        n_classes: int = 5,
        n_ctx: int = 4,
        class_specific_context: bool = False,
        logit_scale: float = 100.0,
        vocab_size: int = 64,
        width: int = 32,
        heads: int = 4,
        layers: int = 2,
        embed_dim: int = 24,
        image_size: int = 16,
        patch_size: int = 8,
        vision_width: int = 32,
        vision_layers: int = 1,
        max_name_length: int = 3,
    ) -> None:
        super().__init__()
        if patch_size > image_size:
            raise ValueError(f"patch_size {patch_size} exceeds image_size {image_size}")
        tokenized = self.tokenize_prompts(n_classes, n_ctx, vocab_size, max_name_length)
        self.register_buffer("tokenized_prompts", tokenized)
        self.text_encoder = TextEncoder(vocab_size, tokenized.shape[1], width, heads, layers, embed_dim)
        self.image_encoder = ImageEncoder(
            image_size, patch_size, vision_width, heads, vision_layers, embed_dim
        )
        self.text_encoder.requires_grad_(False)
        self.image_encoder.requires_grad_(False)
        self.prompt_learner = PromptLearner(
            self.text_encoder.token_embedding, tokenized, n_ctx, class_specific_context
        )
        self.logit_scale = logit_scale

    @staticmethod
    def tokenize_prompts(n_classes: int, n_ctx: int, vocab_size: int, max_name_length: int) -> torch.Tensor:
        """Token ids [K, 1 + M + max_name_length + 2] of "[SOS] X..X name . [EOS]" with zero padding.

        Ids: 0 pad, 1 the "X" placeholder, 2..vocab-4 words, vocab-3 ".", vocab-2 SOS, vocab-1 EOS
        (the largest id, so argmax finds it as in CLIP). Names are drawn from torch's RNG.
        """
        period, sos, eos = vocab_size - 3, vocab_size - 2, vocab_size - 1
        tokens = torch.zeros(n_classes, 1 + n_ctx + max_name_length + 2, dtype=torch.long)
        lengths = torch.randint(1, max_name_length + 1, (n_classes,))
        for i, n in enumerate(lengths.tolist()):
            name = torch.randint(2, period, (n,))
            prompt = torch.cat([torch.tensor([sos]), torch.ones(n_ctx, dtype=torch.long), name])
            tokens[i, : len(prompt) + 2] = torch.cat([prompt, torch.tensor([period, eos])])
        return tokens

    def text_features(self) -> torch.Tensor:
        """-> the class weights g(t_i), [K, E], from the current context."""
        return self.text_encoder(self.prompt_learner(), self.tokenized_prompts)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """image: [B, 3, H, W] -> logits [B, K]."""
        image_features = F.normalize(self.image_encoder(image), dim=-1)
        text_features = F.normalize(self.text_features(), dim=-1)
        # logits_{b,i} = cos(f_b, g(t_i)) / tau
        return self.logit_scale * image_features @ text_features.t()
