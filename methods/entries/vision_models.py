"""Vision models: deformable attention, region-based detectors and pose estimation."""

import math

from pydantic import Field, computed_field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec


class MSDeformAttnParams(Params):
    d_model: int = Field(32, ge=4, le=256, description="model width C (divisible by n_heads)")
    n_heads: int = Field(4, ge=1, le=16, description="attention heads M")
    n_levels: int = Field(4, ge=1, le=5, description="feature levels L")
    n_points: int = Field(4, ge=1, le=16, description="sampling points K per head and level")
    height: int = Field(
        16, ge=1, le=64, description="height H_1 of the finest level; level l is ceil(H_1 / 2^l)"
    )
    width: int = Field(
        16, ge=1, le=64, description="width W_1 of the finest level; level l is ceil(W_1 / 2^l)"
    )

    @computed_field(description="flattened value length sum_l H_l W_l (derived, not settable)")
    @property
    def value_len(self) -> int:
        return sum(
            math.ceil(self.height / 2**level) * math.ceil(self.width / 2**level)
            for level in range(self.n_levels)
        )

    @model_validator(mode="after")
    def _heads_divide_width(self) -> "MSDeformAttnParams":
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model ({self.d_model}) must be divisible by n_heads ({self.n_heads})")
        return self


class DeformableDETRParams(Params):
    num_classes: int = Field(5, ge=1, le=100, description="object classes (sigmoid focal classification)")
    d_model: int = Field(32, ge=8, le=256, multiple_of=8, description="model width C")
    n_heads: int = Field(4, ge=1, le=16, description="attention heads M")
    n_levels: int = Field(4, ge=1, le=5, description="feature levels L (strides 8, 16, 32, 64, ...)")
    n_points: int = Field(4, ge=1, le=16, description="sampling points K per head and level")
    num_encoder_layers: int = Field(1, ge=1, le=6, description="encoder layers (6 in the paper)")
    num_decoder_layers: int = Field(1, ge=1, le=6, description="decoder layers (6 in the paper)")
    d_ffn: int = Field(64, ge=8, le=1024, description="feed-forward hidden width (1024 in the paper)")
    num_queries: int = Field(10, ge=1, le=300, description="object queries N_q (300 in the paper)")
    dropout: float = Field(0.1, ge=0.0, le=0.9, description="dropout rate (0.1 in the paper)")

    @model_validator(mode="after")
    def _heads_divide_width(self) -> "DeformableDETRParams":
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model ({self.d_model}) must be divisible by n_heads ({self.n_heads})")
        return self


class RCNNParams(Params):
    num_classes: int = Field(4, ge=1, le=100, description="object classes N (scores add background)")
    warp_size: int = Field(16, ge=4, le=64, description="warped region size S (227 in the paper)")
    context_padding: int = Field(2, ge=0, le=16, description="context pixels p around the warped box (16)")
    channels: int = Field(16, ge=1, le=128, description="width of the toy CNN's first conv layer")
    hidden: int = Field(64, ge=1, le=1024, description="width of fc6 and fc7 (4096 in the paper)")

    @model_validator(mode="after")
    def _padding_fits(self) -> "RCNNParams":
        if self.warp_size <= 2 * self.context_padding:
            raise ValueError(f"warp_size ({self.warp_size}) must exceed 2 * context_padding")
        return self


class CascadeRCNNParams(Params):
    num_classes: int = Field(4, ge=1, le=100, description="object classes N (scores add background)")
    channels: int = Field(16, ge=1, le=128, description="backbone feature channels")
    pool_size: int = Field(7, ge=1, le=14, description="RoIAlign output size P (7 in the paper)")
    sampling_ratio: int = Field(2, ge=1, le=4, description="bilinear samples per bin side in RoIAlign")
    hidden: int = Field(64, ge=1, le=1024, description="width of each stage's two fc layers (1024)")


class RFCNParams(Params):
    num_classes: int = Field(4, ge=1, le=100, description="object classes C (scores add background)")
    channels: int = Field(32, ge=1, le=256, description="backbone feature channels")
    group_size: int = Field(
        3, ge=1, le=7, description="k: a k x k grid of position-sensitive bins (7 in the paper)"
    )


class StackedHourglassParams(Params):
    num_stacks: int = Field(2, ge=1, le=8, description="stacked hourglasses (8 in the paper)")
    depth: int = Field(3, ge=1, le=5, description="hourglass recursion depth n (4 in the paper)")
    channels: int = Field(32, ge=4, le=256, multiple_of=4, description="feature width (256 in the paper)")
    num_joints: int = Field(8, ge=1, le=32, description="heatmaps J, one per joint (16 for MPII)")


_IMAGE = TensorSpec("image", (2, 3, 64, 64), fixed=(1,), doc="images [B, 3, H, W]")
_PROPOSALS = TensorSpec(
    "proposals",
    (2, 8, 4),
    dist="uniform",
    fixed=(2,),
    doc="[B, R, 4] samples in [0, 1]; sorted per axis and scaled to the image, they give (x1, y1, x2, y2) boxes",
)

ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="multi-scale-deformable-attention",
        names=("Deformable Attention Module", "Multi-Scale Deformable Attention", "MSDeformAttn"),
        kind="module",
        paper="https://arxiv.org/abs/2010.04159",
        target="methods.impl.multi_scale_deformable_attention:MultiScaleDeformableAttention",
        summary="Each query attends to K bilinear samples per head and level around its reference point.",
        params=MSDeformAttnParams,
        inputs=(
            TensorSpec("query", (2, 16, "d_model"), fixed=(2,), doc="queries z_q [B, Lq, C]"),
            TensorSpec(
                "reference_points",
                (2, 16, "n_levels", 2),
                dist="uniform",
                fixed=(2, 3),
                doc="normalized (x, y) reference point per query and level [B, Lq, L, 2], in [0, 1]",
            ),
            TensorSpec(
                "value",
                (2, "value_len", "d_model"),
                fixed=(1, 2),
                doc="flattened multi-level features [B, sum_l H_l W_l, C]",
            ),
        ),
        outputs={"output": (2, 16, 32)},
    ),
    MethodEntry(
        id="deformable-detr",
        names=("Deformable DETR",),
        kind="model",
        paper="https://arxiv.org/abs/2010.04159",
        target="methods.impl.deformable_detr:DeformableDETR",
        summary="DETR with multi-scale deformable attention in the encoder and the decoder's cross-attention.",
        params=DeformableDETRParams,
        inputs=(_IMAGE,),
        outputs={"logits": (2, 10, 5), "boxes": (2, 10, 4)},
    ),
    MethodEntry(
        id="r-cnn",
        names=("R-CNN", "Regions with CNN Features"),
        kind="model",
        paper="https://arxiv.org/abs/1311.2524",
        target="methods.impl.r_cnn:RCNN",
        summary="Warp each region proposal to a fixed size, classify its CNN features, regress its box.",
        params=RCNNParams,
        inputs=(_IMAGE, _PROPOSALS),
        outputs={
            "scores": (2, 8, 5),
            "deltas": (2, 8, 4, 4),
            "boxes": (2, 8, 4),
            "refined_boxes": (2, 8, 4, 4),
        },
    ),
    MethodEntry(
        id="cascade-r-cnn",
        names=("Cascade R-CNN",),
        kind="model",
        paper="https://arxiv.org/abs/1712.00726",
        target="methods.impl.cascade_r_cnn:CascadeRCNN",
        summary="Three R-CNN heads in sequence, each refining the boxes of the one before.",
        params=CascadeRCNNParams,
        inputs=(_IMAGE, _PROPOSALS),
        outputs={
            "stage_scores": (2, 3, 8, 5),
            "stage_boxes": (2, 3, 8, 4),
            "probs": (2, 8, 5),
            "boxes": (2, 8, 4),
        },
    ),
    MethodEntry(
        id="region-based-fully-convolutional-network",
        names=("Region-based Fully Convolutional Network", "R-FCN"),
        kind="model",
        paper="https://arxiv.org/abs/1605.06409",
        target="methods.impl.region_based_fully_convolutional_network:RFCN",
        summary="Position-sensitive score maps and RoI pooling make the detector fully convolutional.",
        params=RFCNParams,
        inputs=(_IMAGE, _PROPOSALS),
        outputs={"scores": (2, 8, 5), "probs": (2, 8, 5), "deltas": (2, 8, 4), "boxes": (2, 8, 4)},
    ),
    MethodEntry(
        id="stacked-hourglass-network",
        names=("Stacked Hourglass Network", "Stacked Hourglass Networks"),
        kind="model",
        paper="https://arxiv.org/abs/1603.06937",
        target="methods.impl.stacked_hourglass_network:StackedHourglass",
        summary="Repeated pooling-upsampling hourglasses with intermediate heatmap supervision.",
        params=StackedHourglassParams,
        inputs=(TensorSpec("image", (2, 3, 64, 64), fixed=(1,), doc="images [B, 3, H, W]"),),
        outputs={"output": (2, 2, 8, 16, 16)},
    ),
)
