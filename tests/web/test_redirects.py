"""A method renamed in its document still answers at its old URL, with a redirect."""

from fastapi.testclient import TestClient

from app.main import create_app
from catalog.settings import SEED_DOCUMENT


def test_old_slug_redirects_to_the_new_one(seed_catalog, tmp_path):
    text = SEED_DOCUMENT.read_text(encoding="utf-8")
    assert "Zoneout is a method" in text, "the seed's Zoneout sentence changed"
    edited = tmp_path / SEED_DOCUMENT.name  # the same document, edited
    edited.write_text(
        text.replace("Zoneout is a method", "Zoneout Regularizer is a method"), encoding="utf-8"
    )
    seed_catalog.ingest([edited])
    with TestClient(create_app(seed_catalog.settings)) as client:
        api = client.get("/api/v1/methods/zoneout", follow_redirects=False)
        assert api.status_code == 301, f"{api.status_code}: {api.text[:200]}"
        assert api.headers["location"] == "/api/v1/methods/zoneout-regularizer", api.headers["location"]
        page = client.get("/methods/zoneout")
        assert page.status_code == 200 and "Zoneout Regularizer" in page.text, "the page redirect lands"
