"""The information text's tiny markup: '## ' starts a heading, '- ' a list item, blank lines
separate paragraphs. Rendered by the template with auto-escaping; no HTML is ever stored."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    kind: str  # "h2", "p" or "ul"
    text: str = ""
    items: list[str] = field(default_factory=list)


def blocks(body: str) -> list[Block]:
    result: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            result.append(Block("p", " ".join(paragraph)))
            paragraph.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            result.append(Block("h2", line[3:].strip()))
        elif line.startswith("- "):
            flush()
            if not result or result[-1].kind != "ul":
                result.append(Block("ul"))
            result[-1].items.append(line[2:].strip())
        else:
            paragraph.append(line)
    flush()
    return result
