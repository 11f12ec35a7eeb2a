"""The demo holds a realistic register (two handovers, four agencies) and its use on approved operations."""

from __future__ import annotations

from sqlalchemy import func, select

from ops.models import Agency, Operation, User
from ops.models_equipment import Donor, EquipmentItem, HandoverBatch, OperationEquipment


def test_demo_register_and_use(runner, db):
    first = runner.invoke(args=["demo", "--records", "600"])
    assert first.exit_code == 0, first.output
    batches = db.execute(select(HandoverBatch)).scalars().all()
    assert len({b.handed_over_on for b in batches}) == 2 and len({b.agency_id for b in batches}) == 4
    assert db.execute(select(func.count()).select_from(Donor)).scalar_one() == 2
    statuses = set(db.execute(select(EquipmentItem.status)).scalars())
    assert {"in_service", "in_repair", "lost", "written_off"} <= statuses
    used = db.execute(
        select(OperationEquipment.operation_id, Operation.status, EquipmentItem.status)
        .join(Operation, Operation.id == OperationEquipment.operation_id)
        .join(EquipmentItem, EquipmentItem.id == OperationEquipment.item_id)
    ).all()
    assert len(used) > 20 and {status for _op, status, _item in used} == {"approved"}
    officer = db.execute(select(User).where(User.role == "programme_officer")).scalars().one()
    assert db.get(Agency, officer.agency_id).is_programme
    second = runner.invoke(args=["demo", "--records", "600"])
    assert "0 handover batches registered" in second.output and "0 items ticked" in second.output
    assert db.execute(select(func.count()).select_from(OperationEquipment)).scalar_one() == len(used)
