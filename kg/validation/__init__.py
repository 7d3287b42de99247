"""SHACL validation: shapes loading, the two engines (pySHACL and the compiled one), reports.

result: the Finding/ValidationResult values every engine returns.
values, compile, engine: the compiled engine (value tests, shapes -> checks and SPARQL, the run).
shacl: loading shapes, pySHACL runs, validating one article with its context.
checks, inputs: validating RDF files and whole stores for `kg validate`.
report: the result as text, JSON, Turtle or JUnit XML.
"""
