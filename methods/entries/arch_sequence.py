"""Sequence and memory architectures: WaveNet, Mamba, Memory Network, Pointer Network, ConvLSTM, Siamese Network."""

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec


class WaveNetParams(Params):
    quantization: int = Field(256, ge=2, le=65536, description="mu-law classes (256)")
    residual_channels: int = Field(16, ge=1, le=512, description="residual channels")
    skip_channels: int = Field(32, ge=1, le=512, description="skip channels")
    layers: int = Field(4, ge=1, le=12, description="dilated layers per stack, dilations 1..2^(n-1) (10)")
    stacks: int = Field(2, ge=1, le=5, description="repeated stacks")
    kernel_size: int = Field(2, ge=2, le=4, description="dilated conv width (2)")


class MambaParams(Params):
    vocab_size: int = Field(64, ge=8, le=4096, description="vocabulary V")
    d_model: int = Field(32, ge=8, le=512, description="model width D (768 for mamba-130m)")
    layers: int = Field(2, ge=1, le=12, description="blocks (24)")
    d_state: int = Field(8, ge=1, le=64, description="state size N (16)")
    d_conv: int = Field(4, ge=1, le=8, description="causal conv width (4)")
    expand: int = Field(2, ge=1, le=4, description="expansion E / D (2)")


class MemoryNetworkParams(Params):
    vocab_size: int = Field(32, ge=4, le=4096, description="vocabulary |W|")
    embedding_dim: int = Field(20, ge=1, le=512, description="embedding rows n of U")
    hops: int = Field(2, ge=1, le=4, description="supporting memories k (2)")


class PointerNetworkParams(Params):
    input_dim: int = Field(2, ge=1, le=16, description="input point size (2 for planar points)")
    hidden: int = Field(32, ge=4, le=512, description="LSTM units (256 / 512)")


class ConvLSTMParams(Params):
    in_channels: int = Field(1, ge=1, le=16, description="input channels C")
    hidden_channels: int = Field(8, ge=1, le=128, description="hidden channels (64 to 128)")
    kernel_size: int = Field(3, ge=1, le=7, description="convolution kernel (3 or 5)")
    height: int = Field(16, ge=1, le=64, description="map height (peephole size)")
    width: int = Field(16, ge=1, le=64, description="map width (peephole size)")


class SiameseParams(Params):
    channels: int = Field(8, ge=1, le=64, description="first conv filters (64)")
    embedding_dim: int = Field(32, ge=1, le=4096, description="embedding size (4096)")
    image_size: int = Field(32, ge=16, le=128, description="input side (105)")


ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="wavenet",
        names=("WaveNet",),
        kind="model",
        paper="https://arxiv.org/abs/1609.03499",
        target="methods.impl.wavenet:WaveNet",
        summary="Dilated causal convolutions with gated units predict each mu-law audio sample.",
        params=WaveNetParams,
        inputs=(TensorSpec("audio", (2, 256), dist="uniform", low=-1.0, doc="waveform in [-1, 1] [B, T]"),),
        outputs={"logits": (2, 256, 256), "targets": (2, 256), "loss": ()},
    ),
    MethodEntry(
        id="mamba",
        names=("Mamba",),
        kind="model",
        paper="https://arxiv.org/abs/2312.00752",
        target="methods.impl.mamba:Mamba",
        summary="Selective state space blocks: input-dependent step, B and C, scanned causally.",
        params=MambaParams,
        inputs=(
            TensorSpec(
                "input_ids", (2, 12), dtype="int64", dist="randint", high="vocab_size", doc="token ids"
            ),
        ),
        outputs={"output": (2, 12, 64)},
    ),
    MethodEntry(
        id="memory-network",
        names=("Memory Network", "MemNN"),
        kind="model",
        paper="https://arxiv.org/abs/1410.3916",
        target="methods.impl.memory_network:MemoryNetwork",
        summary="Bag-of-words memories read by k hard-attention hops, then the answer word scored.",
        params=MemoryNetworkParams,
        inputs=(
            TensorSpec(
                "story",
                (2, 6, 5),
                dtype="int64",
                dist="randint",
                high="vocab_size",
                doc="sentences [B, M, W]",
            ),
            TensorSpec(
                "question", (2, 5), dtype="int64", dist="randint", high="vocab_size", doc="question [B, W]"
            ),
        ),
        outputs={"memory_scores": (2, 2, 6), "supporting": (2, 2), "answer_logits": (2, 32)},
    ),
    MethodEntry(
        id="pointer-network",
        names=("Pointer Network", "Ptr-Net"),
        kind="model",
        paper="https://arxiv.org/abs/1506.03134",
        target="methods.impl.pointer_network:PointerNetwork",
        summary="Attention over the encoder states is the output: each step points at an input position.",
        params=PointerNetworkParams,
        inputs=(
            TensorSpec("points", (2, 8, "input_dim"), dist="uniform", fixed=(2,), doc="points [B, n, 2]"),
        ),
        outputs={"pointer_logits": (2, 8, 8), "tour": (2, 8)},
    ),
    MethodEntry(
        id="convlstm",
        names=("ConvLSTM", "Convolutional LSTM"),
        kind="module",
        paper="https://arxiv.org/abs/1506.04214",
        target="methods.impl.convlstm:ConvLSTM",
        summary="LSTM with convolutional transitions and peepholes over spatiotemporal sequences.",
        params=ConvLSTMParams,
        inputs=(
            TensorSpec(
                "x", (2, 4, "in_channels", "height", "width"), fixed=(2, 3, 4), doc="sequence [B, T, C, H, W]"
            ),
        ),
        outputs={"outputs": (2, 4, 8, 16, 16), "h": (2, 8, 16, 16), "c": (2, 8, 16, 16)},
    ),
    MethodEntry(
        id="siamese-network",
        names=("Siamese Network",),
        kind="model",
        paper="https://www.cs.cmu.edu/~rsalakhu/papers/oneshot1.pdf",
        target="methods.impl.siamese_network:SiameseNetwork",
        summary="Twin weight-tied conv nets; a weighted L1 distance of their features scores a match.",
        params=SiameseParams,
        inputs=(
            TensorSpec("x1", (4, 1, "image_size", "image_size"), fixed=(1, 2, 3), doc="first images"),
            TensorSpec("x2", (4, 1, "image_size", "image_size"), fixed=(1, 2, 3), doc="second images"),
        ),
        outputs={"logits": (4,), "embedding1": (4, 32), "embedding2": (4, 32)},
    ),
)
