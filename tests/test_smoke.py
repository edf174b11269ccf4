import pytest
from django.core.management import call_command
from django.urls import reverse


@pytest.mark.django_db
def test_login_page_renders_in_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
