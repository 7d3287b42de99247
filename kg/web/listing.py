"""Browse lists as Datasette's table pages are: items with counts, facets to filter by, sortable columns.

A list's page query gives one row per (item, facet value); `collect()` folds them into items,
`facets()` counts values over the items shown, and `choose()` applies the filters of the query
string (a facet's value by IRI, a period by `from` / `to`) and the sort column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.web.timeline import parse_day


@dataclass
class Item:
    iri: str
    name: str | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # facet -> {value IRI or text: label}
    dates: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)  # facets the query counted itself

    def count(self, facet: str) -> int:
        return self.counts.get(facet, len(self.values.get(facet, {})))

    @property
    def first(self) -> str | None:
        return min(self.dates, default=None)

    @property
    def last(self) -> str | None:
        return max(self.dates, default=None)


@dataclass(frozen=True)
class Listing:
    """One browse list: its title, page query, the facets to filter by and the counts to show."""

    name: str
    title: str
    query: str
    filters: tuple[str, ...]
    counts: tuple[str, ...]
    shown: tuple[str, ...] = ()  # facets whose values are listed in a column


def collect(rows: list[dict]) -> list[Item]:
    items: dict[str, Item] = {}
    for row in rows:
        item = items.setdefault(row["item"], Item(row["item"]))
        if row["name"] and (item.name is None or row["name"] < item.name):
            item.name = row["name"]
        if row["facet"] and row["value"] is None and (row["value_label"] or "").isdigit():
            item.counts[row["facet"]] = int(row["value_label"])  # a count the query made: no values listed
            continue
        value = row["value"] or row["value_label"]
        if row["facet"] and value:
            known = item.values.setdefault(row["facet"], {})
            label = row["value_label"] or known.get(value) or value.rsplit("/", 1)[-1]
            known[value] = min(known.get(value, label), label)
        for column in ("first", "last"):
            day = parse_day(row.get(column))
            if day is not None:
                item.dates.add(day.isoformat())
    return list(items.values())


def choose(items: list[Item], listing: Listing, args: dict[str, str]) -> list[Item]:
    """The items that pass every filter in `args`, sorted as `args['sort']` says.

    An item is in a period when one of its dates (the first and last of each of its values) is.
    """
    first, last = args.get("from") or None, args.get("to") or None
    out = []
    for item in items:
        if any(args.get(f) and args[f] not in item.values.get(f, {}) for f in listing.filters):
            continue
        if (first or last) and not any((not first or d >= first) and (not last or d <= last) for d in item.dates):
            continue
        out.append(item)
    key = args.get("sort") or "name"
    reverse = key.startswith("-")
    key = key.lstrip("-")
    if key in listing.counts:
        out.sort(key=lambda i: (i.count(key), (i.name or "").lower()), reverse=reverse)
    elif key == "date":
        out.sort(key=lambda i: (i.first or "", (i.name or "").lower()), reverse=reverse)
    else:
        out.sort(key=lambda i: ((i.name or i.iri).lower(), i.iri), reverse=reverse)
    return out


def facets(items: list[Item], listing: Listing) -> dict[str, list[tuple[str, str, int]]]:
    """For each filter facet, its values over `items` with how many items have each, most first."""
    out = {}
    for facet in listing.filters:
        counts: dict[str, list] = {}
        for item in items:
            for value, label in item.values.get(facet, {}).items():
                counts.setdefault(value, [label, 0])[1] += 1
        out[facet] = sorted(((v, lab, n) for v, (lab, n) in counts.items()), key=lambda x: (-x[2], x[1]))
    return out
