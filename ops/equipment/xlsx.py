"""The programme report as a workbook (openpyxl), one sheet per section, headings in the reader's language."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook

from ops import vocab
from ops.equipment.aggregate import Cell
from ops.equipment.report import Report


def _cell_values(cell: Cell) -> list:
    share = cell.joint_share
    return [
        cell.operations,
        cell.joint,
        round(share, 3) if share is not None else "",
        cell.events,
        cell.kg if isinstance(cell.kg, str) else float(cell.kg),
        cell.persons,
    ]


def _measure_headings() -> list[str]:
    return [
        _("Operations"),
        _("Joint operations"),
        _("Share of joint operations"),
        _("Seizure events"),
        _("kg-equivalent"),
        _("Persons detained"),
    ]


def workbook(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Handovers")[:31]
    sheet.append([_("Month"), _("Recipient agency"), _("Donor"), _("Project"), _("Items"), _("Value")])
    for h in report.handovers:
        value = "; ".join(f"{amount} {currency}" for currency, amount in sorted(h.value.items()))
        sheet.append([h.month, h.agency, h.donor, h.project, h.items, value])
    sheet = book.create_sheet(_("Equipment")[:31])
    statuses = list(vocab.EQUIPMENT_STATUSES)
    sheet.append([_("Team or crossing point")] + [vocab.label(vocab.EQUIPMENT_STATUSES, s) for s in statuses])
    for holder, counts in report.by_status.items():
        sheet.append([holder or _("Not assigned")] + [counts.get(s, 0) for s in statuses])
    sheet = book.create_sheet(_("Utilisation")[:31])
    sheet.append([_("Kind"), _("Items in service"), _("Operations that used it")])
    for kind in vocab.EQUIPMENT_KINDS:
        cell = report.utilisation.cells.get((kind,))
        if cell or report.kinds_in_service.get(kind):
            sheet.append(
                [
                    vocab.label(vocab.EQUIPMENT_KINDS, kind),
                    report.kinds_in_service.get(kind, 0),
                    cell.operations if cell else 0,
                ]
            )
    for title, result, names in (
        (_("Teams"), report.teams, report.team_names),
        (_("Agencies"), report.agencies, report.agency_names),
    ):
        sheet = book.create_sheet(title[:31])
        sheet.append([title] + _measure_headings())
        for (key,), cell in sorted(result.cells.items(), key=lambda kv: names.get(kv[0][0], "")):
            sheet.append([names.get(key, "")] + _cell_values(cell))
        sheet.append([_("Grand total")] + _cell_values(result.total))
    sheet = book.create_sheet(_("Quarters")[:31])
    sheet.append([_("Quarter")] + _measure_headings() + [_("Change in operations"), _("Change in seizure events")])
    for quarter, cell, delta in report.quarter_rows():
        sheet.append([quarter] + _cell_values(cell) + [_ratio(delta.get("operations")), _ratio(delta.get("events"))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ratio(value) -> str | float:
    return "" if value is None else round(value, 3)
