"""Names derived at indexing time: acronyms a description defines, short forms, joined forms, arXiv ids."""

import pytest

from catalog.search.name_variants import (
    arxiv_id,
    defined_acronyms,
    joined,
    short_form,
    spells_out,
    two_word_initials,
)


def test_a_parenthesised_acronym_of_the_methods_own_name_is_kept():
    description = (
        "The method improves mixing from a novel knowledge distillation (KD) perspective. We design a "
        "mechanism called Spatial-channel Token Distillation (STD), which improves mixing."
    )
    found = defined_acronyms(["Spatial-Channel Token Distillation"], description)
    assert found == ["STD"], f"STD defines the method, KD names another one: {found}"


def test_the_acronym_before_a_head_noun_is_kept_as_a_short_name():
    description = (
        "Each neuron adapts its receptive field size. We call the building block the SK convolution."
    )
    found = defined_acronyms(["Selective Kernel Convolution"], description)
    assert found == ["SK convolution"], f"'the SK convolution' abbreviates Selective Kernel: {found}"


def test_a_heading_that_opens_the_description_is_a_name():
    description = "# DART-Math\n\n> Difficulty-Aware Rejection Tuning for Mathematical Problem-Solving"
    found = defined_acronyms(["Difficulty-Aware Rejection Tuning"], description)
    assert found == ["DART-Math"], f"the heading names the method: {found}"


def test_acronyms_of_other_methods_and_known_names_are_not_kept():
    description = "Unlike batch normalization (BN), Layer Normalization (LN) normalizes over the features."
    assert defined_acronyms(["Layer Normalization", "LN"], description) == [], (
        "LN is already a name, BN not ours"
    )
    assert defined_acronyms(["Group Normalization"], description) == [], (
        "neither acronym is Group Normalization's"
    )


@pytest.mark.parametrize(
    ("short", "long_form", "expected"),
    [
        ("STD", "Spatial-channel Token Distillation", True),
        ("ViT", "Vision Transformer", True),
        ("KD", "Token Distillation", False),
        ("CNN", "neural network", False),
    ],
)
def test_spells_out(short: str, long_form: str, expected: bool):
    assert spells_out(short, long_form) is expected, f"{short!r} spelled out by {long_form!r}"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Squeeze-and-Excitation Block", "SE Block"),
        ("Selective Kernel Convolution", "SK Convolution"),
        ("Vision Transformer", None),
        ("Batch Normalization", None),
    ],
)
def test_short_form(name: str, expected: str | None):
    assert short_form(name) == expected, f"short form of {name!r}"


def test_joined_drops_spaces_and_hyphens():
    forms = [joined(n) for n in ("Faster R-CNN", "MoCo v2", "HiFi-GAN", "Batch Normalization")]
    assert forms == ["fasterrcnn", "mocov2", "hifigan", "batchnormalization"], f"joined forms: {forms}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://arxiv.org/abs/1711.05101v3", "1711.05101"),
        ("https://arxiv.org/pdf/2010.11929.pdf", "2010.11929"),
        ("http://jmlr.org/papers/v15/srivastava14a.html", None),
        ("", None),
    ],
)
def test_arxiv_id(url: str, expected: str | None):
    assert arxiv_id(url) == expected, f"arXiv id of {url!r}"


def test_a_bold_name_then_or_and_a_bold_acronym_defines_it():
    description = "The **Vision Transformer**, or **ViT**, is a model for image classification."
    found = defined_acronyms(["Vision Transformer"], description)
    assert found == ["ViT"], f"'**Vision Transformer**, or **ViT**' defines ViT: {found}"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Layer Normalization", "ln"), ("Batch Normalization", "bn"), ("Adam", None), ("Faster R-CNN", None)],
)
def test_two_word_initials(name: str, expected: str | None):
    assert two_word_initials(name) == expected, f"initials of {name!r}"
