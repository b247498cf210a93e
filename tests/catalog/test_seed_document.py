"""The parser on the user's own document: every one of its 45 methods, named and flagged right."""

import pytest

from catalog.documents import parse_document
from catalog.settings import SEED_DOCUMENT

# name -> (aliases, flags) as a careful reader of the document would record them
EXPECTED = {
    "Deformable DETR": ([], []),
    "InfoGAN": ([], ["math_stripped"]),
    "Umbrella Reinforcement Learning": ([], []),
    "R-CNN": (["Regions with CNN Features"], []),
    "SRGAN Residual Block": ([], []),
    "Nesterov Accelerated Gradient": ([], ["math_stripped"]),
    "Cascade R-CNN": ([], []),
    "V-trace": ([], ["math_stripped"]),
    "HiFi-GAN": ([], []),
    "Content-based attention": ([], []),
    "Lipschitz Constant Constraint": ([], ["missing_description"]),
    "Bottleneck Attention Module": (["BAM"], ["math_stripped"]),
    "style-based recalibration module": (["SRM"], ["math_stripped"]),
    "Difficulty-Aware Rejection Tuning": ([], ["math_stripped"]),
    "Extreme Value Machine": ([], ["missing_description"]),
    "OFA": ([], []),
    "Evolved Sign Momentum": (["Lion"], []),
    "Region-based Fully Convolutional Network": (["R-FCN"], []),
    "Spatial-Channel Token Distillation": ([], []),
    "CodeT5": ([], []),
    "COLA": ([], []),
    "Temporal Adaptive Module": (["TAM"], ["math_stripped"]),
    "Kollen-Pollack Learning": ([], ["missing_description"]),
    "Retrace": ([], ["math_stripped"]),
    "Coordinate attention": ([], ["math_stripped"]),
    "Vision-and-Language BERT": (["ViLBERT"], []),
    "Ghost Module": ([], ["math_stripped"]),
    "WaveGAN": ([], []),
    "Phase Shuffle": ([], ["math_stripped"]),
    "Context Optimization": (["CoOp"], []),
    "Sigmoid Linear Unit": (["SiLU"], ["math_stripped"]),
    "Beta-VAE": ([], ["math_stripped"]),
    "MoCo v2": ([], []),
    "N-step Returns": (["-step Returns"], ["math_stripped"]),
    "Capsule Network": ([], []),
    "Spatial-Reduction Attention": (["SRA"], ["math_stripped"]),
    "RotatE": ([], []),
    "Zoneout": ([], []),
    "Selective Kernel Convolution": ([], []),
    "Guided Language to Image Diffusion for Generation and Editing": (["GLIDE"], []),
    "Stacked Hourglass Network": ([], []),
    "Reduction-A": ([], []),
    "SpatialDropout": ([], ["math_stripped"]),
    "Orthogonal Regularization": ([], ["math_stripped"]),
    "Causal convolution": ([], ["math_stripped"]),
}


@pytest.fixture(scope="module")
def seed():
    return parse_document(SEED_DOCUMENT)


def test_seed_holds_45_methods_in_document_order(seed):
    names = [e.name for e in seed.entries]
    assert len(names) == 45, f"expected 45 methods, parsed {len(names)}: {names}"
    assert names == list(EXPECTED), f"names or order differ: {set(names) ^ set(EXPECTED)}"
    assert seed.title == "8,725 machine learning methods and techniques", f"title: {seed.title!r}"


@pytest.mark.parametrize("name", list(EXPECTED))
def test_seed_entry_aliases_and_flags(seed, name):
    entry = next(e for e in seed.entries if e.name == name)
    aliases, flags = EXPECTED[name]
    assert entry.aliases == aliases, f"{name}: aliases {entry.aliases} != {aliases}"
    assert entry.flags == flags, f"{name}: flags {entry.flags} != {flags}"


def test_headings_without_description_do_not_take_the_next_methods_text(seed):
    by_name = {e.name: e for e in seed.entries}
    for heading, follower in (("Extreme Value Machine", "OFA"), ("Kollen-Pollack Learning", "Retrace")):
        assert by_name[heading].description == "", (
            f"{heading} took a description: {by_name[heading].description[:60]}"
        )
        assert by_name[follower].description, f"{follower} lost its own description"
    assert by_name["OFA"].line == 22 and by_name["Retrace"].line == 34, "OFA and Retrace keep their own lines"


def test_provenance_records_lines(seed):
    by_name = {e.name: e for e in seed.entries}
    assert (by_name["Bottleneck Attention Module"].line, by_name["Bottleneck Attention Module"].line_end) == (
        15,
        16,
    )
    assert (
        by_name["Lipschitz Constant Constraint"].line,
        by_name["Lipschitz Constant Constraint"].line_end,
    ) == (
        13,
        14,
    ), "the placeholder line belongs to its heading"
    assert all(e.file == "methods-seed.txt" for e in seed.entries), "every entry names its file"


def test_full_name_is_the_spelled_out_form(seed):
    by_name = {e.name: e for e in seed.entries}
    assert by_name["R-CNN"].full_name == "Regions with CNN Features"
    assert by_name["Evolved Sign Momentum"].full_name == "Evolved Sign Momentum"


def test_dart_math_readme_is_cleaned_and_latex_blocks_survive(seed):
    by_name = {e.name: e for e in seed.entries}
    dart = by_name["Difficulty-Aware Rejection Tuning"].description
    for junk in ("🎯", "📝", "Paper@arXiv", "<sup", "</sup", "\\585k", ":----"):
        assert junk not in dart, f"DART-Math description still holds {junk!r}"
    assert "| DART-Math-Hard | 585k | 45.5 | 81.1 | 29.4 | DeepSeekMath-7B-RL | ✓ |" in dart, (
        "table rows rebuilt"
    )
    assert "```bibtex\n@article{tong2024dartmath" in dart, "the citation becomes a code block"
    bam = by_name["Bottleneck Attention Module"].description
    assert "\\begin{align} sc &= \\text{BN}(W2(W1\\text{GAP}(X)+b1)+b2) \\end{align}" in bam, (
        "LaTeX block altered"
    )
