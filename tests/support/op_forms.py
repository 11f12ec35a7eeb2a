"""Form data for the operation pages, as a browser would send it, for the HTTP tests."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from ops.models import Operation

TASHKENT = ZoneInfo("Asia/Tashkent")


def local(dt: datetime) -> str:
    """A UTC datetime as the user types it into datetime-local (Asia/Tashkent)."""
    return dt.astimezone(TASHKENT).strftime("%Y-%m-%dT%H:%M")


def yesterday(hour: int = 6) -> datetime:
    day = datetime.now(UTC) - timedelta(days=1)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


SEIZURE = {
    "category": "drugs",
    "commodity": "heroin",
    "quantity": "12,5",
    "unit": "kg",
    "concealment": "fuel_tank",
    "concealment_detail": "welded compartment",
    "conveyance": "truck",
    "detection": "x_ray",
    "origin_country": "AF",
    "transit_countries": "TJ, KZ",
    "destination_country": "Russia",
}
PERSON = {
    "full_name": "  botir   Akhmedov ",
    "birth_date": "1980-01-02",
    "nationality": "UZ",
    "document_type": "passport",
    "document_number": "fa 383-8205",
    "role": "driver",
    "arrested": "y",
    "seizure_row": "1",
}
VEHICLE = {
    "plate": "01 a 123-bc",
    "country": "UZ",
    "make_model": "Kamaz 5320",
    "vehicle_type": "truck",
    "seizure_row": "1",
}


def rows(prefix: str, items) -> dict:
    data = {}
    for index, item in enumerate(items):
        for key, value in item.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def operation_form(team=None, seizures=(SEIZURE,), persons=(), vehicles=(), **fields) -> dict:
    start = yesterday()
    data = {
        "title": "Heroin in a fuel tank",
        "op_type": "checkpoint_inspection",
        "started_at": local(start),
        "ended_at": local(start + timedelta(hours=8)),
        "place_code": "AYRITOM",
        "place_name": "",
        "region": "",
        "lat": "",
        "lon": "",
        "narrative": "X-ray showed a hidden compartment.",
        "visibility": "partners",
    }
    if team is not None:
        data["owner_team_id"] = str(team.id)
        data["lead_team_id"] = str(team.id)
    data.update(rows("seizures", seizures))
    data.update(rows("persons", persons))
    data.update(rows("vehicles", vehicles))
    data.update(fields)
    return data


def create(client, team, **kwargs) -> Operation:
    """Post the form; return the id of the record it created."""
    response = client.post("/operations/new", data=operation_form(team, **kwargs))
    assert response.status_code == 302, _errors(response)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def edit_form(client, operation_id: int) -> dict:
    """Whatever the edit page's form holds now, as the browser would send it back."""
    page = client.get(f"/operations/{operation_id}/edit")
    assert page.status_code == 200, page.status_code
    return form_values(page.get_data(as_text=True), "operation-form")


def form_values(html: str, form_id: str) -> dict:
    """The values one form would send, read from the page without a browser."""
    start = html.index(f'id="{form_id}"')
    body = html[start : html.index("</form>", start)]
    body = re.sub(r"<template.*?</template>", "", body, flags=re.S)
    values: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]*>", body):
        name, kind = _attr(tag, "name"), _attr(tag, "type") or "text"
        if not name or kind in ("submit", "button") or (kind in ("checkbox", "radio") and " checked" not in tag):
            continue
        values.setdefault(name, []).append(_attr(tag, "value") or ("y" if kind == "checkbox" else ""))
    for name, inner in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, flags=re.S):
        chosen = [_attr(tag, "value") or "" for tag in re.findall(r"<option[^>]*>", inner) if " selected" in tag]
        values[name] = chosen[:1] or [""]
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, flags=re.S):
        values[name] = [_unescape(text.removeprefix("\r\n").removeprefix("\n"))]
    return {name: found[0] if len(found) == 1 else found for name, found in values.items()}


def _attr(tag: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return _unescape(found.group(1)) if found else None


def _unescape(text: str) -> str:
    return html.unescape(text)


def _errors(response) -> str:
    return " | ".join(errors(response)) or str(response.status_code)


def errors(response) -> list[str]:
    """The messages shown next to fields, as the user reads them."""
    return [_unescape(m) for m in re.findall(r'class="error"[^>]*>([^<]+)<', response.get_data(as_text=True))]


def latest(db) -> Operation | None:
    db.expire_all()
    return db.exec(select(Operation).order_by(Operation.id.desc())).first()


# A draft as an API client sends it (POST /api/v1/operations).
API_BODY = {
    "title": "Heroin in a fuel tank",
    "op_type": "checkpoint_inspection",
    "started_at": "2026-03-01T08:00:00+05:00",
    "ended_at": "2026-03-01T11:30:00+05:00",
    "place_code": "AYRITOM",
    "narrative": "Joint inspection of a truck.",
    "visibility": "agency",
    "seizures": [
        {
            "category": "drugs",
            "commodity": "heroin",
            "quantity": "12.5",
            "unit": "kg",
            "concealment": "fuel_tank",
            "conveyance": "truck",
            "detection": "x_ray",
            "origin_country": "AF",
            "destination_country": "KZ",
        }
    ],
    "vehicles": [{"plate": "01 A 123 BC", "country": "UZ", "vehicle_type": "truck", "seizure_row": 1}],
}
