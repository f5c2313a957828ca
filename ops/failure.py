"""Why a smoke check failed, said in words an operator can act on."""


class SmokeFailure(Exception):
    """Raised with the reason `make smoke` prints beside FAIL."""
