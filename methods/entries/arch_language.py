"""Language model architectures: Transformer, BERT family, GPT family, LLaMA, T5, BART, Seq2Seq."""

from typing import Self

from pydantic import Field, model_validator

from methods.spec import MethodEntry, Params, TensorSpec


def _tokens(name: str, length: int, doc: str, vocab: str = "vocab_size") -> TensorSpec:
    return TensorSpec(name, (2, length), dtype="int64", dist="randint", high=vocab, doc=doc)


class _HeadsDivide(Params):
    @model_validator(mode="after")
    def _heads_divide_width(self) -> Self:
        width = next(getattr(self, f) for f in ("d_model", "hidden", "dim") if hasattr(self, f))
        heads = next(getattr(self, f) for f in ("heads", "num_heads") if hasattr(self, f))
        if width % heads:
            raise ValueError(f"model width {width} must be divisible by the number of heads {heads}")
        return self


def _vocab() -> int:
    return Field(64, ge=8, le=4096, description="vocabulary size V")


def _dropout(default: float = 0.1) -> float:
    return Field(default, ge=0.0, le=0.9, description=f"dropout rate P_drop ({default} in the paper)")


class TransformerParams(_HeadsDivide):
    vocab_size: int = _vocab()
    d_model: int = Field(32, ge=8, le=512, multiple_of=2, description="model width d_model (512)")
    heads: int = Field(4, ge=1, le=16, description="attention heads h (8)")
    d_ff: int = Field(64, ge=8, le=2048, description="feed-forward width d_ff (2048)")
    num_layers: int = Field(2, ge=1, le=6, description="layers N per stack (6)")
    dropout: float = _dropout()


class BERTParams(_HeadsDivide):
    vocab_size: int = _vocab()
    hidden: int = Field(32, ge=8, le=512, description="hidden size H (768 in BERT-base)")
    layers: int = Field(2, ge=1, le=12, description="Transformer layers L (12)")
    heads: int = Field(4, ge=1, le=16, description="attention heads A (12)")
    max_positions: int = Field(64, ge=8, le=512, description="learned positions (512)")
    type_vocab_size: int = Field(2, ge=1, le=4, description="segment types (2: sentence A and B)")
    dropout: float = _dropout()


class RoBERTaParams(_HeadsDivide):
    vocab_size: int = _vocab()
    hidden: int = Field(32, ge=8, le=512, description="hidden size H (768 in base)")
    layers: int = Field(2, ge=1, le=12, description="Transformer layers L (12)")
    heads: int = Field(4, ge=1, le=16, description="attention heads A (12)")
    max_positions: int = Field(64, ge=8, le=512, description="learned positions (514)")
    mask_prob: float = Field(0.15, ge=0.0, le=1.0, description="masking probability (0.15)")
    dropout: float = _dropout()


class ALBERTParams(_HeadsDivide):
    vocab_size: int = _vocab()
    embedding_size: int = Field(16, ge=4, le=256, description="embedding size E (128)")
    hidden: int = Field(32, ge=8, le=512, description="hidden size H (768 in base)")
    layers: int = Field(4, ge=1, le=24, description="applications L of the one shared layer (12)")
    heads: int = Field(4, ge=1, le=16, description="attention heads (12)")
    max_positions: int = Field(64, ge=8, le=512, description="learned positions (512)")
    dropout: float = _dropout(0.0)


class DistilBERTParams(_HeadsDivide):
    vocab_size: int = _vocab()
    hidden: int = Field(32, ge=8, le=512, description="hidden size H (768)")
    layers: int = Field(1, ge=1, le=6, description="student layers (6, half of BERT-base)")
    heads: int = Field(4, ge=1, le=16, description="attention heads (12)")
    max_positions: int = Field(64, ge=8, le=512, description="learned positions (512)")
    temperature: float = Field(2.0, gt=0.0, le=20.0, description="softmax temperature T")
    alpha_ce: float = Field(5.0, ge=0.0, le=10.0, description="distillation loss weight alpha_ce")
    alpha_mlm: float = Field(2.0, ge=0.0, le=10.0, description="masked-LM loss weight alpha_mlm")
    alpha_cos: float = Field(1.0, ge=0.0, le=10.0, description="cosine loss weight alpha_cos")
    dropout: float = _dropout()


class ELECTRAParams(_HeadsDivide):
    vocab_size: int = _vocab()
    hidden: int = Field(32, ge=8, le=512, description="hidden size (256 in ELECTRA-small)")
    layers: int = Field(2, ge=1, le=12, description="discriminator layers (12)")
    generator_layers: int = Field(1, ge=1, le=12, description="generator layers (a smaller encoder)")
    heads: int = Field(4, ge=1, le=16, description="attention heads (4 in small)")
    max_positions: int = Field(64, ge=8, le=512, description="learned positions (512)")
    disc_weight: float = Field(50.0, ge=0.0, le=100.0, description="discriminator loss weight lambda (50)")
    dropout: float = _dropout()


class GPTParams(_HeadsDivide):
    vocab_size: int = _vocab()
    d_model: int = Field(32, ge=8, le=512, description="model width (768)")
    layers: int = Field(2, ge=1, le=12, description="decoder layers (12)")
    heads: int = Field(4, ge=1, le=16, description="attention heads (12)")
    max_positions: int = Field(64, ge=8, le=1024, description="context length k (512 GPT, 1024 GPT-2)")
    dropout: float = _dropout()


class GPT3Params(GPTParams):
    layers: int = Field(4, ge=1, le=12, description="decoder layers n_layers (96)")
    local_window: int = Field(
        4, ge=1, le=1024, description="band width w of the sparse layers' local attention"
    )


class LLaMAParams(_HeadsDivide):
    vocab_size: int = _vocab()
    dim: int = Field(32, ge=8, le=512, description="model width d (4096 for 7B)")
    layers: int = Field(2, ge=1, le=12, description="decoder layers (32)")
    heads: int = Field(4, ge=1, le=16, description="attention heads (32)")
    ffn_hidden: int = Field(88, ge=8, le=2048, description="SwiGLU hidden width, 2/3 * 4d rounded (11008)")
    rope_theta: float = Field(10000.0, ge=10.0, le=1e6, description="rotary base theta (10000)")

    @model_validator(mode="after")
    def _even_head(self) -> Self:
        if (self.dim // self.heads) % 2:
            raise ValueError("rotary embeddings need an even head width dim / heads")
        return self


class T5Params(Params):
    vocab_size: int = _vocab()
    d_model: int = Field(32, ge=8, le=512, description="model width d_model (512 for T5-small)")
    d_kv: int = Field(8, ge=2, le=64, description="per-head width d_kv (64)")
    num_heads: int = Field(4, ge=1, le=16, description="attention heads (8)")
    d_ff: int = Field(64, ge=8, le=2048, description="feed-forward width d_ff (2048)")
    num_layers: int = Field(2, ge=1, le=6, description="layers per stack (6)")
    num_buckets: int = Field(32, ge=4, le=64, multiple_of=4, description="relative position buckets (32)")
    max_distance: int = Field(128, ge=8, le=512, description="largest bucketed offset (128)")
    dropout: float = _dropout()


class BARTParams(_HeadsDivide):
    vocab_size: int = _vocab()
    d_model: int = Field(32, ge=8, le=512, description="model width (768 in base)")
    layers: int = Field(2, ge=1, le=6, description="layers per stack (6)")
    heads: int = Field(4, ge=1, le=16, description="attention heads (12)")
    max_positions: int = Field(64, ge=8, le=1024, description="learned positions (1024)")
    dropout: float = _dropout()


class Seq2SeqParams(Params):
    src_vocab_size: int = Field(64, ge=8, le=4096, description="source vocabulary (160,000)")
    tgt_vocab_size: int = Field(64, ge=8, le=4096, description="target vocabulary (80,000)")
    embedding_dim: int = Field(32, ge=4, le=512, description="word embedding size (1000)")
    hidden: int = Field(32, ge=4, le=512, description="LSTM cells per layer (1000)")
    layers: int = Field(2, ge=1, le=4, description="LSTM layers per side (4)")


class XLNetParams(_HeadsDivide):
    vocab_size: int = _vocab()
    d_model: int = Field(32, ge=8, le=512, multiple_of=2, description="model width (1024 for XLNet-Large)")
    layers: int = Field(2, ge=1, le=12, description="two-stream layers (24)")
    heads: int = Field(4, ge=1, le=16, description="attention heads (16)")
    d_inner: int = Field(64, ge=8, le=4096, description="feed-forward width (4096)")
    dropout: float = _dropout()


_IDS = _tokens("input_ids", 12, "token ids [B, L]")
_SEGMENTS = TensorSpec(
    "token_type_ids", (2, 12), dtype="int64", dist="randint", high=2, doc="segment ids [B, L], 0 = A, 1 = B"
)
_SRC, _TGT = (
    _tokens("input_ids", 12, "source ids [B, S]"),
    _tokens("decoder_input_ids", 8, "target ids [B, T]"),
)

ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="transformer",
        names=("Transformer",),
        kind="model",
        paper="https://arxiv.org/abs/1706.03762",
        target="methods.impl.transformer:Transformer",
        summary="Post-norm attention encoder-decoder with sinusoidal positions and shared embeddings.",
        params=TransformerParams,
        inputs=(_tokens("src", 12, "source ids [B, S]"), _tokens("tgt", 8, "target ids [B, T]")),
        outputs={"output": (2, 8, 64)},
    ),
    MethodEntry(
        id="bert",
        names=("BERT", "Bidirectional Encoder Representations from Transformers"),
        kind="model",
        paper="https://arxiv.org/abs/1810.04805",
        target="methods.impl.bert:BERT",
        summary="Bidirectional Transformer encoder with masked-LM and next-sentence heads.",
        params=BERTParams,
        inputs=(_IDS, _SEGMENTS),
        outputs={"mlm_logits": (2, 12, 64), "nsp_logits": (2, 2)},
    ),
    MethodEntry(
        id="roberta",
        names=("RoBERTa",),
        kind="model",
        paper="https://arxiv.org/abs/1907.11692",
        target="methods.impl.roberta:RoBERTa",
        summary="BERT's encoder trained with dynamic masking and no next-sentence prediction.",
        params=RoBERTaParams,
        inputs=(_IDS,),
        outputs={"mlm_logits": (2, 12, 64), "masked": (2, 12), "loss": ()},
    ),
    MethodEntry(
        id="albert",
        names=("ALBERT", "A Lite BERT"),
        kind="model",
        paper="https://arxiv.org/abs/1909.11942",
        target="methods.impl.albert:ALBERT",
        summary="BERT with a factorized embedding, one layer shared across depth and sentence-order prediction.",
        params=ALBERTParams,
        inputs=(_IDS, _SEGMENTS),
        outputs={"mlm_logits": (2, 12, 64), "sop_logits": (2, 2)},
    ),
    MethodEntry(
        id="distilbert",
        names=("DistilBERT",),
        kind="model",
        paper="https://arxiv.org/abs/1910.01108",
        target="methods.impl.distilbert:DistilBERT",
        summary="Half-depth BERT student trained on distillation, masked-LM and cosine losses.",
        params=DistilBERTParams,
        inputs=(
            _IDS,
            _tokens("labels", 12, "masked-LM targets [B, L]"),
            TensorSpec("teacher_logits", (2, 12, "vocab_size"), fixed=(2,), doc="teacher's logits [B, L, V]"),
            TensorSpec(
                "teacher_hidden", (2, 12, "hidden"), fixed=(2,), doc="teacher's last hidden states [B, L, H]"
            ),
        ),
        outputs={"mlm_logits": (2, 12, 64), "loss": (), "loss_ce": (), "loss_mlm": (), "loss_cos": ()},
    ),
    MethodEntry(
        id="electra",
        names=("ELECTRA",),
        kind="model",
        paper="https://arxiv.org/abs/2003.10555",
        target="methods.impl.electra:ELECTRA",
        summary="Replaced token detection: a discriminator spots tokens a small masked-LM generator replaced.",
        params=ELECTRAParams,
        inputs=(
            _IDS,
            TensorSpec(
                "mask", (2, 12), dtype="bool", dist="bernoulli", high=0.15, doc="positions to mask [B, L]"
            ),
        ),
        outputs={
            "generator_logits": (2, 12, 64),
            "replaced_logits": (2, 12),
            "replaced": (2, 12),
            "loss": (),
        },
    ),
    MethodEntry(
        id="gpt",
        names=("GPT", "GPT-1", "Generative Pre-trained Transformer"),
        kind="model",
        paper="https://cdn.openai.com/research-covers/language-unsupervised/language_understanding_paper.pdf",
        target="methods.impl.gpt:GPT",
        summary="Post-norm causal Transformer decoder language model with a tied output layer.",
        params=GPTParams,
        inputs=(_IDS,),
        outputs={"output": (2, 12, 64)},
    ),
    MethodEntry(
        id="gpt-2",
        names=("GPT-2",),
        kind="model",
        paper="https://cdn.openai.com/better-language-models/language_models_are_unsupervised_multitask_learners.pdf",
        target="methods.impl.gpt_2:GPT2",
        summary="GPT with pre-norm layers, a final LayerNorm and depth-scaled residual initialization.",
        params=GPTParams,
        inputs=(_IDS,),
        outputs={"output": (2, 12, 64)},
    ),
    MethodEntry(
        id="gpt-3",
        names=("GPT-3",),
        kind="model",
        paper="https://arxiv.org/abs/2005.14165",
        target="methods.impl.gpt_3:GPT3",
        summary="GPT-2's architecture alternating dense and locally banded attention, at toy size.",
        params=GPT3Params,
        inputs=(_IDS,),
        outputs={"output": (2, 12, 64)},
    ),
    MethodEntry(
        id="llama",
        names=("LLaMA",),
        kind="model",
        paper="https://arxiv.org/abs/2302.13971",
        target="methods.impl.llama:LLaMA",
        summary="Pre-norm decoder with RMSNorm, SwiGLU feed-forward and rotary position embeddings.",
        params=LLaMAParams,
        inputs=(_IDS,),
        outputs={"output": (2, 12, 64)},
    ),
    MethodEntry(
        id="t5",
        names=("T5", "Text-to-Text Transfer Transformer"),
        kind="model",
        paper="https://arxiv.org/abs/1910.10683",
        target="methods.impl.t5:T5",
        summary="Pre-norm encoder-decoder with RMS layer norm and bucketed relative position biases.",
        params=T5Params,
        inputs=(_SRC, _TGT),
        outputs={"output": (2, 8, 64)},
    ),
    MethodEntry(
        id="bart",
        names=("BART",),
        kind="model",
        paper="https://arxiv.org/abs/1910.13461",
        target="methods.impl.bart:BART",
        summary="Denoising encoder-decoder: a bidirectional encoder and an autoregressive decoder.",
        params=BARTParams,
        inputs=(_SRC, _TGT),
        outputs={"output": (2, 8, 64)},
    ),
    MethodEntry(
        id="seq2seq",
        names=("Seq2Seq", "Sequence to Sequence"),
        kind="model",
        paper="https://arxiv.org/abs/1409.3215",
        target="methods.impl.seq2seq:Seq2Seq",
        summary="Deep LSTM encoder over the reversed source; an LSTM decoder starts from its final state.",
        params=Seq2SeqParams,
        inputs=(
            _tokens("src", 12, "source ids [B, S]", "src_vocab_size"),
            _tokens("tgt", 8, "target ids [B, T]", "tgt_vocab_size"),
        ),
        outputs={"output": (2, 8, 64)},
    ),
    MethodEntry(
        id="xlnet",
        names=("XLNet",),
        kind="model",
        paper="https://arxiv.org/abs/1906.08237",
        target="methods.impl.xlnet:XLNet",
        summary="Permutation language model: two-stream relative attention over a random factorization order.",
        params=XLNetParams,
        inputs=(_IDS,),
        outputs={"logits": (2, 12, 64), "order": (2, 12), "loss": ()},
    ),
)
