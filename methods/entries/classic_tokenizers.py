"""Subword tokenizers trained at build time on a small text shipped in their file: BPE, WordPiece, SentencePiece."""

from pydantic import Field

from methods.spec import MethodEntry, Params, TensorSpec


class MergesParams(Params):
    num_merges: int = Field(
        64, ge=1, le=256, description="number of merge operations (vocabulary size minus the base alphabet)"
    )


class SentencePieceParams(Params):
    vocab_size: int = Field(
        320, ge=257, le=1024, description="final vocabulary size |V| (the 256 bytes included)"
    )
    max_piece_len: int = Field(8, ge=2, le=16, description="longest seed piece, in bytes")


_L = 48
# the example text is lowercase letters and spaces drawn at random
_TEXT = TensorSpec("text", (_L,), dtype="int64", dist="randint", low=97, high=123, doc="[L] bytes")

ENTRIES: tuple[MethodEntry, ...] = (
    MethodEntry(
        id="bpe",
        names=("BPE", "Byte Pair Encoding", "Byte-Pair Encoding"),
        kind="tokenizer",
        paper="https://arxiv.org/abs/1508.07909",
        target="methods.impl.byte_pair_encoding:BytePairEncoding",
        summary="Learns subword merges of the most frequent adjacent pair, then encodes by applying them.",
        params=MergesParams,
        inputs=(_TEXT,),
        outputs={"ids": (_L,), "num_tokens": (), "merges": (64, 2)},
    ),
    MethodEntry(
        id="wordpiece",
        names=("WordPiece", "Word Piece"),
        kind="tokenizer",
        paper="https://research.google/pubs/japanese-and-korean-voice-search/",
        target="methods.impl.wordpiece:WordPiece",
        summary="Grows a subword vocabulary by the likelihood-maximizing merge; encodes longest match first.",
        params=MergesParams,
        inputs=(_TEXT,),
        outputs={"ids": (_L,), "num_tokens": (), "merges": (64, 2)},
    ),
    MethodEntry(
        id="sentencepiece",
        names=("SentencePiece", "Sentence Piece"),
        kind="tokenizer",
        paper="https://arxiv.org/abs/1808.06226",
        target="methods.impl.sentencepiece:SentencePiece",
        summary="Unigram language model of pieces over raw text, pruned by likelihood; Viterbi encoding.",
        params=SentencePieceParams,
        inputs=(_TEXT,),
        outputs={"ids": (_L + 1,), "num_tokens": (), "pieces": (320, 8), "log_probs": (320,)},
    ),
)
