"""Slugs of method names, the keys a registry lookup accepts.

`methods` stands alone (the catalog imports it, never the reverse), so it keeps
its own copy of the catalog's slug rule; `tests/methods/test_slugs.py` checks
the two agree, since a registry key and a catalog slug must be the same string.
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})


def slugify(text: str) -> str:
    """`"Bottleneck Attention Module"` -> `"bottleneck-attention-module"`: NFKC-folded, lowercased words."""
    folded = unicodedata.normalize("NFKC", text).translate(_DASHES).lower()
    return "-".join(re.findall(r"[a-z0-9]+", folded))
