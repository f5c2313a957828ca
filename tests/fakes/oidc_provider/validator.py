"""The claims a school's provider gives: e-mail (verified), names, and the role from the user's group."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class SchoolValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "role": "profile"}

    def get_additional_claims(self, request) -> dict:
        user = request.user
        group = user.groups.order_by("name").first()
        return {
            "email": user.email,
            "email_verified": True,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "role": group.name if group else "",
        }
