"""Deciding that an entry of a new document is a method the catalog already holds.

A shared name only proposes a candidate; the evidence decides. Two entries
merge when their names agree and their descriptions agree too, or when one
side has no description and the name is specific (several words, or a name
that abbreviates the other's full name) and no other candidate competes. Two
descriptions that share a name but little else ("Capsule Network" the
architecture and "Capsule Network" the search space) stay apart.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import Session, col, select

from catalog.entry import ParsedEntry, chunks
from catalog.models import Alias, Provenance
from catalog.names import is_acronym_of, name_key

SAME_TEXT = 0.35
"""Description similarity above which two descriptions tell of one method."""
OTHER_TEXT = 0.12
"""Similarity below which two descriptions under one name tell of two methods."""


@dataclass
class AliasIndex:
    """Every name of every stored method, by normalized key."""

    methods_by_key: dict[str, set[int]]

    @classmethod
    def load(cls, session: Session) -> AliasIndex:
        index: dict[str, set[int]] = defaultdict(set)
        for method_id, key in session.exec(select(Alias.method_id, Alias.key)):
            index[key].add(method_id)
        return cls(index)


def _shingles(text: str) -> set[str]:
    tokens = re.findall(r"[a-z0-9]+", text.lower())[:200]
    return {" ".join(tokens[i : i + 3]) for i in range(max(0, len(tokens) - 2))}


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of word trigrams: 1.0 for the same text, near 0 for unrelated ones."""
    left, right = _shingles(a), _shingles(b)
    if not left or not right:
        return 0.0
    return len(left & right) / min(len(left), len(right))


def _stored_records(session: Session, method_ids: set[int]) -> dict[int, list[dict]]:
    records: dict[int, list[dict]] = defaultdict(list)
    if method_ids:
        for chunk in chunks(sorted(method_ids)):
            rows = session.exec(
                select(Provenance.method_id, Provenance.record)
                .where(col(Provenance.method_id).in_(chunk))
                .order_by(col(Provenance.id))
            )
            for method_id, record in rows:
                records[method_id].append(json.loads(record))
    return records


def _specific(entry: ParsedEntry, shared: set[str], records: list[dict]) -> bool:
    """A shared name that says more than a bare word: several words, or an abbreviation pair."""
    if any(len(name.split()) >= 2 and name_key(name) in shared for name in entry.names()):
        return True
    theirs = [n for r in records for n in (r["name"], r["full_name"], *r["aliases"]) if n]
    return any(is_acronym_of(a, b) or is_acronym_of(b, a) for a in entry.names() for b in theirs)


def score(entry: ParsedEntry, shared: set[str], records: list[dict], competing: bool) -> float | None:
    """How strongly the evidence says `entry` is the stored method; None when it says no."""
    texts = [r["description"] for r in records if r.get("description")]
    if entry.description and texts:
        best = max(similarity(entry.description, t) for t in texts)
        if best >= SAME_TEXT:
            return 1.0 + best + 0.1 * len(shared)
        if best < OTHER_TEXT or competing:
            return None
        return 0.5 + best if len(shared) >= 2 else None
    if competing or not _specific(entry, shared, records):
        return None
    return 0.5 + 0.1 * len(shared)


def choose_matches(
    session: Session, aliases: AliasIndex, entries: list[ParsedEntry], taken: set[int]
) -> dict[str, int]:
    """Entry key -> method id for the entries that join a stored method.

    Each method takes at most one entry of a document, and the strongest
    evidence is served first, so that of two entries of one document named
    alike, the one whose description matches gets the method.
    """
    candidates: dict[str, dict[int, set[str]]] = {}
    for entry in entries:
        found: dict[int, set[str]] = defaultdict(set)
        for name in entry.names():
            key = name_key(name)
            for method_id in aliases.methods_by_key.get(key, ()):
                if method_id not in taken:
                    found[method_id].add(key)
        if found:
            candidates[entry.key] = found
    records = _stored_records(session, {m for found in candidates.values() for m in found})
    scored: list[tuple[float, str, int]] = []
    by_key = {e.key: e for e in entries}
    for key, found in candidates.items():
        competing = len(found) > 1
        for method_id, shared in found.items():
            value = score(by_key[key], shared, records[method_id], competing)
            if value is not None:
                scored.append((value, key, method_id))
    matches: dict[str, int] = {}
    used: set[int] = set()
    for _, key, method_id in sorted(scored, reverse=True):
        if key not in matches and method_id not in used:
            matches[key] = method_id
            used.add(method_id)
    return matches
