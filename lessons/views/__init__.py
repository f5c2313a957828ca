"""The teacher's pages, one module per job: authoring, files, classes, review, progress.

Each view checks who may do what (through `access` and the selectors' querysets) and makes one call.
"""
