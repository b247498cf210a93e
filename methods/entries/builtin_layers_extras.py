"""More layers, attention forms, augmentations and optimizers written from their papers."""

from typing import Literal

from pydantic import Field, model_validator

from methods.spec import MethodEntry, NoParams, Params, TensorSpec, hand_written

_B = 2


class DeformableParams(Params):
    in_channels: int = Field(8, ge=1, le=256, description="input channels C_in")
    out_channels: int = Field(8, ge=1, le=256, description="output channels C_out")
    kernel_size: int = Field(3, ge=1, le=7, description="filter side k (3 in the paper)")


class AxialParams(Params):
    dim: int = Field(16, ge=1, le=512, description="channels d")
    num_heads: int = Field(2, ge=1, le=16, description="heads per axis; must divide d")

    @model_validator(mode="after")
    def _heads_divide(self) -> "AxialParams":
        if self.dim % self.num_heads:
            raise ValueError(f"num_heads {self.num_heads} must divide dim {self.dim}")
        return self


class RelativeParams(Params):
    dim: int = Field(16, ge=1, le=512, description="width d_z")
    max_distance: int = Field(4, ge=0, le=512, description="clipping distance k (16 in the paper)")


class MaskedConvParams(Params):
    in_channels: int = Field(3, ge=1, le=256, description="input channels")
    out_channels: int = Field(8, ge=1, le=256, description="output channels")
    kernel_size: int = Field(5, ge=1, le=15, description="filter side (odd; 7 for PixelCNN's first layer)")
    mask_type: Literal["A", "B"] = Field(
        "A", description="A excludes the centre pixel (first layer), B keeps it"
    )

    @model_validator(mode="after")
    def _odd(self) -> "MaskedConvParams":
        if self.kernel_size % 2 == 0:
            raise ValueError("kernel_size must be odd")
        return self


class RandomErasingParams(Params):
    p: float = Field(0.5, ge=0.0, le=1.0, description="erasing probability p (0.5)")
    scale_min: float = Field(0.02, gt=0.0, le=1.0, description="smallest area fraction s_l (0.02)")
    scale_max: float = Field(0.4, gt=0.0, le=1.0, description="largest area fraction s_h (0.4)")
    ratio: float = Field(0.3, gt=0.0, le=1.0, description="aspect ratio bound r₁; ratios in [r₁, 1/r₁] (0.3)")


class SoftNMSParams(Params):
    method: Literal["gaussian", "linear"] = Field("gaussian", description="decay function f")
    sigma: float = Field(0.5, gt=0.0, le=10.0, description="σ of the Gaussian decay (0.5)")
    iou_threshold: float = Field(0.3, ge=0.0, le=1.0, description="N_t of the linear decay")
    score_threshold: float = Field(
        0.001, ge=0.0, le=1.0, description="final score below which a box is dropped"
    )


class LookaheadParams(Params):
    lr: float = Field(0.02, gt=0.0, le=1.0, description="inner SGD learning rate")
    momentum: float = Field(0.9, ge=0.0, lt=1.0, description="inner SGD momentum")
    k: int = Field(5, ge=1, le=100, description="fast steps k per slow update (5)")
    alpha: float = Field(0.5, gt=0.0, le=1.0, description="slow step size α (0.5)")


class CoordConvParams(Params):
    in_channels: int = Field(3, ge=1, le=256, description="input channels")
    out_channels: int = Field(8, ge=1, le=256, description="output channels")
    kernel_size: int = Field(3, ge=1, le=7, description="filter side (odd)")
    with_radius: bool = Field(False, description="add the radius channel r")


class WSParams(Params):
    in_channels: int = Field(8, ge=1, le=256, description="input channels")
    out_channels: int = Field(8, ge=1, le=256, description="output channels")
    kernel_size: int = Field(3, ge=1, le=7, description="filter side (odd)")
    eps: float = Field(1e-5, gt=0.0, le=1e-1, description="ε added to each filter's σ")


class SeparableParams(Params):
    in_channels: int = Field(8, ge=1, le=256, description="input channels")
    out_channels: int = Field(8, ge=1, le=256, description="output channels")
    kernel_size: int = Field(3, ge=1, le=9, description="k of the k×1 and 1×k filters (7 in Inception-v3)")


class SWAParams(Params):
    swa_lr: float = Field(0.15, gt=0.0, le=1.0, description="constant SWA learning rate")
    steps: int = Field(20, ge=2, le=1000, description="SGD steps taken")
    start: int = Field(10, ge=0, le=1000, description="step at which averaging starts")
    every: int = Field(2, ge=1, le=100, description="steps between averaged points (cycle length c)")
    noise: float = Field(2.0, ge=0.0, le=10.0, description="std of the noise added to each gradient")


def _image(channels: str) -> tuple[TensorSpec, ...]:
    return (TensorSpec("x", (_B, channels, 12, 12), fixed=(1,), doc="[B, C_in, H, W]"),)


ENTRIES: tuple[MethodEntry, ...] = (
    hand_written(
        "deformable-convolution",
        ("Deformable Convolution", "Deformable ConvNets v1"),
        "module",
        "https://arxiv.org/abs/1703.06211",
        "deformable_convolution:DeformableConv2d",
        "A convolution whose taps are shifted by offsets predicted from the input, read bilinearly.",
        DeformableParams,
        _image("in_channels"),
        {"output": (_B, 8, 12, 12), "offsets": (_B, 18, 12, 12)},
    ),
    hand_written(
        "axial-attention",
        ("Axial Attention",),
        "module",
        "https://arxiv.org/abs/1912.12180",
        "axial_attention:AxialAttention",
        "Self-attention along the rows, then along the columns, of an image: O(HW(H + W)) cost.",
        AxialParams,
        (TensorSpec("x", (_B, 6, 8, "dim"), fixed=(3,), doc="[B, H, W, d]"),),
        {"output": (_B, 6, 8, 16), "row_weights": (_B * 6, 8, 8), "column_weights": (_B * 8, 6, 6)},
    ),
    hand_written(
        "relative-position-encodings",
        ("Relative Position Encodings", "Relative Position Representations"),
        "module",
        "https://arxiv.org/abs/1803.02155",
        "relative_position_encodings:RelativePositionSelfAttention",
        "Learned key and value vectors for each clipped offset j − i, added inside self-attention.",
        RelativeParams,
        (TensorSpec("x", (_B, 10, "dim"), fixed=(2,), doc="[B, T, d]"),),
        {"output": (_B, 10, 16), "weights": (_B, 10, 10)},
    ),
    hand_written(
        "masked-convolution",
        ("Masked Convolution", "PixelCNN masked convolution"),
        "module",
        "https://arxiv.org/abs/1601.06759",
        "masked_convolution:MaskedConv2d",
        "A convolution masked so each output pixel depends only on earlier pixels in raster order.",
        MaskedConvParams,
        _image("in_channels"),
        {"output": (_B, 8, 12, 12)},
    ),
    hand_written(
        "coordconv",
        ("CoordConv",),
        "module",
        "https://arxiv.org/abs/1807.03247",
        "coordconv:CoordConv2d",
        "A convolution over the input plus channels holding each pixel's coordinates.",
        CoordConvParams,
        _image("in_channels"),
        {"output": (_B, 8, 12, 12)},
    ),
    hand_written(
        "weight-standardization",
        ("Weight Standardization", "WS"),
        "module",
        "https://arxiv.org/abs/1903.10520",
        "weight_standardization:WSConv2d",
        "Standardises each convolution filter to zero mean and unit variance before use.",
        WSParams,
        _image("in_channels"),
        {"output": (_B, 8, 12, 12)},
    ),
    hand_written(
        "spatially-separable-convolution",
        ("Spatially Separable Convolution",),
        "module",
        "https://arxiv.org/abs/1512.00567",
        "spatially_separable_convolution:SpatiallySeparableConv2d",
        "A k×k convolution factored into a k×1 and a 1×k one: 2k instead of k² weights.",
        SeparableParams,
        _image("in_channels"),
        {"output": (_B, 8, 12, 12)},
    ),
    hand_written(
        "squared-relu",
        ("Squared ReLU",),
        "activation",
        "https://arxiv.org/abs/2109.08668",
        "squared_relu:SquaredReLU",
        "max(0, x)²: Primer's feed-forward activation.",
        NoParams,
        (TensorSpec("x", (_B, 16, 8), doc="[*], any shape"),),
        {"output": (_B, 16, 8)},
    ),
    hand_written(
        "random-erasing",
        ("Random Erasing",),
        "augmentation",
        "https://arxiv.org/abs/1708.04896",
        "random_erasing:RandomErasing",
        "Replaces a random rectangle of varied size and shape with noise: simulated occlusion.",
        RandomErasingParams,
        (TensorSpec("images", (4, 3, 16, 16), dist="uniform", doc="[B, C, H, W]"),),
        {"images": (4, 3, 16, 16), "mask": (4, 1, 16, 16)},
    ),
    hand_written(
        "soft-nms",
        ("Soft-NMS",),
        "algorithm",
        "https://arxiv.org/abs/1704.04503",
        "soft_nms:SoftNMS",
        "Decays the scores of boxes overlapping a selected one instead of deleting them.",
        SoftNMSParams,
        (
            TensorSpec("boxes", (16, 4), dist="uniform", high=32.0, doc="[N, 4] corners (x1, y1, x2, y2)"),
            TensorSpec("scores", (16,), dist="uniform", doc="[N] confidences"),
        ),
        {"scores": (16,), "keep": (16,)},
    ),
    MethodEntry(
        id="lookahead",
        names=("Lookahead", "Lookahead Optimizer"),
        kind="optimizer",
        paper="https://arxiv.org/abs/1907.08610",
        target="methods.impl.lookahead:Lookahead",
        summary="Inner SGD takes k fast steps; slow weights then move part way towards where they ended.",
        params=LookaheadParams,
        inputs=(TensorSpec("weight", (8, 8), doc="initial parameter minimized on the toy objective"),),
    ),
    hand_written(
        "stochastic-weight-averaging",
        ("Stochastic Weight Averaging", "SWA"),
        "algorithm",
        "https://arxiv.org/abs/1803.05407",
        "stochastic_weight_averaging:StochasticWeightAveraging",
        "Averages the weights SGD visits at a constant rate: a point nearer the centre of a wide basin.",
        SWAParams,
        (TensorSpec("weight", (8, 8), doc="starting point on the toy objective"),),
        {"losses": (20,), "swa_weight": (8, 8), "last_weight": (8, 8), "swa_loss": ()},
    ),
)
