"""The registry is strict: duplicates and unknown keys raise, lookups accept ids, slugs and aliases."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from catalog.text_format import parse_text
from methods import registry
from methods.registry import Registry, entry_modules, load
from methods.spec import InputError, MethodEntry, Params, TensorSpec

ROOT = Path(__file__).resolve().parents[2]

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


def test_the_registry_is_every_entry_of_every_entries_module():
    modules = entry_modules()
    declared = [e.id for name in modules for e in importlib.import_module(name).ENTRIES]
    assert "methods.entries.layers" in modules, f"entry modules found: {modules}"
    assert sorted(declared) == registry.list(), "registry differs from the ENTRIES of methods.entries"


def test_a_new_entries_module_is_discovered_without_a_list_to_edit(tmp_path, monkeypatch):
    import methods.entries

    (tmp_path / "probe_family.py").write_text(
        "from methods.spec import MethodEntry\n"
        "ENTRIES = (MethodEntry(id='probe-method', names=('Probe Method',), kind='function',\n"
        "    paper='https://example.org', target='math:sqrt', summary=''),)\n"
    )
    monkeypatch.setattr(methods.entries, "__path__", [*methods.entries.__path__, str(tmp_path)])
    monkeypatch.delitem(sys.modules, "methods.entries.probe_family", raising=False)
    try:
        assert "methods.entries.probe_family" in entry_modules(), f"modules found: {entry_modules()}"
        found = load()
        assert "probe-method" in found and len(found) == len(registry) + 1, f"loaded {found.list()}"
    finally:
        sys.modules.pop("methods.entries.probe_family", None)


def test_hyperparameters_derive_from_params_and_refuse_unknown_fields():
    for e in registry:
        assert issubclass(e.params, Params), f"{e.id}: {e.params.__name__} does not derive from Params"
        with pytest.raises(InputError, match="Extra inputs are not permitted") as caught:
            e.hyperparameters(no_such_hyperparameter=1)
        assert caught.value.field == "params.no_such_hyperparameter", f"{e.id}: field {caught.value.field}"


def test_declaring_hyperparameters_that_accept_anything_raises(tmp_path, monkeypatch):
    (tmp_path / "loose_entries.py").write_text(
        "from pydantic import BaseModel\n"
        "from methods.spec import MethodEntry\n"
        "class Loose(BaseModel):\n"
        "    width: int = 8\n"
        "ENTRIES = (MethodEntry(id='loose', names=('Loose',), kind='function', paper='https://example.org',\n"
        "    target='math:sqrt', summary='', params=Loose),)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(
        ValueError, match=r"loose_entries: 'loose': params must derive from methods\.spec\.Params"
    ):
        load(["loose_entries"])


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
    with pytest.raises(InputError, match="dimension 2 of 2 must be 3"):
        spec.input_shapes(x=[2, 4])
    with pytest.raises(InputError, match="exceed the cap"):
        spec.input_shapes(x=[2**22, 3])


def test_reading_the_registry_does_not_import_torch():
    script = "import sys; from methods import registry; [e.source_path for e in registry]; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False", "registry metadata imported torch"
