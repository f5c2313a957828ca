"""Protocol-faithful fake servers for the providers, and a scripted in-memory provider."""
