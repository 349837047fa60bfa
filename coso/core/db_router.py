"""Sends read-only report queries to a replica when COSO_REPLICA_DATABASE_URL is set."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

_use_replica: ContextVar[bool] = ContextVar("coso_use_replica", default=False)


@contextmanager
def reports_on_replica():
    """Within this block, reads go to the replica (dashboards, exports, benchmarks)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica" if _use_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
