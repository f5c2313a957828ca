"""Lessons, classes and assignments: what students practise and who teaches them."""
