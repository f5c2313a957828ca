"""The identities a person signs in with from elsewhere: the learning platforms that launched them (django-lti's
platform users, with the names and e-mail the platform gave), for their archive; erasure removes the same."""

from lti_tool.models import LtiUser

from accounts.models import User


def platform_identities(*, student: User):
    return LtiUser.objects.filter(auth_user=student).select_related("registration")


def identities_of(*, student: User) -> list[dict]:
    return [
        {
            "platform": identity.registration.name,
            "issuer": identity.registration.issuer,
            "id_on_platform": identity.sub,
            "name": identity.name,
            "given_name": identity.given_name,
            "family_name": identity.family_name,
            "email": identity.email,
            "first_seen": identity.datetime_created,
        }
        for identity in platform_identities(student=student)
    ]
