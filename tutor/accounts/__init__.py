"""Accounts: users with a role (student, teacher, staff), sign-up and the auth pages."""
