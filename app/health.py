"""Health routes for process supervisors: `/healthz` (the server answers) and `/readyz` (it can serve).

Both always answer JSON, whatever the client accepts: their readers are load
balancers and orchestrators, not people.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.deps import CatalogDep, SessionDep
from app.schemas import ErrorDetail, ErrorResponse, Health, Readiness
from catalog import queries

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(catalog: CatalogDep, session: SessionDep) -> dict:
    return {"ok": True, "methods": queries.method_count(session), "index": catalog.index.ready()}


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": ErrorResponse, "description": "Not ready; `errors` says what is not"}},
)
def readyz(catalog: CatalogDep, request: Request) -> dict | JSONResponse:
    """Ready when the database answers and the index opens and was built from the current catalog.

    An index found behind is brought up to date in the background. Until then
    this answers 503, except on a server whose index was current since it
    started: it serves the old index while it catches up, for at most
    `CATALOG_MAX_INDEX_LAG_SECONDS` (`lag_s` says for how long so far).
    """
    ok, details = catalog.readiness()
    lag = None
    if details["database"] and details["index"]:
        lag = request.app.state.follower.lag(details["current"])
    if ok or lag is not None:
        return {"ok": True, **details, "lag_s": lag}
    problems = [
        ErrorDetail(field=field, message=message)
        for field, message in (
            ("database", "the database does not answer"),
            ("index", "the search index is missing or cannot be opened"),
            (
                "current",
                f"the search index is at catalog version {details['index_version']}, "
                f"the database at {details['catalog_version']}: rebuilding",
            ),
        )
        if not details[field]
    ]
    error = ErrorResponse(status=503, error="not ready: " + problems[0].message, errors=problems)
    return JSONResponse(error.model_dump(), status_code=503)
