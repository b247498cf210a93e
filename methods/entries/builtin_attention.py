"""Attention, position encodings and the Transformer's feed-forward and skip blocks.

Scaled dot-product, dot-product, attention dropout and multi-head attention
adapt PyTorch's own kernels; the rest are written from their papers.
"""

from typing import Literal

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec, adapted, hand_written

_SDPA = "torch.nn.functional.scaled_dot_product_attention"
_B, _H, _T, _D = 2, 4, 16, 8
_QKV = tuple(TensorSpec(n, (_B, _H, _T, _D), doc="[B, H, T, d]") for n in ("query", "key", "value"))
_ATTENDED = {"output": (_B, _H, _T, _D)}


class SDPAParams(Params):
    dropout_p: float = Field(
        0.0, ge=0.0, lt=1.0, description="dropout on the attention weights (training only)"
    )
    is_causal: bool = Field(False, description="mask future positions (decoder self-attention)")


class AttentionDropoutParams(SDPAParams):
    dropout_p: float = Field(
        0.1, ge=0.0, lt=1.0, description="drop rate of the softmax weights (0.1 in BERT)"
    )


class DotProductParams(Params):
    is_causal: bool = Field(False, description="mask future positions")


class MultiHeadParams(Params):
    embed_dim: int = Field(32, ge=1, le=1024, description="model width d_model (512 in the paper)")
    num_heads: int = Field(4, ge=1, le=64, description="heads h (8); d_k = d_model / h")
    dropout: float = Field(0.0, ge=0.0, lt=1.0, description="dropout on the attention weights")
    bias: bool = Field(True, description="biases on the projections W^Q, W^K, W^V, W^O")

    @model_validator(mode="after")
    def _heads_divide_width(self) -> "MultiHeadParams":
        if self.embed_dim % self.num_heads:
            raise ValueError(f"num_heads {self.num_heads} must divide embed_dim {self.embed_dim}")
        return self


class AdditiveParams(Params):
    query_dim: int = Field(16, ge=1, le=1024, description="decoder state width n (1000 in the paper)")
    key_dim: int = Field(16, ge=1, le=2048, description="annotation width 2n (bidirectional encoder)")
    hidden_dim: int = Field(32, ge=1, le=1024, description="alignment units n' (1000)")


class _SparseParams(Params):
    dim: int = Field(32, ge=2, le=512, description="model width d")
    num_heads: int = Field(4, ge=2, le=16, description="heads, an even number: half per pattern")

    @model_validator(mode="after")
    def _heads_split_width(self) -> "_SparseParams":
        if self.num_heads % 2 or self.dim % self.num_heads:
            raise ValueError("num_heads must be even and divide dim")
        return self


class StridedParams(_SparseParams):
    stride: int = Field(4, ge=1, le=512, description="stride l ≈ √n")


class FixedParams(_SparseParams):
    block: int = Field(4, ge=1, le=512, description="block length l (128 in the paper)")
    summary: int = Field(1, ge=1, le=64, description="summary cells c per block (8 to 32)")

    @model_validator(mode="after")
    def _summary_within_block(self) -> "FixedParams":
        if self.summary > self.block:
            raise ValueError(f"summary {self.summary} must be at most block {self.block}")
        return self


class RotaryParams(Params):
    head_dim: int = Field(8, ge=2, le=256, multiple_of=2, description="head width d, rotated in pairs")
    base: float = Field(10_000.0, gt=1.0, le=1e7, description="base of θ_i = base^(−2i/d)")


class ALiBiParams(Params):
    num_heads: int = Field(4, ge=1, le=64, description="heads H; slopes m_h = 2^(−8h/H)")


class CrossAttentionParams(Params):
    large_dim: int = Field(32, ge=1, le=768, description="large-patch branch width (384 in CrossViT-9)")
    small_dim: int = Field(16, ge=1, le=768, description="small-patch branch width (192)")
    num_heads: int = Field(2, ge=1, le=16, description="heads h; must divide small_dim")

    @model_validator(mode="after")
    def _heads_divide_width(self) -> "CrossAttentionParams":
        if self.small_dim % self.num_heads:
            raise ValueError(f"num_heads {self.num_heads} must divide small_dim {self.small_dim}")
        return self


class ChannelAttentionParams(Params):
    channels: int = Field(32, ge=1, le=2048, description="channels C")
    reduction: int = Field(16, ge=1, le=256, description="reduction ratio r (16 in the paper)")


class SpatialAttentionParams(Params):
    kernel_size: int = Field(7, ge=1, le=15, description="filter side of f (7 in the paper; odd)")


class TemporalAttentionParams(Params):
    dim: int = Field(32, ge=1, le=2048, description="frame feature width D")
    hidden_dim: int = Field(16, ge=1, le=1024, description="width of the scoring layer W")


class PositionEncodingParams(Params):
    d_model: int = Field(32, ge=2, le=4096, description="model width d_model (512 in the paper)")
    dropout: float = Field(0.0, ge=0.0, lt=1.0, description="dropout on the sum (0.1 in the paper)")
    base: float = Field(10_000.0, gt=1.0, le=1e7, description="the 10000 in the wavelengths")


class PositionWiseParams(Params):
    d_model: int = Field(32, ge=1, le=2048, description="model width d_model (512)")
    d_ff: int = Field(128, ge=1, le=8192, description="inner width d_ff (2048)")
    dropout: float = Field(0.0, ge=0.0, lt=1.0, description="dropout after the ReLU (0.1)")


class ResidualParams(Params):
    dim: int = Field(32, ge=1, le=2048, description="width d of x and F(x)")
    hidden_dim: int = Field(64, ge=1, le=8192, description="hidden width of F")


class ConcatSkipParams(Params):
    in_channels: int = Field(16, ge=1, le=1024, description="input channels C")
    growth_rate: int = Field(8, ge=1, le=256, description="new channels k (32 in DenseNet-121)")


class FeedforwardParams(Params):
    in_features: int = Field(16, ge=1, le=4096, description="input width")
    hidden_features: int = Field(32, ge=1, le=4096, description="hidden units per layer")
    out_features: int = Field(4, ge=1, le=4096, description="output width (targets y)")
    depth: int = Field(2, ge=0, le=8, description="hidden layers L")
    activation: Literal["relu", "tanh", "sigmoid", "gelu"] = Field("relu", description="non-linearity g")


class HighwayParams(Params):
    dim: int = Field(32, ge=1, le=4096, description="width d (the same in and out)")
    gate_bias: float = Field(
        -2.0, ge=-10.0, le=10.0, description="initial transform-gate bias b_T (−1 to −3)"
    )


class LayerScaleParams(Params):
    dim: int = Field(32, ge=1, le=4096, description="channels d, one λ each")
    init_values: float = Field(1e-5, gt=0.0, le=1.0, description="initial λ = ε (10⁻⁵ at depth 24)")


def _sdpa(
    id_: str, names: tuple[str, ...], paper: str, target: str, summary: str, params: type[Params]
) -> MethodEntry:
    return adapted(
        id_, names, "module", paper, f"attention:{target}", _SDPA, summary, params, _QKV, _ATTENDED
    )


def _module(
    id_: str,
    names: tuple[str, ...],
    paper: str,
    target: str,
    summary: str,
    params: type[Params],
    inputs: tuple[TensorSpec, ...],
    outputs: dict[str, tuple[int, ...]],
) -> MethodEntry:
    return hand_written(id_, names, "module", paper, target, summary, params, inputs, outputs)


def _tokens(width: str, length: int = _T) -> tuple[TensorSpec, ...]:
    return (TensorSpec("x", (_B, length, width), fixed=(2,), doc="[B, T, d]"),)


ENTRIES: tuple[MethodEntry, ...] = (
    _sdpa(
        "scaled-dot-product-attention",
        ("Scaled Dot-Product Attention", "SDPA"),
        "https://arxiv.org/abs/1706.03762",
        "scaled_dot_product",
        "softmax(QKᵀ/√d_k)V: values weighted by query-key similarity, scaled to keep the softmax soft.",
        SDPAParams,
    ),
    _sdpa(
        "dot-product-attention",
        ("Dot-Product Attention", "Luong Attention"),
        "https://arxiv.org/abs/1508.04025",
        "dot_product",
        "softmax(QKᵀ)V: Luong's unscaled dot-product alignment score.",
        DotProductParams,
    ),
    _sdpa(
        "attention-dropout",
        ("Attention Dropout",),
        "https://arxiv.org/abs/1706.03762",
        "attention_dropout",
        "Dropout on the softmax attention weights: each query forgets random keys while training.",
        AttentionDropoutParams,
    ),
    MethodEntry(
        id="multi-head-attention",
        names=("Multi-Head Attention", "MHA", "Multi-head self-attention"),
        kind="module",
        paper="https://arxiv.org/abs/1706.03762",
        target="methods.adapters.attention:multi_head",
        summary="h attentions over learned projections in parallel, concatenated and projected.",
        params=MultiHeadParams,
        inputs=tuple(
            TensorSpec(n, (_B, _T, "embed_dim"), fixed=(2,), doc="[B, T, d_model]")
            for n in ("query", "key", "value")
        ),
        outputs={"output": (_B, _T, 32), "weights": (_B, _T, _T)},
        adapts="torch.nn.MultiheadAttention",
    ),
    _module(
        "additive-attention",
        ("Additive Attention", "Bahdanau Attention"),
        "https://arxiv.org/abs/1409.0473",
        "additive_attention:AdditiveAttention",
        "Scores each key with vᵀtanh(Ws + Uh) and returns the weighted sum of keys (Bahdanau).",
        AdditiveParams,
        (
            TensorSpec("query", (_B, "query_dim"), fixed=(1,), doc="[B, d_q] decoder state"),
            TensorSpec("keys", (_B, _T, "key_dim"), fixed=(2,), doc="[B, T, d_k] annotations"),
        ),
        {"context": (_B, 16), "weights": (_B, _T)},
    ),
    _module(
        "strided-attention",
        ("Strided Attention",),
        "https://arxiv.org/abs/1904.10509",
        "strided_attention:StridedAttention",
        "Sparse causal attention: half the heads see the last l positions, half every l-th one.",
        StridedParams,
        _tokens("dim"),
        {"output": (_B, _T, 32), "pattern": (2, _T, _T)},
    ),
    _module(
        "fixed-factorized-attention",
        ("Fixed Factorized Attention",),
        "https://arxiv.org/abs/1904.10509",
        "fixed_factorized_attention:FixedFactorizedAttention",
        "Sparse causal attention within fixed blocks plus to each block's last summary cells.",
        FixedParams,
        _tokens("dim"),
        {"output": (_B, _T, 32), "pattern": (2, _T, _T)},
    ),
    _module(
        "rotary-embeddings",
        ("Rotary Embeddings", "RoPE", "Rotary Position Embedding"),
        "https://arxiv.org/abs/2104.09864",
        "rotary_embeddings:RotaryEmbedding",
        "Rotates query and key feature pairs by position-dependent angles: scores see only offsets.",
        RotaryParams,
        tuple(
            TensorSpec(n, (_B, _H, _T, "head_dim"), fixed=(3,), doc="[B, H, T, d]") for n in ("query", "key")
        ),
        {"query": (_B, _H, _T, _D), "key": (_B, _H, _T, _D), "scores": (_B, _H, _T, _T)},
    ),
    _module(
        "alibi",
        ("ALiBi", "Attention with Linear Biases"),
        "https://arxiv.org/abs/2108.12409",
        "alibi:ALiBiAttention",
        "Causal attention biased by −m_h·distance per head, with no position embeddings.",
        ALiBiParams,
        tuple(
            TensorSpec(n, (_B, "num_heads", _T, _D), fixed=(1,), doc="[B, H, T, d]")
            for n in ("query", "key", "value")
        ),
        {"output": (_B, _H, _T, _D), "bias": (_H, _T, _T)},
    ),
    _module(
        "cross-attention-module",
        ("Cross-Attention Module", "CrossViT Cross-Attention"),
        "https://arxiv.org/abs/2103.14899",
        "cross_attention_module:CrossAttentionModule",
        "One branch's CLS token attends to the other branch's patch tokens (CrossViT fusion).",
        CrossAttentionParams,
        (
            TensorSpec("large", (_B, 5, "large_dim"), fixed=(2,), doc="[B, 1 + N_l, D_l]; token 0 is CLS"),
            TensorSpec("small", (_B, 17, "small_dim"), fixed=(2,), doc="[B, 1 + N_s, D_s]; token 0 is CLS"),
        ),
        {"output": (_B, 5, 32), "weights": (_B, 2, 1, 17)},
    ),
    _module(
        "channel-attention",
        ("Channel attention", "Squeeze-and-Excitation channel attention"),
        "https://arxiv.org/abs/1709.01507",
        "channel_attention:ChannelAttention",
        "Reweights channels by σ(W₂ReLU(W₁·GAP(x))): squeeze, excite, scale.",
        ChannelAttentionParams,
        (TensorSpec("x", (_B, "channels", 8, 8), fixed=(1,), doc="[B, C, H, W]"),),
        {"output": (_B, 32, 8, 8), "attention": (_B, 32)},
    ),
    _module(
        "spatial-attention-module",
        ("Spatial Attention Module", "CBAM spatial attention"),
        "https://arxiv.org/abs/1807.06521",
        "spatial_attention_module:SpatialAttentionModule",
        "A map σ(conv7×7([mean_c; max_c])) that reweights each location (CBAM).",
        SpatialAttentionParams,
        (TensorSpec("x", (_B, 16, 8, 8), doc="[B, C, H, W]"),),
        {"output": (_B, 16, 8, 8), "attention": (_B, 1, 8, 8)},
    ),
    _module(
        "temporal-attention",
        ("Temporal attention",),
        "https://arxiv.org/abs/1708.02286",
        "temporal_attention:TemporalAttention",
        "Learned weights over time steps and the weighted summary of a sequence: when to attend.",
        TemporalAttentionParams,
        (TensorSpec("x", (_B, 8, "dim"), fixed=(2,), doc="[B, T, D] frames"),),
        {"output": (_B, 32), "weights": (_B, 8)},
    ),
    _module(
        "absolute-position-encodings",
        ("Absolute Position Encodings", "Sinusoidal Position Encoding"),
        "https://arxiv.org/abs/1706.03762",
        "absolute_position_encodings:AbsolutePositionEncoding",
        "Adds fixed sines and cosines of geometric wavelengths to each position's embedding.",
        PositionEncodingParams,
        _tokens("d_model"),
        {"output": (_B, _T, 32), "encoding": (_T, 32)},
    ),
    _module(
        "position-wise-feed-forward-layer",
        ("Position-Wise Feed-Forward Layer", "Transformer FFN"),
        "https://arxiv.org/abs/1706.03762",
        "position_wise_feed_forward:PositionWiseFeedForward",
        "Two linear layers with a ReLU between, applied to each position alike: max(0, xW₁ + b₁)W₂ + b₂.",
        PositionWiseParams,
        _tokens("d_model"),
        {"output": (_B, _T, 32)},
    ),
    _module(
        "residual-connection",
        ("Residual Connection", "Skip Connection", "Identity Shortcut"),
        "https://arxiv.org/abs/1512.03385",
        "residual_connection:ResidualConnection",
        "Adds a layer's input to its output, y = F(x) + x: layers learn residual corrections.",
        ResidualParams,
        _tokens("dim"),
        {"output": (_B, _T, 32), "residual": (_B, _T, 32)},
    ),
    _module(
        "concatenated-skip-connection",
        ("Concatenated Skip Connection",),
        "https://arxiv.org/abs/1608.06993",
        "concatenated_skip_connection:ConcatenatedSkipConnection",
        "Concatenates a layer's input with its new features, y = [x, F(x)], for feature reuse.",
        ConcatSkipParams,
        (TensorSpec("x", (_B, "in_channels", 8, 8), fixed=(1,), doc="[B, C, H, W]"),),
        {"output": (_B, 24, 8, 8)},
    ),
    _module(
        "feedforward-network",
        ("Feedforward Network", "Multilayer Perceptron", "MLP"),
        "https://doi.org/10.1038/323533a0",
        "feedforward_network:FeedforwardNetwork",
        "Fully connected layers with non-linearities between, no cycles: the multilayer perceptron.",
        FeedforwardParams,
        (TensorSpec("x", (4, "in_features"), fixed=(1,), doc="[B, in_features]"),),
        {"output": (4, 4)},
    ),
    _module(
        "highway-layer",
        ("Highway Layer",),
        "https://arxiv.org/abs/1505.00387",
        "highway_layer:HighwayLayer",
        "A gate T(x) mixes a transform H(x) with the unchanged input: y = H·T + x·(1 − T).",
        HighwayParams,
        (TensorSpec("x", (4, "dim"), fixed=(1,), doc="[B, d]"),),
        {"output": (4, 32), "gate": (4, 32)},
    ),
    _module(
        "layerscale",
        ("LayerScale", "Layer Scale"),
        "https://arxiv.org/abs/2103.17239",
        "layer_scale:LayerScale",
        "A learned per-channel factor, initialised near zero, on each residual branch (CaiT).",
        LayerScaleParams,
        _tokens("dim"),
        {"output": (_B, _T, 32)},
    ),
)
