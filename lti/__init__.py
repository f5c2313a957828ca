"""LTI 1.3: launched from a school's learning platform (Moodle, Canvas, …). A teacher adds a lesson to a course
(deep linking), a student's launch lands signed in on the lesson in the course's class, and the score of each
session goes back to the platform's gradebook (Assignment and Grade Services). docs/deploy.md tells the operator how."""
