"""Catalog methods that no demo-scale computation can run, each with the reason a researcher would read.

Keys are method names exactly as the documents spell them. Only what is not a
computation belongs here: a closed model, a dataset, a field of study, a
software library. Tokenizers, classical methods, schedules, initializations
and regularizers are computations and get an entry in the registry instead.
"""

from __future__ import annotations

NOT_APPLICABLE: dict[str, str] = {
    "GPT-4": "A closed model: its architecture, size and weights are unpublished, so no faithful demo exists.",
    "Library": 'Its catalog entry ("Lib") has a placeholder description and names no method to compute.',
    "Causal inference": "A field of study (estimating effects of interventions), not one algorithm.",
    "Ontology": "A knowledge-representation artefact (a formal vocabulary of concepts), not a computation.",
    "CARLA": "An open-source driving simulator (software and environments), not a method to compute.",
}
