"""GitHub-flavoured Markdown, for reviewing an agreement in a pull request.

The output is plain text that diffs well: numbered headings, a linked table of
contents (anchors computed the way GitHub computes them), pipe tables and a
signature table.  Every piece of document text is escaped, so a clause can
never turn into Markdown or HTML it did not mean.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from slagen.document import (
    Block,
    BulletList,
    Code,
    Document,
    Emphasis,
    Inline,
    LineBreak,
    ListItem,
    OrderedList,
    Paragraph,
    Section,
    SignatureBlock,
    Strong,
    Table,
    Text,
)
from slagen.render import FormatRenderer, RenderOptions
from slagen.render.common import (
    DRAFT_NOTICE,
    SIGN_LINE,
    TOC_TITLE,
    cover_rows,
    is_draft,
    kind_label,
)

__all__ = ["RENDERER", "github_slug", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")
_ALIGN_RULE = {"left": ":---", "right": "---:", "center": ":---:"}




def render_markdown(document: Document, options: RenderOptions) -> str:
    """The whole document as one Markdown string (ends with a newline)."""
    slugs = _section_slugs(document)
    chunks: list[str] = []
    if is_draft(document, options):
        chunks.append(f"> **{DRAFT_NOTICE}**")
    chunks.extend(_cover(document))
    chunks.extend(_toc(document, slugs))
    for section in document.walk():
        chunks.extend(_section(section))
    return "\n\n".join(chunks) + "\n"


# --- anchors -------------------------------------------------------------------


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _section_slugs(document: Document) -> list[str]:
    """GitHub's anchor for each section heading, in walk order.

    GitHub numbers repeated anchors (-1, -2, ...) in the order headings appear,
    so every heading of the file is counted: title, contents, sections.
    """
    seen: dict[str, int] = {}

    def slug(text: str) -> str:
        base = github_slug(text)
        count = seen.get(base, 0)
        seen[base] = count + 1
        return base if count == 0 else f"{base}-{count}"

    slug(document.title)
    slug(TOC_TITLE)
    return [slug(_heading_text(section)) for section in document.walk()]


def _heading_text(section: Section) -> str:
    return f"{section.number} {section.title}"


# --- front matter ----------------------------------------------------------------


def _cover(document: Document) -> list[str]:
    chunks = [f"# {escape(document.title)}"]
    if document.subtitle:
        chunks.append(f"*{escape(document.subtitle)}*")
    chunks.append(escape(kind_label(document)))
    facts = [*document.parties, *cover_rows(document)]
    chunks.append("\n".join(f"- **{escape(label)}:** {escape(value)}" for label, value in facts))
    return chunks


def _toc(document: Document, slugs: list[str]) -> list[str]:
    lines = [
        f"{'  ' * (section.level - 1)}- [{escape(_heading_text(section))}](#{slug})"
        for section, slug in zip(document.walk(), slugs, strict=True)
    ]
    return [f"## {TOC_TITLE}", "\n".join(lines)] if lines else []


# --- body ------------------------------------------------------------------------


def _section(section: Section) -> list[str]:
    level = min(section.level, 6)
    heading = f"{'#' * level} {escape(section.number)} {escape(section.title)}"
    chunks = [heading]
    previous: Block | None = None
    for block in section.blocks:
        if _same_list_kind(previous, block):
            chunks.append("<!-- -->")  # else Markdown joins two adjacent lists into one
        chunks.append(_block(block))
        previous = block
    return chunks


def _same_list_kind(first: Block | None, second: Block) -> bool:
    return any(isinstance(first, k) and isinstance(second, k) for k in (BulletList, OrderedList))


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return _paragraph(block.inlines)
    if isinstance(block, BulletList):
        return _list(block.items, lambda _: "- ")
    if isinstance(block, OrderedList):
        return _list(block.items, lambda index: f"{block.start + index}. ")
    if isinstance(block, Table):
        return _table(block)
    return _signatures(block)


def _paragraph(inlines: tuple[Inline, ...]) -> str:
    """Inline text with each line guarded against starting a heading, quote or list."""
    lines = inline(inlines, hard_break="\\\n").split("\n")
    return "\n".join(_LINE_START.sub(r"\1\\\2", line, count=1) for line in lines)


def _list(items: tuple[ListItem, ...], marker: Callable[[int], str]) -> str:
    """Items with their markers; continuation lines are indented under the text."""
    rendered = []
    for index, item in enumerate(items):
        prefix = marker(index)
        body = _item_body(item.blocks)
        pad = " " * len(prefix)
        lines = body.split("\n")
        rest = [f"{pad}{line}" if line else "" for line in lines[1:]]
        rendered.append("\n".join([prefix + lines[0], *rest]))
    return "\n".join(rendered)


def _item_body(blocks: tuple[Block, ...]) -> str:
    """A list item's blocks; nested lists stay tight, other blocks get a blank line."""
    if not blocks:
        return ""
    parts = [_block(blocks[0])]
    for block in blocks[1:]:
        tight = isinstance(block, BulletList | OrderedList)
        parts.append(("\n" if tight else "\n\n") + _block(block))
    return "".join(parts)


def _table(table: Table) -> str:
    width = max(len(row) for row in (table.header, *table.rows))
    rules = [_ALIGN_RULE.get(a, "---") for a in table.align] + ["---"] * width
    lines = [
        _row([_cell(cell) for cell in table.header], width),
        _row(rules[:width], width),
        *(_row([_cell(cell) for cell in row], width) for row in table.rows),
    ]
    if table.caption:
        lines.append("")
        lines.append(f"*{escape(table.caption)}*")
    return "\n".join(lines)


def _signatures(block: SignatureBlock) -> str:
    parties = block.parties
    width = len(parties) + 1
    rows = [
        ["", *(f"**{escape(p.role)}**" for p in parties)],
        ["---"] * width,
        ["Organisation", *(escape(_one_line(p.organisation)) for p in parties)],
        ["Name", *(escape(_one_line(p.name)) for p in parties)],
        ["Title", *(escape(_one_line(p.title)) for p in parties)],
        ["Signature", *([SIGN_LINE] * len(parties))],
        ["Date", *([SIGN_LINE] * len(parties))],
    ]
    return "\n".join(_row(row, width) for row in rows)


def _row(cells: Iterable[str], width: int) -> str:
    padded = list(cells) + [""] * width
    return "| " + " | ".join(padded[:width]) + " |"


def _cell(inlines: tuple[Inline, ...]) -> str:
    return inline(inlines, hard_break="<br>").replace("\n", " ")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- inline ----------------------------------------------------------------------


def escape(text: str) -> str:
    """Backslash-escape what Markdown or HTML would read as markup (`|` too, for tables)."""
    return _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", text))


def inline(nodes: tuple[Inline, ...], hard_break: str) -> str:
    """Markdown for a run of inlines; `hard_break` is what a LineBreak becomes."""
    return "".join(_inline(node, hard_break) for node in nodes)


def _inline(node: Inline, hard_break: str) -> str:
    if isinstance(node, Text):
        return escape(node.text)
    if isinstance(node, Code):
        return _code(node.text)
    if isinstance(node, LineBreak):
        return hard_break
    mark = "**" if isinstance(node, Strong) else "*"
    assert isinstance(node, Strong | Emphasis)
    return _wrap(inline(node.children, hard_break), mark)


def _wrap(text: str, mark: str) -> str:
    """Emphasis markers hug the words: CommonMark ignores `** text**`."""
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _code(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _render_bytes(document: Document, options: RenderOptions) -> bytes:
    return render_markdown(document, options).encode("utf-8")


RENDERER = FormatRenderer("md", ".md", _render_bytes)
