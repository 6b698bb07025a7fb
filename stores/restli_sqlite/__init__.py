"""restli_sqlite: a store in an SQLite file, shared by the processes of one machine.

The cached token state, the single-flight refresh lease, the blocked-quota marks and
the pacing budgets of every worker process that opens the same file are shared::

    from restli_sqlite import SqliteStore

    store = SqliteStore("/var/lib/myapp/restli.sqlite3")

Needs only the standard library's ``sqlite3``. For workers on several machines, see
``restli_redis``.
"""

from __future__ import annotations

from ._sqlite import SCHEMA_VERSION, SqliteStore

__all__ = ["SCHEMA_VERSION", "SqliteStore"]
