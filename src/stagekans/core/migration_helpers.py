"""Helpers for data migrations that must not import app models."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from stagekans.core.storage import RANDOM_NAME, private_storage, random_name


def move_to_private_storage(model: Any) -> int:
    """Move files with an old, guessable name (`meldpunt/<number>/bijlage-1.png`) from the
    public default storage (MEDIA_ROOT) to private storage under a random name. Idempotent:
    a row whose name is already random is left alone; a missing old file is reported, not
    invented."""
    moved = 0
    target = private_storage()
    for row in model.objects.all().iterator():
        old = str(row.file.name)
        if RANDOM_NAME.match(old):
            continue
        if not default_storage.exists(old):
            print(f"  {model.__name__} {row.pk}: file {old!r} not found, left as is")
            continue
        with default_storage.open(old, "rb") as handle:
            content = handle.read()
        extension = old.rsplit(".", 1)[-1] if "." in old else ""
        new = target.save(random_name(extension), ContentFile(content))
        model.objects.filter(pk=row.pk).update(file=new)
        default_storage.delete(old)
        moved += 1
    return moved
