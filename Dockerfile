# Method Catalog: migrate, ingest the bundled seed into an empty catalog, serve on port 8000.
# CPU build (default):  docker build -t method-catalog .
# CUDA build:           docker build -t method-catalog:cuda \
#                         --build-arg TORCH_INDEX_URL=https://download.pytorch.org/whl/cu128 \
#                         --build-arg TORCH_SPEC=torch==2.11.0 .
FROM python:3.11-slim

# The same torch spec as the Makefile's; the index chooses the CPU or the CUDA build of that version.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ARG TORCH_SPEC=torch==2.13.0

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CATALOG_DATA_DIR=/var/lib/catalog \
    CATALOG_LOG_FORMAT=json

RUN groupadd --system --gid 10001 catalog \
    && useradd --system --uid 10001 --gid catalog --home-dir /app --shell /usr/sbin/nologin catalog \
    && mkdir -p /var/lib/catalog \
    && chown catalog:catalog /var/lib/catalog

WORKDIR /app

# torch first, in its own layer: it is the largest and changes least. It is pinned, through TORCH_SPEC,
# which the linter cannot read.
# hadolint ignore=DL3013
RUN pip install --no-cache-dir --index-url "${TORCH_INDEX_URL}" "${TORCH_SPEC}"

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY catalog ./catalog
COPY methods ./methods
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
COPY data ./data
COPY deploy/entrypoint.sh ./deploy/entrypoint.sh

# Editable, as `make install` does: the project reads its seed, templates and migrations beside its code.
RUN pip install --no-cache-dir -e ".[postgres]"

USER 10001:10001
VOLUME ["/var/lib/catalog"]
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["serve"]
