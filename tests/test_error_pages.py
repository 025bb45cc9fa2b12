"""The pages that say something went wrong speak the product's words, not Django's."""

import pytest
from django.template import loader
from django.urls import reverse


def test_an_unknown_page_says_it_may_be_another_teams(client, owner):
    client.force_login(owner)
    response = client.get("/concepts/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "belongs to a team you are not a member of" in page


def test_a_request_over_the_size_limit_is_refused_with_a_page(
    client, team, owner, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(owner)
    client.raise_request_exception = False
    response = client.post(reverse("strategy:markdown_preview"), {"text": "x" * 5000})
    assert response.status_code == 400
    assert "too large or incomplete, so nothing was saved" in response.content.decode()


@pytest.mark.parametrize("language", ["de", "fr", "it"])
def test_the_server_error_page_needs_no_request_and_is_translated(language, settings):
    from django.utils import translation

    with translation.override(language):
        page = loader.get_template("500.html").render()
    assert f'lang="{language}"' in page
    assert "Something went wrong" not in page
