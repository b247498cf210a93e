"""The registry's slugs are the catalog's: `methods.slugs.slugify` agrees with `catalog.names.slugify`.

Reference: the catalog's own slug rule, applied to every name and id in the registry and to names
with dashes, accents, ligatures and punctuation.
"""

import pytest

from catalog.names import slugify as catalog_slugify
from methods import registry
from methods.slugs import slugify

AWKWARD = [
    "Bottleneck Attention Module",
    "R-CNN",
    "Mask R‑CNN",  # non-breaking hyphen
    "V—trace",  # em dash
    "ﬁne-tuning",  # ligature
    "Ｆｕｌｌｗｉｄｔｈ ＢＥＲＴ",
    "Café Net",
    "GPT-3 (175B)",
    "  leading and trailing  ",
    "n-step returns",
    "",
    "−1 minus sign",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_slugify_matches_the_catalog_rule(text):
    assert slugify(text) == catalog_slugify(text), f"{text!r}: {slugify(text)!r} != {catalog_slugify(text)!r}"


def test_every_registry_key_slugs_as_the_catalog_does():
    texts = [t for entry in registry for t in (entry.id, *entry.names)]
    differ = [t for t in texts if slugify(t) != catalog_slugify(t)]
    assert not differ, f"slugs differ from the catalog's for {differ}"
