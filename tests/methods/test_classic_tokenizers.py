"""Tokenizers against their papers' rules: BPE merges by count, WordPiece by likelihood score,
SentencePiece's Viterbi segmentation against brute force over every segmentation."""

import itertools
import math
from collections import Counter

import pytest
import torch

from methods import registry
from methods.impl import byte_pair_encoding, sentencepiece, wordpiece


def _text(s: str) -> torch.Tensor:
    return torch.tensor(list(s.encode()), dtype=torch.int64)


def _decode_units(units: dict[int, bytes], ids: list[int]) -> bytes:
    return b"".join(units[i] for i in ids)


def test_bpe_first_merge_is_the_most_frequent_pair_and_encoding_round_trips():
    words = byte_pair_encoding.word_counts(byte_pair_encoding.CORPUS)
    pairs = Counter()
    for w, c in words.items():
        for p in itertools.pairwise(w):
            pairs[p] += c
    top = max(pairs.values())
    merges = byte_pair_encoding.learn_merges(byte_pair_encoding.CORPUS, 5)
    assert pairs[merges[0]] == top, f"first merge {merges[0]} has count {pairs[merges[0]]}, the top is {top}"
    module = registry.get("BPE").build()
    units = {b: bytes([b]) for b in range(256)}
    for m, (a, b) in enumerate(module.merges.tolist()):
        units[256 + m] = units[a] + units[b]
    text = "the lowest newer trainer merges words"
    out = module(_text(text))
    ids = out["ids"][: int(out["num_tokens"])].tolist()
    assert _decode_units(units, ids) == text.encode(), f"BPE ids {ids} do not decode to the input"
    assert len(ids) < len(text), f"BPE did not compress a text of corpus words: {len(ids)} tokens"
    assert (out["ids"][len(ids) :] == -1).all(), "ids past num_tokens are not padding"


def test_wordpiece_picks_the_highest_likelihood_score_and_encodes_longest_match_first():
    words = Counter(wordpiece.initial_word(w.encode()) for w in wordpiece.CORPUS.split())
    units, pairs = Counter(), Counter()
    for w, c in words.items():
        for u in w:
            units[u] += c
        for p in itertools.pairwise(w):
            pairs[p] += c
    scores = {p: n / (units[p[0]] * units[p[1]]) for p, n in pairs.items()}
    first = wordpiece.learn_merges(wordpiece.CORPUS, 1)[0]
    assert scores[first] == max(scores.values()), f"first merge {first} is not the best scored pair"
    module = registry.get("WordPiece").build(num_merges=128)
    text = "players speaking walkable"
    out = module(_text(text))
    ids = out["ids"][: int(out["num_tokens"])].tolist()
    pieces = [module.units[i] for i in ids]
    assert b"".join(p for p, _ in pieces) == text.replace(" ", "").encode(), f"pieces {pieces} lose text"
    assert [c for _, c in pieces].count(False) == 3, f"expected 3 word-initial pieces, got {pieces}"
    # longest match first: no piece could have been extended by the next piece's first byte
    for (p, cont), (q, _) in itertools.pairwise(pieces):
        longer = (p + q[:1], cont)
        assert longer not in module.vocabulary or q[:1] == b"", f"{p!r} could have been {longer!r}"


def test_sentencepiece_viterbi_equals_brute_force_over_all_segmentations():
    module = registry.get("SentencePiece").build()
    log_p = module.log_p
    for word in [b" the", b" pieces", b" tokenizer", b" xyzzy"]:
        best, best_score = None, -math.inf
        for cuts in itertools.product([0, 1], repeat=len(word) - 1):
            pieces, start = [], 0
            for i, cut in enumerate(cuts, start=1):
                if cut:
                    pieces.append(word[start:i])
                    start = i
            pieces.append(word[start:])
            if all(p in log_p for p in pieces):
                score = sum(log_p[p] for p in pieces)
                if score > best_score:
                    best, best_score = pieces, score
        got = sentencepiece.viterbi(word, log_p, module.max_piece_len)
        assert math.isclose(sum(log_p[p] for p in got), best_score), f"{word!r}: Viterbi {got}, best {best}"
    out = module(_text("the model keeps the best pieces"))
    assert len(module.log_p) == 320, f"vocabulary has {len(module.log_p)} pieces, asked 320"
    assert math.isclose(
        sum(math.exp(v) for p, v in log_p.items() if len(p) > 1 or v > min(log_p.values())), 1.0, rel_tol=1e-6
    ), "piece probabilities do not sum to one"
    assert int(out["num_tokens"]) < 31, f"{int(out['num_tokens'])} pieces for 31 bytes of corpus words"


@pytest.mark.parametrize("name", ["BPE", "WordPiece", "SentencePiece"])
def test_tokenizer_hyperparameters_reach_the_vocabulary(name):
    entry = registry.get(name)
    key = "num_merges" if "num_merges" in entry.params.model_fields else "vocab_size"
    module = entry.build(**{key: 300 if key == "vocab_size" else 16})
    rows = module.merges.shape[0] if key == "num_merges" else len(module.log_p)
    assert rows == (300 if key == "vocab_size" else 16), f"{name}: {key} gave {rows}"
