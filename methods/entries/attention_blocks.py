"""Attention and convolutional blocks: channel/spatial gates, multi-branch and reduction blocks."""

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec


def _odd(value: int, name: str) -> None:
    if value % 2 == 0:
        raise ValueError(f"{name} must be odd so that padding keeps the size, got {value}")


class BAMParams(Params):
    channels: int = Field(32, ge=1, le=1024, description="input channels C")
    reduction: int = Field(16, ge=1, le=256, description="channel reduction ratio r (paper 16)")
    dilation: int = Field(
        4, ge=1, le=16, description="dilation value d of the two 3x3 convolutions (paper 4)"
    )


class SRMParams(Params):
    channels: int = Field(32, ge=1, le=1024, description="input channels C")


class CoordAttParams(Params):
    channels: int = Field(32, ge=1, le=1024, description="input channels C")
    reduction: int = Field(
        32, ge=1, le=256, description="reduction ratio r; the hidden width is max(8, C/r) (paper 32)"
    )


class GhostParams(Params):
    in_channels: int = Field(16, ge=1, le=1024, description="input channels c")
    out_channels: int = Field(32, ge=1, le=1024, description="output feature maps n")
    kernel_size: int = Field(1, ge=1, le=7, description="kernel size k of the primary convolution (odd)")
    ratio: int = Field(2, ge=2, le=8, description="ratio s: n/s intrinsic maps, each with s-1 ghosts")
    dw_size: int = Field(3, ge=1, le=7, description="kernel size d of the cheap depthwise operation (odd)")
    stride: int = Field(1, ge=1, le=4, description="stride of the primary convolution")
    relu: bool = Field(
        True, description="ReLU after each BN (GhostNet drops it in a bottleneck's 2nd module)"
    )

    @model_validator(mode="after")
    def _kernels_are_odd(self) -> "GhostParams":
        _odd(self.kernel_size, "kernel_size")
        _odd(self.dw_size, "dw_size")
        return self


class SKParams(Params):
    channels: int = Field(32, ge=1, le=1024, description="input and output channels C")
    branches: int = Field(2, ge=1, le=4, description="number of branches M; branch m is 3x3 with dilation m")
    groups: int = Field(8, ge=1, le=64, description="cardinality G of the grouped convolutions (paper 32)")
    reduction: int = Field(16, ge=1, le=256, description="reduction ratio r in d = max(C/r, L) (paper 16)")
    min_dim: int = Field(32, ge=1, le=1024, description="minimum fused width L in d = max(C/r, L) (paper 32)")

    @model_validator(mode="after")
    def _groups_divide_channels(self) -> "SKParams":
        if self.channels % self.groups:
            raise ValueError(f"channels C={self.channels} must be divisible by groups G={self.groups}")
        return self


class SRAParams(Params):
    dim: int = Field(32, ge=1, le=1024, description="embedding dimension C_i")
    num_heads: int = Field(2, ge=1, le=16, description="number of heads N_i; C_i / N_i per head")
    sr_ratio: int = Field(2, ge=1, le=8, description="spatial reduction ratio R_i (PVT: 8, 4, 2, 1)")
    qkv_bias: bool = Field(False, description="bias in the W^Q, W^K, W^V projections")

    @model_validator(mode="after")
    def _heads_divide_dim(self) -> "SRAParams":
        if self.dim % self.num_heads:
            raise ValueError(f"dim C={self.dim} must be divisible by num_heads N={self.num_heads}")
        return self


class TAMParams(Params):
    channels: int = Field(16, ge=1, le=1024, description="channels C")
    num_frames: int = Field(8, ge=1, le=64, description="frames per clip T")
    kernel_size: int = Field(3, ge=1, le=9, description="adaptive temporal kernel size K (odd, paper 3)")
    alpha: int = Field(
        2, ge=1, le=8, description="global branch expansion alpha: hidden width alpha*T (paper 2)"
    )
    beta: int = Field(4, ge=1, le=64, description="local branch channel reduction beta (paper 4)")

    @model_validator(mode="after")
    def _kernel_is_odd(self) -> "TAMParams":
        _odd(self.kernel_size, "kernel_size")
        return self


class SRGANBlockParams(Params):
    channels: int = Field(16, ge=1, le=512, description="feature maps n (paper 64)")


class ReductionAParams(Params):
    in_channels: int = Field(16, ge=1, le=1024, description="input channels C_in (Inception-v4: 384)")
    k_filters: int = Field(
        16, ge=1, le=1024, description="filters k of the 1x1 convolution (Inception-v4: 192)"
    )
    l_filters: int = Field(
        24, ge=1, le=1024, description="filters l of the middle 3x3 convolution (Inception-v4: 224)"
    )
    m_filters: int = Field(
        32, ge=1, le=1024, description="filters m of the last 3x3/2 convolution (Inception-v4: 256)"
    )
    n_filters: int = Field(
        32, ge=1, le=1024, description="filters n of the single 3x3/2 convolution (Inception-v4: 384)"
    )


_IMAGE = "[B, C, H, W] feature map; training-mode BatchNorm needs B >= 2"

ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="bottleneck-attention-module",
        names=("Bottleneck Attention Module", "BAM"),
        kind="module",
        paper="https://arxiv.org/abs/1807.06514",
        target="methods.impl.bottleneck_attention_module:BottleneckAttentionModule",
        summary="Residual gate F + F·σ(M_c + M_s) from an MLP channel branch and a dilated-conv spatial one.",
        params=BAMParams,
        inputs=(TensorSpec("x", (2, "channels", 16, 16), fixed=(1,), doc=_IMAGE),),
        outputs={"output": (2, 32, 16, 16)},
    ),
    MethodEntry(
        id="style-based-recalibration-module",
        names=("style-based recalibration module", "SRM"),
        kind="module",
        paper="https://arxiv.org/abs/1903.10829",
        target="methods.impl.style_based_recalibration_module:StyleBasedRecalibrationModule",
        summary="Channel gate from each channel's mean and std mixed by a channel-wise FC, BN and sigmoid.",
        params=SRMParams,
        inputs=(TensorSpec("x", (2, "channels", 16, 16), fixed=(1,), doc=_IMAGE),),
        outputs={"output": (2, 32, 16, 16)},
    ),
    MethodEntry(
        id="coordinate-attention",
        names=("Coordinate attention", "CoordAtt", "CA block"),
        kind="module",
        paper="https://arxiv.org/abs/2103.02907",
        target="methods.impl.coordinate_attention:CoordinateAttention",
        summary="Channel attention factorised into height and width gates from directional average pooling.",
        params=CoordAttParams,
        inputs=(TensorSpec("x", (2, "channels", 16, 16), fixed=(1,), doc=_IMAGE),),
        outputs={"output": (2, 32, 16, 16)},
    ),
    MethodEntry(
        id="ghost-module",
        names=("Ghost Module", "GhostNet Ghost Module"),
        kind="module",
        paper="https://arxiv.org/abs/1911.11907",
        target="methods.impl.ghost_module:GhostModule",
        summary="A small primary convolution plus cheap depthwise 'ghost' maps replace a full convolution.",
        params=GhostParams,
        inputs=(
            TensorSpec(
                "x", (2, "in_channels", 16, 16), fixed=(1,), doc="[B, c, H, W]; BatchNorm needs B >= 2"
            ),
        ),
        outputs={"output": (2, 32, 16, 16)},
    ),
    MethodEntry(
        id="selective-kernel-convolution",
        names=("Selective Kernel Convolution", "SK Convolution", "SKConv"),
        kind="module",
        paper="https://arxiv.org/abs/1903.06586",
        target="methods.impl.selective_kernel_convolution:SelectiveKernelConvolution",
        summary="Split into kernels of different receptive fields, fuse, and select per channel by softmax.",
        params=SKParams,
        inputs=(TensorSpec("x", (2, "channels", 16, 16), fixed=(1,), doc=_IMAGE),),
        outputs={"output": (2, 32, 16, 16)},
    ),
    MethodEntry(
        id="spatial-reduction-attention",
        names=("Spatial-Reduction Attention", "SRA"),
        kind="module",
        paper="https://arxiv.org/abs/2102.12122",
        target="methods.impl.spatial_reduction_attention:SpatialReductionAttention",
        summary="Multi-head attention with keys and values from an R×R-downsampled, layer-normed sequence.",
        params=SRAParams,
        inputs=(
            TensorSpec(
                "x",
                (2, 64, "dim"),
                fixed=(2,),
                doc="[B, N, C] tokens of a square H×W grid (N = H·W, H divisible by R)",
            ),
        ),
        outputs={"output": (2, 64, 32)},
    ),
    MethodEntry(
        id="temporal-adaptive-module",
        names=("Temporal Adaptive Module", "TAM"),
        kind="module",
        paper="https://arxiv.org/abs/2005.06803",
        target="methods.impl.temporal_adaptive_module:TemporalAdaptiveModule",
        summary="Local temporal importance map plus a video-adaptive per-channel temporal convolution.",
        params=TAMParams,
        inputs=(
            TensorSpec(
                "x",
                (2, "channels", "num_frames", 8, 8),
                fixed=(1, 2),
                doc="[N, C, T, H, W] clip features",
            ),
        ),
        outputs={"output": (2, 16, 8, 8, 8)},
    ),
    MethodEntry(
        id="srgan-residual-block",
        names=("SRGAN Residual Block",),
        kind="module",
        paper="https://arxiv.org/abs/1609.04802",
        target="methods.impl.srgan_residual_block:SRGANResidualBlock",
        summary="conv3x3-BN-PReLU-conv3x3-BN with an identity skip, the SRResNet generator block.",
        params=SRGANBlockParams,
        inputs=(TensorSpec("x", (2, "channels", 16, 16), fixed=(1,), doc=_IMAGE),),
        outputs={"output": (2, 16, 16, 16)},
    ),
    MethodEntry(
        id="reduction-a",
        names=("Reduction-A", "Inception-v4 Reduction-A"),
        kind="module",
        paper="https://arxiv.org/abs/1602.07261",
        target="methods.impl.reduction_a:ReductionA",
        summary="Inception-v4 grid reduction: max pool, 3x3/2 conv and 1x1-3x3-3x3/2 conv, concatenated.",
        params=ReductionAParams,
        inputs=(TensorSpec("x", (2, "in_channels", 17, 17), fixed=(1,), doc="[B, C_in, H, W], H, W >= 3"),),
        outputs={"output": (2, 80, 8, 8)},
    ),
)
