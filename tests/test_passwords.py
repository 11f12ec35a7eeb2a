"""The password rules (length, common passwords, user name) and argon2id hashing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from ops import passwords
from ops.models import User
from tests.support.accounts import PASSWORD


@pytest.fixture
def rules(app):
    with app.test_request_context():  # messages are translated
        yield passwords.password_problem


@pytest.mark.parametrize(
    "candidate, message",
    [
        ("", "at least 12 characters"),
        ("Tr0ub4dor&3", "at least 12 characters"),  # 11 characters
        ("x" * 257, "at most 256 characters"),
        ("password1234", "commonly used passwords"),
        ("PASSWORD1234", "commonly used passwords"),  # the list is compared without case
        ("qwertyuiop123", "commonly used passwords"),
        ("officer.bakirov-2026", "must not contain the user name"),
    ],
)
def test_bad_passwords_are_refused_with_the_reason(rules, candidate, message):
    problem = rules(candidate, "officer.bakirov")
    assert problem is not None and message in problem


@pytest.mark.parametrize("candidate", ["blue-Harbour-lantern-42", "x" * 12, "дорога-на-Термез", "y" * 256])
def test_good_passwords_pass(rules, candidate):
    assert rules(candidate, "officer.bakirov") is None


def test_the_common_password_list_ships_with_the_app():
    common = passwords.common_passwords()
    assert len(common) > 10_000 and "password1234" in common and "qwertyuiop123" in common


def test_generated_passwords_pass_the_rules(rules):
    for _ in range(50):
        assert rules(passwords.generate_password(), "someone") is None


def test_hashes_are_argon2id_and_verify(app):
    stored = passwords.hash_password(PASSWORD)
    assert stored.startswith("$argon2id$")
    assert passwords.verify_password(stored, PASSWORD)
    assert not passwords.verify_password(stored, PASSWORD + "x")
    assert not passwords.verify_password("not a hash", PASSWORD)


def test_an_old_hash_is_upgraded_at_sign_in(client, db, make_user):
    from argon2 import PasswordHasher

    user = make_user()
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user.password_hash = weak
    db.add(user)
    db.commit()
    assert passwords.needs_rehash(weak)
    client.post("/login", data={"username": user.username, "password": PASSWORD})
    db.expire_all()
    upgraded = db.exec(select(User).where(User.id == user.id)).one().password_hash
    assert upgraded != weak and not passwords.needs_rehash(upgraded)


def test_a_new_password_on_the_account_page_follows_the_rules(client, db, make_user, login_as):
    user = make_user(username="officer.bakirov")
    login_as(user)
    before = db.get(User, user.id).password_hash
    for bad in ("short-one", "password1234", "officer.bakirov!!"):
        response = client.post(
            "/account",
            data={"which": "password", "pw-current_password": PASSWORD, "pw-new_password": bad, "pw-confirm": bad},
        )
        assert response.status_code == 400, bad
    db.expire_all()
    assert db.get(User, user.id).password_hash == before
