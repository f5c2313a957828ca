"""A learning platform simulated with its own keys (tests/fakes/lti_platform.py), registered here as an operator
would, and the launches a browser makes between the two."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from lti_tool.models import Key, LtiDeployment, LtiRegistration

from tests.fakes.lti_platform import INSTRUCTOR, LEARNER, Person, SimulatedPlatform

TEACHER = Person("platform-teacher-1", "Hélène", "Durand", "helene@school.example", [INSTRUCTOR])
STUDENT = Person("platform-student-7", "Louis", "Martin", "louis@school.example", [LEARNER])
COURSE = ("course-42", "French 2nd year")


@pytest.fixture
def platform(db):
    """The platform, serving its JWKS, token and score endpoints; registered, its deployment switched on."""
    simulated = SimulatedPlatform().start()
    Key.objects.generate()
    registration = LtiRegistration.objects.create(name="School Moodle", **simulated.registration())
    LtiDeployment.objects.create(registration=registration, deployment_id=simulated.deployment_id, is_active=True)
    simulated.tool_jwks = Key.objects.as_jwks()
    yield simulated
    simulated.stop()


def launch(client, platform: SimulatedPlatform, person: Person, claims: dict, **authorize):
    """A launch as the browser makes it: the platform's login initiation to the tool, the tool's redirect to the
    platform's authorization endpoint, the platform's form post of the id_token to the tool. Returns the tool's
    answer to that post (and the form, to replay it)."""
    target = "http://testserver" + reverse("lti:launch")
    started = client.post(reverse("lti:login"), platform.login_initiation(person=person, target_link_uri=target))
    assert started.status_code == 302, started.content
    form = platform.authorize(started.url, claims, **authorize)
    assert form["redirect_uri"] == target
    return client.post(
        urlsplit(form["redirect_uri"]).path, {"id_token": form["id_token"], "state": form["state"]}
    ), form


def deep_link(client, platform: SimulatedPlatform, lesson) -> object:
    """The teacher adds `lesson` to the course from the platform; returns the platform's new link."""
    claims = platform.deep_linking_claims(
        person=TEACHER, course_id=COURSE[0], title=COURSE[1], return_url=f"{platform.url}/deep-link-return"
    )
    response, _ = launch(client, platform, TEACHER, claims)
    assert response.status_code == 302 and response.url == reverse("lti:deep_link"), response.content
    chosen = client.post(reverse("lti:deep_link"), {"lesson": lesson.pk})
    assert chosen.status_code == 200, chosen.content
    return platform.deep_link_return(chosen.context["jwt"], course_id=COURSE[0])


def student_launch(client, platform: SimulatedPlatform, link, person: Person = STUDENT, **authorize):
    claims = platform.resource_claims(person=person, link=link, target="http://testserver" + reverse("lti:launch"))
    return launch(client, platform, person, claims, **authorize)
