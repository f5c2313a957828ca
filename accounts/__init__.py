"""Accounts: users with a role (student, teacher, staff), and the pages to log in and manage a password."""
