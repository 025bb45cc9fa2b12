"""Team owners manage their members in the admin, without seeing the site's accounts."""

import pytest
from django.urls import reverse

from strategy import teams
from strategy.models import Membership, Role

from .factories import make_team, make_user
from .test_admin import form_data, staff_member


@pytest.fixture
def team_owner(client, team):
    user = staff_member(team, Role.OWNER)
    client.force_login(user)
    return user


def add_member(client, team, member, role=Role.EDITOR):
    return client.post(
        reverse("admin:strategy_membership_add"),
        {"team": team.pk, "member": member, "role": role},
    )


def test_the_add_page_lists_nobody_of_the_site(client, team, team_owner):
    make_user("someone-elsewhere", email="someone@example.org")
    page = client.get(reverse("admin:strategy_membership_add")).content.decode()
    assert "someone-elsewhere" not in page
    assert 'name="member"' in page
    assert "<select" in page  # the team and the role, nothing else
    assert page.count("<select") == 2


def test_an_owner_adds_a_person_by_username_or_e_mail(client, team, team_owner):
    make_user("lea", email="lea.muller@example.ch")
    response = add_member(client, team, "Lea.Muller@example.ch", Role.REVIEWER)
    assert response.status_code == 302
    assert team.memberships.get(user__username="lea").role == Role.REVIEWER


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ("ghost", "Nobody has this username or e-mail address."),
        ("editor", "This person is a member of the team already."),
    ],
)
def test_adding_someone_unknown_or_present_is_refused_next_to_the_field(
    client, team, team_owner, member, message
):
    response = add_member(client, team, member)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["member"] == [message]


def test_a_shared_e_mail_address_asks_for_the_username(client, team, team_owner):
    make_user("marc", email="info@example.ch")
    make_user("marie", email="info@example.ch")
    response = add_member(client, team, "info@example.ch")
    assert response.context["adminform"].form.errors["member"] == [
        "Several people have this e-mail address: give the username instead."
    ]


def test_an_owner_cannot_add_to_a_team_they_do_not_own(client, team, team_owner):
    member_elsewhere = make_team("Marketing", members=[(team_owner, Role.EDITOR)])
    make_user("lea")
    response = add_member(client, member_elsewhere, "lea")
    assert response.status_code == 200
    assert "team" in response.context["adminform"].form.errors
    assert not member_elsewhere.memberships.filter(user__username="lea").exists()


def test_the_last_owner_stays_owner(client, team):
    owner_membership = team.memberships.get(role=Role.OWNER)
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    url = reverse("admin:strategy_membership_change", args=[owner_membership.pk])
    response = client.post(url, {"role": Role.EDITOR})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["role"] == [
        str(teams.KEEP_AN_OWNER)
    ]
    owner_membership.refresh_from_db()
    assert owner_membership.role == Role.OWNER
    delete = reverse("admin:strategy_membership_delete", args=[owner_membership.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=owner_membership.pk).exists()


def test_nobody_gives_themselves_more_rights(team):
    editor = team.memberships.get(role=Role.EDITOR)
    raising = "Nobody can give themselves more rights in a team."
    for role in (Role.OWNER, Role.REVIEWER):
        problem = teams.role_change_problem(
            membership=editor, new_role=role, by=editor.user
        )
        assert problem == raising
    assert not teams.role_change_problem(
        membership=editor, new_role=Role.VIEWER, by=editor.user
    )
    editor.user.is_superuser = True
    assert not teams.role_change_problem(
        membership=editor, new_role=Role.OWNER, by=editor.user
    )


def team_page_data(client, team):
    response = client.get(reverse("admin:strategy_team_change", args=[team.pk]))
    return form_data(response)


def member_rows(data):
    """The index of each member's row in the team page's data, by username."""
    return {
        value: key.split("-")[1]
        for key, value in data.items()
        if key.startswith("memberships-") and key.endswith("-member")
    }


def test_an_owner_changes_roles_and_adds_people_on_the_team_page(
    client, team, team_owner
):
    make_user("lea")
    data = team_page_data(client, team)
    rows = member_rows(data)
    data[f"memberships-{rows['viewer']}-role"] = Role.EDITOR
    new = data["memberships-TOTAL_FORMS"]
    data.update(
        {
            f"memberships-{new}-member": "lea",
            f"memberships-{new}-role": Role.VIEWER,
            "memberships-TOTAL_FORMS": str(int(new) + 1),
        }
    )
    response = client.post(reverse("admin:strategy_team_change", args=[team.pk]), data)
    assert response.status_code == 302
    assert team.memberships.get(user__username="viewer").role == Role.EDITOR
    assert team.memberships.get(user__username="lea").role == Role.VIEWER


def test_the_team_page_keeps_an_owner_however_many_roles_change(
    client, team, team_owner
):
    data = team_page_data(client, team)
    for index in member_rows(data).values():
        data[f"memberships-{index}-role"] = Role.EDITOR
    response = client.post(reverse("admin:strategy_team_change", args=[team.pk]), data)
    assert response.status_code == 200
    assert set(
        team.memberships.filter(role=Role.OWNER).values_list(
            "user__username", flat=True
        )
    ) == {"owner", team_owner.username}


def test_the_team_page_refuses_the_same_person_twice(client, team, team_owner):
    make_user("lea")
    data = team_page_data(client, team)
    total = int(data["memberships-TOTAL_FORMS"])
    for index in (total, total + 1):
        data[f"memberships-{index}-member"] = "lea"
        data[f"memberships-{index}-role"] = Role.VIEWER
    data["memberships-TOTAL_FORMS"] = str(total + 2)
    response = client.post(reverse("admin:strategy_team_change", args=[team.pk]), data)
    assert response.status_code == 200
    assert not team.memberships.filter(user__username="lea").exists()


def test_a_viewer_sees_the_members_but_changes_nothing(client, team):
    viewer = staff_member(team, Role.VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("admin:strategy_team_change", args=[team.pk]))
    html = page.content.decode()
    assert "owner" in html and "editor" in html
    assert 'name="name"' not in html
    assert 'name="memberships-0-role"' not in html
