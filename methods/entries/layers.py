"""Layers and small blocks: activations, convolutions, dropouts, recurrent wrappers."""

from typing import Literal

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec


class CausalConvolutionParams(Params):
    in_channels: int = Field(16, ge=1, le=256, description="input channels C_in")
    out_channels: int = Field(16, ge=1, le=256, description="output channels C_out")
    kernel_size: int = Field(2, ge=1, le=16, description="filter length k (2 in WaveNet)")
    dilation: int = Field(1, ge=1, le=64, description="dilation d (WaveNet doubles it per layer)")


class SpatialDropoutParams(Params):
    p: float = Field(0.5, ge=0.0, le=0.95, description="drop probability p of a whole feature map")


class PhaseShuffleParams(Params):
    shift_factor: int = Field(2, ge=0, le=16, description="maximum shift n in samples (2 in WaveGAN)")


class ZoneoutParams(Params):
    input_size: int = Field(8, ge=1, le=256, description="input features D")
    hidden_size: int = Field(16, ge=1, le=256, description="hidden units H")
    cell: Literal["lstm", "gru"] = Field("lstm", description="wrapped recurrent cell")
    zoneout_hidden: float = Field(0.05, ge=0.0, le=1.0, description="hidden-state zoneout rate z_h")
    zoneout_cell: float = Field(0.5, ge=0.0, le=1.0, description="cell-state zoneout rate z_c (LSTM only)")


class CapsuleNetworkParams(Params):
    in_channels: int = Field(1, ge=1, le=4, description="image channels C")
    image_size: int = Field(28, ge=17, le=64, description="image side S (28 for MNIST)")
    conv_channels: int = Field(
        32, ge=1, le=256, description="channels of the first convolution (256 in the paper)"
    )
    primary_types: int = Field(8, ge=1, le=32, description="primary capsule types (32 in the paper)")
    primary_dim: int = Field(8, ge=2, le=16, description="primary capsule dimension d_p (8)")
    num_classes: int = Field(10, ge=2, le=100, description="class capsules K")
    class_dim: int = Field(16, ge=2, le=32, description="class capsule dimension d_o (16)")
    routing_iterations: int = Field(3, ge=1, le=10, description="routing iterations r (3)")
    decoder_width: int = Field(128, ge=8, le=512, description="first decoder layer width (512 in the paper)")


class STDParams(Params):
    image_size: int = Field(16, ge=4, le=64, description="image side S")
    patch_size: int = Field(4, ge=1, le=16, description="patch side; P = (S / patch)^2 patches")
    in_channels: int = Field(3, ge=1, le=4, description="image channels C")
    dim: int = Field(32, ge=4, le=256, description="channels N per patch")
    depth: int = Field(2, ge=1, le=8, description="Mixer blocks; the tokens enter the last one")
    token_hidden: int = Field(16, ge=1, le=512, description="hidden width of the token-mixing MLP_S")
    channel_hidden: int = Field(64, ge=1, le=1024, description="hidden width of the channel-mixing MLP_C")
    num_classes: int = Field(10, ge=2, le=1000, description="classes K")
    alpha: float = Field(0.5, ge=0.0, le=1.0, description="distillation weight alpha")
    tau: float = Field(1.0, gt=0.0, le=20.0, description="soft-distillation temperature tau")
    distillation: Literal["hard", "soft"] = Field("hard", description="hard (paper) or soft teacher targets")

    @model_validator(mode="after")
    def _patches_tile_the_image(self) -> "STDParams":
        if self.image_size % self.patch_size:
            raise ValueError(
                f"image_size {self.image_size} is not a multiple of patch_size {self.patch_size}"
            )
        return self


ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="silu",
        names=("Sigmoid Linear Unit", "SiLU", "Swish-1"),
        kind="activation",
        paper="https://arxiv.org/abs/1702.03118",
        target="methods.impl.silu:SiLU",
        summary="The input times its sigmoid, x·σ(x).",
        inputs=(TensorSpec("x", (2, 64, 32, 32), doc="any shape"),),
        outputs={"output": (2, 64, 32, 32)},
    ),
    MethodEntry(
        id="causal-convolution",
        names=("Causal Convolution", "Causal Conv1d"),
        kind="module",
        paper="https://arxiv.org/abs/1609.03499",
        target="methods.impl.causal_convolution:CausalConv1d",
        summary="A 1-D convolution padded on the left only, so output t reads inputs up to t.",
        params=CausalConvolutionParams,
        inputs=(TensorSpec("x", (2, "in_channels", 64), fixed=(1,), doc="[B, C_in, T]"),),
        outputs={"output": (2, 16, 64)},
    ),
    MethodEntry(
        id="spatialdropout",
        names=("SpatialDropout", "Spatial Dropout", "Dropout2d"),
        kind="module",
        paper="https://arxiv.org/abs/1411.4280",
        target="methods.impl.spatial_dropout:SpatialDropout",
        summary="Dropout that zeroes whole feature maps: one Bernoulli trial per example and channel.",
        params=SpatialDropoutParams,
        inputs=(TensorSpec("x", (2, 16, 16, 16), doc="[B, C, H, W]; any number of spatial dims"),),
        outputs={"output": (2, 16, 16, 16)},
    ),
    MethodEntry(
        id="phase-shuffle",
        names=("Phase Shuffle", "PhaseShuffle"),
        kind="module",
        paper="https://arxiv.org/abs/1802.04208",
        target="methods.impl.phase_shuffle:PhaseShuffle",
        summary="Shifts each example's activations by a random integer in [-n, n] with reflection padding.",
        params=PhaseShuffleParams,
        inputs=(TensorSpec("x", (2, 8, 64), doc="[B, C, T] with T > n"),),
        outputs={"output": (2, 8, 64)},
    ),
    MethodEntry(
        id="zoneout",
        names=("Zoneout",),
        kind="module",
        paper="https://arxiv.org/abs/1606.01305",
        target="methods.impl.zoneout:ZoneoutRNN",
        summary="RNN regularizer: each unit keeps its previous value with probability z at each step.",
        params=ZoneoutParams,
        inputs=(TensorSpec("x", (8, 2, "input_size"), fixed=(2,), doc="[T, B, D]"),),
        outputs={"output": (8, 2, 16)},
    ),
    MethodEntry(
        id="content-based-attention",
        names=("Content-based attention", "Content-based addressing", "NTM content addressing"),
        kind="module",
        paper="https://arxiv.org/abs/1410.5401",
        target="methods.impl.content_based_attention:ContentBasedAttention",
        summary="Softmax over key-strength-scaled cosine similarities to memory rows, and the weighted read.",
        inputs=(
            TensorSpec("memory", (2, 16, 8), doc="[B, N, W] memory matrix"),
            TensorSpec("key", (2, 2, 8), doc="[B, R, W] one key per head"),
            TensorSpec("beta", (2, 2), dist="uniform", low=0.5, high=10.0, doc="[B, R] key strengths >= 0"),
        ),
        outputs={"weights": (2, 2, 16), "read": (2, 2, 8)},
    ),
    MethodEntry(
        id="capsule-network",
        names=("Capsule Network", "CapsNet", "Dynamic Routing Between Capsules"),
        kind="model",
        paper="https://arxiv.org/abs/1710.09829",
        target="methods.impl.capsule_network:CapsuleNetwork",
        summary="Conv, primary capsules and class capsules joined by routing-by-agreement, with margin loss.",
        params=CapsuleNetworkParams,
        inputs=(
            TensorSpec(
                "images",
                (2, "in_channels", "image_size", "image_size"),
                dist="uniform",
                fixed=(1, 2, 3),
                doc="[B, C, S, S] pixel intensities in [0, 1]",
            ),
            TensorSpec("labels", (2,), dtype="int64", dist="randint", high="num_classes", doc="[B] classes"),
        ),
        outputs={
            "class_capsules": (2, 10, 16),
            "lengths": (2, 10),
            "reconstruction": (2, 1, 28, 28),
            "loss": (),
        },
    ),
    MethodEntry(
        id="spatial-channel-token-distillation",
        names=("Spatial-Channel Token Distillation", "STD"),
        kind="model",
        paper="https://proceedings.mlr.press/v162/li22c.html",
        target="methods.impl.spatial_channel_token_distillation:STDMixer",
        summary="MLP-Mixer with spatial and channel distillation tokens trained against a teacher's logits.",
        params=STDParams,
        inputs=(
            TensorSpec(
                "images", (2, "in_channels", "image_size", "image_size"), fixed=(1, 2, 3), doc="[B, C, S, S]"
            ),
            TensorSpec("teacher_logits", (2, "num_classes"), fixed=(1,), doc="[B, K] a teacher's logits"),
            TensorSpec("labels", (2,), dtype="int64", dist="randint", high="num_classes", doc="[B] classes"),
        ),
        outputs={"logits": (2, 10), "distill_logits": (2, 10), "loss": ()},
    ),
)
