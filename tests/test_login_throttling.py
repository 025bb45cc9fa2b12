"""Login throttling: five wrong passwords lock a username from one address for a while,
on the app's login and the admin's; a superuser unlocks."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from strategy.throttling import client_ip_address

from .factories import make_user

ADDRESS = "203.0.113.5"
OTHER_ADDRESS = "198.51.100.7"
LOCKED = "Too many wrong passwords"

LOGIN_PAGES = pytest.mark.parametrize("login_url", ["/login/", "/admin/login/"])


@pytest.fixture
def member(db):
    """Staff, so that the admin's login lets them in too."""
    return make_user("member", is_staff=True)


def log_in(client, login_url, username, password, address=ADDRESS, **headers):
    return client.post(
        login_url,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, login_url, username="member", times=5, address=ADDRESS, **headers):
    """Wrong passwords; the answer to the last."""
    for _ in range(times):
        response = log_in(client, login_url, username, "wrong", address, **headers)
    return response


def is_logged_in(client):
    return "_auth_user_id" in client.session


def move_attempts_back(minutes):
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=minutes)
        attempt.save()


@LOGIN_PAGES
def test_five_wrong_passwords_lock_the_username_from_that_address(
    client, member, login_url
):
    for _ in range(4):
        assert fail(client, login_url, times=1).status_code == 200  # the form again
    assert fail(client, login_url, times=1).status_code == 429  # the fifth locks

    response = log_in(client, login_url, "member", "pw-member")

    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    html = response.content.decode()
    assert LOCKED in html
    assert "15 minutes" in html
    assert "Strategy studio" in html  # the app's page, whichever login it was
    assert f'href="{login_url}"' in html
    assert not is_logged_in(client)


@LOGIN_PAGES
def test_four_wrong_passwords_do_not_lock(client, member, login_url):
    fail(client, login_url, times=4)
    assert log_in(client, login_url, "member", "pw-member").status_code == 302
    assert is_logged_in(client)


@LOGIN_PAGES
def test_another_address_or_another_username_is_not_locked(client, member, login_url):
    make_user("colleague", is_staff=True)
    fail(client, login_url)

    from_elsewhere = log_in(client, login_url, "member", "pw-member", OTHER_ADDRESS)
    assert from_elsewhere.status_code == 302
    client.logout()
    colleague = log_in(client, login_url, "colleague", "pw-colleague")
    assert colleague.status_code == 302


def test_the_lock_ends_after_the_cool_off(client, member):
    fail(client, "/login/")

    move_attempts_back(minutes=14)
    assert log_in(client, "/login/", "member", "pw-member").status_code == 429

    move_attempts_back(minutes=2)
    assert log_in(client, "/login/", "member", "pw-member").status_code == 302


def test_tries_during_a_lock_neither_count_nor_extend_it(client, member):
    fail(client, "/login/")
    move_attempts_back(minutes=10)

    for password in ("wrong", "pw-member"):
        assert log_in(client, "/login/", "member", password).status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == 5

    move_attempts_back(minutes=6)
    assert log_in(client, "/login/", "member", "pw-member").status_code == 302


def test_a_successful_login_resets_the_count(client, member):
    fail(client, "/login/", times=4)
    assert log_in(client, "/login/", "member", "pw-member").status_code == 302
    assert not AccessAttempt.objects.exists()

    client.logout()
    fail(client, "/login/", times=4)  # eight in all, four since the success
    assert log_in(client, "/login/", "member", "pw-member").status_code == 302


def test_a_superuser_unlocks_by_deleting_the_attempt_in_the_admin(client, member):
    fail(client, "/admin/login/")
    attempt = AccessAttempt.objects.get(username="member", ip_address=ADDRESS)
    admin = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:axes_accessattempt_changelist") in index
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "member" in listing.content.decode()
    page = reverse("admin:axes_accessattempt_change", args=[attempt.pk])
    assert client.get(page).status_code == 200
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()

    assert log_in(client, "/admin/login/", "member", "pw-member").status_code == 302


def test_the_reset_command_unlocks_a_username(client, member):
    fail(client, "/login/")
    call_command("axes_reset_username", "member", stdout=io.StringIO())
    assert log_in(client, "/login/", "member", "pw-member").status_code == 302


def test_staff_who_are_not_superusers_cannot_see_or_change_the_attempts(client, member):
    fail(client, "/login/")
    attempt = AccessAttempt.objects.get()
    staff = make_user("staff", is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(content_type__app_label="axes")
    )
    client.force_login(staff)

    index = client.get(reverse("admin:index")).content.decode()
    assert "accessattempt" not in index
    assert client.get(reverse("admin:app_list", args=["axes"])).status_code == 404
    for name in ("changelist", "add"):
        assert (
            client.get(reverse(f"admin:axes_accessattempt_{name}")).status_code == 403
        )
    for name in ("change", "history", "delete"):
        url = reverse(f"admin:axes_accessattempt_{name}", args=[attempt.pk])
        assert client.get(url).status_code == 403
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk_delete = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert bulk_delete.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_the_test_clients_login_shortcut_still_works(client, member):
    """It has no request to throttle by (tests/conftest.py)."""
    assert client.login(username="member", password="pw-member")
    assert not client.login(username="member", password="wrong")


# Which address a login comes from ---------------------------------------------


def request_from(address, **headers):
    return RequestFactory().post("/login/", REMOTE_ADDR=address, **headers)


def test_without_a_proxy_the_connection_address_counts_whatever_the_headers():
    request = request_from(ADDRESS, HTTP_X_FORWARDED_FOR=OTHER_ADDRESS)
    assert client_ip_address(request) == ADDRESS


def test_behind_a_proxy_the_address_it_added_to_its_header_counts(settings):
    settings.BEHIND_PROXY = True
    proxy = "10.0.0.2"
    # The client sent the first address itself; the proxy appended the second.
    request = request_from(proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {ADDRESS}")
    assert client_ip_address(request) == ADDRESS
    for header in ("", "not an address", f"{ADDRESS}, "):
        request = request_from(proxy, HTTP_X_FORWARDED_FOR=header)
        assert client_ip_address(request) == proxy, header
    assert client_ip_address(request_from(proxy)) == proxy


def test_behind_a_proxy_the_header_can_be_another(settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_CLIENT_IP_HEADER = "X-Real-IP"
    request = request_from("10.0.0.2", HTTP_X_REAL_IP=ADDRESS)
    assert client_ip_address(request) == ADDRESS


def test_without_a_proxy_a_forged_header_does_not_escape_the_lock(client, member):
    for number in range(5):
        forged = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{number}"}
        fail(client, "/login/", times=1, **forged)
    assert log_in(client, "/login/", "member", "pw-member").status_code == 429


def test_behind_a_proxy_each_client_is_locked_on_its_own(client, member, settings):
    settings.BEHIND_PROXY = True
    proxy = "10.0.0.2"
    fail(client, "/login/", address=proxy, HTTP_X_FORWARDED_FOR=ADDRESS)

    locked = log_in(
        client, "/login/", "member", "pw-member", proxy, HTTP_X_FORWARDED_FOR=ADDRESS
    )
    assert locked.status_code == 429
    other = log_in(
        client,
        "/login/",
        "member",
        "pw-member",
        proxy,
        HTTP_X_FORWARDED_FOR=OTHER_ADDRESS,
    )
    assert other.status_code == 302
