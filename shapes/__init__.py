"""The SHACL shapes (Turtle), shipped in the wheel as the package kg.shapes.

This file only makes the folder a package, so that kg finds the shapes with importlib.resources
wherever it is installed (see kg/config.py and pyproject.toml).
"""
