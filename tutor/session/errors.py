"""What a student is told when the tutor service fails: plain words by code. The provider's own
message (URLs, status codes, errno) goes to the log only; the page translates these codes itself."""

STUDENT_MESSAGES = {
    "provider_unavailable": (
        "The tutor can't be reached right now. Everything said so far is saved: try again in a few minutes."
    ),
    "provider_refused": (
        "The tutor service turned this session down. Everything said so far is saved; the site's "
        "administrator can see what to fix in the server's log."
    ),
}


def student_message(code: str) -> str:
    return STUDENT_MESSAGES.get(code, STUDENT_MESSAGES["provider_unavailable"])
