"""The `kg` command: thin calls into the library, formatted for a terminal.

Exit codes, as the README's table gives them: 0 success; 1 a check failed (an article rejected
by the shapes, a graph that does not conform); 2 a usage or input error (a bad option, an unknown
named query, a file that cannot be read or is not an article, a malformed query, a path that is
not a store, a missing ontology or shapes folder); 3 the store cannot be had (held for writing by
another process, an external store that does not answer, a query past its time limit).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click
import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, SH

from kg import __version__
from kg.config import Settings, load_settings
from kg.errors import KgError, QuerySyntaxError, UsageError
from kg.named import named_queries
from kg.namespaces import PREFIX_IRIS
from kg.sparql.negotiate import GRAPHS, RESULTS
from kg.sparql.results import serialize, table_for
from kg.store import open_store
from kg.store.existing import open_existing_store
from kg.validation.report import as_json, as_junit, as_text, as_turtle

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj


def _store_here(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """`--store` after the command name (`kg serve --store PATH`) overrides the one before it."""
    if value is not None:
        ctx.obj = ctx.find_root().obj.with_overrides(store=value)
        ctx.find_root().obj = ctx.obj


store_option = click.option("--store", "store_path", expose_value=False, callback=_store_here,
                            help="Store path (same as kg --store).")


class KgGroup(click.Group):
    """Turns kg's own errors into a message on stderr and their exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"kg: {exc.message}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=KgGroup)
@click.version_option(__version__, prog_name="kg")
@click.option("--store", "store", help="Store path (default: KG_STORE or data/store); ':memory:' for none.")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """Build and query a knowledge graph of officials from press articles."""
    ctx.obj = load_settings(store=store)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Read articles, extract their facts, validate and store one graph per article."""
    from kg.ingest import Ingestor

    store = open_store(_settings(ctx))
    try:
        outcomes = Ingestor(store, _settings(ctx)).ingest_paths(_expand(paths))
    finally:
        store.close()
    for o in outcomes:
        if o.status == "stored":
            click.echo(f"stored    {o.source} -> {o.graph} ({o.triples} triples)")
        elif o.status == "rejected":
            click.echo(f"rejected  {o.source}: the article graph does not conform to the shapes")
            click.echo(as_text(o.validation, label=o.source), err=True)
        else:
            click.echo(f"error     {o.error}", err=True)  # the message names its source itself
    bad = sum(not o.ok for o in outcomes)
    click.echo(f"{len(outcomes) - bad} stored, {bad} failed")
    sys.exit(ingest_exit_code(outcomes))


def ingest_exit_code(outcomes: list) -> int:
    """2 when some input could not be read (an input error), else 1 when some article was rejected.

    The batch goes on past both; the exit code tells the worse of what happened.
    """
    if any(o.status == "error" for o in outcomes):
        return 2
    return 1 if any(o.status == "rejected" for o in outcomes) else 0


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def extract(paths: tuple[Path, ...]) -> None:
    """Print the facts found in each article, each with its evidence sentence; stores nothing."""
    from kg.extract import extract as read_facts
    from kg.extract.explain import as_text
    from kg.loaders import read_items

    bad = 0
    for path in _expand(paths):
        try:
            items = read_items(path)
        except KgError as error:  # an unreadable file is named, and the others are still read
            click.echo(f"error     {path}: {error}", err=True)
            bad += 1
            continue
        for n, item in enumerate(items, start=1):
            label = str(path) if n == 1 else f"{path} #{n}"
            if isinstance(item, KgError):
                click.echo(f"error     {label}: {item}", err=True)
                bad += 1
                continue
            click.echo(as_text(read_facts(item), label=label) + "\n")
    if bad:
        sys.exit(2)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Directories are read recursively, in name order; '-' stays as standard input."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        else:
            found.append(p)
    return found


@cli.command()
@click.argument("sparql", required=False)
@click.option("--file", "-f", "file", type=click.File("r"), help="Read the query from a file ('-' for stdin).")
@click.option("--named", help="Run a named query shipped with kg (see --list).")
@click.option("--list", "list_named", is_flag=True, help="List the named queries.")
@click.option("--format", "fmt", default=None,
              help="json, xml, csv, tsv (results); turtle, nt, jsonld, rdfxml (graphs).")
@store_option
@click.pass_context
def query(ctx: click.Context, sparql: str | None, file, named: str | None, list_named: bool, fmt: str | None) -> None:
    """Run a SPARQL query on the store and print the answer."""
    if list_named:
        for q in named_queries().values():
            click.echo(f"{q.name:16} {q.title}: {q.description}")
        return
    given = [x for x in (sparql, file, named) if x]
    if len(given) != 1:
        raise UsageError("give exactly one of: a query, --file, --named")
    if named and named not in named_queries():
        raise UsageError(f"no named query '{named}'; known: {', '.join(named_queries())} (kg query --list)")
    text = named_queries()[named].sparql if named else (file.read() if file else sparql)
    store = open_existing_store(_settings(ctx))
    try:
        try:
            result = store.query(text)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"the query does not parse: {exc}") from exc
        table = table_for(result)
        keyword = fmt or ("turtle" if table is GRAPHS else "csv" if named else "json")
        if keyword not in table.keywords:
            raise UsageError(f"--format {keyword} is not one of {', '.join(table.keywords)} for this query")
        out = serialize(result, table.choice(table.keywords[keyword]))
    finally:
        store.close()
    sys.stdout.buffer.write(out if out.endswith(b"\n") or not out else out + b"\n")
    sys.stdout.flush()


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--shapes", "shapes_paths", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Shapes file or folder, any RDF format; repeat for several (default: kg's own shapes).")
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json", "junit"]), default="text",
              show_default=True, help="Report format on stdout; json follows docs/validation-report.schema.json.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]), default="violation",
              show_default=True, help="Exit 1 when a result of this severity or a worse one is found.")
@click.option("--junit", "junit_path", type=click.Path(path_type=Path),
              help="Also write a JUnit XML report to this file (for CI dashboards).")
@store_option
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], shapes_paths: tuple[Path, ...], fmt: str, fail_on: str,
             junit_path: Path | None) -> None:
    """Validate RDF files or folders (merged into one graph), or else the whole store, against SHACL shapes.

    Exit 0 conforms, 1 not, 2 error.
    """
    from kg.validation.checks import validate_files, validate_store
    from kg.validation.inputs import expand_rdf_paths, shapes_for

    settings = _settings(ctx)
    shapes = shapes_for(settings, shapes_paths)
    result = validate_files(expand_rdf_paths(files), shapes) if files else validate_store(settings, shapes)
    shape_names = sorted(str(s) for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))
    if junit_path is not None:
        junit_path.parent.mkdir(parents=True, exist_ok=True)
        junit_path.write_text(as_junit(result, shapes=shape_names), encoding="utf-8")
    text = {
        "text": lambda: as_text(result, label=", ".join(map(str, files)) or "store"),
        "turtle": lambda: as_turtle(result),
        "json": lambda: as_json(result),
        "junit": lambda: as_junit(result, shapes=shape_names),
    }[fmt]()
    click.echo(text)
    sys.exit(1 if result.fails_at(fail_on) else 0)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default=None,
              help="Default: trig for the store, turtle for --ontology / --shapes.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to a file instead of stdout.")
@click.option("--graph", help="Export one named graph (IRI) only.")
@click.option("--ontology", is_flag=True, help="Export the ontology (all modules) instead of the store.")
@click.option("--shapes", is_flag=True, help="Export the SHACL shapes instead of the store.")
@store_option
@click.pass_context
def export(ctx: click.Context, fmt: str | None, output: Path | None, graph: str | None, ontology: bool,
           shapes: bool) -> None:
    """Export the store (all graphs for nq/trig; else the default graph, or --graph), the ontology or the shapes."""
    settings = _settings(ctx)
    if ontology or shapes:
        data = _vocabulary(settings, fmt or "turtle", shapes=shapes)
        if output:
            output.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
        return
    store = open_existing_store(settings)
    partial = output.with_name(f".{output.name}.partial") if output else None
    try:  # streamed from the store: memory does not grow with the store; a file appears only when whole
        with partial.open("wb") if partial else contextlib.nullcontext(sys.stdout.buffer) as out:
            store.dump_to(out, EXPORT_FORMATS[fmt or "trig"], graph=ox.NamedNode(graph) if graph else None)
            out.flush()
        if partial:
            partial.replace(output)
    finally:
        store.close()
        if partial:
            partial.unlink(missing_ok=True)


def _vocabulary(settings: Settings, fmt: str, *, shapes: bool) -> bytes:
    """The ontology or the shapes graph, serialized (graph formats only)."""
    from kg.rdfterms import ox_triples
    from kg.reference import load_reference
    from kg.validation.shacl import load_shapes

    if shapes:
        graph = load_shapes(settings.shapes_dir)
    else:
        graph = load_reference(settings.ontology_dir, settings.base_iri).ontology
    rdf_format = EXPORT_FORMATS[fmt]
    if rdf_format.supports_datasets:
        raise UsageError(f"--format {fmt} is for datasets; the {'shapes' if shapes else 'ontology'} is one graph")
    return ox.serialize(ox_triples(graph), format=rdf_format, prefixes=PREFIX_IRIS)


@cli.command()
@click.option("--output", "-o", type=click.Path(path_type=Path), default=Path("docs/ontology.html"),
              show_default=True, help="Where to write the page.")
@click.pass_context
def docs(ctx: click.Context, output: Path) -> None:
    """Write the ontology's HTML documentation (terms, definitions, the shapes that constrain them)."""
    from kg.docs import write_docs

    settings = _settings(ctx)
    output.parent.mkdir(parents=True, exist_ok=True)
    click.echo(f"wrote {write_docs(output, settings.ontology_dir, settings.shapes_dir, root=settings.base_iri)}")


@cli.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default 5000).")
@click.option("--threads", default=None, type=int, help="Worker threads.")
@store_option
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, threads: int | None) -> None:
    """Serve the SPARQL endpoint and pages with waitress."""
    from kg.web import create_app
    from kg.web.heap import limit_arenas
    from kg.web.serve import serve as run

    limit_arenas()  # before the store's and the server's threads start (kg.web.heap says why)
    settings = _settings(ctx).with_overrides(host=host, port=port, threads=threads)
    run(create_app(settings), host=settings.host, port=settings.port, threads=settings.threads)


def main() -> None:
    cli(prog_name="kg")


__all__ = ["cli", "main", "RESULTS"]
