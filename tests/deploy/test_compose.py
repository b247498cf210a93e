"""compose.yaml: PostgreSQL, a prepare step, two catalog replicas and the proxy, wired consistently."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from catalog.search import BACKENDS
from catalog.settings import PROJECT_ROOT, Settings
from tests.deploy.build_files import CADDYFILE, COMPOSE, makefile_default

REPLICAS = ("catalog-1", "catalog-2")


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(document, dict) and "services" in document, "compose.yaml has no services"
    return document["services"]


def substituted(value: object) -> str:
    """`${VAR:-default}` as compose reads it with VAR unset."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(value))


def test_the_expected_services(services):
    assert {"postgres", "prepare", *REPLICAS, "proxy"} <= set(services), f"services: {sorted(services)}"


@pytest.mark.parametrize("name", ["prepare", *REPLICAS])
def test_each_catalog_service_reaches_postgres_with_known_settings(services, name):
    service = services[name]
    environment = service["environment"]
    url = environment["DATABASE_URL"]
    assert re.match(r"postgresql\+psycopg://[^@]+@postgres:5432/\w+$", url), f"{name}: DATABASE_URL {url}"
    backend = substituted(environment["CATALOG_SEARCH_BACKEND"])
    assert backend in BACKENDS, f"{name}: search backend {backend!r} is not one of {sorted(BACKENDS)}"
    aliases = {field.alias for field in Settings.model_fields.values()}
    unknown = {key for key in environment if key.startswith("CATALOG_")} - aliases
    assert not unknown, f"{name} sets {unknown}, which no setting reads"
    Settings(**{key: substituted(value) for key, value in environment.items()})  # every value validates
    args = service["build"]["args"]
    assert substituted(args["TORCH_SPEC"]) == makefile_default("TORCH_SPEC"), (
        f"{name} builds {args['TORCH_SPEC']}, the Makefile {makefile_default('TORCH_SPEC')}"
    )


@pytest.mark.parametrize("name", REPLICAS)
def test_replicas_wait_for_the_prepared_catalog_and_outlive_their_grace_period(services, name):
    service = services[name]
    assert service["depends_on"]["prepare"]["condition"] == "service_completed_successfully", (
        f"{name} may start before the schema is migrated and the seed ingested"
    )
    assert services["prepare"]["command"] == ["prepare"], f"prepare runs {services['prepare']['command']}"
    grace = int(service["stop_grace_period"].removesuffix("s"))
    shutdown = float(service["environment"]["CATALOG_SHUTDOWN_TIMEOUT_S"])
    assert grace > shutdown, f"{name} is killed after {grace}s, before its {shutdown}s graceful shutdown ends"
    volumes = [volume.split(":")[0] for volume in service["volumes"]]
    assert len(volumes) == 1, f"{name} volumes {volumes}"
    others = [services[other]["volumes"][0].split(":")[0] for other in REPLICAS if other != name]
    assert volumes[0] not in others, f"{name} shares its index volume {volumes[0]} with another replica"


def test_the_proxy_balances_over_every_replica(services):
    proxy = services["proxy"]
    mounts = [volume.split(":") for volume in proxy["volumes"]]
    assert ["./deploy/Caddyfile", "/etc/caddy/Caddyfile", "ro"] in mounts, f"proxy mounts {mounts}"
    assert (PROJECT_ROOT / "deploy" / "Caddyfile").exists(), "deploy/Caddyfile is missing"
    caddy = CADDYFILE.read_text(encoding="utf-8")
    upstreams = re.search(r"reverse_proxy\s+([^{\n]+)", caddy)
    assert upstreams, "the Caddyfile has no reverse_proxy"
    replicas = {name for name, service in services.items() if service.get("command") != ["prepare"]}
    replicas &= {name for name in services if name.startswith("catalog-")}
    assert set(upstreams.group(1).split()) == {f"{name}:8000" for name in replicas}, (
        f"the proxy forwards to {upstreams.group(1).split()}, the replicas are {sorted(replicas)}"
    )
    assert "health_uri /readyz" in caddy, "the proxy sends traffic to replicas whose index is not ready"
    assert set(proxy["depends_on"]) == replicas, f"the proxy waits for {sorted(proxy['depends_on'])}"
