"""Forms of the lesson and class pages, one module per subject. They validate and shape input; the
services do the writing."""
