"""A team always keeps an owner: its last owner cannot demote or remove themself."""

import re

from coproduce.extensions import db
from coproduce.models import Membership, Role
from coproduce.testing import sign_in


def owner_membership(app, user_id):
    with app.app_context():
        return db.session.execute(db.select(Membership).where(Membership.user_id == user_id)).scalar_one().id


def role_of(app, membership_id):
    with app.app_context():
        membership = db.session.get(Membership, membership_id)
        return membership.role if membership else None


def test_last_owner_cannot_demote_themself_and_is_told_beside_the_role(app, people):
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    mine = owner_membership(app, people["owner"])
    response = owner.post(
        "/t/youth/manage/members", data={"email": "owner@example.org", "display_name": "Owner", "role": "member"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="#role"' in page
    assert re.search(r'id="role-error"[^>]*>.*A team needs at least one owner', page, re.S)
    assert role_of(app, mine) == Role.OWNER.value


def test_last_owner_cannot_remove_themself_and_is_told_beside_the_button(app, people):
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    mine = owner_membership(app, people["owner"])
    response = owner.post(f"/t/youth/manage/members/{mine}/remove")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="#remove-{mine}"' in page and f'id="remove-{mine}-error"' in page
    assert "A team needs at least one owner" in page
    assert role_of(app, mine) == Role.OWNER.value


def test_with_a_second_owner_the_first_can_step_down(app, people):
    owner = app.test_client()
    sign_in(owner, "owner@example.org")
    owner.post("/t/youth/manage/members", data={"email": "member@example.org", "display_name": "M", "role": "owner"})
    mine = owner_membership(app, people["owner"])
    response = owner.post(
        "/t/youth/manage/members", data={"email": "owner@example.org", "display_name": "Owner", "role": "member"}
    )
    assert response.status_code == 302
    assert role_of(app, mine) == Role.MEMBER.value
