"""Helpers for the tests of planned operations: form data, a plan through the page, and generated pairs of
plans whose conflict (or its absence) is known in advance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ops import clock

KM_LAT = 1 / 111.195  # degrees of latitude per km (the haversine's sphere)


def local(moment) -> str:
    """A datetime-local value in Asia/Tashkent (the users' default zone, UTC+5)."""
    return (moment + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")


def form(team, **overrides) -> dict:
    start = clock.now() + timedelta(days=1)
    data = {
        "kind": "joint_raid",
        "team_id": str(team.id),
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=6)),
        "place_code": "",
        "lat": "",
        "lon": "",
        "radius_km": "",
        "plates": "",
        "documents": "",
        "phones": "",
        "names": "",
        "duty_contact": "Duty desk +998 71 200 00 00",
    }
    data.update(overrides)
    return data


def post_plan(client, team, **overrides):
    return client.post("/plans/new", data=form(team, **overrides))


@dataclass(frozen=True)
class PlannedPair:
    """Two plans built so that they conflict exactly when `overlap and (touch or shared)`."""

    index: int
    overlap: bool
    touch: bool
    shared: bool
    same_agency: bool
    with_place: bool = True

    @property
    def conflicts(self) -> bool:
        return self.overlap and ((self.touch and self.with_place) or self.shared)

    def forms(self, team_a, team_b) -> tuple[dict, dict]:
        lat, lon = 30.0 + self.index * 2.5, 60.0 + (self.index % 4) * 0.5  # pairs far apart (> 200 km)
        start = clock.now() + timedelta(days=2)
        b_start = start + (timedelta(hours=3) if self.overlap else timedelta(hours=7))
        distance = 3.0 if self.touch else 5.0  # radii 2 + 2 km: 3 km apart touch, 5 km apart do not
        a = form(team_a, starts_at=local(start), ends_at=local(start + timedelta(hours=6)))
        b = form(team_b, starts_at=local(b_start), ends_at=local(b_start + timedelta(hours=6)))
        if self.with_place:
            a.update(lat=str(lat), lon=str(lon), radius_km="2")
            b.update(lat=str(lat + distance * KM_LAT), lon=str(lon), radius_km="2")
        a["plates"] = f"01A{self.index:03d}AA"
        b["plates"] = f"01A{self.index:03d}AA" if self.shared else f"02B{self.index:03d}BB"
        return a, b


def generated_pairs() -> list[PlannedPair]:
    """Every combination of time overlap × distance × shared target × across/within an agency, and target-only."""
    pairs, index = [], 0
    for same_agency in (False, True):
        for overlap in (True, False):
            for touch in (True, False):
                for shared in (True, False):
                    pairs.append(PlannedPair(index, overlap, touch, shared, same_agency))
                    index += 1
            for shared in (True, False):
                pairs.append(PlannedPair(index, overlap, False, shared, same_agency, with_place=False))
                index += 1
    return pairs
