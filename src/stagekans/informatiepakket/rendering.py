"""Render a hand-out text (paragraphs, '## ' headings, '- ' lists) to safe HTML."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def render_text(text: str) -> SafeString:
    html: list[str] = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            html.append(f'<h2 class="utrecht-heading-2">{escape(lines[0][3:])}</h2>')
            lines = lines[1:]
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{escape(line[2:])}</li>" for line in lines)
            html.append(f'<ul class="utrecht-unordered-list">{items}</ul>')
        elif lines:
            html.append(f'<p class="utrecht-paragraph">{escape(" ".join(lines))}</p>')
    return mark_safe("\n".join(html))  # noqa: S308 - every piece of text is escaped above
