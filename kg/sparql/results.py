"""Write a query's answer in the negotiated format, with pyoxigraph's own serializers.

pyoxigraph's writers follow the W3C result formats exactly (JSON, XML, CSV, TSV) and its RDF
writers cover every graph format we offer, so nothing here formats a term by hand.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.namespaces import PREFIX_IRIS
from kg.sparql.negotiate import GRAPHS, RESULTS, Choice, Table
from kg.store.base import QueryResult


def table_for(result: QueryResult) -> Table:
    """The negotiation table for this kind of answer: result sets and booleans, or graphs."""
    if isinstance(result, ox.QueryTriples):
        return GRAPHS
    return RESULTS


def serialize(result: QueryResult, choice: Choice) -> bytes:
    """Serialize `result` (solutions, boolean or triples) as `choice` says."""
    if isinstance(result, ox.QueryTriples):
        if not isinstance(choice.format, ox.RdfFormat):
            raise TypeError(f"a graph cannot be written as {choice.media_type}")
        return ox.serialize(result, format=choice.format, prefixes=PREFIX_IRIS)
    if not isinstance(choice.format, ox.QueryResultsFormat):
        raise TypeError(f"query results cannot be written as {choice.media_type}")
    return result.serialize(format=choice.format)
