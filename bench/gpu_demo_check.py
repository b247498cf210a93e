"""Run every implementation's live demo through the HTTP API on CUDA and print one line each.

Usage: python bench/gpu_demo_check.py [--device cuda]. Builds a seed catalog in a
temporary folder, serves it in-process, posts each method's demo and prints the
device, output shapes, latency (median, p10-p90) and peak memory the server
reports; then checks that an oversized request and a request over the memory
budget (GLIDE attending at full resolution on 256 images) are refused with a 422.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient

from app.main import create_app
from catalog.settings import SEED_DOCUMENT, Settings
from catalog.store import Catalog


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--device", default="cuda", choices=("auto", "cpu", "cuda"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    settings = Settings(CATALOG_DATA_DIR=folder, CATALOG_DEMO_TIMEOUT_S=120)
    catalog = Catalog(settings)
    catalog.migrate()
    catalog.ingest([SEED_DOCUMENT])
    failures = 0
    with TestClient(create_app(settings)) as client:
        slugs = [m["slug"] for m in client.get("/api/v1/methods", params={"limit": 500}).json()["data"]]
        for slug in slugs:
            if not client.get(f"/api/v1/methods/{slug}").json()["implementation"]:
                continue
            start = time.perf_counter()
            response = client.post(f"/api/v1/methods/{slug}/demo", json={"device": args.device})
            wall = time.perf_counter() - start
            body = response.json()
            if response.status_code != 200:
                failures += 1
                print(f"FAIL {slug}: {response.status_code} {body.get('error')}")
                continue
            shapes = (
                ", ".join(f"{o['name']}={o['shape']}" for o in body["outputs"])
                or f"losses={len(body.get('losses', []))}"
            )
            print(
                f"ok   {slug:<45} {body['device']:<7} {shapes[:60]:<60} "
                f"latency {body['latency_ms']:.3f} ms (p10 {body['latency_p10_ms']:.3f}, "
                f"p90 {body['latency_p90_ms']:.3f}, {body['latency_runs']} runs)  "
                f"peak {body['peak_memory_bytes']} B  ({wall:.2f} s)"
            )
        unknown = client.post(
            "/api/v1/methods/sigmoid-linear-unit/demo", json={"inputs": {"x": [4096, 4096, 4096, 4]}}
        )
        print("oversized request ->", unknown.status_code, unknown.json()["errors"][0]["field"])
        glide = "guided-language-to-image-diffusion-for-generation-and-editing"
        big = client.post(
            f"/api/v1/methods/{glide}/demo",
            json={
                "device": args.device,
                "params": {"attention_resolutions": [1]},
                "inputs": {"x_t": [256, 3, 64, 64], "timesteps": [256], "tokens": [256, 8]},
            },
        )
        print("over the memory budget ->", big.status_code, big.json().get("error", "")[:160])
        failures += big.status_code != 422
    print(f"{failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
