"""Where the meetings network puts its people and labels, readable from a dozen people to a few hundred.

A circle stops being readable at about sixty people: every line crosses the middle and the labels
touch. Here people are grouped first around the busiest person they met (a host and their
guests; ties broken by the given order, so the same data always gives the same picture), each
group is drawn as a disc with its busiest person at the centre and the others on a sunflower
spiral around it, and the discs are packed in rows, largest first. This costs time in
proportion to people plus pairs, not their square, so the server can afford it on every request.
Labels are given to the busiest people first and only where they do not cover a label already
placed, so they never overlap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 960  # the picture's widest, in SVG units; its height follows from the packing
NARROWEST = 420  # a few people are drawn on a narrower picture, so the page shows them larger
LABEL_ROOM = 110  # room kept right of the last group of a single row, for labels
SPACING = 18.0  # distance between neighbouring people within a group
GAP = 26.0  # room between two groups
MARGIN = 12.0
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
FONT_SIZE = 11.0
CHAR_WIDTH = 0.6 * FONT_SIZE  # a generous average for the sans-serif the stylesheet uses


@dataclass
class Placed:
    """One person's position, and their label's box where they have one (x, y: the text's start, baseline)."""

    x: float
    y: float
    group: int = 0
    label: tuple[float, float, str] | None = None  # (x, y, text-anchor)


def groups(people: list[str], pairs: dict[tuple[str, str], int]) -> list[list[str]]:
    """People split into groups around the busiest people they met, largest group first.

    `people` is busiest first (the order also breaks ties); `pairs` maps a pair to how often they
    met. Each person points to the person they met most often among those busier than them (a
    host, for a guest); following the pointers up ends at someone who met nobody busier, and
    everyone leading there is one group. A minister's guests gather around the minister, and a
    pair who only met each other make a group of two.
    """
    rank = {p: i for i, p in enumerate(people)}
    pairs = {_pair(a, b): weight for (a, b), weight in pairs.items()}  # either order given
    up = {p: p for p in people}
    for (a, b), weight in pairs.items():
        low, high = (a, b) if rank[a] > rank[b] else (b, a)
        current = up[low]
        if current == low or (weight, -rank[high]) > (pairs.get(_pair(low, current), 0), -rank[current]):
            up[low] = high
    members: dict[str, list[str]] = {}
    for person in people:  # busiest first within each group
        root = person
        while up[root] != root:  # pointers lead to busier people only, so this ends
            root = up[root]
        members.setdefault(root, []).append(person)
    return sorted(members.values(), key=lambda g: (-len(g), rank[g[0]]))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _disc_radius(size: int) -> float:
    return SPACING * math.sqrt(size) + 4


def layout(people: list[str], pairs: dict[tuple[str, str], int], names: dict[str, str],
           labelled: int) -> tuple[dict[str, Placed], float, float]:
    """Positions for `people` (busiest first), labels for up to `labelled` of them; the picture's width and height."""
    placed: dict[str, Placed] = {}
    x, y, row_height, right = MARGIN, MARGIN, 0.0, 0.0
    for number, members in enumerate(groups(people, pairs)):
        radius = _disc_radius(len(members))
        if x + 2 * radius > WIDTH - MARGIN and x > MARGIN:  # next row
            x, y, row_height = MARGIN, y + row_height + GAP, 0.0
        cx, cy = x + radius, y + radius
        for i, person in enumerate(members):  # sunflower: even spacing, the busiest at the centre
            r, angle = SPACING * math.sqrt(i), i * GOLDEN_ANGLE
            placed[person] = Placed(round(cx + r * math.cos(angle), 1), round(cy + r * math.sin(angle), 1), number)
        x += 2 * radius + GAP
        row_height = max(row_height, 2 * radius)
        right = max(right, x - GAP)
    height = y + row_height + MARGIN
    width = WIDTH if y > MARGIN else min(WIDTH, max(NARROWEST, right + LABEL_ROOM))  # one row: as wide as it needs
    _place_labels(people[:labelled], placed, names, width, height)
    return placed, round(width, 1), round(height, 1)


def label_box(x: float, y: float, anchor: str, text: str) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) a label is expected to cover, from its length."""
    width = len(text) * CHAR_WIDTH
    left = {"end": x - width, "middle": x - width / 2}.get(anchor, x)
    return left, y - FONT_SIZE * 0.95, left + width, y + FONT_SIZE * 0.3


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_labels(chosen: list[str], placed: dict[str, Placed], names: dict[str, str], width: float,
                  height: float) -> None:
    """Label the `chosen` people, busiest first, on the first side where the label covers no other."""
    boxes: list[tuple[float, float, float, float]] = []
    for person in chosen:
        spot, text = placed[person], names[person]
        for dx, dy, anchor in ((8, 4, "start"), (-8, 4, "end"), (0, -9, "middle"), (0, 16, "middle")):
            lx, ly = spot.x + dx, spot.y + dy
            box = label_box(lx, ly, anchor, text)
            if box[0] < 0 or box[2] > width or box[1] < 0 or box[3] > height:
                continue
            if not any(_overlaps(box, other) for other in boxes):
                boxes.append(box)
                spot.label = (round(lx, 1), round(ly, 1), anchor)
                break
