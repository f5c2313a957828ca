"""Reads for people."""

from django.db.models import Value
from django.db.models.functions import Coalesce, Lower, NullIf

# People in the order their names are shown: first name, else username (User.display_name's rule).
BY_NAME = (Lower(Coalesce(NullIf("first_name", Value("")), "username")), "username")
