"""Image classification architectures and their blocks: ResNet to ConvNeXt, ViT, Swin, MAE and CLIP."""

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec

Depths = tuple[Annotated[int, Field(ge=1, le=8)], ...]


def _classes() -> int:
    return Field(10, ge=1, le=1000, description="classes K (1000 on ImageNet)")


class ResidualBlockParams(Params):
    in_channels: int = Field(16, ge=1, le=256, description="input channels")
    out_channels: int = Field(16, ge=1, le=256, description="output channels (64 to 512 in ResNet-34)")
    stride: int = Field(1, ge=1, le=2, description="stride of the first 3x3 convolution (2 opens a stage)")
    zero_init_residual: bool = Field(
        False, description="zero the last BN scale gamma: the block starts as identity"
    )


class BottleneckParams(Params):
    in_channels: int = Field(32, ge=1, le=512, description="input channels")
    width: int = Field(8, ge=1, le=128, description="bottleneck width d; the output has 4d channels")
    stride: int = Field(1, ge=1, le=2, description="stride of the 3x3 convolution")
    groups: int = Field(1, ge=1, le=64, description="groups of the 3x3 convolution (1 in ResNet)")
    zero_init_residual: bool = Field(False, description="zero the last BN scale gamma")

    @model_validator(mode="after")
    def _groups_divide(self) -> Self:
        if self.width % self.groups:
            raise ValueError(f"width {self.width} must be divisible by groups {self.groups}")
        return self


class ResNetParams(Params):
    block: Literal["basic", "bottleneck"] = Field(
        "basic", description="residual block type (basic: ResNet-18/34)"
    )
    layers: Depths = Field(
        (1, 1, 1, 1), min_length=1, max_length=4, description="blocks per stage ((2, 2, 2, 2))"
    )
    base_width: int = Field(8, ge=1, le=64, description="first stage width (64)")
    num_classes: int = _classes()
    zero_init_residual: bool = Field(False, description="zero every block's last BN scale")


class ResNeXtBlockParams(Params):
    in_channels: int = Field(32, ge=1, le=512, description="input channels")
    out_channels: int = Field(32, ge=1, le=512, description="output channels (256 in stage 1)")
    cardinality: int = Field(4, ge=1, le=64, description="cardinality C, the number of groups (32)")
    bottleneck_width: int = Field(4, ge=1, le=64, description="width d of each transformation (4)")
    stride: int = Field(1, ge=1, le=2, description="stride of the grouped 3x3 convolution")


class ResNeXtParams(Params):
    layers: Depths = Field(
        (1, 1, 1, 1), min_length=1, max_length=4, description="blocks per stage ((3, 4, 6, 3))"
    )
    cardinality: int = Field(4, ge=1, le=64, description="cardinality C (32)")
    bottleneck_width: int = Field(4, ge=1, le=64, description="width d in stage 1 (4)")
    base_channels: int = Field(32, ge=4, le=256, multiple_of=4, description="stage 1 output width (256)")
    num_classes: int = _classes()


class SEParams(Params):
    channels: int = Field(32, ge=1, le=1024, description="channels C")
    reduction: int = Field(16, ge=1, le=64, description="reduction ratio r (16)")


class InvertedResidualParams(Params):
    in_channels: int = Field(16, ge=1, le=320, description="input channels k")
    out_channels: int = Field(16, ge=1, le=320, description="output channels k'")
    stride: int = Field(1, ge=1, le=2, description="stride s of the depthwise convolution")
    expand_ratio: int = Field(6, ge=1, le=8, description="expansion factor t (6)")


class MobileNetV2Params(Params):
    width_mult: float = Field(0.25, ge=0.1, le=1.4, description="width multiplier alpha (1.0)")
    repeats: int = Field(
        1, ge=1, le=4, description="cap on the repeats n of each group (up to 4 in the paper)"
    )
    last_channel: int = Field(128, ge=8, le=1280, description="width of the last 1x1 convolution (1280)")
    num_classes: int = _classes()
    dropout: float = Field(0.2, ge=0.0, le=0.9, description="dropout before the classifier (0.2)")


class EfficientNetParams(Params):
    width_mult: float = Field(0.25, ge=0.1, le=2.0, description="width coefficient w = beta^phi (1.0 for B0)")
    depth_mult: float = Field(
        0.25, ge=0.1, le=3.1, description="depth coefficient d = alpha^phi (1.0 for B0)"
    )
    num_classes: int = _classes()
    dropout: float = Field(0.2, ge=0.0, le=0.9, description="dropout before the classifier (0.2 for B0)")


class DenseBlockParams(Params):
    in_channels: int = Field(16, ge=1, le=512, description="input channels C")
    num_layers: int = Field(4, ge=1, le=48, description="layers L in the block (6 to 48)")
    growth_rate: int = Field(8, ge=1, le=64, description="growth rate k (32)")
    bn_size: int = Field(4, ge=1, le=8, description="bottleneck factor: the 1x1 gives bn_size * k maps (4)")


class DenseNetParams(Params):
    block_config: Depths = Field(
        (2, 2, 2), min_length=1, max_length=4, description="layers per block ((6, 12, 24, 16))"
    )
    growth_rate: int = Field(8, ge=1, le=64, description="growth rate k (32)")
    init_channels: int = Field(16, ge=2, le=128, description="stem channels (64)")
    compression: float = Field(0.5, gt=0.0, le=1.0, description="transition compression theta (0.5)")
    bn_size: int = Field(4, ge=1, le=8, description="bottleneck factor (4)")
    num_classes: int = _classes()


class VGGParams(Params):
    config: Depths = Field(
        (1, 1, 1, 1, 1),
        min_length=5,
        max_length=5,
        description="3x3 convs per group ((2, 2, 3, 3, 3) VGG-16)",
    )
    base_width: int = Field(8, ge=1, le=64, description="first group width (64), doubling up to 8x")
    hidden: int = Field(64, ge=8, le=4096, description="fully connected width (4096)")
    pool_size: int = Field(1, ge=1, le=7, description="adaptive pooling size before the classifier (7)")
    batch_norm: bool = Field(False, description="BatchNorm after each convolution (VGG-BN)")
    num_classes: int = _classes()
    dropout: float = Field(0.5, ge=0.0, le=0.9, description="dropout in the classifier (0.5)")


class AlexNetParams(Params):
    width_div: Literal[1, 2, 4, 8, 16] = Field(8, description="divides the paper's widths 96-256-384-384-256")
    hidden: int = Field(64, ge=8, le=4096, description="fully connected width (4096)")
    num_classes: int = _classes()
    dropout: float = Field(0.5, ge=0.0, le=0.9, description="dropout before FC6 and FC7 (0.5)")
    size: int = Field(5, ge=1, le=9, description="LRN neighbourhood n (5)")
    alpha: float = Field(1e-4, ge=0.0, le=1.0, description="LRN alpha (1e-4)")
    beta: float = Field(0.75, ge=0.0, le=2.0, description="LRN beta (0.75)")
    k: float = Field(2.0, ge=0.0, le=10.0, description="LRN k (2)")


class InceptionParams(Params):
    in_channels: int = Field(48, ge=1, le=1024, description="input channels (192 at 3a)")
    ch1x1: int = Field(16, ge=1, le=512, description="#1x1 (64)")
    ch3x3_reduce: int = Field(24, ge=1, le=512, description="#3x3 reduce (96)")
    ch3x3: int = Field(32, ge=1, le=512, description="#3x3 (128)")
    ch5x5_reduce: int = Field(4, ge=1, le=512, description="#5x5 reduce (16)")
    ch5x5: int = Field(8, ge=1, le=512, description="#5x5 (32)")
    pool_proj: int = Field(8, ge=1, le=512, description="pool proj (32)")


class AuxiliaryParams(Params):
    in_channels: int = Field(64, ge=1, le=1024, description="channels of the tapped layer (512 at 4a)")
    conv_channels: int = Field(16, ge=1, le=256, description="1x1 convolution filters (128)")
    hidden: int = Field(64, ge=8, le=2048, description="fully connected width (1024)")
    pool_size: int = Field(4, ge=1, le=8, description="pooled map side (4)")
    num_classes: int = _classes()
    dropout: float = Field(0.7, ge=0.0, le=0.9, description="dropout (0.7)")


class GoogLeNetParams(Params):
    width_div: Literal[1, 2, 4, 8] = Field(8, description="divides every width of the paper's Table 1")
    num_classes: int = _classes()
    aux_weight: float = Field(0.3, ge=0.0, le=1.0, description="weight of the auxiliary losses (0.3)")
    dropout: float = Field(0.4, ge=0.0, le=0.9, description="dropout before the classifier (0.4)")


class XceptionParams(Params):
    width_div: Literal[1, 2, 4, 8, 16] = Field(
        16, description="divides the paper's widths (728 in the middle flow)"
    )
    middle_blocks: int = Field(1, ge=1, le=8, description="middle flow blocks (8)")
    num_classes: int = _classes()


class ConvNeXtParams(Params):
    depths: Depths = Field(
        (1, 1, 1, 1), min_length=4, max_length=4, description="blocks per stage ((3, 3, 9, 3) for T)"
    )
    dims: tuple[Annotated[int, Field(ge=4, le=768)], ...] = Field(
        (8, 16, 32, 64), min_length=4, max_length=4, description="stage widths ((96, 192, 384, 768))"
    )
    layer_scale_init: float = Field(1e-6, ge=0.0, le=1.0, description="initial layer scale gamma (1e-6)")
    num_classes: int = _classes()


class ViTParams(Params):
    image_size: int = Field(32, ge=8, le=224, description="input side (224)")
    patch_size: int = Field(8, ge=2, le=32, description="patch side P (16)")
    dim: int = Field(32, ge=8, le=768, description="token width D (768 for ViT-B)")
    depth: int = Field(2, ge=1, le=12, description="encoder layers L (12)")
    heads: int = Field(4, ge=1, le=16, description="attention heads (12)")
    mlp_ratio: int = Field(4, ge=1, le=8, description="MLP width / D (4)")
    num_classes: int = _classes()
    dropout: float = Field(0.1, ge=0.0, le=0.9, description="dropout (0.1)")

    @model_validator(mode="after")
    def _fits(self) -> Self:
        if self.image_size % self.patch_size or self.dim % self.heads:
            raise ValueError("image_size must be a multiple of patch_size and dim of heads")
        return self


class SwinParams(Params):
    patch_size: int = Field(4, ge=1, le=8, description="patch side (4)")
    embed_dim: int = Field(16, ge=4, le=192, description="stage 1 width C (96 for Swin-T)")
    depths: tuple[Annotated[int, Field(ge=1, le=8, multiple_of=2)], ...] = Field(
        (2, 2),
        min_length=1,
        max_length=4,
        description="blocks per stage, W-MSA / SW-MSA pairs ((2, 2, 6, 2))",
    )
    heads: Depths = Field((2, 4), min_length=1, max_length=4, description="heads per stage ((3, 6, 12, 24))")
    window_size: int = Field(4, ge=2, le=8, description="window side M (7)")
    mlp_ratio: int = Field(4, ge=1, le=8, description="MLP width / C (4)")
    num_classes: int = _classes()

    @model_validator(mode="after")
    def _stages_match(self) -> Self:
        if len(self.depths) != len(self.heads):
            raise ValueError("depths and heads must name the same number of stages")
        return self


class MAEParams(Params):
    image_size: int = Field(32, ge=8, le=224, description="input side (224)")
    patch_size: int = Field(4, ge=2, le=32, description="patch side P (16)")
    dim: int = Field(32, ge=8, le=1024, description="encoder width (1024 for ViT-L)")
    depth: int = Field(2, ge=1, le=24, description="encoder layers (24)")
    heads: int = Field(4, ge=1, le=16, description="encoder heads (16)")
    decoder_dim: int = Field(16, ge=4, le=512, description="decoder width (512)")
    decoder_depth: int = Field(1, ge=1, le=8, description="decoder layers (8)")
    decoder_heads: int = Field(2, ge=1, le=16, description="decoder heads (16)")
    mask_ratio: float = Field(0.75, ge=0.0, lt=1.0, description="masking ratio r (0.75)")
    norm_pix_loss: bool = Field(True, description="normalize each target patch by its mean and variance")


class CLIPParams(Params):
    image_size: int = Field(32, ge=8, le=224, description="input side (224)")
    patch_size: int = Field(8, ge=2, le=32, description="ViT patch side (16 or 32)")
    vision_width: int = Field(32, ge=8, le=768, description="image tower width (768)")
    vision_layers: int = Field(2, ge=1, le=12, description="image tower layers (12)")
    vocab_size: int = Field(64, ge=8, le=4096, description="BPE vocabulary (49,408)")
    context_length: int = Field(16, ge=2, le=77, description="text context length (77)")
    text_width: int = Field(32, ge=8, le=512, description="text tower width (512)")
    text_layers: int = Field(2, ge=1, le=12, description="text tower layers (12)")
    heads: int = Field(4, ge=1, le=16, description="attention heads of both towers (8 / 12)")
    embed_dim: int = Field(16, ge=4, le=512, description="joint embedding size (512)")


_IMAGE = TensorSpec("x", (2, 3, 32, 32), fixed=(1,), doc="images [B, 3, H, W]")
_IMAGE64 = TensorSpec("x", (2, 3, 64, 64), fixed=(1,), doc="images [B, 3, H, W]")


def _maps(channels: str, side: int = 16) -> tuple[TensorSpec]:
    return (TensorSpec("x", (2, channels, side, side), fixed=(1,), doc="feature maps [B, C, H, W]"),)


def _entry(
    id: str, names: tuple[str, ...], paper: str, module: str, cls: str, summary: str, **kw
) -> MethodEntry:
    return MethodEntry(
        id=id,
        names=names,
        paper=paper,
        target=f"methods.impl.{module}:{cls}",
        summary=summary,
        **{"kind": "model", **kw},
    )


_RESNET = "https://arxiv.org/abs/1512.03385"
_RESNEXT = "https://arxiv.org/abs/1611.05431"
_MOBILENETV2 = "https://arxiv.org/abs/1801.04381"
_DENSENET = "https://arxiv.org/abs/1608.06993"
_GOOGLENET = "https://arxiv.org/abs/1409.4842"

ENTRIES: tuple[MethodEntry, ...] = (
    _entry(
        "residual-block",
        ("Residual Block", "Basic Block"),
        _RESNET,
        "residual_block",
        "ResidualBlock",
        "Two 3x3 conv-BN layers learn a residual F(x) added back to the input.",
        kind="module",
        params=ResidualBlockParams,
        inputs=_maps("in_channels"),
        outputs={"output": (2, 16, 16, 16)},
    ),
    _entry(
        "bottleneck-residual-block",
        ("Bottleneck Residual Block",),
        _RESNET,
        "bottleneck_residual_block",
        "BottleneckResidualBlock",
        "1x1 reduce, 3x3, 1x1 expand (x4) residual block of the deeper ResNets.",
        kind="module",
        params=BottleneckParams,
        inputs=_maps("in_channels"),
        outputs={"output": (2, 32, 16, 16)},
    ),
    _entry(
        "resnet",
        ("ResNet", "Residual Network"),
        _RESNET,
        "resnet",
        "ResNet",
        "Stem, four stages of residual blocks with doubling widths, global pooling, classifier.",
        params=ResNetParams,
        inputs=(_IMAGE,),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "resnext-block",
        ("ResNeXt Block",),
        _RESNEXT,
        "resnext_block",
        "ResNeXtBlock",
        "Bottleneck whose 3x3 convolution is split into C groups: aggregated residual transformations.",
        kind="module",
        params=ResNeXtBlockParams,
        inputs=_maps("in_channels"),
        outputs={"output": (2, 32, 16, 16)},
    ),
    _entry(
        "resnext",
        ("ResNeXt",),
        _RESNEXT,
        "resnext",
        "ResNeXt",
        "ResNet's layout with ResNeXt blocks of cardinality C.",
        params=ResNeXtParams,
        inputs=(_IMAGE,),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "squeeze-and-excitation-block",
        ("Squeeze-and-Excitation Block", "SE Block"),
        "https://arxiv.org/abs/1709.01507",
        "squeeze_and_excitation_block",
        "SqueezeExcitation",
        "Global pooling and a two-layer bottleneck give per-channel sigmoid gates.",
        kind="module",
        params=SEParams,
        inputs=_maps("channels", 8),
        outputs={"output": (2, 32, 8, 8)},
    ),
    _entry(
        "inverted-residual-block",
        ("Inverted Residual Block",),
        _MOBILENETV2,
        "inverted_residual_block",
        "InvertedResidual",
        "1x1 expansion, 3x3 depthwise, linear 1x1 projection; shortcut between narrow ends.",
        kind="module",
        params=InvertedResidualParams,
        inputs=_maps("in_channels"),
        outputs={"output": (2, 16, 16, 16)},
    ),
    _entry(
        "mobilenetv2",
        ("MobileNetV2",),
        _MOBILENETV2,
        "mobilenetv2",
        "MobileNetV2",
        "Mobile classifier of inverted residual blocks with linear bottlenecks and a width multiplier.",
        params=MobileNetV2Params,
        inputs=(_IMAGE,),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "efficientnet",
        ("EfficientNet",),
        "https://arxiv.org/abs/1905.11946",
        "efficientnet",
        "EfficientNet",
        "MBConv blocks with squeeze-and-excitation, compound-scaled in width and depth.",
        params=EfficientNetParams,
        inputs=(_IMAGE,),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "dense-block",
        ("Dense Block",),
        _DENSENET,
        "dense_block",
        "DenseBlock",
        "Each layer takes the concatenation of all earlier feature maps and adds k new ones.",
        kind="module",
        params=DenseBlockParams,
        inputs=_maps("in_channels"),
        outputs={"output": (2, 48, 16, 16)},
    ),
    _entry(
        "densenet",
        ("DenseNet",),
        _DENSENET,
        "densenet",
        "DenseNet",
        "Dense blocks joined by compressing, downsampling transition layers.",
        params=DenseNetParams,
        inputs=(_IMAGE,),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "vgg",
        ("VGG",),
        "https://arxiv.org/abs/1409.1556",
        "vgg",
        "VGG",
        "Stacks of 3x3 convolutions and max pooling, then three fully connected layers.",
        params=VGGParams,
        inputs=(_IMAGE,),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "alexnet",
        ("AlexNet",),
        "https://papers.nips.cc/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html",
        "alexnet",
        "AlexNet",
        "Five conv layers with ReLU, LRN and overlapping pooling, three dropout-regularized FC layers.",
        params=AlexNetParams,
        inputs=(_IMAGE64,),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "inception-module",
        ("Inception Module",),
        _GOOGLENET,
        "inception_module",
        "InceptionModule",
        "Parallel 1x1, 3x3, 5x5 and pooling branches with 1x1 reductions, concatenated.",
        kind="module",
        params=InceptionParams,
        inputs=_maps("in_channels"),
        outputs={"output": (2, 64, 16, 16)},
    ),
    _entry(
        "auxiliary-classifier",
        ("Auxiliary Classifier",),
        _GOOGLENET,
        "auxiliary_classifier",
        "AuxiliaryClassifier",
        "A small classifier head on an intermediate layer whose loss helps train the lower layers.",
        kind="module",
        params=AuxiliaryParams,
        inputs=_maps("in_channels", 14),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "googlenet",
        ("GoogLeNet", "Inception v1"),
        _GOOGLENET,
        "googlenet",
        "GoogLeNet",
        "Nine stacked Inception modules with two auxiliary classifiers.",
        params=GoogLeNetParams,
        inputs=(
            _IMAGE64,
            TensorSpec("labels", (2,), dtype="int64", dist="randint", high="num_classes", doc="classes [B]"),
        ),
        outputs={"logits": (2, 10), "aux1": (2, 10), "aux2": (2, 10), "loss": ()},
    ),
    _entry(
        "xception",
        ("Xception",),
        "https://arxiv.org/abs/1610.02357",
        "xception",
        "Xception",
        "Residual blocks of depthwise separable convolutions in entry, middle and exit flows.",
        params=XceptionParams,
        inputs=(_IMAGE,),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "convnext",
        ("ConvNeXt",),
        "https://arxiv.org/abs/2201.03545",
        "convnext",
        "ConvNeXt",
        "Patchify stem and depthwise 7x7 inverted bottlenecks with LayerNorm, GELU and layer scale.",
        params=ConvNeXtParams,
        inputs=(_IMAGE,),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "vision-transformer",
        ("Vision Transformer", "ViT"),
        "https://arxiv.org/abs/2010.11929",
        "vision_transformer",
        "VisionTransformer",
        "Image patches as tokens, a class token and learned positions, a pre-norm Transformer encoder.",
        params=ViTParams,
        inputs=(TensorSpec("x", (2, 3, "image_size", "image_size"), fixed=(1, 2, 3), doc="images"),),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "swin-transformer",
        ("Swin Transformer",),
        "https://arxiv.org/abs/2103.14030",
        "swin_transformer",
        "SwinTransformer",
        "Hierarchical Transformer with attention in shifted windows and patch merging.",
        params=SwinParams,
        inputs=(_IMAGE,),
        outputs={"output": (2, 10)},
    ),
    _entry(
        "mae",
        ("MAE", "Masked autoencoder"),
        "https://arxiv.org/abs/2111.06377",
        "mae",
        "MAE",
        "ViT encoder over the visible 25% of patches; a light decoder reconstructs the masked pixels.",
        params=MAEParams,
        inputs=(TensorSpec("x", (2, 3, "image_size", "image_size"), fixed=(1, 2, 3), doc="images"),),
        outputs={"loss": (), "pred": (2, 64, 48), "mask": (2, 64)},
    ),
    _entry(
        "clip",
        ("CLIP", "Contrastive Language-Image Pre-training"),
        "https://arxiv.org/abs/2103.00020",
        "clip",
        "CLIP",
        "Image and text towers projected to one space; symmetric contrastive loss over the batch.",
        params=CLIPParams,
        inputs=(
            TensorSpec(
                "image", (4, 3, "image_size", "image_size"), fixed=(1, 2, 3), doc="images [N, 3, H, W]"
            ),
            TensorSpec(
                "text", (4, 16), dtype="int64", dist="randint", high="vocab_size", doc="token ids [N, L]"
            ),
        ),
        outputs={"logits_per_image": (4, 4), "logits_per_text": (4, 4), "loss": ()},
    ),
)
