"""The registry is strict: duplicates and unknown keys raise, lookups accept ids, slugs and aliases."""

import subprocess
import sys
from pathlib import Path

import pytest

from catalog.text_format import parse_text
from methods import registry
from methods.registry import Registry
from methods.spec import InputError, MethodEntry, TensorSpec

ROOT = Path(__file__).resolve().parents[2]


def entry(id_: str, *names: str) -> MethodEntry:
    return MethodEntry(
        id=id_, names=names, kind="function", paper="https://example.org", target="math:sqrt", summary=""
    )


def test_every_seed_method_has_an_implementation():
    """Reference: the seed document, parsed by the catalog; each of its methods is found by name."""
    seed = parse_text((ROOT / "data" / "methods-seed.txt").read_text(encoding="utf-8"))
    missing = [e.name for e in seed.entries if registry.find(e.name) is None]
    assert seed.entries and not missing, f"seed methods without an implementation: {missing}"
    assert registry.list() == sorted(registry.list()), "list() is sorted"


@pytest.mark.parametrize(
    "key, expected",
    [
        ("silu", "silu"),
        ("sigmoid-linear-unit", "silu"),
        ("Sigmoid Linear Unit", "silu"),
        ("lion", "evolved-sign-momentum"),
        ("BAM", "bottleneck-attention-module"),
        ("n-step-returns", "n-step-returns"),
    ],
)
def test_get_accepts_ids_slugs_and_aliases(key, expected):
    assert registry.get(key).id == expected, f"registry.get({key!r})"


def test_unknown_key_names_close_matches():
    with pytest.raises(ValueError, match="did you mean 'silu'"):
        registry.get("silux")


def test_duplicates_raise():
    with pytest.raises(ValueError, match="duplicate method id"):
        Registry([entry("a", "Alpha"), entry("a", "Other")])
    with pytest.raises(ValueError, match="already taken"):
        Registry([entry("a", "Alpha"), entry("b", "alpha")])


def test_input_overrides_are_checked_before_any_tensor_exists():
    spec = MethodEntry(
        id="t",
        names=("T",),
        kind="function",
        paper="https://example.org",
        target="math:sqrt",
        summary="",
        inputs=(TensorSpec("x", (2, 3), fixed=(1,)),),
    )
    with pytest.raises(InputError, match="dimension 1 must be 3"):
        spec.input_shapes(x=[2, 4])
    with pytest.raises(InputError, match="exceed the cap"):
        spec.input_shapes(x=[2**22, 3])


def test_reading_the_registry_does_not_import_torch():
    script = "import sys; from methods import registry; [e.source_path for e in registry]; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", "registry metadata imported torch"
