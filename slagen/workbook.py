"""The negotiation workbook: an xlsx both parties can edit, and reading their edits back.

Sheets: Terms (one row per negotiated term; slagen's columns locked, the
columns people decide — proposal, agreed, status, owner, rationale and a new
round's author and note — unlocked and shaded), History (every round, read
only), Summary (counts by status, open items) and a hidden Meta sheet that
records which agreement file, at which SHA-256, the workbook came from, so a
stale workbook can be refused on import.  openpyxl is imported only here, and
only when a workbook is written or read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import Diagnostic, InputError
from .negotiate import PARTIES, STATUSES
from .records import record
from .term_views import TermView
from .units import format_decimal

__all__ = ["COLUMNS", "WorkbookContent", "WorkbookRow", "export_workbook", "read_workbook"]

TERMS, HISTORY, SUMMARY, META = "Terms", "History", "Summary", "Meta"
WORKBOOK_FORMAT = "1"
_FIXED = (1980, 1, 1, 0, 0, 0)  # ZIP and document dates: same agreement, same bytes
_EDITABLE_FILL, _GAP_FILL, _HEAD_FILL = "FFF2CC", "F8CBAD", "1F3864"


@record
class Column:
    key: str
    header: str
    width: int
    editable: bool = False
    wrap: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("term", "Term", 40), Column("description", "Description", 36, wrap=True),
    Column("direction", "Better for customer", 11),
    Column("customer", "Customer requirement", 14),
    Column("customer_in_practice", "In practice (customer)", 30, wrap=True),
    Column("provider", "Provider offer", 14),
    Column("provider_in_practice", "In practice (provider)", 30, wrap=True),
    Column("gap", "Gap", 24, wrap=True), Column("suggestion", "Suggested middle", 12),
    Column("standard", "Standard position", 12),
    Column("proposal", "Current proposal", 14, editable=True),
    Column("current_in_practice", "In practice (current value)", 30, wrap=True),
    Column("agreed", "Agreed", 12, editable=True), Column("status", "Status", 12, editable=True),
    Column("owner", "Owner", 18, editable=True),
    Column("rationale", "Rationale", 40, editable=True, wrap=True),
    Column("by", "New round by", 12, editable=True),
    Column("note", "Round note", 30, editable=True, wrap=True),
)
EDITABLE = tuple(c.key for c in COLUMNS if c.editable)


@record
class WorkbookRow:
    """One Terms row as read back: values as text (None when empty) and their cells."""

    row: int
    term: str
    values: dict[str, str | None]
    cells: dict[str, str]


@record
class WorkbookContent:
    meta: dict[str, str]
    rows: list[WorkbookRow]


# --- export ------------------------------------------------------------------


def export_workbook(title: str, views: list[TermView], meta: dict[str, str]) -> bytes:
    """The workbook as bytes (the caller writes it atomically)."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    book = Workbook()
    _terms_sheet(book.active, views)
    _history_sheet(book.create_sheet(HISTORY), views)
    _summary_sheet(book.create_sheet(SUMMARY), title, views, meta)
    _meta_sheet(book.create_sheet(META), meta)
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.creator = "slagen"
    book.properties.title = f"Negotiation: {title}"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_dates(buffer.getvalue())


def _style_header(sheet: Any, widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_HEAD_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.page_setup.orientation = "landscape"  # printed: one page wide, headers repeated
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"


def _protect(sheet: Any) -> None:
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # people may widen columns and filter
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False


def _terms_sheet(sheet: Any, views: list[TermView]) -> None:
    from openpyxl.styles import Alignment, PatternFill, Protection

    sheet.title = TERMS
    sheet.append([c.header for c in COLUMNS])
    _style_header(sheet, [c.width for c in COLUMNS])
    sheet.row_dimensions[1].height = 30
    for view in views:
        values = [_view_value(view, c.key) for c in COLUMNS]
        sheet.append(values)
        row = sheet.max_row
        sheet.row_dimensions[row].height = _height(values)
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row, column=index)
            cell.alignment = Alignment(wrap_text=column.wrap, vertical="top")
            if column.editable:
                cell.protection = Protection(locked=False)
                cell.fill = PatternFill("solid", fgColor=_EDITABLE_FILL)
                cell.number_format = "@"  # typed 99.9% stays text, not 0.999
            elif column.key in ("gap", "customer", "provider") and not view.is_settled \
                    and view.gap not in ("", "none"):
                cell.fill = PatternFill("solid", fgColor=_GAP_FILL)
    last = max(sheet.max_row, 2)
    _validations(sheet, last)
    _status_colours(sheet, last)
    sheet.auto_filter.ref = f"A1:{_letter('note')}{sheet.max_row}"
    _protect(sheet)


def _height(values: list[str]) -> float:
    """Row height for the wrapped text (not every client fits rows to their text)."""
    lines = max(-(-len(text) // max(1, column.width - 2)) if column.wrap else 1
                for text, column in zip(values, COLUMNS, strict=True))
    return 15.0 * max(1, lines)


def _letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(next(i for i, c in enumerate(COLUMNS, 1) if c.key == key))


def _view_value(view: TermView, key: str) -> str:
    if key in ("by", "note"):
        return ""
    value = getattr(view, key)
    return "" if value is None else str(value)


def _validations(sheet: Any, last: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    for key, choices, blank in (("status", STATUSES, False), ("by", PARTIES, True)):
        rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                              allow_blank=blank, showErrorMessage=True,
                              errorTitle="Not in the list",
                              error=f"Choose one of: {', '.join(choices)}")
        rule.add(f"{_letter(key)}2:{_letter(key)}{last}")
        sheet.add_data_validation(rule)


def _status_colours(sheet: Any, last: int) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    target = f"{_letter('status')}2:{_letter('status')}{last}"
    for status, colour in (("agreed", "C6EFCE"), ("withdrawn", "D9D9D9"),
                           ("escalated", "FFC7CE")):
        sheet.conditional_formatting.add(target, CellIsRule(
            operator="equal", formula=[f'"{status}"'], fill=PatternFill("solid",
                                                                         bgColor=colour)))


def _history_sheet(sheet: Any, views: list[TermView]) -> None:
    sheet.append(["Term", "Round", "By", "Value", "Date", "Note"])
    _style_header(sheet, [40, 7, 10, 14, 12, 60])
    for view in views:
        for number, round_ in enumerate(view.history, start=1):
            sheet.append([view.term, number, round_.by, round_.value,
                          round_.date.isoformat() if round_.date else "", round_.note])
    _protect(sheet)


def _summary_sheet(sheet: Any, title: str, views: list[TermView], meta: dict[str, str]) -> None:
    from openpyxl.styles import Font

    counts = Counter(v.status for v in views)
    sheet.append([f"Negotiation: {title}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"Exported from {meta['agreement file']} (version "
                  f"{meta['agreement version']}, SHA-256 {meta['agreement sha256'][:12]}…)"])
    sheet.append([])
    sheet.append(["Status", "Terms"])
    headings = [sheet.max_row]
    for status in STATUSES:
        sheet.append([status, counts.get(status, 0)])
    sheet.append(["total", len(views)])
    sheet.append([])
    sheet.append(["Open items", "Status", "Customer", "Provider", "Proposal", "Owner"])
    headings.append(sheet.max_row)
    for view in (v for v in views if not v.is_settled):
        sheet.append([view.term, view.status, view.customer or "", view.provider or "",
                      view.proposal or "", view.owner])
    for row in headings:
        for cell in sheet[row]:
            cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (44, 12, 14, 14, 14, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    _protect(sheet)


def _meta_sheet(sheet: Any, meta: dict[str, str]) -> None:
    for key, value in meta.items():
        sheet.append([key, value])
    sheet.sheet_state = "hidden"
    _protect(sheet)


def _fixed_dates(data: bytes) -> bytes:
    """Rewrite the archive with fixed entry and document dates (deterministic output)."""
    out = io.BytesIO()
    stamp = "1980-01-01T00:00:00Z"
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                                 rb"\g<1>" + stamp.encode(), content)
            target.writestr(zipfile.ZipInfo(item.filename, date_time=_FIXED), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- import ------------------------------------------------------------------


def _refuse(path: Path, message: str, hint: str = "") -> InputError:
    return InputError(diagnostics=[Diagnostic(str(path), 0, 0, "", message, "workbook.format",
                                              hint=hint)])


def read_workbook(path: Path) -> WorkbookContent:
    """The edits in a workbook slagen exported; `InputError` for anything else."""
    from openpyxl import load_workbook

    hint = "export one with: slagen negotiate export FILE -o WORKBOOK.xlsx"
    if not path.is_file():
        raise _refuse(path, "no such file")
    try:
        book = load_workbook(path)
    except Exception as exc:  # openpyxl raises many types for a file that is not xlsx
        raise _refuse(path, f"cannot be read as an .xlsx workbook ({exc})", hint) from None
    if TERMS not in book.sheetnames or META not in book.sheetnames:
        raise _refuse(path, f"is not a slagen negotiation workbook (no {TERMS} and {META} "
                      "sheets)", hint)
    meta = {str(r[0]): str(r[1]) for r in book[META].iter_rows(values_only=True)
            if r and r[0] is not None and r[1] is not None}
    sheet = book[TERMS]
    columns = {str(c.value).strip(): c.column for c in sheet[1] if c.value is not None}
    missing = [c.header for c in COLUMNS if (c.editable or c.key == "term")
               and c.header not in columns]
    if missing:
        raise _refuse(path, f"the {TERMS} sheet has no column(s) {', '.join(missing)}", hint)
    return WorkbookContent(meta, _rows(sheet, columns))


def _rows(sheet: Any, columns: dict[str, int]) -> list[WorkbookRow]:
    from openpyxl.utils import get_column_letter

    keys = ("term", *EDITABLE)
    where = {c.key: columns[c.header] for c in COLUMNS if c.key in keys}
    rows = []
    for number in range(2, sheet.max_row + 1):
        term = _cell_text(sheet.cell(row=number, column=where["term"]))
        if term is None:
            continue
        values = {k: _cell_text(sheet.cell(row=number, column=where[k])) for k in EDITABLE}
        cells = {k: f"{TERMS}!{get_column_letter(where[k])}{number}" for k in keys}
        rows.append(WorkbookRow(number, term, values, cells))
    return rows


def _cell_text(cell: Any) -> str | None:
    """A cell as the text a person meant: 0.999 in a percent-formatted cell is 99.9%."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        number = Decimal(repr(value))
        if "%" in (cell.number_format or ""):
            return f"{format_decimal(number * 100)}%"
        return format_decimal(number)
    if hasattr(value, "date") and hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()
    text = str(value).strip()
    return text or None
