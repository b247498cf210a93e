"""CLIP (Contrastive Language-Image Pre-training): image and text encoders trained to pair up in one space.

Paper: Learning Transferable Visual Models From Natural Language Supervision -
https://arxiv.org/abs/2103.00020

An image encoder (a ViT here) and a text encoder (a causal Transformer whose representation is the
final state at the end-of-text token, taken here as the highest token id, as in the reference
code) are linearly projected into a shared embedding space and L2-normalized. For a batch of $N$
(image, text) pairs the $N \\times N$ cosine similarities, scaled by a learned temperature
$\\tau$ (stored as $\\log(1/\\tau)$, initialized to $\\log(1/0.07)$), are the logits of a symmetric
cross-entropy whose targets are the diagonal:

$$\\mathcal{L} = \\tfrac{1}{2} \\big(\\mathrm{CE}(I_e T_e^\\top e^{t}, \\mathrm{diag}) +
\\mathrm{CE}(T_e I_e^\\top e^{t}, \\mathrm{diag})\\big)$$

The paper's Figure 3 pseudocode is what `forward` computes. Follows OpenAI's `clip/model.py`
(pre-norm towers, `ln_post` / `ln_final`, projections without bias).

Shapes: `forward(image: [N, 3, H, W], text: [N, L])` -> `{"logits_per_image": [N, N],
"logits_per_text": [N, N], "loss": []}`.

Hyperparameters: `image_size` (224; 32 here), `patch_size` (16 or 32; 8), `vision_width` (768;
32), `vision_layers` (12; 2), `vocab_size` (49,408; 64), `context_length` (77; 16), `text_width`
(512; 32), `text_layers` (12; 2), `heads` (8 / 12; 4), `embed_dim` (512; 16).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from methods.impl.blocks import causal_mask, transformer_stack
from methods.impl.vision_transformer import PatchEmbedding


class CLIP(nn.Module):
    """ViT image tower, causal text tower, projections to a joint space, scaled cosine logits."""

    def __init__(
        self,
        image_size: int = 32,
        patch_size: int = 8,
        vision_width: int = 32,
        vision_layers: int = 2,
        vocab_size: int = 64,
        context_length: int = 16,
        text_width: int = 32,
        text_layers: int = 2,
        heads: int = 4,
        embed_dim: int = 16,
    ) -> None:
        super().__init__()
        patches = (image_size // patch_size) ** 2
        self.patch_embed = PatchEmbedding(3, vision_width, patch_size)
        self.class_embedding = nn.Parameter(torch.randn(1, 1, vision_width) * vision_width**-0.5)
        self.vision_pos = nn.Parameter(torch.randn(1, patches + 1, vision_width) * 0.01)
        self.ln_pre = nn.LayerNorm(vision_width)
        self.vision = transformer_stack(vision_layers, vision_width, heads, 4 * vision_width, norm_first=True)
        self.ln_post = nn.LayerNorm(vision_width)
        self.visual_projection = nn.Linear(vision_width, embed_dim, bias=False)
        self.token_embedding = nn.Embedding(vocab_size, text_width)
        self.text_pos = nn.Parameter(torch.randn(1, context_length, text_width) * 0.01)
        self.text = transformer_stack(text_layers, text_width, heads, 4 * text_width, norm_first=True)
        self.ln_final = nn.LayerNorm(text_width)
        self.text_projection = nn.Linear(text_width, embed_dim, bias=False)
        # t = log(1 / tau), tau = 0.07 at initialization
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def encode_image(self, image: torch.Tensor) -> torch.Tensor:
        """image: [N, 3, H, W] -> unnormalized embeddings [N, E]."""
        x = self.patch_embed(image)
        x = torch.cat((self.class_embedding.expand(x.shape[0], -1, -1), x), dim=1) + self.vision_pos
        x = self.ln_pre(x)
        for layer in self.vision:
            x = layer(x)
        return self.visual_projection(self.ln_post(x[:, 0]))

    def encode_text(self, text: torch.Tensor) -> torch.Tensor:
        """text: [N, L] -> unnormalized embeddings [N, E], read at the end-of-text (highest id) token."""
        x = self.token_embedding(text) + self.text_pos[:, : text.shape[1]]
        mask = causal_mask(text.shape[1], text.device)
        for layer in self.text:
            x = layer(x, mask=mask)
        x = self.ln_final(x)
        return self.text_projection(x[torch.arange(x.shape[0], device=x.device), text.argmax(dim=-1)])

    def forward(self, image: torch.Tensor, text: torch.Tensor) -> dict[str, torch.Tensor]:
        """image: [N, 3, H, W], text: [N, L] -> logits_per_image, logits_per_text [N, N], loss []."""
        image_features = F.normalize(self.encode_image(image), dim=-1)
        text_features = F.normalize(self.encode_text(text), dim=-1)
        # logits = exp(t) * I_e T_e^T
        logits_per_image = self.logit_scale.exp() * image_features @ text_features.t()
        labels = torch.arange(image.shape[0], device=image.device)
        loss = (F.cross_entropy(logits_per_image, labels) + F.cross_entropy(logits_per_image.t(), labels)) / 2
        return {"logits_per_image": logits_per_image, "logits_per_text": logits_per_image.t(), "loss": loss}
