"""Commands for whoever runs the site: checks of a deployment's configuration (`make smoke`)."""
