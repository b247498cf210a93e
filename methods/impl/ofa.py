"""OFA: One For All, a unified sequence-to-sequence model over one multimodal vocabulary.

Paper: OFA: Unifying Architectures, Tasks, and Modalities Through a Simple Sequence-to-Sequence
Learning Framework - https://arxiv.org/abs/2202.03052

OFA casts every task (captioning, VQA, visual grounding, image generation, classification, language
modeling) as sequence-to-sequence generation with no task-specific layers. One vocabulary holds text
(BPE) tokens, image quantization codes (VQGAN) and location tokens (box coordinates quantized into
bins, a box being $\\langle x_1, y_1, x_2, y_2 \\rangle$), and one embedding matrix embeds inputs and
scores outputs over all of them. The image is turned into patch features by ResNet modules and
placed in the same encoder sequence as the text; a handcrafted instruction in the text (e.g. "What
does the image describe?") tells the model which task to perform, and the decoder predicts the
target sequence over the unified vocabulary:

$$ \\mathcal{L} = -\\sum_i \\log P_\\theta(y_i \\mid y_{<i}, x_{\\mathrm{image}}, x_{\\mathrm{instruction}}) $$

Architecture details kept from the paper: pre-norm Transformer layers with NormFormer's head scaling,
post-attention LayerNorm and LayerNorm after the first FFN layer; type embeddings for image and text
positions of the encoder; absolute positions (separate tables for image patches and text) that are
not added to the tokens but enter attention as a decoupled bias (TUPE):
$\\mathrm{score}_{ij} = \\frac{(x_i W^Q)(x_j W^K)^\\top}{\\sqrt{2 d_h}}
+ \\frac{(p_i U^Q)(p_j U^K)^\\top}{\\sqrt{2 d_h}}$, also between decoder and encoder positions in
cross-attention. Simplified here: the 1D/2D bucketed relative position biases that OFA adds on top
are left out, and the image stem is one residual block instead of ResNet's first three stages.

Shapes: `forward(image: [B, 3, H, W], instruction: [B, L], decoder_input_ids: [B, T])` ->
`logits: [B, T, V]` with $V$ = `text_vocab_size` + `num_image_codes` + `num_location_bins`.

Hyperparameters: `text_vocab_size`, `num_image_codes` (the VQ codebook size), `num_location_bins`
(the coordinate quantization bins), `d_model`, `num_heads` $h$, `ffn_dim`, `encoder_layers`,
`decoder_layers`, `image_size` $H = W$ (the stem downsamples by 4), `stem_channels`,
`max_text_length` (position table size), `dropout`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class UnifiedVocabulary:
    """Index layout: text tokens, then image codes, then location bins."""

    def __init__(self, text_vocab_size: int, num_image_codes: int, num_location_bins: int) -> None:
        self.text_vocab_size = text_vocab_size
        self.num_image_codes = num_image_codes
        self.num_location_bins = num_location_bins
        self.size = text_vocab_size + num_image_codes + num_location_bins

    def image_code_tokens(self, codes: torch.Tensor) -> torch.Tensor:
        """VQ codes in [0, num_image_codes) -> unified token ids."""
        return codes + self.text_vocab_size

    def location_tokens(self, boxes: torch.Tensor) -> torch.Tensor:
        """boxes: [*, 4] as (x1, y1, x2, y2) normalized to [0, 1] -> unified token ids [*, 4]."""
        # <bin_k>, k = round(coordinate * (num_bins - 1))
        bins = (boxes.clamp(0, 1) * (self.num_location_bins - 1)).round().long()
        return bins + self.text_vocab_size + self.num_image_codes


class ImageStem(nn.Module):
    """ResNet-style patch features: conv-BN-ReLU (stride 2), a basic residual block, conv-BN-ReLU
    (stride 2); each output pixel is one patch."""

    def __init__(self, in_channels: int, channels: int) -> None:
        super().__init__()

        def conv_bn(cin: int, cout: int, stride: int) -> list[nn.Module]:
            return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)]

        self.stem = nn.Sequential(*conv_bn(in_channels, channels, 2), nn.ReLU())
        self.block = nn.Sequential(
            *conv_bn(channels, channels, 1), nn.ReLU(), *conv_bn(channels, channels, 1)
        )
        self.down = nn.Sequential(*conv_bn(channels, 2 * channels, 2), nn.ReLU())

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """image: [B, 3, H, W] -> patch features [B, P, 2 * channels] with P = (H/4)(W/4)."""
        x = self.stem(image)
        x = F.relu(x + self.block(x))
        return self.down(x).flatten(2).transpose(1, 2)


class PositionBias(nn.Module):
    """TUPE's decoupled absolute position term $(p_i U^Q)(p_j U^K)^\\top / \\sqrt{2 d_h}$, per head."""

    def __init__(self, d_model: int, num_heads: int) -> None:
        super().__init__()
        self.query = nn.Linear(d_model, d_model)
        self.key = nn.Linear(d_model, d_model)
        self.num_heads, self.scaling = num_heads, (2 * d_model // num_heads) ** -0.5

    def forward(self, query_positions: torch.Tensor, key_positions: torch.Tensor) -> torch.Tensor:
        """query_positions: [Lq, D], key_positions: [Lk, D] -> bias [1, h, Lq, Lk]."""
        q = self.query(query_positions).view(query_positions.shape[0], self.num_heads, -1).transpose(0, 1)
        k = self.key(key_positions).view(key_positions.shape[0], self.num_heads, -1).transpose(0, 1)
        return (q * self.scaling @ k.transpose(-1, -2)).unsqueeze(0)


class HeadScaledAttention(nn.Module):
    """Multi-head attention with a position bias, TUPE's $1/\\sqrt{2 d_h}$ content scaling and
    NormFormer's learned per-head scale $\\gamma_h$ on each head's output."""

    def __init__(self, d_model: int, num_heads: int, dropout: float) -> None:
        super().__init__()
        self.q, self.k, self.v = (nn.Linear(d_model, d_model) for _ in range(3))
        self.out = nn.Linear(d_model, d_model)
        self.head_scale = nn.Parameter(torch.ones(num_heads))
        self.num_heads, self.scaling = num_heads, (2 * d_model // num_heads) ** -0.5
        self.dropout = nn.Dropout(dropout)

    def _heads(self, x: torch.Tensor) -> torch.Tensor:
        return x.view(x.shape[0], x.shape[1], self.num_heads, -1).transpose(1, 2)

    def forward(self, x: torch.Tensor, memory: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        """x: [B, Lq, D], memory: [B, Lk, D], bias: [1, h, Lq, Lk] -> [B, Lq, D]."""
        q, k, v = (
            self._heads(self.q(x)) * self.scaling,
            self._heads(self.k(memory)),
            self._heads(self.v(memory)),
        )
        # softmax(q k^T / sqrt(2 d_h) + position bias) v, each head scaled by gamma_h
        heads = self.dropout((q @ k.transpose(-1, -2) + bias).softmax(-1)) @ v
        heads = heads * self.head_scale[:, None, None]
        return self.out(heads.transpose(1, 2).flatten(2))


class OFALayer(nn.Module):
    """Pre-norm NormFormer layer: x + LN(Attn(LN(x))) [+ cross-attention], x + W2 LN(GELU(W1 LN(x)))."""

    def __init__(self, d_model: int, num_heads: int, ffn_dim: int, dropout: float, decoder: bool) -> None:
        super().__init__()
        self.self_norm, self.self_post_norm = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.self_attention = HeadScaledAttention(d_model, num_heads, dropout)
        if decoder:
            self.cross_norm, self.cross_post_norm = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
            self.cross_attention = HeadScaledAttention(d_model, num_heads, dropout)
        self.ffn_norm, self.ffn_mid_norm = nn.LayerNorm(d_model), nn.LayerNorm(ffn_dim)
        self.fc1, self.fc2 = nn.Linear(d_model, ffn_dim), nn.Linear(ffn_dim, d_model)
        self.dropout = nn.Dropout(dropout)
        self.decoder = decoder

    def forward(
        self,
        x: torch.Tensor,
        self_bias: torch.Tensor,
        encoder_out: torch.Tensor | None = None,
        cross_bias: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """x: [B, L, D], self_bias: [1, h, L, L]; decoder: encoder_out [B, S, D], cross_bias
        [1, h, L, S] -> [B, L, D]."""
        h = self.self_norm(x)
        # x <- x + dropout(LN_post(SelfAttn(LN(x))))
        x = x + self.dropout(self.self_post_norm(self.self_attention(h, h, self_bias)))
        if self.decoder:
            h = self.cross_attention(self.cross_norm(x), encoder_out, cross_bias)
            x = x + self.dropout(self.cross_post_norm(h))
        # x <- x + dropout(W2 LN_mid(dropout(GELU(W1 LN(x)))))
        h = self.dropout(F.gelu(self.fc1(self.ffn_norm(x))))
        return x + self.dropout(self.fc2(self.ffn_mid_norm(h)))


class OFA(nn.Module):
    """Unified encoder-decoder: image patches and an instruction in, unified-vocabulary logits out."""

    def __init__(
        self,
        text_vocab_size: int = 48,
        num_image_codes: int = 32,
        num_location_bins: int = 16,
        d_model: int = 32,
        num_heads: int = 4,
        ffn_dim: int = 64,
        encoder_layers: int = 2,
        decoder_layers: int = 2,
        image_size: int = 16,
        stem_channels: int = 8,
        max_text_length: int = 32,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        if d_model % num_heads:
            raise ValueError(f"d_model {d_model} is not divisible by num_heads {num_heads}")
        self.vocab = UnifiedVocabulary(text_vocab_size, num_image_codes, num_location_bins)
        self.embed_tokens = nn.Embedding(self.vocab.size, d_model)
        self.image_stem = ImageStem(3, stem_channels)
        self.image_proj = nn.Linear(2 * stem_channels, d_model)
        self.type_embedding = nn.Embedding(2, d_model)
        self.encoder_embed_norm, self.decoder_embed_norm = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.image_size, self.max_text_length = image_size, max_text_length
        self.image_positions = nn.Embedding((image_size // 4) ** 2, d_model)
        self.text_positions = nn.Embedding(max_text_length, d_model)
        self.decoder_positions = nn.Embedding(max_text_length, d_model)
        self.image_pos_norm, self.text_pos_norm = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.decoder_pos_norm = nn.LayerNorm(d_model)
        self.encoder_pos_bias = PositionBias(d_model, num_heads)
        self.decoder_pos_bias = PositionBias(d_model, num_heads)
        self.cross_pos_bias = PositionBias(d_model, num_heads)
        self.encoder = nn.ModuleList(
            OFALayer(d_model, num_heads, ffn_dim, dropout, decoder=False) for _ in range(encoder_layers)
        )
        self.decoder = nn.ModuleList(
            OFALayer(d_model, num_heads, ffn_dim, dropout, decoder=True) for _ in range(decoder_layers)
        )
        self.encoder_norm, self.decoder_norm = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def _check(self, image: torch.Tensor, *sequences: torch.Tensor) -> None:
        if tuple(image.shape[-2:]) != (self.image_size, self.image_size):
            raise ValueError(f"image must be {self.image_size}x{self.image_size}, got {tuple(image.shape)}")
        for tokens in sequences:
            if tokens.shape[1] > self.max_text_length:
                raise ValueError(f"sequence length {tokens.shape[1]} exceeds {self.max_text_length}")

    def encode(self, image: torch.Tensor, instruction: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """image: [B, 3, H, W], instruction: [B, L] -> (states [B, P + L, D], positions [P + L, D])."""
        patches = self.image_proj(self.image_stem(image)) + self.type_embedding.weight[1]
        words = self.embed_tokens(instruction) + self.type_embedding.weight[0]
        x = self.dropout(self.encoder_embed_norm(torch.cat([patches, words], dim=1)))
        positions = torch.cat(
            [
                self.image_pos_norm(self.image_positions.weight),
                self.text_pos_norm(self.text_positions.weight[: instruction.shape[1]]),
            ]
        )
        bias = self.encoder_pos_bias(positions, positions)
        for layer in self.encoder:
            x = layer(x, bias)
        return self.encoder_norm(x), positions

    def decode(
        self, decoder_input_ids: torch.Tensor, encoder_out: torch.Tensor, encoder_positions: torch.Tensor
    ) -> torch.Tensor:
        """decoder_input_ids: [B, T], encoder_out: [B, S, D], encoder_positions: [S, D] -> [B, T, D]."""
        length = decoder_input_ids.shape[1]
        y = self.dropout(self.decoder_embed_norm(self.embed_tokens(decoder_input_ids)))
        positions = self.decoder_pos_norm(self.decoder_positions.weight[:length])
        future = torch.ones(length, length, dtype=torch.bool, device=y.device).triu(1)
        self_bias = self.decoder_pos_bias(positions, positions).masked_fill(future, torch.finfo(y.dtype).min)
        cross_bias = self.cross_pos_bias(positions, encoder_positions)
        for layer in self.decoder:
            y = layer(y, self_bias, encoder_out, cross_bias)
        return self.decoder_norm(y)

    def forward(
        self, image: torch.Tensor, instruction: torch.Tensor, decoder_input_ids: torch.Tensor
    ) -> torch.Tensor:
        """image: [B, 3, H, W], instruction: [B, L] text ids, decoder_input_ids: [B, T] unified ids
        -> logits [B, T, V] over the unified vocabulary."""
        self._check(image, instruction, decoder_input_ids)
        encoder_out, encoder_positions = self.encode(image, instruction)
        decoder_out = self.decode(decoder_input_ids, encoder_out, encoder_positions)
        # the output projection is the (tied) unified embedding matrix: logits = y E^T
        return decoder_out @ self.embed_tokens.weight.t()
