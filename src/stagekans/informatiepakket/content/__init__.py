"""The first versions of the hand-outs, in Dutch and English (loaded by a data migration)."""

from __future__ import annotations

from pathlib import Path

_DIR = Path(__file__).resolve().parent


def text(name: str) -> str:
    return (_DIR / name).read_text(encoding="utf-8").strip()
