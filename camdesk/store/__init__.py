"""The local database: camera registry, layouts, bookmarks, incidents, search, audit, status history.

SQLite (via sqlite-utils) in one file of the data directory, owned by one thread; every call returns a
``concurrent.futures.Future``. See :class:`camdesk.store.store.Store` and docs/readme/store.md.
"""

from camdesk.store.backup import Backups
from camdesk.store.errors import FieldInvalid, NotFound, ReadOnlyStore
from camdesk.store.secrets import SecretStore
from camdesk.store.store import Store

__all__ = ["Backups", "FieldInvalid", "NotFound", "ReadOnlyStore", "SecretStore", "Store"]
