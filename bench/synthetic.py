"""Seeded synthetic catalogs, for benchmarks and scale tests.

Documents in both formats the catalog reads, with made-up method names (built
from syllables, so every name is new), descriptions of realistic length that
define their method and sometimes name another one, and collections in areas.
The same seed gives the same document.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

_SYLLABLES = "ka lo mi ner vo tra sen dal qui rex ob fen gal hu mar pel zor tin ve shi".split()
_HEADS = "Network Attention Layer Block Module Optimizer Transformer Encoder Pooling Loss Sampler".split()
_WORDS = (
    "model training feature representation image sequence token gradient batch layer kernel weight "
    "embedding latent convolution spatial temporal channel residual normalization objective loss "
    "distribution sample policy reward agent graph node edge attention query value memory scale"
).split()
_AREAS = ("Computer Vision", "Natural Language Processing", "Reinforcement Learning", "General", "Graphs")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _sentence(rng: random.Random) -> str:
    body = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(10, 24)))
    return body[0].upper() + body[1:] + "."


class SyntheticCatalog:
    """`count` methods: name, full name, description, collections; deterministic from `seed`."""

    def __init__(self, count: int, seed: int = 0) -> None:
        self.count = count
        self.seed = seed

    def records(self) -> Iterator[dict]:
        rng = random.Random(self.seed)
        collections = [(f"{_word(rng)} {rng.choice(_HEADS)}s", rng.choice(_AREAS)) for _ in range(300)]
        previous = ""
        for i in range(self.count):
            full_name = f"{_word(rng)} {_word(rng)} {rng.choice(_HEADS)} {i}"
            name = "".join(w[0] for w in full_name.split()[:3]).upper() + str(i)
            sentences = [_sentence(rng) for _ in range(rng.randint(2, 8))]
            if previous and rng.random() < 0.3:
                sentences.insert(1, f"It builds on {previous}.")
            if rng.random() < 0.2:
                # a description that never names its method, as many documents have
                description = f"A {rng.choice(_WORDS)} approach for {rng.choice(_WORDS)} tasks. " + " ".join(
                    sentences
                )
            else:
                description = f"{full_name} ({name}) is a {rng.choice(_WORDS)} method. " + " ".join(sentences)
            previous = full_name
            yield {
                "url": f"https://paperswithcode.com/method/synthetic-{i}",
                "name": name,
                "full_name": full_name,
                "description": description,
                "paper": {"title": f"On {full_name}", "url": f"https://example.org/paper/{i}"}
                if rng.random() < 0.7
                else None,
                "introduced_year": rng.choice((2000, *range(2012, 2025))),
                "source_url": f"https://arxiv.org/abs/{rng.randint(12, 24)}{rng.randint(1, 12):02d}.0{i:04d}",
                "code_snippet_url": None,
                "num_papers": rng.randint(0, 500),
                "collections": [
                    {"collection": c, "area": a} for c, a in rng.sample(collections, rng.randint(0, 3))
                ],
            }

    def write_export(self, path: Path) -> Path:
        """The Papers with Code export format: a JSON array of records, one per line."""
        with path.open("w", encoding="utf-8") as out:
            out.write("[\n")
            for i, record in enumerate(self.records()):
                out.write((",\n" if i else "") + json.dumps(record, ensure_ascii=False))
            out.write("\n]\n")
        return path

    def text(self) -> str:
        """The plain-text format: a title, then a name line and a description line per method."""
        lines = ["Synthetic methods"]
        for record in self.records():
            lines += [record["full_name"], record["description"]]
        return "\n".join(lines) + "\n"

    def write_text(self, path: Path) -> Path:
        path.write_text(self.text(), encoding="utf-8")
        return path
