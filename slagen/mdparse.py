"""CommonMark (with tables) → document tree blocks, through markdown-it-py.

One parser for every clause, so a clause looks the same in DOCX, PDF, HTML
and Markdown.  Raw HTML is not enabled: a clause cannot smuggle markup (or a
`<link>` to a local file) into the PDF.  Headings inside a clause become bold
paragraphs: the numbered structure belongs to the outline, not the clause.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .document import (
    Block,
    BulletList,
    Code,
    Emphasis,
    Inline,
    LineBreak,
    ListItem,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
)
from .usercache import files_stamp, package_stamp, remember

__all__ = ["parse_markdown"]


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}) \
        .enable("table")


def parse_markdown(text: str) -> tuple[Block, ...]:
    """Blocks of a clause body; links keep their text only (no URLs are followed).

    Most clauses read the same from one build to the next, so the blocks of
    each text are kept in the user's cache, keyed by the text and by this
    module, the tree's classes and markdown-it-py as installed.
    """
    stamp = _parser_stamp()
    entry = hashlib.sha256(f"{stamp}\0{text}".encode()).hexdigest() + ".blocks" \
        if stamp else None
    return remember("markdown", entry, lambda: _parse(text),
                    lambda blocks: pickle.dumps(blocks, protocol=pickle.HIGHEST_PROTOCOL),
                    _blocks_from_pickle)


def _blocks_from_pickle(raw: bytes) -> tuple[Block, ...]:
    blocks = pickle.loads(raw)
    if not isinstance(blocks, tuple):
        raise TypeError("not a cached block tuple")
    return blocks


@cache
def _parser_stamp() -> str | None:
    here = Path(__file__).parent
    ours = files_stamp(here / "mdparse.py", here / "document.py")
    theirs = package_stamp("markdown_it", "main.py", "parser_block.py", "parser_inline.py")
    return f"{ours}-{theirs}" if ours and theirs else None


def _parse(text: str) -> tuple[Block, ...]:
    tokens = _parser().parse(text)
    blocks, _ = _blocks(tokens, 0, closing=None)
    return tuple(blocks)


def _blocks(tokens: list, i: int, closing: str | None) -> tuple[list[Block], int]:
    out: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        if closing and tok.type == closing:
            return out, i + 1
        if tok.type == "paragraph_open":
            out.append(Paragraph(_inlines(tokens[i + 1].children or [])))
            i += 3
        elif tok.type == "heading_open":
            out.append(Paragraph((Strong(_inlines(tokens[i + 1].children or [])),)))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            block, i = _list(tokens, i)
            out.append(block)
        elif tok.type == "table_open":
            block, i = _table(tokens, i)
            out.append(block)
        elif tok.type in ("fence", "code_block"):
            out.append(Paragraph((Code(tok.content.rstrip("\n")),)))
            i += 1
        elif tok.type == "blockquote_open":
            inner, i = _blocks(tokens, i + 1, "blockquote_close")
            out.extend(inner)
        else:  # hr, html (disabled) and anything unknown carries no words
            i += 1
    return out, i


def _list(tokens: list, i: int) -> tuple[Block, int]:
    ordered = tokens[i].type == "ordered_list_open"
    closing = "ordered_list_close" if ordered else "bullet_list_close"
    start = int(tokens[i].attrGet("start") or 1)
    items: list[ListItem] = []
    i += 1
    while tokens[i].type != closing:
        blocks, i = _blocks(tokens, i + 1, "list_item_close")  # tokens[i] is list_item_open
        items.append(ListItem(tuple(blocks)))
    block = OrderedList(tuple(items), start) if ordered else BulletList(tuple(items))
    return block, i + 1


def _table(tokens: list, i: int) -> tuple[Table, int]:
    header: list[tuple[Inline, ...]] = []
    rows: list[tuple[tuple[Inline, ...], ...]] = []
    align: list[str] = []
    row: list[tuple[Inline, ...]] = []
    in_head = False
    i += 1
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type in ("th_open", "td_open"):
            if in_head:
                style = tok.attrGet("style") or ""
                align.append(style.replace("text-align:", "").strip() or "left")
            row.append(_inlines(tokens[i + 1].children or []))
            i += 2
        elif tok.type == "tr_close":
            if in_head:
                header = row
            else:
                rows.append(tuple(row))
            row = []
        i += 1
    return Table(tuple(header), tuple(rows), tuple(align)), i + 1


def _inlines(children: list) -> tuple[Inline, ...]:
    out, _ = _inline_run(children, 0, closing=None)
    return tuple(_merge_text(out))


def _inline_run(children: list, i: int, closing: str | None) -> tuple[list[Inline], int]:
    out: list[Inline] = []
    while i < len(children):
        tok = children[i]
        if closing and tok.type == closing:
            return out, i + 1
        if tok.type == "text":
            out.append(Text(tok.content))
        elif tok.type == "code_inline":
            out.append(Code(tok.content))
        elif tok.type == "softbreak":
            out.append(Text(" "))
        elif tok.type == "hardbreak":
            out.append(LineBreak())
        elif tok.type == "strong_open":
            inner, i = _inline_run(children, i + 1, "strong_close")
            out.append(Strong(tuple(_merge_text(inner))))
            continue
        elif tok.type == "em_open":
            inner, i = _inline_run(children, i + 1, "em_close")
            out.append(Emphasis(tuple(_merge_text(inner))))
            continue
        elif tok.type == "link_open":
            inner, i = _inline_run(children, i + 1, "link_close")
            out.extend(inner)
            continue
        elif tok.type == "image":
            out.append(Text(tok.content))
        i += 1
    return out, i


def _merge_text(items: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for item in items:
        if isinstance(item, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + item.text)
        else:
            merged.append(item)
    return merged
