"""Full-text search over the catalog, behind one interface (`SearchIndex`, `search`).

Whoosh (the pinned Whoosh-Reloaded distribution) is used only inside this
package, so that the engine can be replaced without touching callers.
"""

from catalog.search.index import SearchIndex
from catalog.search.query import SearchResult, search

__all__ = ["SearchIndex", "SearchResult", "search"]
