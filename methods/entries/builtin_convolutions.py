"""Convolutions and pooling: PyTorch's own, adapted, and the compositions written from their papers."""

from typing import Literal

from pydantic import Field, model_validator

from methods.spec import MethodEntry, NoParams, Params, TensorSpec, adapted

_IMAGE = TensorSpec("input", (2, 8, 16, 16), doc="[B, C, H, W]")


def _image(channels: str) -> tuple[TensorSpec, ...]:
    return (TensorSpec("input", (2, channels, 16, 16), fixed=(1,), doc="[B, C_in, H, W]"),)


class ConvolutionParams(Params):
    in_channels: int = Field(8, ge=1, le=256, description="input channels C_in")
    out_channels: int = Field(16, ge=1, le=256, description="output channels C_out (filters)")
    kernel_size: int = Field(3, ge=1, le=11, description="filter side k")
    stride: int = Field(1, ge=1, le=4, description="stride s")
    padding: int = Field(1, ge=0, le=8, description="zero padding p on each side")
    dilation: int = Field(1, ge=1, le=8, description="dilation d between filter taps")
    groups: int = Field(1, ge=1, le=256, description="groups g; C_in and C_out must divide by it")
    bias: bool = Field(True, description="learn a bias b per output channel")

    @model_validator(mode="after")
    def _groups_divide_channels(self) -> "ConvolutionParams":
        if self.in_channels % self.groups or self.out_channels % self.groups:
            raise ValueError(f"groups {self.groups} must divide in_channels and out_channels")
        return self


class Convolution1DParams(Params):
    in_channels: int = Field(8, ge=1, le=512, description="input channels (features per time step)")
    out_channels: int = Field(16, ge=1, le=512, description="output channels (filters)")
    kernel_size: int = Field(3, ge=1, le=31, description="filter length k")
    stride: int = Field(1, ge=1, le=8, description="stride s")
    padding: int = Field(1, ge=0, le=16, description="zero padding p at each end")


class PointwiseParams(Params):
    in_channels: int = Field(8, ge=1, le=1024, description="input channels C_in")
    out_channels: int = Field(16, ge=1, le=1024, description="output channels C_out")
    bias: bool = Field(True, description="learn a bias per output channel")


class DepthwiseParams(Params):
    channels: int = Field(8, ge=1, le=1024, description="channels C, one filter each")
    kernel_size: int = Field(3, ge=1, le=11, description="filter side k (odd keeps the size)")
    depth_multiplier: int = Field(1, ge=1, le=8, description="outputs per input channel (channel multiplier)")
    bias: bool = Field(True, description="learn a bias per output channel")


class SeparableParams(Params):
    in_channels: int = Field(8, ge=1, le=512, description="input channels M")
    out_channels: int = Field(16, ge=1, le=512, description="output channels N")
    kernel_size: int = Field(3, ge=1, le=11, description="depthwise filter side D_K")
    bias: bool = Field(False, description="biases (Xception and MobileNet use none; BN follows)")


class DilatedParams(Params):
    in_channels: int = Field(8, ge=1, le=256, description="input channels C_in")
    out_channels: int = Field(16, ge=1, le=256, description="output channels C_out")
    kernel_size: int = Field(3, ge=1, le=7, description="filter side k (odd keeps the size)")
    dilation: int = Field(2, ge=1, le=8, description="dilation factor l (receptive field l·(k − 1) + 1)")


class GroupedParams(Params):
    in_channels: int = Field(8, ge=1, le=256, description="input channels C_in")
    out_channels: int = Field(16, ge=1, le=256, description="output channels C_out")
    kernel_size: int = Field(3, ge=1, le=7, description="filter side k (odd keeps the size)")
    groups: int = Field(2, ge=1, le=64, description="groups g (2 in AlexNet, the cardinality in ResNeXt)")

    @model_validator(mode="after")
    def _groups_divide_channels(self) -> "GroupedParams":
        if self.in_channels % self.groups or self.out_channels % self.groups:
            raise ValueError(f"groups {self.groups} must divide in_channels and out_channels")
        return self


class Convolution3DParams(Params):
    in_channels: int = Field(3, ge=1, le=64, description="input channels C_in")
    out_channels: int = Field(8, ge=1, le=128, description="output channels C_out")
    kernel_size: int = Field(3, ge=1, le=7, description="cubic filter side k (3 in C3D)")
    stride: int = Field(1, ge=1, le=4, description="stride s")
    padding: int = Field(1, ge=0, le=4, description="zero padding p")


class TransposedParams(Params):
    in_channels: int = Field(8, ge=1, le=256, description="input channels C_in")
    out_channels: int = Field(4, ge=1, le=256, description="output channels C_out")
    kernel_size: int = Field(4, ge=1, le=8, description="filter side k")
    stride: int = Field(2, ge=1, le=4, description="stride s (the upsampling factor)")
    padding: int = Field(1, ge=0, le=4, description="padding p removed from each side of the output")


class PixelShuffleParams(Params):
    upscale_factor: int = Field(
        2, ge=1, le=4, description="upscaling factor r; input channels must divide by r²"
    )


class DilatedCausalParams(Params):
    in_channels: int = Field(16, ge=1, le=256, description="input channels C_in")
    out_channels: int = Field(16, ge=1, le=256, description="output channels C_out")
    kernel_size: int = Field(2, ge=1, le=16, description="filter length k (2 in WaveNet)")
    dilation: int = Field(4, ge=1, le=512, description="dilation d (WaveNet: 1, 2, …, 512 per stack)")


class PoolParams(Params):
    kernel_size: int = Field(2, ge=1, le=8, description="window side k")
    stride: int = Field(2, ge=1, le=8, description="stride s (k: non-overlapping windows)")
    padding: int = Field(0, ge=0, le=4, description="implicit padding p (at most k/2)")

    @model_validator(mode="after")
    def _padding_at_most_half_window(self) -> "PoolParams":
        if 2 * self.padding > self.kernel_size:
            raise ValueError(f"padding {self.padding} must be at most half of kernel_size {self.kernel_size}")
        return self


class SpatialPyramidPoolingParams(Params):
    levels: int = Field(3, ge=1, le=5, description="pyramid levels; level l pools into n = 2^l bins per side")
    mode: Literal["max", "avg"] = Field("max", description="pooling in each bin (max in the paper)")


def _adapter(
    id_: str,
    names: tuple[str, ...],
    paper: str,
    target: str,
    torch_name: str,
    summary: str,
    params: type[Params],
    inputs: tuple[TensorSpec, ...],
    outputs: dict[str, tuple[int, ...]],
    module: str = "convolutions",
) -> MethodEntry:
    return adapted(
        id_, names, "module", paper, f"{module}:{target}", torch_name, summary, params, inputs, outputs
    )


ENTRIES: tuple[MethodEntry, ...] = (
    _adapter(
        "convolution",
        ("Convolution", "Conv2d", "2D Convolution"),
        "https://paperswithcode.com/method/convolution",
        "Conv2d",
        "torch.nn.Conv2d",
        "Slides learned k×k filters over an image: a weighted sum of each neighbourhood per output channel.",
        ConvolutionParams,
        _image("in_channels"),
        {"output": (2, 16, 16, 16)},
    ),
    _adapter(
        "1x1-convolution",
        ("1x1 Convolution", "1×1 Convolution"),
        "https://arxiv.org/abs/1312.4400",
        "pointwise",
        "torch.nn.Conv2d",
        "A convolution with a 1×1 filter: mixes channels at each pixel, changing their number.",
        PointwiseParams,
        _image("in_channels"),
        {"output": (2, 16, 16, 16)},
    ),
    _adapter(
        "pointwise-convolution",
        ("Pointwise Convolution",),
        "https://arxiv.org/abs/1704.04861",
        "pointwise",
        "torch.nn.Conv2d",
        "The 1×1 convolution that combines a depthwise convolution's channels (MobileNet).",
        PointwiseParams,
        _image("in_channels"),
        {"output": (2, 16, 16, 16)},
    ),
    _adapter(
        "depthwise-convolution",
        ("Depthwise Convolution",),
        "https://arxiv.org/abs/1704.04861",
        "depthwise",
        "torch.nn.Conv2d",
        "One spatial filter per input channel (groups = channels): no mixing across channels.",
        DepthwiseParams,
        _image("channels"),
        {"output": (2, 8, 16, 16)},
    ),
    _adapter(
        "depthwise-separable-convolution",
        ("Depthwise Separable Convolution", "Separable Convolution"),
        "https://arxiv.org/abs/1610.02357",
        "depthwise_separable",
        "torch.nn.Conv2d",
        "A depthwise convolution then a 1×1 pointwise one: a factorised, cheaper standard convolution.",
        SeparableParams,
        _image("in_channels"),
        {"output": (2, 16, 16, 16)},
    ),
    _adapter(
        "dilated-convolution",
        ("Dilated Convolution", "Atrous Convolution"),
        "https://arxiv.org/abs/1511.07122",
        "dilated",
        "torch.nn.Conv2d",
        "A convolution whose taps are spaced l pixels apart: a wider receptive field at the same cost.",
        DilatedParams,
        _image("in_channels"),
        {"output": (2, 16, 16, 16)},
    ),
    _adapter(
        "grouped-convolution",
        ("Grouped Convolution", "Group Convolution"),
        "https://papers.nips.cc/paper_files/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html",
        "grouped",
        "torch.nn.Conv2d",
        "Splits channels into g groups convolved independently, dividing parameters and FLOPs by g.",
        GroupedParams,
        _image("in_channels"),
        {"output": (2, 16, 16, 16)},
    ),
    _adapter(
        "3d-convolution",
        ("3D Convolution", "Conv3d"),
        "https://arxiv.org/abs/1412.0767",
        "Conv3d",
        "torch.nn.Conv3d",
        "A convolution over three dimensions (time and space of a clip, or a volume).",
        Convolution3DParams,
        (TensorSpec("input", (2, "in_channels", 4, 16, 16), fixed=(1,), doc="[B, C_in, D, H, W]"),),
        {"output": (2, 8, 4, 16, 16)},
    ),
    _adapter(
        "1d-cnn",
        ("1D CNN", "1-Dimensional Convolutional Neural Networks", "Conv1d"),
        "https://paperswithcode.com/method/1d-cnn",
        "Conv1d",
        "torch.nn.Conv1d",
        "Filters slid along one axis: convolution over text or 1-D signals.",
        Convolution1DParams,
        (TensorSpec("input", (2, "in_channels", 32), fixed=(1,), doc="[B, C_in, T]"),),
        {"output": (2, 16, 32)},
    ),
    _adapter(
        "transposed-convolution",
        ("Transposed convolution", "Deconvolution", "Fractionally-strided convolution"),
        "https://arxiv.org/abs/1603.07285",
        "ConvTranspose2d",
        "torch.nn.ConvTranspose2d",
        "The gradient of a convolution used as a layer: learned upsampling by the stride.",
        TransposedParams,
        _image("in_channels"),
        {"output": (2, 4, 32, 32)},
    ),
    _adapter(
        "pixelshuffle",
        ("PixelShuffle", "Pixel Shuffle", "Sub-pixel convolution"),
        "https://arxiv.org/abs/1609.05158",
        "PixelShuffle",
        "torch.nn.PixelShuffle",
        "Rearranges [C·r², H, W] into [C, rH, rW]: the upsampling step of a sub-pixel convolution.",
        PixelShuffleParams,
        (TensorSpec("input", (2, 16, 8, 8), doc="[B, C·r², H, W]"),),
        {"output": (2, 4, 16, 16)},
    ),
    MethodEntry(
        id="dilated-causal-convolution",
        names=("Dilated Causal Convolution",),
        kind="module",
        paper="https://arxiv.org/abs/1609.03499",
        target="methods.impl.causal_convolution:CausalConv1d",
        summary="A causal 1-D convolution with dilated taps: WaveNet's exponentially growing receptive field.",
        params=DilatedCausalParams,
        inputs=(TensorSpec("x", (2, "in_channels", 64), fixed=(1,), doc="[B, C_in, T]"),),
        outputs={"output": (2, 16, 64)},
    ),
    _adapter(
        "max-pooling",
        ("Max Pooling", "MaxPool", "Max-pooling"),
        "https://paperswithcode.com/method/max-pooling",
        "MaxPool2d",
        "torch.nn.MaxPool2d",
        "The maximum of each k×k window: downsampling that keeps the strongest response.",
        PoolParams,
        (_IMAGE,),
        {"output": (2, 8, 8, 8)},
        module="pooling",
    ),
    _adapter(
        "average-pooling",
        ("Average Pooling", "AvgPool", "Mean Pooling"),
        "https://paperswithcode.com/method/average-pooling",
        "AvgPool2d",
        "torch.nn.AvgPool2d",
        "The mean of each k×k window: downsampling that smooths.",
        PoolParams,
        (_IMAGE,),
        {"output": (2, 8, 8, 8)},
        module="pooling",
    ),
    _adapter(
        "global-average-pooling",
        ("Global Average Pooling", "GAP"),
        "https://arxiv.org/abs/1312.4400",
        "global_average_pooling",
        "torch.nn.AdaptiveAvgPool2d",
        "The mean of each whole feature map: one value per channel, in place of fully connected layers.",
        NoParams,
        (_IMAGE,),
        {"output": (2, 8)},
        module="pooling",
    ),
    MethodEntry(
        id="spatial-pyramid-pooling",
        names=("Spatial Pyramid Pooling", "SPP"),
        kind="module",
        paper="https://arxiv.org/abs/1406.4729",
        target="methods.impl.spatial_pyramid_pooling:SpatialPyramidPooling",
        summary="Pools a feature map of any size into n×n bins at several levels: a fixed-length vector.",
        params=SpatialPyramidPoolingParams,
        inputs=(TensorSpec("x", (2, 8, 13, 13), doc="[B, C, H, W], any H and W"),),
        outputs={"output": (2, 8 * 21)},
    ),
)
