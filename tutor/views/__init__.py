"""Pages and endpoints of the tutor app; each module serves one audience or job."""
