"""Required literals rule patterns out without changing which rules match."""

import random
import re

import pytest

from bench.synthetic import SyntheticCatalog
from catalog.documents import parse_document
from catalog.entry import ParsedEntry
from catalog.regex_literals import may_match, required_literals
from catalog.settings import SEED_DOCUMENT
from catalog.taxonomy import AREA_FALLBACKS, RULES, Match, _places, matches


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"policy gradient|actor-critic", {"policy gradient", "actor-critic"}),
        (r"\bpolic(?:y|ies)\b", {"polic"}),
        (r"(?-i:GAN)s?\b", {"gan"}),
        (r"(?:image|visual)\w*[- ]model", {"model"}),
        (r"(?<!learning rate )\bnorm\b", {"norm"}),
        (r"x{2,3}", {"x"}),
    ],
)
def test_required_literals_of_patterns(pattern, expected):
    found = required_literals(pattern, re.I)
    assert found == expected, f"{pattern!r}: {found}"


@pytest.mark.parametrize("pattern", [r"\w+", r"a?b*", r"[ab]c?", r"(?:x|\d)", "(", r"ſ"])
def test_no_literals_when_a_match_needs_none(pattern):
    assert required_literals(pattern, re.I) is None, f"{pattern!r} claims required literals"


def _unfiltered(entry: ParsedEntry, rules) -> list[Match]:
    """`taxonomy.matches` as it reads without the literal test: every rule run on every place."""
    places = _places(entry)
    found = []
    for rule in rules:
        for place, text in places.items():
            if words := tuple(dict.fromkeys(hit.group(0) for hit in rule.regex.finditer(text))):
                found.append(Match(rule, place, words))
                break
    return found


def _entries() -> list[ParsedEntry]:
    seed = parse_document(SEED_DOCUMENT).entries
    synthetic = [
        ParsedEntry(name=r["name"], full_name=r["full_name"], description=r["description"])
        for r in SyntheticCatalog(300, seed=3).records()
    ]
    rng = random.Random(0)
    words = [w for r in RULES for w in re.findall(r"[A-Za-z-]{3,}", r.pattern)]
    crafted = [
        ParsedEntry(
            name=rng.choice(words).upper(),
            description=" ".join(rng.choice([*words, "is", "a", ".", "GANs", "Policy"]) for _ in range(40)),
        )
        for _ in range(300)
    ]
    return [*seed, *synthetic, *crafted]


def test_every_matching_rule_passes_the_literal_test():
    for entry in _entries():
        lowered = "\n".join(_places(entry).values()).lower()
        for rule in (*RULES, *AREA_FALLBACKS):
            for text in _places(entry).values():
                if rule.regex.search(text):
                    assert may_match(rule.literals, lowered), (
                        f"{rule.collection}: {rule.pattern!r} matches {text[:80]!r} but was ruled out"
                    )


def test_taxonomy_matches_are_those_of_every_rule_run_on_every_place():
    for entry in _entries():
        for rules in (RULES, AREA_FALLBACKS):
            assert matches(entry, rules) == _unfiltered(entry, rules), f"{entry.name}: matches differ"


@pytest.mark.slow
def test_taxonomy_matches_on_the_export_are_those_of_every_rule_run_on_every_place(export_path):
    entries = parse_document(export_path).entries
    assert any(not e.description.isascii() for e in entries), "the export has no non-ASCII description"
    for entry in entries:
        for rules in (RULES, AREA_FALLBACKS):
            assert matches(entry, rules) == _unfiltered(entry, rules), f"{entry.name}: matches differ"
