"""Signing in with the school's accounts against a real OpenID provider running beside the tests (django-oauth-
toolkit in its own process, tests/fakes/oidc_provider/): the first sign-in creates the account with its role; a
refused domain, an id_token with a bad signature and a replayed or foreign state are each answered with a page that
says why, and create nobody; signing out ends the provider's session too."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from accounts.oidc.discovery import provider_metadata
from tests.conftest import make_user
from tests.fakes.oidc_provider.process import USERS, oidc_provider

from .provider_browser import sign_in_at_provider

pytestmark = pytest.mark.django_db
LEA, ROUX, OUTSIDER = USERS


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    with oidc_provider(tmp_path_factory.mktemp("oidc-provider"), tool_url="http://testserver") as running:
        yield running


@pytest.fixture
def school(settings, provider):
    """This site configured for the provider, as an operator's environment does (config/settings/sign_in.py)."""
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = "language-tutor"
    settings.OIDC_RP_CLIENT_SECRET = "tutor-secret-of-the-school"
    settings.OIDC_PROVIDER_NAME = "École Test"
    settings.OIDC_ALLOWED_DOMAINS = ["school.example"]
    settings.OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [
        "accounts.oidc.backend.SchoolSignIn",
        "django.contrib.auth.backends.ModelBackend",
        "accounts.backends.SignedInElsewhere",
    ]
    provider.tamper(False)
    provider_metadata.cache_clear()
    return provider


def start(client: Client) -> str:
    """The login page's button: our redirect to the provider's authorization endpoint."""
    response = client.get(reverse("oidc_start"))
    assert response.status_code == 302
    return response.url


def sign_in(client: Client, person: dict) -> tuple:
    callback = sign_in_at_provider(start(client), person["username"], person["password"])
    return client.get(callback), callback


def test_the_login_page_offers_the_schools_sign_in(client, school):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with École Test" in page and reverse("oidc_start") in page


def test_a_student_signs_in_and_their_account_is_created_as_a_student(client, school):
    response, _ = sign_in(client, LEA)
    assert response.status_code == 302 and response.url == reverse("home")
    user = User.objects.get(email=LEA["email"])
    assert (user.role, user.first_name, user.last_name) == (Role.STUDENT, "Léa", "Moreau")
    assert not user.has_usable_password() and get_user(client.get(reverse("home")).wsgi_request) == user


def test_a_teacher_signs_in_as_a_teacher(client, school):
    response, _ = sign_in(client, ROUX)
    assert response.status_code == 302
    assert User.objects.get(email=ROUX["email"]).role == Role.TEACHER
    assert client.get(reverse("teach:lesson_list")).status_code == 200


def test_a_second_sign_in_is_the_same_account(school):
    sign_in(Client(), LEA)
    sign_in(Client(), LEA)
    assert User.objects.filter(email__iexact=LEA["email"]).count() == 1


def test_an_existing_account_with_the_same_address_is_the_one_signed_in(client, school):
    existing = make_user("lea-local", first_name="Léa")
    User.objects.filter(pk=existing.pk).update(email=LEA["email"])
    sign_in(client, LEA)
    assert get_user(client.get(reverse("home")).wsgi_request).pk == existing.pk


def refusal(response, code: str) -> None:
    assert response.status_code == 403, response.content
    assert f'data-refusal="{code}"' in response.content.decode()


def test_an_address_outside_the_schools_domains_is_refused_and_creates_nobody(client, school):
    before = User.objects.count()
    response, _ = sign_in(client, OUTSIDER)
    refusal(response, "domain")
    assert "not one of the school" in response.content.decode()
    assert User.objects.count() == before and not get_user(response.wsgi_request).is_authenticated


def test_an_id_token_with_a_bad_signature_is_refused_and_creates_nobody(client, school):
    school.tamper(True)
    before = User.objects.count()
    response, _ = sign_in(client, LEA)
    refusal(response, "token")
    assert User.objects.count() == before and not User.objects.filter(email=LEA["email"]).exists()


def test_a_replayed_callback_is_refused(client, school):
    first, callback = sign_in(client, LEA)
    assert first.status_code == 302
    refusal(client.get(callback), "state")  # the same browser, the same answer again
    refusal(Client().get(callback), "state")  # another browser that caught the answer
    assert User.objects.filter(email=LEA["email"]).count() == 1


def test_a_callback_with_a_state_never_issued_here_is_refused(client, school):
    callback = sign_in_at_provider(start(Client()), LEA["username"], LEA["password"])
    refusal(client.get(callback), "state")
    assert not User.objects.filter(email=LEA["email"]).exists()


def test_the_provider_saying_no_is_answered_with_a_page(client, school):
    auth_url = start(client)
    state = parse_qs(urlsplit(auth_url).query)["state"][0]
    refusal(client.get(reverse("oidc_callback"), {"error": "access_denied", "state": state}), "cancelled")


def test_signing_out_ends_the_sites_session_and_the_providers(client, school):
    at_provider = requests.Session()
    callback = sign_in_at_provider(start(client), LEA["username"], LEA["password"], session=at_provider)
    client.get(callback)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url.startswith(f"{school.issuer}/logout/")
    assert "id_token_hint" in response.url
    assert not get_user(client.get(reverse("home")).wsgi_request).is_authenticated
    back = at_provider.get(response.url, allow_redirects=False, timeout=15)
    assert back.status_code == 302 and back.headers["Location"] == "http://testserver/"
    again = at_provider.get(start(Client()), allow_redirects=False, timeout=15)
    assert "/login/" in again.headers["Location"]  # the provider asks for the password again


def test_with_local_passwords_off_only_the_schools_sign_in_is_offered(client, school, settings, student):
    settings.LOCAL_PASSWORDS = False
    settings.AUTHENTICATION_BACKENDS = ["accounts.oidc.backend.SchoolSignIn", "accounts.backends.SignedInElsewhere"]
    page = client.get(reverse("login")).content.decode()
    assert reverse("oidc_start") in page and 'name="password"' not in page
    refused = client.post(reverse("login"), {"username": student.username, "password": "a-long-test-password"})
    assert not get_user(refused.wsgi_request).is_authenticated
    for name in ("password_reset", "sign_up"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url == reverse("login")
    response, _ = sign_in(client, LEA)
    assert response.status_code == 302 and User.objects.filter(email=LEA["email"]).exists()


def test_without_a_provider_the_sign_in_routes_are_not_there(client):
    assert client.get(reverse("oidc_start")).status_code == 404
    assert client.get(reverse("oidc_callback"), {"code": "x", "state": "y"}).status_code == 404
