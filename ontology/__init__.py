"""The ontology modules and reference data (Turtle), shipped in the wheel as the package kg.ontology.

This file only makes the folder a package, so that kg finds the Turtle files with importlib.resources
wherever it is installed (see kg/config.py and pyproject.toml).
"""
