"""The SPARQL 1.1 Protocol, apart from any web framework.

`protocol` reads a query operation and runs it over the requested dataset, `negotiate` picks a
representation from the Accept header, `results` writes it. `kg.web.sparql` only wires the three
to Flask, so each rule is unit-tested without HTTP.
"""

from kg.sparql.negotiate import GRAPHS, RESULTS, Choice, choose
from kg.sparql.protocol import QueryRequest, execute, parse_query_request
from kg.sparql.results import serialize, table_for

__all__ = [
    "GRAPHS",
    "RESULTS",
    "Choice",
    "QueryRequest",
    "choose",
    "execute",
    "parse_query_request",
    "serialize",
    "table_for",
]
