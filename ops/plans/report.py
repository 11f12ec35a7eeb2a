"""From plan to report: an operation draft's form filled from the plan (place, time, team, targets).

The form posts to the operation form's own route (operations.new), so a report made from a plan is
checked and saved exactly as any other; nothing is saved until the user saves the draft.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from ops import vocab
from ops.models_plans import Plan, PlanTarget
from ops.operations.fields import user_zone


def formdata(plan: Plan, targets: list[PlanTarget], agency_id: int) -> MultiDict:
    """What the operation form would receive, had the user typed the plan into it."""
    data = MultiDict(
        {
            "op_type": vocab.PLAN_KIND_OPERATION_TYPES.get(plan.kind, "other"),
            "started_at": _local(plan.starts_at),
            "ended_at": _local(plan.ends_at),
            "owner_team_id": str(plan.owner_team_id),
            "lead_team_id": str(plan.owner_team_id),
            "participants": str(agency_id),
        }
    )
    if plan.place_code:
        data["place_code"] = plan.place_code
    elif plan.lat is not None:
        data["lat"], data["lon"] = f"{plan.lat:.6f}", f"{plan.lon:.6f}"
    persons = [t for t in targets if t.kind != "plate"]
    for index, target in enumerate(persons):
        field = {"name": "full_name", "document": "document_number", "phone": "phones"}[target.kind]
        data[f"persons-{index}-{field}"] = target.typed
    for index, target in enumerate(t for t in targets if t.kind == "plate"):
        data[f"vehicles-{index}-plate"] = target.typed
    return data


def _local(moment) -> str:
    return moment.astimezone(user_zone()).strftime("%Y-%m-%dT%H:%M")
