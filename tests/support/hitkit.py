"""Helpers of the hit/no-hit tests: a record of agency A (SCC) with planted identifiers and canary words,
readers of agency B (MIA), and the steps of an access request."""

from __future__ import annotations

import html
import re
from datetime import date

from ops import names, normalize
from ops.models import Person, Vehicle

PLATE = "01 A 777 KA"
DOCUMENT = "AB 1234567"
PHONE = "+998 90 111 22 33"
NAME = "Rahimov Jasur Akmalovich"
# words of the record that must never reach a reader who only gets hits
CANARIES = ("Zebracanary", "Quokkaplace", "Wombatcase")


def plant(db, make_operation, agency, team, **kwargs):
    """An approved record of `agency`, readable only inside it unless said otherwise, full of canaries."""
    record = make_operation(
        agency,
        team,
        title=f"{CANARIES[0]} truck",
        narrative=f"{CANARIES[1]}: {NAME} (passport {DOCUMENT}) drove {PLATE}; case {CANARIES[2]}.",
        place_name=CANARIES[1],
        **kwargs,
    )
    db.add(Vehicle(operation_id=record.id, plate=PLATE, plate_norm="01A777KA", vehicle_type="truck"))
    db.add(
        Person(
            operation_id=record.id,
            full_name=NAME,
            name_norm=NAME.upper(),
            document_type="passport",
            document_number=DOCUMENT,
            document_norm="AB1234567",
            phones="+998901112233",
            birth_date=date(1980, 1, 2),
        )
    )
    db.commit()
    return record


def lookup(client, value: str, purpose: str | None = "case 2026/17") -> str:
    """The lookup page as text (HTML entities resolved)."""
    query = {"value": value} if purpose is None else {"value": value, "purpose": purpose}
    return text(client.get("/search/lookup", query_string=query))


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


TOKEN = re.compile(r'name="token" value="([0-9a-f]+)"')


def hit_token(page: str) -> str:
    found = TOKEN.search(page)
    assert found, "no hit on the page"
    return found.group(1)


def ask(client, value: str, token: str, purpose: str = "joint case", case_number: str = "17/2026"):
    data = {"identifier": value, "token": token, "purpose": purpose, "case_number": case_number}
    return client.post("/access/ask", data=data)


def no_canary(text: str, typed: str = "") -> None:
    """No word of the record in `text`, except the identifier the reader typed (echoed back)."""
    text = html.unescape(text)
    for echoed in (typed, normalize.identifier(typed), " ".join(names.parts(typed))) if typed else ():
        text = text.replace(echoed, "")
    for word in (*CANARIES, "Rahimov", "Akmalovich", "1234567", "111 22 33", "901112233", "1980"):
        at = text.lower().find(word.lower())
        assert at < 0, f"{word} leaked: {text[at - 30 : at + 30]!r}"
