"""The strict registry of method implementations.

Entries are declared, without torch, as an `ENTRIES` tuple in each module of
`methods.entries`; `load` reads those tuples, so nothing registers itself as a
side effect of an import. A duplicate id or slug raises `ValueError`; so
does an unknown key, naming the closest matches, and a declared entry whose
hyperparameters do not derive from `methods.spec.Params` (which refuses
unknown fields).
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Iterable, Iterator

from methods.slugs import slugify
from methods.spec import MethodEntry, Params


def entry_modules() -> tuple[str, ...]:
    """Every module of `methods.entries`, sorted: a new file of entries needs no list to edit."""
    import methods.entries

    found = pkgutil.iter_modules(methods.entries.__path__, "methods.entries.")
    return tuple(sorted(info.name for info in found if not info.ispkg))


class Registry:
    def __init__(self, entries: Iterable[MethodEntry] = ()) -> None:
        self._entries: dict[str, MethodEntry] = {}
        self._keys: dict[str, str] = {}
        for entry in entries:
            self.register(entry)

    def register(self, entry: MethodEntry) -> None:
        if entry.id in self._entries:
            raise ValueError(f"duplicate method id {entry.id!r}")
        keys = {entry.id, *entry.slugs, *(n.lower() for n in entry.names)}
        for key in keys:
            owner = self._keys.get(key)
            if owner is not None:
                raise ValueError(f"{entry.id!r}: key {key!r} is already taken by {owner!r}")
        self._entries[entry.id] = entry
        self._keys.update(dict.fromkeys(keys, entry.id))

    def get(self, key: str) -> MethodEntry:
        """An entry by id, catalog slug or alias (case-insensitive)."""
        found = self.find(key)
        if found is None:
            close = difflib.get_close_matches(slugify(key), sorted(self._keys), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise ValueError(f"unknown method {key!r}{hint}")
        return found

    def find(self, key: str) -> MethodEntry | None:
        owner = self._keys.get(key) or self._keys.get(key.lower()) or self._keys.get(slugify(key))
        return self._entries[owner] if owner else None

    def list(self) -> list[str]:
        return sorted(self._entries)

    def __iter__(self) -> Iterator[MethodEntry]:
        return (self._entries[i] for i in self.list())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.find(key) is not None


def load(modules: Iterable[str] | None = None) -> Registry:
    """The entries declared in `modules` (default: every module of `methods.entries`)."""
    registry = Registry()
    for name in entry_modules() if modules is None else modules:
        for entry in importlib.import_module(name).ENTRIES:
            if not (isinstance(entry.params, type) and issubclass(entry.params, Params)):
                raise ValueError(
                    f"{name}: {entry.id!r}: params must derive from methods.spec.Params, got {entry.params!r}"
                )
            registry.register(entry)
    return registry


registry = load()
