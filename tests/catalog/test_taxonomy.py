"""Inferred collections: every seed method gets one, rules explain themselves, and they agree with the export.

Run with `-s` to see the per-method comparison and the agreement figures.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from catalog.documents import parse_document
from catalog.entry import CollectionRef, ParsedEntry
from catalog.settings import SEED_DOCUMENT
from catalog.taxonomy import AREA_FALLBACKS, AREAS, FALLBACK, RULES, agreement, classify, explain

# Floors a little under what the rules measure (see the module docstring of catalog.taxonomy)
SEED_FLOORS = {"top1": 0.7, "any_overlap": 0.85, "area": 0.9}
EXPORT_FLOORS = {"top1": 0.55, "any_overlap": 0.65, "area": 0.8}


@pytest.fixture(scope="module")
def seed() -> list[ParsedEntry]:
    return parse_document(SEED_DOCUMENT).entries


@pytest.fixture(scope="module")
def export(export_path: Path) -> list[ParsedEntry]:
    return parse_document(export_path).entries


def entry(name: str, description: str = "") -> ParsedEntry:
    return ParsedEntry(name=name, description=description)


def report(title: str, figures: dict, rows: bool = False) -> None:
    if rows:
        for name, inferred, real in figures["rows"]:
            mark = "=" if inferred[0] in real else ("~" if set(inferred) & set(real) else "x")
            print(f"  {mark} {name}: inferred {inferred}; real {real}")
    print(
        f"{title}: n={figures['n']} top-1 {figures['top1']:.3f}, "
        f"any overlap {figures['any_overlap']:.3f}, area {figures['area']:.3f}"
    )


def test_every_seed_method_gets_a_collection_in_a_known_area(seed):
    assert len(seed) == 45, f"the seed has {len(seed)} methods"
    for method in seed:
        refs = classify(method)
        assert 1 <= len(refs) <= 3, f"{method.name}: {refs}"
        for ref in refs:
            assert ref.name and ref.area in AREAS, f"{method.name}: {ref} has no known area"


def test_rules_are_well_formed():
    for rule in (*RULES, *AREA_FALLBACKS):
        assert rule.area in AREAS, f"{rule.collection}: area {rule.area!r}"
    areas = {}
    for rule in RULES:
        assert areas.setdefault(rule.collection, rule.area) == rule.area, f"{rule.collection} in two areas"
    assert FALLBACK.area == "General", f"fallback {FALLBACK}"


@pytest.mark.parametrize(
    "method, collection, area, words",
    [
        (
            entry("QuickStep", "QuickStep is a momentum-based SGD optimizer that rescales each step."),
            "Stochastic Optimization",
            "General",
            "optimizer",
        ),
        (
            entry("Ring Attention Module", "A ring attention module weighs the channels of a feature map."),
            "Attention Modules",
            "General",
            "attention module",
        ),
        (
            entry("PaintGAN", "PaintGAN is a type of generative adversarial network for painting."),
            "Generative Adversarial Networks",
            "Computer Vision",
            "generative adversarial",
        ),
        (
            entry("Lambda Return", "Lambda returns mix n-step returns for value function estimation in RL."),
            "Value Function Estimation",
            "Reinforcement Learning",
            "n-step returns",
        ),
        (
            entry("SoftStep", "SoftStep is an activation function that is smooth everywhere."),
            "Activation Functions",
            "General",
            "activation function",
        ),
        (
            entry("WalkVec", "WalkVec learns graph embeddings of the nodes of a knowledge graph."),
            "Graph Embeddings",
            "Graphs",
            "graph embedding",
        ),
    ],
    ids=lambda value: value.name if isinstance(value, ParsedEntry) else None,
)
def test_rules_fire_and_explain_themselves(method, collection, area, words):
    refs = classify(method)
    assert refs[0] == CollectionRef(collection, area), f"{method.name}: {refs}"
    lines = explain(method)
    assert any(
        line.startswith(f"{collection} ({area}): ") and repr(words) in line.lower() for line in lines
    ), f"{method.name}: no line names {words!r} for {collection}: {lines}"
    assert lines[-1].startswith(f"-> {collection} ({area})"), f"{method.name}: outcome line {lines[-1]!r}"


def test_the_definition_outweighs_a_passing_mention():
    method = entry(
        "StepNorm",
        "StepNorm is a normalization layer for convolutional networks. It is trained with an optimizer.",
    )
    assert classify(method)[0].name == "Normalization", f"{classify(method)} ({explain(method)})"


def test_case_rules_keep_acronyms_apart():
    organ = entry("Slicer", "Slicer is a convolutional neural network that outlines an organ.")
    assert "Generative Adversarial Networks" not in {r.name for r in classify(organ)}, "GAN matched 'organ'"
    gan = entry("Bowl", "Bowl is a GAN.")
    assert classify(gan)[0].name == "Generative Adversarial Networks", f"{classify(gan)}"


def test_a_method_with_no_evidence_falls_back_honestly():
    blank = entry("Kollen-Pollack Learning")
    assert classify(blank) == [FALLBACK], f"{classify(blank)}"
    assert "no rule reached" in explain(blank)[-1], f"{explain(blank)}"
    pictures = entry("Pixelwise", "Pixelwise turns photos into images with sharper edges.")
    assert classify(pictures)[0].area == "Computer Vision", f"area fallback: {classify(pictures)}"


def _export_index(export: list[ParsedEntry]) -> dict[str, ParsedEntry]:
    index: dict[str, ParsedEntry] = {}
    for record in export:
        for name in (record.name, record.full_name):
            if name:
                index.setdefault(name.lower(), record)
    return index


def test_agreement_with_the_export_on_the_seed(seed, export):
    index = _export_index(export)
    pairs = []
    for method in seed:
        record = next((index[n.lower()] for n in (method.name, method.full_name) if n.lower() in index), None)
        if record is not None:
            pairs.append((method, record.collections))
    figures = agreement(pairs)
    report("seed methods found in the export", figures, rows=True)
    assert figures["n"] >= 40, f"only {figures['n']} seed methods matched the export"
    for key, floor in SEED_FLOORS.items():
        assert figures[key] >= floor, f"seed {key} {figures[key]} fell under {floor}"


def test_agreement_with_the_export_on_every_described_method(export):
    pairs = [(dataclasses.replace(m, collections=[]), m.collections) for m in export if m.description]
    figures = agreement(pairs)
    report("every described export method", figures)
    assert figures["n"] > 1900, f"only {figures['n']} described methods with collections"
    for key, floor in EXPORT_FLOORS.items():
        assert figures[key] >= floor, f"export-wide {key} {figures[key]} fell under {floor}"


def test_rule_collections_exist_in_the_export(export_path):
    records = json.loads(export_path.read_text(encoding="utf-8"))
    taxonomy = {(c["collection"], c["area"]) for r in records for c in r["collections"]}
    for rule in (*RULES, *AREA_FALLBACKS):
        assert (rule.collection, rule.area) in taxonomy, (
            f"{rule.collection} ({rule.area}) is not in the export"
        )
    assert (FALLBACK.name, FALLBACK.area) in taxonomy, f"{FALLBACK} is not in the export"
