#!/bin/sh
# The container's entry point.
#   serve    migrate, ingest the bundled seed when the catalog is empty, then serve on $PORT (default 8000)
#   prepare  migrate and ingest the seed into an empty catalog, then exit (run once before the replicas)
#   anything else runs as a command, e.g. `method-catalog ingest /data/methods.json`
set -eu

prepare() {
    method-catalog migrate
    count=$(python -c 'from catalog.settings import get_settings
from catalog.store import Catalog
print(Catalog(get_settings()).count())')
    if [ "$count" -eq 0 ]; then
        method-catalog ingest
    else
        echo "catalog holds $count methods; the seed is ingested only into an empty catalog"
    fi
}

case "${1:-serve}" in
    serve)
        prepare
        exec method-catalog serve --host 0.0.0.0 --port "${PORT:-8000}"
        ;;
    prepare)
        prepare
        ;;
    *)
        exec "$@"
        ;;
esac
