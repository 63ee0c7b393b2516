"""The site's search, run in Python: the built search_index.json indexed with
lunr (the Python port of the lunr.js that Material's search worker uses) with
the same settings, and queries handled the way the worker handles them.

What the worker does, from Material 9.8.1's search worker:
- index: fields and boosts from the index's config, b(0) (no length
  normalisation), the default lunr pipeline minus the steps the config leaves
  out, HTML stripped from the text;
- query: each word gets a trailing * (so "drivin" finds "driving");
- score: lunr's score x (1 + g^2), g = 1 for a whole page (0 for a section)
  plus the share of query words found;
- results: sorted by score, then grouped by page in the order pages first appear.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from lunr import get_default_builder
from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.trimmer import trimmer

STEPS = {"trimmer": trimmer, "stopWordFilter": stop_word_filter, "stemmer": stemmer}


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@dataclass
class Hit:
    location: str
    score: float

    @property
    def page(self) -> str:
        return self.location.split("#")[0]


class SiteSearch:
    def __init__(self, index_file: Path):
        data = json.loads(index_file.read_text(encoding="utf-8"))
        config = data["config"]
        assert config["lang"] == ["en"] and config["separator"] == r"[\s\-]+", config
        builder = get_default_builder()
        for name, step in STEPS.items():
            if name not in config["pipeline"]:
                builder.pipeline.remove(step)
                if step in builder.search_pipeline._stack:
                    builder.search_pipeline.remove(step)
        builder.b(0)
        builder.metadata_whitelist = ["position"]
        builder.ref("location")
        for field, options in config["fields"].items():
            builder.field(field, boost=options.get("boost", 1), extractor=lambda d, f=field: _plain(str(d.get(f, ""))))
        for doc in data["docs"]:
            builder.add(doc, attributes={"boost": doc.get("boost", 1)})
        self.index = builder.build()
        self.size = index_file.stat().st_size

    def search(self, query: str) -> list[Hit]:
        words = [w for w in re.split(r"[\s\-]+", re.sub(r"[\"*+:^~]", " ", query.lower())) if w]
        if not words:
            return []
        hits = []
        for result in self.index.search(" ".join(f"{w}*" for w in words)):
            matched = list(result["match_data"].metadata)
            found = sum(any(m.startswith(w) for m in matched) for w in words)
            g = ("#" not in result["ref"]) + found / len(words)
            hits.append(Hit(result["ref"], result["score"] * (1 + g ** 2)))
        return sorted(hits, key=lambda h: h.score, reverse=True)

    def pages(self, query: str) -> tuple[list[str], list[Hit]]:
        """Pages in the order the search shows them, and the hits."""
        hits = self.search(query)
        return list(dict.fromkeys(h.page for h in hits)), hits
