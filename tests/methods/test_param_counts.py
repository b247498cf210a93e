"""`methods/param_counts.json` says what building each entry says, for every registered entry."""

from __future__ import annotations

import pytest

from methods import registry
from methods.stats import declared_counts, parameter_counts

FIX = "regenerate it with `python -m methods.stats --write`"


def test_the_counts_file_lists_exactly_the_registry():
    declared = set(declared_counts())
    ids = set(registry.list())
    assert declared == ids, (
        f"param_counts.json lacks {sorted(ids - declared)} and has stale {sorted(declared - ids)}: {FIX}"
    )


@pytest.mark.parametrize("entry_id", registry.list())
def test_declared_counts_match_the_built_entry(entry_id: str):
    entry = registry.get(entry_id)
    built = parameter_counts(entry)
    assert declared_counts().get(entry_id) == built, f"{entry_id}: built {built}, declared differ: {FIX}"
