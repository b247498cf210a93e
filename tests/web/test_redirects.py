"""A method whose slug changed still answers at its old URL, with a redirect."""

import json

from fastapi.testclient import TestClient
from sqlmodel import select

from app.main import create_app
from catalog.models import Method, Provenance
from catalog.resolve import Resolver


def test_old_slug_redirects_to_the_new_one(seed_catalog):
    with seed_catalog.session() as session:
        method = session.exec(select(Method).where(Method.slug == "zoneout")).one()
        provenance = session.exec(select(Provenance).where(Provenance.method_id == method.id)).one()
        record = json.loads(provenance.record)
        record["name"] = "Zoneout Regularizer"
        provenance.record = json.dumps(record)
        session.add(provenance)
        Resolver(session).resolve([method.id])
        session.commit()
    with TestClient(create_app(seed_catalog.settings)) as client:
        api = client.get("/api/v1/methods/zoneout", follow_redirects=False)
        assert api.status_code == 301 and api.headers["location"] == "/api/v1/methods/zoneout-regularizer", (
            api
        )
        page = client.get("/methods/zoneout")
        assert page.status_code == 200 and "Zoneout Regularizer" in page.text, "the page redirect lands"
