"""Method names: normalization, acronyms, and the subject a description defines.

These are the rules that decide whether a description belongs to a name line,
which aliases a sentence introduces, and whether two documents speak of the
same method.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

STOPWORDS = frozenset("a an and as at by for from in into of on or the to via with".split())
_HEAD_NOUNS = frozenset(
    "networks units convolutions modules layers blocks machines mechanisms functions models "
    "attentions transformers encoders decoders embeddings optimizers regularizations".split()
)
_GENERIC_TAIL = frozenset("optimizer method algorithm technique approach model framework".split())
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})


def fold(text: str) -> str:
    """Unicode-normalized, dash-normalized, lowercased text."""
    return unicodedata.normalize("NFKC", text).translate(_DASHES).lower()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def slugify(text: str) -> str:
    """`"Bottleneck Attention Module"` -> `"bottleneck-attention-module"`."""
    return "-".join(words(text))


def name_key(name: str) -> str:
    """The key two spellings of one name share: `R-CNNs` and `r cnn` -> `rcnn`."""
    parts = words(name)
    if parts and len(parts[-1]) > 3 and parts[-1].endswith("s") and not parts[-1].endswith("ss"):
        parts[-1] = parts[-1][:-1]
    return "".join(parts)


def initials(name: str) -> str:
    """`"Nesterov Accelerated Gradient"` -> `"nag"`, for names of three or more significant words."""
    parts = _significant(name)
    return "".join(p[0] for p in parts) if len(parts) >= 3 else ""


def singular(name: str) -> str:
    """`Causal convolutions` -> `Causal convolution`, `R-FCNs` -> `R-FCN`; other names unchanged."""
    head, _, last = name.rpartition(" ")
    if last.lower() in _HEAD_NOUNS or re.fullmatch(r"[A-Z][\w-]*[A-Z]s", last):
        last = last[:-1]
    return f"{head} {last}".strip()


def _significant(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-/]+", fold(name)) if w and w not in STOPWORDS]


def is_acronym_of(short: str, name: str) -> bool:
    """Whether `short` abbreviates `name`.

    Either an initialism whose first letter starts the name and whose letters
    begin words or continue the word before ("ViLBERT" of "Vision-and-Language
    BERT", "GLIDE" of "Guided Language to Image Diffusion for Generation and
    Editing"), or a blend whose letters, in order, touch every significant
    word ("Lion" of "EvoLved SIgn mOmeNtum").
    """
    letters = "".join(words(short))
    parts = _significant(name)
    if len(letters) < 2 or len(parts) < 2 or name_key(short) == name_key(name):
        return False
    return _initialism(letters, parts) or _blend(letters, parts)


def _initialism(letters: str, parts: list[str]) -> bool:
    def match(i: int, w: int, pos: int) -> bool:
        if i == len(letters):
            return True
        char = letters[i]
        # Continue inside the current word...
        if w < len(parts) and pos and pos < len(parts[w]):
            nxt = parts[w].find(char, pos)
            if nxt != -1 and match(i + 1, w, nxt + 1):
                return True
        # ...or start a later word.
        return any(parts[k][0] == char and match(i + 1, k, 1) for k in range(w + (pos > 0), len(parts)))

    return bool(parts) and parts[0][0] == letters[0] and match(1, 0, 1)


def _blend(letters: str, parts: list[str]) -> bool:
    touched, w, pos = set(), 0, 0
    for char in letters:
        while w < len(parts) and parts[w].find(char, pos) == -1:
            w, pos = w + 1, 0
        if w == len(parts):
            return False
        pos = parts[w].find(char, pos) + 1
        touched.add(w)
    return len(touched) == len(parts)


class NameMatcher:
    """Finds which of many names a text names as a phrase, in one pass over the text.

    A name matches as its words in order, each run of letters and digits whole,
    with anything but letters and digits (or nothing) between them, and an
    optional plural "s": the same rule for one name or for a whole document's,
    so parsing costs the same per entry however many entries a document has.
    """

    def __init__(self) -> None:
        self._names: dict[str, list[tuple[frozenset[int], object]]] = {}
        self._prefixes: set[str] = set()

    def add(self, name: str, value: object) -> None:
        parts = words(name)
        if not parts:
            return
        joined, cuts = "", set()
        for part in parts:
            joined += part
            self._prefixes.add(joined)
            cuts.add(len(joined))
        cuts.discard(len(joined))
        self._names.setdefault(joined, []).append((frozenset(cuts), value))

    def find(self, text: str) -> set[object]:
        """The values of every name `text` mentions."""
        tokens = words(text)
        found: set[object] = set()
        names, prefixes = self._names, self._prefixes
        for start, first in enumerate(tokens):
            if first not in prefixes and not (first[-1] == "s" and first[:-1] in names):
                continue  # the common case: no name starts with this word
            joined, cuts = "", []
            for index in range(start, len(tokens)):
                token = tokens[index]
                if joined:
                    cuts.append(len(joined))
                joined += token
                self._collect(joined, cuts, found)
                if joined.endswith("s"):
                    self._collect(joined[:-1], cuts, found)
                if joined not in self._prefixes:
                    break
        return found

    def _collect(self, joined: str, cuts: list[int], found: set[object]) -> None:
        for allowed, value in self._names.get(joined, ()):
            if allowed.issuperset(cuts):
                found.add(value)


def mentions(text: str, name: str) -> bool:
    """Whether `text` names `name` as a phrase (case-, dash- and plural-insensitive)."""
    matcher = NameMatcher()
    matcher.add(name, True)
    return bool(matcher.find(text))


@dataclass
class Subject:
    """The method a description sentence defines, and the other names it gives it."""

    name: str
    aliases: list[str] = field(default_factory=list)


_PROPOSE_RE = re.compile(
    r"(?:\b[A-Z][\w'-]+(?: and [A-Z][\w'-]+)? et al\.?|\bWe|\bthe authors)\s+"
    r"(?:propose[sd]?|introduce[sd]?|present(?:s|ed)?)\s+(?:the |a |an )?"
    r"(?P<subject>[^,(.;:]{2,80}?)\s*(?:\((?P<short>[^)]{1,20})\))?\s*(?:,|\.|;|$| which| that)"
)
_DEFINE_RE = re.compile(
    r"^(?:The |A |An )?(?P<subject>[^,():;]{1,80}?)"
    r"(?:,? or (?P<alias>[^,():;]{1,60}?),|\s*\((?P<short>[^)]{1,20})\))?"
    r"\s+(?:is|are|was|were)\b"
)
_ACRONYM_VERB_RE = re.compile(r"^(?P<subject>[A-Z][\w-]*[A-Z][\w-]*)\s+[a-z]+s\b")


def _first_sentence(text: str) -> str:
    match = re.search(r"(?<![A-Z])(?<!\bet al)(?<!\be\.g)(?<!\bi\.e)[.!?](?=\s+[A-Z]|$)", text)
    return text[: match.start()] if match else text


def _tidy(name: str) -> str:
    name = name.strip(" \"'“”")
    parts = name.split()
    if len(parts) > 1 and parts[-1].lower() in _GENERIC_TAIL:
        name = " ".join(parts[:-1])
    return singular(name)


def subject_of(description: str) -> Subject | None:
    """The method a description introduces ("Retrace is …", "We propose OFA, …"), if it names one."""
    sentence = _first_sentence(description.strip())
    match = _DEFINE_RE.match(sentence)
    if match and len(match.group("subject").split()) <= 8 and match.group("subject")[0] not in "Ii":
        aliases = [_tidy(a) for a in (match.group("alias"), match.group("short")) if a]
        return _subject(match.group("subject"), aliases)
    match = _ACRONYM_VERB_RE.match(sentence)
    if match:
        return _subject(match.group("subject"), [])
    match = _PROPOSE_RE.search(" ".join(description.split()[:120]))
    if match:
        return _subject(match.group("subject"), [match.group("short")] if match.group("short") else [])
    return None


def _subject(raw: str, aliases: list[str]) -> Subject | None:
    name = _tidy(raw)
    if not name or name.lower() in STOPWORDS or len(name.split()) > 8:
        return None
    if name == name.lower() and not name.startswith("-"):
        name = name[0].upper() + name[1:]
    return Subject(name, [_tidy(a) for a in aliases if _tidy(a)])


def same_method_name(a: str, b: str) -> bool:
    """Whether two names denote one method by spelling or abbreviation."""
    return name_key(a) == name_key(b) or is_acronym_of(a, b) or is_acronym_of(b, a)
