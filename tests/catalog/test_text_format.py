"""The parser on documents written to be tricky."""

import cProfile
import pstats

import pytest

from catalog.entry import DocumentError
from catalog.text_format import looks_like_name, parse_text


def names(text):
    return [(e.name, e.aliases, e.flags) for e in parse_text(text, "t.txt").entries]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Reduction-A is an image model block used in the Inception-v4 architecture.", False),
        ("Guided Language to Image Diffusion for Generation and Editing", True),
        ("style-based recalibration module", True),
        ("Please enter a description about the method here", False),
        ("A block without a verb", False),
        ("Umbrella Reinforcement Learning", True),
    ],
)
def test_name_lines_are_told_by_content(line, expected):
    assert looks_like_name(line) is expected, f"looks_like_name({line!r}) should be {expected}"


def test_names_come_from_descriptions_without_heading():
    text = "Title\nA Ghost Module is a block.\nCausal convolutions are convolutions for time.\nHou et al. proposed coordinate attention, a mechanism.\n"
    assert [n for n, _, _ in names(text)] == ["Ghost Module", "Causal convolution", "Coordinate attention"]


def test_aliases_from_or_and_parentheses():
    text = (
        "Title\nFoo Bar Network\nFoo Bar Networks, or FBNs, are great.\n"
        "Widget Attention Layer (WAL) is a layer.\nQRS, or Quick Rank Sort, is a sort.\n"
    )
    assert names(text) == [
        ("Foo Bar Network", ["FBN"], []),
        ("Widget Attention Layer", ["WAL"], []),
        ("QRS", ["Quick Rank Sort"], []),
    ]


def test_a_description_defining_another_method_is_not_taken_by_the_heading():
    text = "Title\nGamma Delta Machine\nZeta is a method for things.\nEta Theta Learning\nWe propose Iota, a model.\n"
    parsed = parse_text(text, "t.txt").entries
    assert [(e.name, e.flags) for e in parsed] == [
        ("Gamma Delta Machine", ["missing_description"]),
        ("Zeta", []),
        ("Eta Theta Learning", ["missing_description"]),
        ("Iota", []),
    ]


def test_acronym_blend_keeps_the_pairing():
    parsed = parse_text("Title\nEvolved Sign Momentum\nThe Lion optimizer is found by search.\n", "t.txt")
    assert parsed.entries[0].aliases == ["Lion"], "Lion abbreviates EvoLved sIgn mOmeNtum"


def test_description_naming_only_another_method_is_flagged_mismatch():
    text = (
        "Title\nAlpha Beta Module\nA module that extends the Gamma Net with more layers.\nGamma Net\nA net.\n"
    )
    parsed = parse_text(text, "t.txt").entries
    assert parsed[0].flags == ["description_mismatch"], f"flags: {parsed[0].flags}"


def test_placeholder_and_trailing_heading_are_missing_descriptions():
    text = "Title\nFirst Method\nPlease enter a description about the method here\nLast Method\n"
    assert names(text) == [
        ("First Method", [], ["missing_description"]),
        ("Last Method", [], ["missing_description"]),
    ]


def test_math_holes_are_flagged():
    text = "Title\nHole Method is tuned with the hyperparameter : Where it matters.\nClean Method is fine.\n"
    assert [f for _, _, f in names(text)] == [["math_stripped"], []]


def test_unnamed_paragraph_joins_the_entry_before_it():
    document = parse_text("Title\nSome Method is good.\nit also does more, which matters.\n", "t.txt")
    assert len(document.entries) == 1 and document.entries[0].line_end == 3, "continuation joins its entry"
    assert document.warnings, "the join is reported as a warning"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty document"),
        ("Title\nit has no name at all, this one.\n", "t.txt:2"),
        ("Title\nSame Thing is a thing.\nSame Thing is another thing.\n", "already defined on line 2"),
        ("Title\x00\n", "binary"),
    ],
)
def test_bad_documents_raise_one_clear_error(text, message):
    with pytest.raises(DocumentError, match=message):
        parse_text(text, "t.txt")


def _document(count: int) -> str:
    """`count` entries; one in five descriptions never names its method, as in real documents."""
    lines = ["Generated"]
    for i in range(count):
        name = f"Made Up Block {i}"
        if i % 5:
            lines += [name, f"{name} is a block that builds on Made Up Block {i // 2}."]
        else:
            lines += [name, "A block for images, with more layers."]
    return "\n".join(lines)


def _calls(count: int) -> tuple[int, list]:
    """Function calls (builtins included) that parsing `count` entries makes, and the entries."""
    profiler = cProfile.Profile()
    document = profiler.runcall(parse_text, _document(count), "t.txt")
    return pstats.Stats(profiler).total_calls, document.entries  # type: ignore[attr-defined]


def test_parsing_work_grows_linearly_with_the_entries():
    for small, large in ((250, 1_000), (5_000, 20_000)):  # the first pair fails fast on quadratic work
        (few, _), (many, parsed) = _calls(small), _calls(large)
        assert many / few < 4 * 1.25, f"{large:,} entries cost {many / few:.1f}x the calls of {small:,}"
    assert len(parsed) == 20_000, f"{len(parsed)} entries of 20,000"
    flagged = [e.name for e in parsed if "description_mismatch" in e.flags]
    assert flagged == [], f"descriptions naming their own heading are not mismatches: {flagged[:5]}"
