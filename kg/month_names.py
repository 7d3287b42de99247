"""Month names, shared by the readers (publication dates) and the extractor (dates in the text)."""

from __future__ import annotations

MONTHS: dict[str, int] = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
MONTHS.update({m[:3]: n for m, n in list(MONTHS.items())})
MONTHS["sept"] = 9
