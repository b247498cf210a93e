"""Related methods: shared collections, cross-links and similar descriptions, combined.

Each signal contributes a bounded share, so that no one of them drowns the
others: a cross-link in either direction 3, each shared collection 1 (at most
2 in all), and textual similarity up to 2, relative to the most similar method.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from catalog.models import CrossLink, Method, MethodCollection
from catalog.search import SearchBackend

LINK_WEIGHT = 3.0
COLLECTION_WEIGHT = 1.0
MAX_COLLECTION_SHARE = 2.0
TEXT_WEIGHT = 2.0


def related_methods(
    session: Session, index: SearchBackend, method: Method, limit: int = 8
) -> list[dict[str, Any]]:
    scores: dict[int, float] = defaultdict(float)
    links = session.exec(
        select(CrossLink.source_id, CrossLink.target_id).where(
            (CrossLink.source_id == method.id) | (CrossLink.target_id == method.id)
        )
    ).all()
    for source, target in set(links):
        scores[target if source == method.id else source] += LINK_WEIGHT
    mine = select(MethodCollection.collection_id).where(MethodCollection.method_id == method.id)
    shared: dict[int, float] = defaultdict(float)
    members = select(MethodCollection.method_id).where(col(MethodCollection.collection_id).in_(mine))
    for other in session.exec(members).all():
        shared[other] = min(MAX_COLLECTION_SHARE, shared[other] + COLLECTION_WEIGHT)
    for other, share in shared.items():
        scores[other] += share
    texts = index.similar(method.slug, limit=limit * 2)
    if texts:
        best = max(texts.values())
        ids = dict(
            session.exec(select(Method.slug, Method.id).where(col(Method.slug).in_(list(texts)))).all()
        )
        for slug, value in texts.items():
            if slug in ids:
                scores[ids[slug]] += TEXT_WEIGHT * value / best
    scores.pop(method.id, None)  # type: ignore[arg-type]
    top = sorted(scores.items(), key=lambda kv: -kv[1])[:limit]
    found = {m.id: m for m in session.exec(select(Method).where(col(Method.id).in_([i for i, _ in top])))}
    return [
        {"slug": found[i].slug, "name": found[i].name, "score": round(s, 3)} for i, s in top if i in found
    ]
