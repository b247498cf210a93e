"""HTML pages render, link their JSON twins and escape what documents say."""

import pytest


@pytest.mark.parametrize(
    "url, json_url",
    [
        ("/", "/api/v1/home"),
        ("/search?q=attention", "/api/v1/search?q=attention"),
        ("/methods/evolved-sign-momentum", "/api/v1/methods/evolved-sign-momentum"),
        ("/collections", "/api/v1/collections"),
    ],
)
def test_pages_render_and_link_their_json(client, url, json_url):
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    assert response.headers["content-type"].startswith("text/html")
    assert json_url in response.headers["link"] and 'rel="alternate"' in response.headers["link"], url
    assert f'href="{json_url}' in response.text, f"{url} does not link its JSON in the page"


def test_method_page_shows_names_flags_and_provenance(client):
    html = client.get("/methods/lipschitz-constant-constraint").text
    assert "Lipschitz Constant Constraint" in html
    assert "no description yet" in html.lower(), "missing descriptions are announced"
    assert "methods-seed.txt, lines 13–14" in html, "provenance names document and lines"


def test_search_page_lists_hits(client):
    html = client.get("/search", params={"q": "lion"}).text
    assert 'href="/methods/evolved-sign-momentum"' in html, "the alias finds its method"


def test_descriptions_are_escaped(client):
    html = client.get("/methods/script-layer").text
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html, (
        "script tags must render as text"
    )
    assert "<img src=x" not in html, "raw HTML must not pass through"


def test_unknown_pages_get_an_html_404(client):
    response = client.get("/methods/nothing-like-this")
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert "nothing-like-this" in response.text
