"""Detection and segmentation architectures, feature pyramids and spatial attention blocks."""

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec

Widths = tuple[Annotated[int, Field(ge=1, le=512)], ...]


def _classes(default: int = 4) -> int:
    return Field(default, ge=1, le=100, description="object classes K (20 on VOC, 80 on COCO)")


class UNetParams(Params):
    in_channels: int = Field(3, ge=1, le=8, description="input channels (1 for the paper's cell images)")
    num_classes: int = Field(2, ge=1, le=100, description="classes per pixel (2)")
    base_channels: int = Field(8, ge=1, le=64, description="first level width (64)")
    depth: int = Field(3, ge=1, le=5, description="downsampling steps (4)")


class FCNParams(Params):
    num_classes: int = Field(4, ge=1, le=100, description="classes per pixel (21 on VOC)")
    base_width: int = Field(8, ge=1, le=64, description="first stage width (64)")
    hidden: int = Field(64, ge=4, le=4096, description="conv fc6/fc7 width (4096)")


class FPNParams(Params):
    in_channels: Widths = Field((16, 32, 64), min_length=3, max_length=3, description="C3, C4, C5 widths")
    out_channels: int = Field(16, ge=1, le=256, description="pyramid width d (256)")


class BottomUpParams(Params):
    channels: int = Field(16, ge=1, le=256, description="pyramid width d (256)")


class PAFPNParams(Params):
    in_channels: Widths = Field((8, 16, 32, 64), min_length=4, max_length=4, description="C2..C5 widths")
    out_channels: int = Field(16, ge=1, le=256, description="pyramid width d (256)")


class RPNParams(Params):
    in_channels: int = Field(32, ge=1, le=512, description="feature channels (512 for VGG-16)")
    stride: int = Field(8, ge=1, le=64, description="feature stride in pixels (16)")
    scales: tuple[Annotated[float, Field(gt=0, le=1024)], ...] = Field(
        (16.0, 32.0, 64.0), min_length=1, max_length=5, description="anchor sizes in pixels ((128, 256, 512))"
    )
    ratios: tuple[Annotated[float, Field(gt=0, le=10)], ...] = Field(
        (0.5, 1.0, 2.0), min_length=1, max_length=5, description="anchor aspect ratios h / w ((0.5, 1, 2))"
    )
    pre_nms_top_n: int = Field(64, ge=1, le=6000, description="proposals scored before NMS (6000)")
    post_nms_top_n: int = Field(16, ge=1, le=300, description="proposals kept after NMS (300)")
    nms_threshold: float = Field(0.7, ge=0.0, le=1.0, description="NMS IoU threshold (0.7)")

    @model_validator(mode="after")
    def _counts(self) -> Self:
        if self.post_nms_top_n > self.pre_nms_top_n:
            raise ValueError("post_nms_top_n must not exceed pre_nms_top_n")
        return self


class FasterRCNNParams(Params):
    num_classes: int = _classes()
    channels: int = Field(32, ge=2, le=256, multiple_of=2, description="backbone width (512)")
    proposals: int = Field(16, ge=1, le=300, description="proposals N per image (300)")
    pool_size: int = Field(7, ge=1, le=14, description="RoIAlign output P (7)")
    sampling_ratio: int = Field(2, ge=1, le=4, description="bilinear samples per bin side")
    hidden: int = Field(64, ge=4, le=4096, description="box head fc width (4096 / 1024)")


class MaskRCNNParams(FasterRCNNParams):
    mask_pool_size: int = Field(7, ge=1, le=14, description="mask RoIAlign output P_m (14)")
    mask_channels: int = Field(16, ge=1, le=256, description="mask head width (256)")


class SSDParams(Params):
    num_classes: int = _classes()
    channels: int = Field(16, ge=1, le=256, description="base network width")
    s_min: float = Field(0.2, gt=0.0, lt=1.0, description="smallest default box scale s_min (0.2)")
    s_max: float = Field(0.9, gt=0.0, le=1.0, description="largest default box scale s_max (0.9)")
    maps: int = Field(3, ge=1, le=6, description="feature maps m (6)")


class Darknet53Params(Params):
    width_div: Literal[1, 2, 4, 8] = Field(8, description="divides the paper's widths 32..1024")
    max_repeats: int = Field(
        1, ge=1, le=8, description="cap on the residual units per stage ((1, 2, 8, 8, 4))"
    )
    num_classes: int = Field(10, ge=1, le=1000, description="classes (1000 on ImageNet)")


class YOLOv3Params(Params):
    num_classes: int = _classes()
    width_div: Literal[1, 2, 4, 8] = Field(8, description="divides Darknet-53's widths")
    anchor_scale: float = Field(0.25, gt=0.0, le=4.0, description="scales the 416-pixel COCO priors")


class RetinaNetParams(Params):
    num_classes: int = _classes()
    channels: int = Field(16, ge=1, le=256, description="FPN and subnet width (256)")
    head_convs: int = Field(2, ge=0, le=4, description="3x3 conv layers per subnet (4)")
    extra_levels: int = Field(1, ge=0, le=2, description="strided levels above P5 (2: P6, P7)")
    prior: float = Field(0.01, gt=0.0, lt=1.0, description="initial foreground probability pi (0.01)")
    anchor_size: float = Field(
        16.0, gt=0.0, le=512.0, description="anchor size at P3 (32), doubling per level"
    )


class DETRParams(Params):
    num_classes: int = _classes()
    d_model: int = Field(32, ge=8, le=256, multiple_of=4, description="Transformer width d (256)")
    heads: int = Field(4, ge=1, le=8, description="attention heads (8)")
    encoder_layers: int = Field(1, ge=1, le=6, description="encoder layers (6)")
    decoder_layers: int = Field(2, ge=1, le=6, description="decoder layers (6)")
    d_ff: int = Field(64, ge=8, le=2048, description="feed-forward width (2048)")
    num_queries: int = Field(8, ge=1, le=100, description="object queries N (100)")
    dropout: float = Field(0.1, ge=0.0, le=0.9, description="dropout (0.1)")

    @model_validator(mode="after")
    def _heads_divide(self) -> Self:
        if self.d_model % self.heads:
            raise ValueError("d_model must be divisible by heads")
        return self


class SpatialTransformerParams(Params):
    in_channels: int = Field(1, ge=1, le=8, description="input channels C (1 for MNIST)")
    image_size: int = Field(28, ge=18, le=64, description="input side the localisation net expects (28)")
    hidden: int = Field(32, ge=4, le=256, description="localisation regressor width (32)")


class NonLocalOperationParams(Params):
    channels: int = Field(16, ge=2, le=256, description="input channels C")
    inner_channels: int = Field(8, ge=1, le=256, description="embedding width (C / 2)")
    mode: Literal["embedded_gaussian", "gaussian", "dot_product"] = Field(
        "embedded_gaussian", description="pairwise function f"
    )


class NonLocalBlockParams(Params):
    channels: int = Field(16, ge=2, le=256, description="input channels C")
    mode: Literal["embedded_gaussian", "gaussian", "dot_product"] = Field(
        "embedded_gaussian", description="pairwise function f"
    )


class SAGANParams(Params):
    channels: int = Field(32, ge=8, le=512, description="input channels C")
    reduction: int = Field(8, ge=1, le=16, description="C / C-bar for f and g (8)")


_IMAGE = TensorSpec("image", (2, 3, 64, 64), fixed=(1,), doc="images [B, 3, H, W]")


def _map(name: str, channels: int | str, side: int) -> TensorSpec:
    return TensorSpec(
        name, (2, channels, side, side), fixed=(1,), doc=f"{name} feature map [B, C, {side}, {side}]"
    )


_FASTER = {
    "objectness": (2, 576),
    "rpn_deltas": (2, 576, 4),
    "proposals": (2, 16, 4),
    "class_logits": (2, 16, 5),
    "box_deltas": (2, 16, 5, 4),
    "features": (2, 32, 8, 8),
}
_PANET = "https://arxiv.org/abs/1803.01534"

ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="u-net",
        names=("U-Net",),
        kind="model",
        paper="https://arxiv.org/abs/1505.04597",
        target="methods.impl.u_net:UNet",
        summary="Contracting and expanding paths joined by concatenated skips; per-pixel class scores.",
        params=UNetParams,
        inputs=(TensorSpec("x", (2, "in_channels", 32, 32), fixed=(1,), doc="images [B, C, H, W]"),),
        outputs={"output": (2, 2, 32, 32)},
    ),
    MethodEntry(
        id="fcn",
        names=("FCN", "Fully Convolutional Network"),
        kind="model",
        paper="https://arxiv.org/abs/1411.4038",
        target="methods.impl.fcn:FCN",
        summary="FCN-8s: convolutionalized classifier, learned upsampling, pool4 and pool3 skips.",
        params=FCNParams,
        inputs=(TensorSpec("x", (2, 3, 64, 64), fixed=(1,), doc="images [B, 3, H, W]"),),
        outputs={"output": (2, 4, 64, 64)},
    ),
    MethodEntry(
        id="fpn",
        names=("FPN", "Feature Pyramid Network"),
        kind="module",
        paper="https://arxiv.org/abs/1612.03144",
        target="methods.impl.fpn:FPN",
        summary="Top-down pathway with 1x1 lateral connections gives d-channel maps at every scale.",
        params=FPNParams,
        inputs=(_map("c3", 16, 16), _map("c4", 32, 8), _map("c5", 64, 4)),
        outputs={"p3": (2, 16, 16, 16), "p4": (2, 16, 8, 8), "p5": (2, 16, 4, 4)},
    ),
    MethodEntry(
        id="bottom-up-path-augmentation",
        names=("Bottom-up Path Augmentation",),
        kind="module",
        paper=_PANET,
        target="methods.impl.bottom_up_path_augmentation:BottomUpPathAugmentation",
        summary="A short bottom-up path over an FPN: stride-2 conv of N_i plus P_{i+1}, fused.",
        params=BottomUpParams,
        inputs=(
            _map("p2", "channels", 32),
            _map("p3", "channels", 16),
            _map("p4", "channels", 8),
            _map("p5", "channels", 4),
        ),
        outputs={"n2": (2, 16, 32, 32), "n3": (2, 16, 16, 16), "n4": (2, 16, 8, 8), "n5": (2, 16, 4, 4)},
    ),
    MethodEntry(
        id="pafpn",
        names=("PAFPN",),
        kind="module",
        paper=_PANET,
        target="methods.impl.pafpn:PAFPN",
        summary="PANet's neck: FPN top-down pathway followed by bottom-up path augmentation.",
        params=PAFPNParams,
        inputs=(_map("c2", 8, 32), _map("c3", 16, 16), _map("c4", 32, 8), _map("c5", 64, 4)),
        outputs={"n2": (2, 16, 32, 32), "n3": (2, 16, 16, 16), "n4": (2, 16, 8, 8), "n5": (2, 16, 4, 4)},
    ),
    MethodEntry(
        id="rpn",
        names=("RPN", "Region Proposal Network"),
        kind="module",
        paper="https://arxiv.org/abs/1506.01497",
        target="methods.impl.rpn:RPN",
        summary="Sliding 3x3 head scores k anchors per position and regresses them into proposals.",
        params=RPNParams,
        inputs=(
            TensorSpec("features", (2, "in_channels", 8, 8), fixed=(1,), doc="backbone map [B, C, H, W]"),
        ),
        outputs={
            "objectness": (2, 576),
            "deltas": (2, 576, 4),
            "proposals": (2, 16, 4),
            "proposal_scores": (2, 16),
        },
    ),
    MethodEntry(
        id="faster-r-cnn",
        names=("Faster R-CNN",),
        kind="model",
        paper="https://arxiv.org/abs/1506.01497",
        target="methods.impl.faster_r_cnn:FasterRCNN",
        summary="Backbone, region proposal network and a Fast R-CNN box head on RoIAlign features.",
        params=FasterRCNNParams,
        inputs=(_IMAGE,),
        outputs=_FASTER,
    ),
    MethodEntry(
        id="mask-r-cnn",
        names=("Mask R-CNN",),
        kind="model",
        paper="https://arxiv.org/abs/1703.06870",
        target="methods.impl.mask_r_cnn:MaskRCNN",
        summary="Faster R-CNN with a per-class FCN mask head on RoIAlign features.",
        params=MaskRCNNParams,
        inputs=(_IMAGE,),
        outputs={**_FASTER, "mask_logits": (2, 16, 4, 14, 14)},
    ),
    MethodEntry(
        id="ssd",
        names=("SSD", "Single Shot MultiBox Detector"),
        kind="model",
        paper="https://arxiv.org/abs/1512.02325",
        target="methods.impl.ssd:SSD",
        summary="Class scores and offsets for default boxes of several scales on several maps, one pass.",
        params=SSDParams,
        inputs=(_IMAGE,),
        outputs={"class_logits": (2, 336, 5), "box_offsets": (2, 336, 4), "default_boxes": (336, 4)},
    ),
    MethodEntry(
        id="darknet-53",
        names=("Darknet-53",),
        kind="model",
        paper="https://arxiv.org/abs/1804.02767",
        target="methods.impl.darknet_53:Darknet53",
        summary="YOLOv3's backbone: strided 3x3 convs and 1x1/3x3 residual units with LeakyReLU.",
        params=Darknet53Params,
        inputs=(TensorSpec("x", (2, 3, 64, 64), fixed=(1,), doc="images [B, 3, H, W]"),),
        outputs={"output": (2, 10)},
    ),
    MethodEntry(
        id="yolov3",
        names=("YOLOv3",),
        kind="model",
        paper="https://arxiv.org/abs/1804.02767",
        target="methods.impl.yolov3:YOLOv3",
        summary="Darknet-53 with three-scale heads predicting anchor-relative boxes, objectness and classes.",
        params=YOLOv3Params,
        inputs=(_IMAGE,),
        outputs={
            "p3": (2, 3, 8, 8, 9),
            "p4": (2, 3, 4, 4, 9),
            "p5": (2, 3, 2, 2, 9),
            "boxes": (2, 252, 4),
            "scores": (2, 252, 4),
        },
    ),
    MethodEntry(
        id="retinanet",
        names=("RetinaNet",),
        kind="model",
        paper="https://arxiv.org/abs/1708.02002",
        target="methods.impl.retinanet:RetinaNet",
        summary="One-stage FPN detector with shared class and box subnets and a rare-foreground prior.",
        params=RetinaNetParams,
        inputs=(_IMAGE,),
        outputs={"cls_logits": (2, 765, 4), "box_deltas": (2, 765, 4), "anchors": (765, 4)},
    ),
    MethodEntry(
        id="detr",
        names=("Detr", "Detection Transformer", "DETR"),
        kind="model",
        paper="https://arxiv.org/abs/2005.12872",
        target="methods.impl.detr:DETR",
        summary="Transformer encoder-decoder turns N object queries into a set of boxes and classes.",
        params=DETRParams,
        inputs=(_IMAGE,),
        outputs={"pred_logits": (2, 8, 5), "pred_boxes": (2, 8, 4)},
    ),
    MethodEntry(
        id="spatial-transformer",
        names=("Spatial Transformer", "Spatial Transformer Network"),
        kind="module",
        paper="https://arxiv.org/abs/1506.02025",
        target="methods.impl.spatial_transformer:SpatialTransformer",
        summary="A localisation net predicts an affine map; a grid generator and bilinear sampler apply it.",
        params=SpatialTransformerParams,
        inputs=(
            TensorSpec(
                "x",
                (2, "in_channels", "image_size", "image_size"),
                fixed=(1, 2, 3),
                doc="images [B, C, H, W]",
            ),
        ),
        outputs={"output": (2, 1, 28, 28), "theta": (2, 2, 3)},
    ),
    MethodEntry(
        id="non-local-operation",
        names=("Non-Local Operation",),
        kind="module",
        paper="https://arxiv.org/abs/1711.07971",
        target="methods.impl.non_local_operation:NonLocalOperation",
        summary="Each position's response is a normalized pairwise-weighted sum of features at all positions.",
        params=NonLocalOperationParams,
        inputs=(_map("x", "channels", 8),),
        outputs={"output": (2, 8, 8, 8)},
    ),
    MethodEntry(
        id="non-local-block",
        names=("Non-Local Block",),
        kind="module",
        paper="https://arxiv.org/abs/1711.07971",
        target="methods.impl.non_local_block:NonLocalBlock",
        summary="A non-local operation in a residual connection, starting as the identity.",
        params=NonLocalBlockParams,
        inputs=(_map("x", "channels", 8),),
        outputs={"output": (2, 16, 8, 8)},
    ),
    MethodEntry(
        id="sagan-self-attention-module",
        names=("SAGAN Self-Attention Module",),
        kind="module",
        paper="https://arxiv.org/abs/1805.08318",
        target="methods.impl.sagan_self_attention_module:SAGANSelfAttention",
        summary="Softmax self-attention over a feature map, added back through a gate gamma that starts at 0.",
        params=SAGANParams,
        inputs=(_map("x", "channels", 8),),
        outputs={"output": (2, 32, 8, 8), "attention": (2, 64, 64)},
    ),
)
