"""Multimodal and self-supervised models: code, vision-language, audio and contrastive learners."""

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec


class CodeT5Params(Params):
    vocab_size: int = Field(64, ge=2, le=4096, description="vocabulary size V (32,100 in CodeT5)")
    d_model: int = Field(32, ge=4, le=512, description="model width d_model")
    d_kv: int = Field(8, ge=1, le=128, description="per-head key/value width d_kv")
    num_heads: int = Field(4, ge=1, le=16, description="attention heads h")
    d_ff: int = Field(64, ge=1, le=2048, description="feed-forward width d_ff")
    num_layers: int = Field(2, ge=1, le=8, description="layers N in each of the encoder and decoder")
    num_buckets: int = Field(32, ge=4, le=128, description="relative position buckets")
    max_distance: int = Field(128, ge=8, le=1024, description="distance beyond which buckets saturate")
    dropout: float = Field(0.1, ge=0.0, le=0.9, description="dropout rate (0.1 in T5)")


class ViLBERTParams(Params):
    visual_dim: int = Field(24, ge=1, le=1024, description="visual stream width D_v")
    text_dim: int = Field(32, ge=1, le=1024, description="text stream width D_t")
    co_attention_dim: int = Field(32, ge=1, le=1024, description="co-attention width d = h * d_h")
    num_heads: int = Field(4, ge=1, le=16, description="attention heads h (must divide d)")
    visual_ffn_dim: int = Field(48, ge=1, le=4096, description="visual FFN inner width")
    text_ffn_dim: int = Field(64, ge=1, le=4096, description="text FFN inner width")
    dropout: float = Field(0.1, ge=0.0, le=0.9, description="dropout rate (0.1 in BERT)")


class OFAParams(Params):
    text_vocab_size: int = Field(48, ge=2, le=4096, description="text (BPE) tokens in the unified vocabulary")
    num_image_codes: int = Field(32, ge=1, le=8192, description="image quantization (VQ) codes")
    num_location_bins: int = Field(16, ge=2, le=1000, description="location tokens (coordinate bins)")
    d_model: int = Field(32, ge=4, le=512, description="model width")
    num_heads: int = Field(4, ge=1, le=16, description="attention heads h (must divide d_model)")
    ffn_dim: int = Field(64, ge=1, le=2048, description="feed-forward width")
    encoder_layers: int = Field(2, ge=1, le=8, description="encoder layers")
    decoder_layers: int = Field(2, ge=1, le=8, description="decoder layers")
    image_size: int = Field(16, ge=4, le=128, multiple_of=4, description="image side H = W (patches H/4)")
    stem_channels: int = Field(8, ge=1, le=128, description="ResNet stem width")
    max_text_length: int = Field(32, ge=1, le=512, description="instruction/target position table size")
    dropout: float = Field(0.1, ge=0.0, le=0.9, description="dropout rate")


class CoOpParams(Params):
    n_classes: int = Field(5, ge=1, le=100, description="number of classes K")
    n_ctx: int = Field(4, ge=1, le=32, description="context vectors M")
    class_specific_context: bool = Field(False, description="class-specific context [K, M, D] (CSC)")
    logit_scale: float = Field(100.0, gt=0.0, le=1000.0, description="CLIP logit scale 1/tau")
    vocab_size: int = Field(64, ge=8, le=4096, description="toy CLIP vocabulary size")
    width: int = Field(32, ge=4, le=512, description="text width D (context vector size)")
    heads: int = Field(4, ge=1, le=16, description="attention heads (must divide both widths)")
    layers: int = Field(2, ge=1, le=8, description="text Transformer layers")
    embed_dim: int = Field(24, ge=1, le=512, description="joint image-text embedding size")
    image_size: int = Field(16, ge=1, le=128, description="image side H = W")
    patch_size: int = Field(8, ge=1, le=64, description="ViT patch size (must divide image_size)")
    vision_width: int = Field(32, ge=4, le=512, description="ViT width")
    vision_layers: int = Field(1, ge=1, le=8, description="ViT layers")
    max_name_length: int = Field(3, ge=1, le=16, description="longest class name in tokens")


class MoCoV2Params(Params):
    feature_dim: int = Field(16, ge=1, le=1024, description="feature dimension C (128 in the paper)")
    queue_size: int = Field(64, ge=1, le=65536, description="queue of negative keys K")
    momentum: float = Field(0.999, ge=0.0, le=1.0, description="key encoder momentum m")
    temperature: float = Field(0.2, gt=0.0, le=10.0, description="softmax temperature tau")
    width: int = Field(8, ge=1, le=128, description="toy ResNet base width")


class COLAParams(Params):
    channels: int = Field(16, ge=1, le=256, description="toy encoder base width")
    projection_dim: int = Field(32, ge=1, le=1024, description="size of g(x) and of W (512 in the paper)")


ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="codet5",
        names=("CodeT5",),
        kind="model",
        paper="https://arxiv.org/abs/2109.00859",
        target="methods.impl.codet5:CodeT5",
        summary="T5 encoder-decoder for code with an identifier tagging head on the encoder.",
        params=CodeT5Params,
        inputs=(
            TensorSpec(
                "input_ids", (2, 12), dtype="int64", dist="randint", high="vocab_size", doc="code tokens"
            ),
            TensorSpec(
                "decoder_input_ids", (2, 8), dtype="int64", dist="randint", high="vocab_size", doc="targets"
            ),
        ),
        outputs={"logits": (2, 8, 64), "identifier_logits": (2, 12)},
    ),
    MethodEntry(
        id="vision-and-language-bert",
        names=("Vision-and-Language BERT", "ViLBERT", "Co-TRM"),
        kind="module",
        paper="https://arxiv.org/abs/1908.02265",
        target="methods.impl.vision_and_language_bert:CoAttentionalTransformerLayer",
        summary="Co-attentional transformer layer: each stream attends to the other stream's keys/values.",
        params=ViLBERTParams,
        inputs=(
            TensorSpec("visual", (2, 6, "visual_dim"), fixed=(2,), doc="image region features"),
            TensorSpec("text", (2, 9, "text_dim"), fixed=(2,), doc="text token features"),
        ),
        outputs={"visual": (2, 6, 24), "text": (2, 9, 32)},
    ),
    MethodEntry(
        id="ofa",
        names=("OFA", "One For All"),
        kind="model",
        paper="https://arxiv.org/abs/2202.03052",
        target="methods.impl.ofa:OFA",
        summary="Unified seq2seq over one vocabulary of text, image-code and location tokens, task by instruction.",
        params=OFAParams,
        inputs=(
            TensorSpec("image", (2, 3, "image_size", "image_size"), fixed=(1, 2, 3), doc="RGB image"),
            TensorSpec(
                "instruction",
                (2, 6),
                dtype="int64",
                dist="randint",
                high="text_vocab_size",
                doc="task prompt",
            ),
            TensorSpec(
                "decoder_input_ids",
                (2, 5),
                dtype="int64",
                dist="randint",
                high="text_vocab_size",
                doc="target tokens (any unified id; the demo draws text ids)",
            ),
        ),
        outputs={"output": (2, 5, 96)},
    ),
    MethodEntry(
        id="context-optimization",
        names=("Context Optimization", "CoOp"),
        kind="model",
        paper="https://arxiv.org/abs/2109.01134",
        target="methods.impl.context_optimization:CoOp",
        summary="Learned prompt context vectors in front of frozen class-name embeddings of a frozen CLIP.",
        params=CoOpParams,
        inputs=(TensorSpec("image", (2, 3, "image_size", "image_size"), fixed=(1, 2, 3), doc="RGB image"),),
        outputs={"output": (2, 5)},
    ),
    MethodEntry(
        id="moco-v2",
        names=("MoCo v2", "MoCov2"),
        kind="model",
        paper="https://arxiv.org/abs/2003.04297",
        target="methods.impl.moco_v2:MoCoV2",
        summary="Momentum contrast: EMA key encoder, queue of negatives, MLP head, InfoNCE.",
        params=MoCoV2Params,
        inputs=(
            TensorSpec("im_q", (4, 3, 16, 16), fixed=(1,), doc="query view"),
            TensorSpec("im_k", (4, 3, 16, 16), fixed=(1,), doc="key view of the same images"),
        ),
        outputs={"logits": (4, 65), "labels": (4,), "loss": ()},
    ),
    MethodEntry(
        id="cola",
        names=("COLA", "Contrastive Learning of General-Purpose Audio Representations"),
        kind="model",
        paper="https://arxiv.org/abs/2010.10915",
        target="methods.impl.cola:COLA",
        summary="Audio segments of one clip as positives, the batch as negatives, bilinear similarity.",
        params=COLAParams,
        inputs=(
            TensorSpec("anchor", (4, 1, 64, 96), fixed=(1,), doc="log-mel segments [B, 1, mels, frames]"),
            TensorSpec("positive", (4, 1, 64, 96), fixed=(1,), doc="segments from the same recordings"),
        ),
        outputs={"similarities": (4, 4), "loss": ()},
    ),
)
