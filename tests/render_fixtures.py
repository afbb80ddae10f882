"""A realistic SLA document tree, built by hand, shared by the renderer tests.

It exercises what clauses produce: nested sections down to level 3, bold and
emphasis, bullet and ordered lists (nested), a table with alignment, a
signature block, defined terms and ordinary non-ASCII text (ü, é, €, “quotes”, —).

The defined terms are where assembly puts them: as "**Term** means …"
paragraphs inside the numbered Definitions section (see `_fill_glossary` in
`slagen.assemble`), while `Document.glossary` carries the same entries as data.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from slagen.document import (
    BulletList,
    Code,
    Document,
    Emphasis,
    GlossaryEntry,
    Inline,
    LineBreak,
    ListItem,
    OrderedList,
    Paragraph,
    Section,
    SignatureBlock,
    SignatureParty,
    Strong,
    Table,
    Text,
)
from slagen.render import RenderOptions

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"

PROVIDER = "Nordlicht Cloud Services GmbH"
CUSTOMER = "Müller & Söhne Handels AG"
SECTION_TITLES = (
    "1 Introduction",
    "1.1 Purpose",
    "1.2 Scope",
    "1.3 Definitions",
    "2 Service Description",
    "3 Service Levels",
    "3.1 Availability",
    "3.2 Incident Response",
    "3.2.1 Priority Definitions",
    "4 Service Credits",
    "5 Signatures",
)
CIO_TITLE = "Chief Information Officer"
TABLE_VALUES = ("99.9 %", "43 min 49 s", "P1 — Critical", "15 min", "€ 1,250.00")
GLOSSARY = (
    GlossaryEntry("Availability", "the share of the service window in which the service works."),
    GlossaryEntry("Service Credit", "a reduction of the monthly fee when a target is missed."),
)
DEFINITIONS_TITLE = "1.3 Definitions"
#: The first definition as a reader sees it, in the Definitions section.
DEFINITION_TEXT = f"{GLOSSARY[0].term} means {GLOSSARY[0].definition}"


def options(**changes: Any) -> RenderOptions:
    return RenderOptions(template_dir=TEMPLATE_DIR, **changes)


def t(text: str) -> Text:
    return Text(text)


def para(*inlines: Inline | str) -> Paragraph:
    return Paragraph(tuple(Text(i) if isinstance(i, str) else i for i in inlines))


def cell(text: str) -> tuple[Inline, ...]:
    return (Text(text),)


def item(*blocks: Paragraph | BulletList | OrderedList) -> ListItem:
    return ListItem(tuple(blocks))


def definition(entry: GlossaryEntry) -> Paragraph:
    """A defined term as assembly renders it: the term in bold, then "means …"."""
    return Paragraph((Strong((Text(entry.term),)), Text(f" means {entry.definition}")))


def _introduction() -> Section:
    purpose = Section(
        "1.1",
        "Purpose",
        "sec-1-1",
        2,
        blocks=(
            para(
                "This agreement sets out the ",
                Strong((t("minimum service levels"),)),
                " that the Provider commits to for the ",
                Emphasis((t("Hosted CRM"),)),
                " service, and the “service credits” due when they are missed.",
            ),
            para("It replaces all earlier service descriptions.", LineBreak(), "No side letters."),
        ),
    )
    scope = Section(
        "1.2",
        "Scope",
        "sec-1-2",
        2,
        blocks=(
            para("The service covers:"),
            BulletList(
                (
                    item(para("the production CRM tenant ", Code("crm-prod-eu"), ";")),
                    item(
                        para("data backups, namely:"),
                        BulletList((item(para("daily snapshots")), item(para("weekly exports")))),
                    ),
                    item(para("the service desk (English and German).")),
                )
            ),
        ),
    )
    definitions = Section(
        "1.3",
        "Definitions",
        "sec-1-3",
        2,
        blocks=(
            para("In this agreement the terms below have these meanings:"),
            *(definition(entry) for entry in GLOSSARY),
        ),
    )
    return Section(
        "1",
        "Introduction",
        "sec-1",
        1,
        blocks=(para("This Service Level Agreement is made between the parties named below."),),
        children=(purpose, scope, definitions),
    )


def _service_levels() -> Section:
    availability = Section(
        "3.1",
        "Availability",
        "sec-3-1",
        2,
        blocks=(
            para("Availability is measured ", Strong((t("every 60 s"),)), " by an external probe."),
            Table(
                header=(cell("Metric"), cell("Target"), cell("Allowed downtime per month")),
                rows=(
                    (cell("Availability"), cell("99.9 %"), cell("43 min 49 s")),
                    (cell("Availability (support hours)"), cell("99.95 %"), cell("13 min 9 s")),
                ),
                align=("left", "right", "right"),
                caption="Availability targets",
            ),
        ),
    )
    priorities = Section(
        "3.2.1",
        "Priority Definitions",
        "sec-3-2-1",
        3,
        blocks=(
            Table(
                header=(cell("Priority"), cell("Response"), cell("Resolution")),
                rows=(
                    (cell("P1 — Critical"), cell("15 min"), cell("4 h")),
                    (cell("P2 — High"), cell("1 h"), cell("1 business day")),
                    (cell("P3 | Normal"), cell("4 h"), cell("5 business days")),
                ),
            ),
        ),
    )
    response = Section(
        "3.2",
        "Incident Response",
        "sec-3-2",
        2,
        blocks=(
            para("When the Customer reports an incident, the Provider will:"),
            OrderedList(
                (
                    item(para("acknowledge it and assign a priority;")),
                    item(
                        para("start work within the response time, and"),
                        OrderedList((item(para("inform the Customer")), item(para("escalate")))),
                    ),
                    item(para("resolve it within the resolution time.")),
                )
            ),
        ),
        children=(priorities,),
    )
    return Section(
        "3",
        "Service Levels",
        "sec-3",
        1,
        blocks=(para("The targets below apply ", Emphasis((t("per calendar month"),)), "."),),
        children=(availability, response),
    )


def _credits_and_signatures() -> tuple[Section, Section]:
    credits = Section(
        "4",
        "Service Credits",
        "sec-4",
        1,
        blocks=(
            para("If availability falls below target, the Customer may claim a credit:"),
            Table(
                header=(cell("Availability below"), cell("Credit"), cell("Example")),
                rows=(
                    (cell("99.9 %"), cell("10 %"), cell("€ 1,250.00")),
                    (cell("99.0 %"), cell("25 %"), cell("€ 3,125.00")),
                    (cell("95.0 %"), cell("100 %"), cell("€ 12,500.00")),
                ),
                align=("left", "right", "right"),
            ),
            OrderedList((item(para("Credits are capped at 50 % of the monthly fee.")),), start=3),
        ),
    )
    signatures = Section(
        "5",
        "Signatures",
        "sec-5",
        1,
        blocks=(
            para("Signed by the authorised representatives of the parties."),
            SignatureBlock(
                (
                    SignatureParty("Provider", PROVIDER, "Dr. Anna Weiß", "Managing Director"),
                    SignatureParty("Customer", CUSTOMER, "José Álvarez", CIO_TITLE),
                )
            ),
        ),
    )
    return credits, signatures


def sample_document(**changes: Any) -> Document:
    """The sample SLA; keyword arguments replace fields (e.g. draft=True)."""
    description = Section(
        "2",
        "Service Description",
        "sec-2",
        1,
        blocks=(para("The Provider operates the Hosted CRM in two data centres in the EU."),),
    )
    credits, signatures = _credits_and_signatures()
    document = Document(
        kind="sla",
        title="CRM Platform Service Level Agreement",
        subtitle="Hosted CRM for Müller & Söhne",
        agreement_id="ACME-CRM-2027",
        version="1.0.0",
        date="2027-01-01",
        parties=(("Provider", PROVIDER), ("Customer", CUSTOMER)),
        cover_lines=(("Effective", "2027-01-01"), ("Expires", "2027-12-31")),
        sections=(_introduction(), description, _service_levels(), credits, signatures),
        author="Nordlicht Service Management",
        keywords=("SLA", "CRM", "availability"),
        glossary=GLOSSARY,
        clauses_used=(("availability", "1.0"),),
        file_stem="ACME-CRM-2027-v1.0.0-sla",
    )
    return dataclasses.replace(document, **changes)


def with_party_names(document: Document, name: str) -> Document:
    """The document with every party (cover and signature block) called `name`."""

    def rename(section: Section) -> Section:
        blocks = tuple(
            SignatureBlock(tuple(dataclasses.replace(p, organisation=name) for p in b.parties))
            if isinstance(b, SignatureBlock)
            else b
            for b in section.blocks
        )
        return dataclasses.replace(
            section, blocks=blocks, children=tuple(rename(c) for c in section.children)
        )

    return dataclasses.replace(
        document,
        parties=tuple((role, name) for role, _ in document.parties),
        sections=tuple(rename(s) for s in document.sections),
    )
