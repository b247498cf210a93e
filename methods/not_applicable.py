"""Catalog methods that no demo-scale computation can run, each with the reason a researcher would read.

Keys are method names exactly as the documents spell them. Only what is not a
computation belongs here: a closed model, a dataset, a field of study, a
software library. Tokenizers, classical methods, schedules, initializations
and regularizers are computations and get an entry in the registry instead.
"""

from __future__ import annotations

NOT_APPLICABLE: dict[str, str] = {}
