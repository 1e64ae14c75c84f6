"""The scan view names documents by their ids (short, unique), with a title beside: DFAT's
metadata titles dozens of cables "CABLEGRAM TO CANBERRA", and the view's pairs and heatmap rows
read only that title, so no two could be told apart."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from docdiff.corpus.scan import scan
from docdiff.loaders import load_text
from docdiff.render.html import render_html

SHARED = (
    "The Government of the People's Republic of China and the Australian Government have "
    "decided upon mutual recognition and the establishment of diplomatic relations"
)


def test_documents_sharing_a_title_keep_their_own_names() -> None:
    docs = [
        replace(
            load_text(
                f"{own}\n\n{SHARED} as from {day} December.", doc_id=f"v22/{n}-cablegram.txt"
            ),
            meta={"title": "CABLEGRAM TO CANBERRA"},
        )
        for n, day, own in (
            (
                365,
                12,
                "Paris reports that the talks went well and the Chinese side accepted the wording.",
            ),
            (
                374,
                19,
                "Wellington asks whether the date of the announcement may be moved to Friday.",
            ),
            (
                359,
                11,
                "The Minister wishes the Embassy to confirm the text with the Chinese at once.",
            ),
        )
    ]
    docs += [  # (other documents, so that the shared wording is rare in the corpus)
        load_text(f"Note {n}: the {topic} talks resume next week in Geneva.", doc_id=f"v22/{n}.txt")
        for n, topic in enumerate(["fisheries", "water", "trade", "aviation", "health"])
    ]
    page = render_html(scan(docs, jobs=1))
    found = re.search(r'<script[^>]*id="docdiff-data"[^>]*>(.*?)</script>', page, re.S)
    assert found
    data = json.loads(found.group(1))
    names = [d["name"] for d in data["docs"]]
    assert sorted(names) == ["359-cablegram.txt", "365-cablegram.txt", "374-cablegram.txt"]
    assert {d["title"] for d in data["docs"]} == {"CABLEGRAM TO CANBERRA"}
