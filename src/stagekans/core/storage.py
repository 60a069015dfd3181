"""Private file storage for uploads that hold personal data (report and hearing attachments).

Files live under PRIVATE_FILES_ROOT, outside MEDIA_ROOT and STATIC_ROOT, and have random names
(`ab/ab12…ef.png`): the path tells nothing about the report or case and cannot be guessed.
No URL serves them — `url()` refuses — so the only way out is a view that checks permission
and scope and writes an audit row (issue 10, finding 10).
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.core.files.storage import FileSystemStorage, InMemoryStorage, Storage, storages

_EXTENSION = re.compile(r"^[a-z0-9]{1,5}$")
RANDOM_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}\.[a-z0-9]{1,5}$")


class _NoURL:
    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through a permission-checked view.")


class PrivateFileStorage(_NoURL, FileSystemStorage):
    """On disk, under PRIVATE_FILES_ROOT; never served by URL."""


class PrivateInMemoryStorage(_NoURL, InMemoryStorage):
    """The same for the test suite, in memory."""


def private_storage() -> Storage:
    """The storage of every private upload (a callable, so migrations do not freeze a path)."""
    return storages["private"]


def random_name(extension: str) -> str:
    extension = extension.lower().lstrip(".")
    if not _EXTENSION.match(extension):
        extension = "bin"
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}.{extension}"


def random_upload_name(instance: Any, filename: str) -> str:
    """upload_to: keep only the (checked) extension of what the service passes; never a name,
    a report number or a case number."""
    return random_name(filename.rsplit(".", 1)[-1] if "." in filename else "")
