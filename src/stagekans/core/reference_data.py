"""Reference data that data migrations load (role groups, the first hand-out and voorlichting
texts), re-applied on demand.

Tests that flush the database (transactional and browser tests) lose that data; re-running the
RunPython operations of every migration, in migration order, brings it back. This works because
every data migration in Stagekans is idempotent — a rule the test below each one enforces.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython


def restore() -> int:
    """Run every data migration again (forwards only); returns how many ran."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    own = {c.label for c in global_apps.get_app_configs() if c.name.startswith("stagekans.")}
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        for key in loader.graph.forwards_plan(leaf):
            if key not in plan:
                plan.append(key)
    ran = 0
    for app_label, name in plan:
        if app_label not in own:
            continue
        for operation in loader.graph.nodes[(app_label, name)].operations:
            if isinstance(operation, RunPython):
                operation.code(global_apps, None)  # type: ignore[arg-type]  # live apps, no editor
                ran += 1
    return ran
