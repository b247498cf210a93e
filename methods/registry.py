"""The strict registry of method implementations.

Entries are declared, without torch, as an `ENTRIES` tuple in each module of
`methods.entries`; nothing registers itself as a side effect of an import. A
duplicate id or slug raises `ValueError`; so does an unknown key, naming the
closest matches, and a declared entry whose hyperparameters do not derive from
`methods.spec.Params` (which refuses unknown fields).

Start-up reads every entry's plain metadata (`EntryInfo`) from
`methods/manifest.json` and imports an entry module only when one of its
entries is asked for in full (`get`, `find`, iteration), so the cost of
starting a server does not grow with the number of entries. A manifest that no
longer matches the entry modules' files is ignored (every module is read
instead, as slow as that is) until `python -m methods.manifest --write`
refreshes it.
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import json
import logging
import pkgutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from methods.slugs import slugify
from methods.spec import EntryInfo, MethodEntry, Params

MANIFEST = Path(__file__).with_name("manifest.json")
log = logging.getLogger(__name__)


def entry_modules() -> tuple[str, ...]:
    """Every module of `methods.entries`, sorted: a new file of entries needs no list to edit."""
    import methods.entries

    found = pkgutil.iter_modules(methods.entries.__path__, "methods.entries.")
    return tuple(sorted(info.name for info in found if not info.ispkg))


class Registry:
    """Entries by id, catalog slug or alias: plain metadata for all, full entries imported on demand."""

    def __init__(self, entries: Iterable[MethodEntry] = (), infos: Iterable[EntryInfo] = ()) -> None:
        self._infos: dict[str, EntryInfo] = {}
        self._entries: dict[str, MethodEntry] = {}
        self._keys: dict[str, str] = {}
        for info in infos:
            self._add(info)
        for entry in entries:
            self.register(entry)

    def register(self, entry: MethodEntry, declared_in: str = "") -> None:
        self._add(entry.describe(declared_in))
        self._entries[entry.id] = entry

    def _add(self, info: EntryInfo) -> None:
        if info.id in self._infos:
            raise ValueError(f"duplicate method id {info.id!r}")
        keys = {info.id, *info.slugs, *(n.lower() for n in info.names)}
        for key in keys:
            owner = self._keys.get(key)
            if owner is not None:
                raise ValueError(f"{info.id!r}: key {key!r} is already taken by {owner!r}")
        self._infos[info.id] = info
        self._keys.update(dict.fromkeys(keys, info.id))

    def _owner(self, key: str) -> str | None:
        return self._keys.get(key) or self._keys.get(key.lower()) or self._keys.get(slugify(key))

    def info(self, key: str) -> EntryInfo:
        """An entry's plain metadata by id, catalog slug or alias (case-insensitive); imports nothing."""
        owner = self._owner(key)
        if owner is None:
            close = difflib.get_close_matches(slugify(key), sorted(self._keys), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise ValueError(f"unknown method {key!r}{hint}")
        return self._infos[owner]

    def find_info(self, key: str) -> EntryInfo | None:
        owner = self._owner(key)
        return self._infos[owner] if owner else None

    def get(self, key: str) -> MethodEntry:
        """An entry by id, catalog slug or alias (case-insensitive), its module imported if need be."""
        return self._full(self.info(key).id)

    def find(self, key: str) -> MethodEntry | None:
        owner = self._owner(key)
        return self._full(owner) if owner else None

    def _full(self, entry_id: str) -> MethodEntry:
        if entry_id not in self._entries:
            self._read(self._infos[entry_id].declared_in)
        return self._entries[entry_id]

    def _read(self, module: str) -> None:
        """Import one entries module and hold its entries, checked against the metadata read for them."""
        for entry in declared(module):
            known = self._infos.get(entry.id)
            if known != entry.describe(module):
                raise ValueError(
                    f"{module}: {entry.id!r} differs from methods/manifest.json; "
                    "run `python -m methods.manifest --write`"
                )
            self._entries.setdefault(entry.id, entry)

    def infos(self) -> Iterator[EntryInfo]:
        """Every entry's plain metadata, by id; imports nothing."""
        return (self._infos[i] for i in self.list())

    def list(self) -> list[str]:
        return sorted(self._infos)

    def __iter__(self) -> Iterator[MethodEntry]:
        """Every full entry, by id (this imports every entries module)."""
        return (self._full(i) for i in self.list())

    def __len__(self) -> int:
        return len(self._infos)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._owner(key) is not None


def declared(module: str) -> tuple[MethodEntry, ...]:
    """The `ENTRIES` of one module, each checked to take `Params`-derived hyperparameters."""
    entries = tuple(importlib.import_module(module).ENTRIES)
    for entry in entries:
        if not (isinstance(entry.params, type) and issubclass(entry.params, Params)):
            raise ValueError(
                f"{module}: {entry.id!r}: params must derive from methods.spec.Params, got {entry.params!r}"
            )
    return entries


def read_modules(modules: Iterable[str]) -> Registry:
    """The entries declared in `modules`, every one imported now."""
    registry = Registry()
    for name in modules:
        for entry in declared(name):
            registry.register(entry, declared_in=name)
    return registry


def load(modules: Iterable[str] | None = None) -> Registry:
    """The entries declared in `modules` (default: every module of `methods.entries`).

    The default reads plain metadata from the manifest when it matches the entry
    modules' files, and imports each module only when one of its entries is needed.
    """
    if modules is not None:
        return read_modules(modules)
    infos = current_infos()
    return Registry(infos=infos) if infos is not None else read_modules(entry_modules())


def declaring_files() -> list[tuple[str, Path]]:
    """(module, file) for every module of `methods.entries`, and `methods.spec` whose defaults they use."""
    import methods.entries

    found = [
        (info.name, Path(info.module_finder.path) / f"{info.name.rpartition('.')[2]}.py")  # type: ignore[union-attr]
        for info in pkgutil.iter_modules(methods.entries.__path__, "methods.entries.")
        if not info.ispkg
    ]
    return sorted([*found, ("methods.spec", Path(__file__).with_name("spec.py"))])


def fingerprint() -> str:
    """A digest of the declaring files' names and bytes (about a millisecond for every entries module)."""
    digest = hashlib.sha256()
    for module, path in declaring_files():
        digest.update(module.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(not a plain .py file)")
    return digest.hexdigest()


def _info(row: dict) -> EntryInfo:
    return EntryInfo(**{**row, "names": tuple(row["names"])})


def current_infos() -> list[EntryInfo] | None:
    """The manifest's entries when it matches the files on disk; None (and a warning) otherwise."""
    try:
        data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("%s is missing or unreadable; reading every entry module", MANIFEST.name)
        return None
    if data.get("fingerprint") != fingerprint():
        log.warning(
            "%s is out of date; reading every entry module (run `python -m methods.manifest --write`)",
            MANIFEST.name,
        )
        return None
    return [_info(row) for row in data["entries"]]


registry = load()
