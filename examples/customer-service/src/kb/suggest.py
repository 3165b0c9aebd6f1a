"""Knowledge-base article suggestions for the agent's reply editor.

implements REQ-0019: while the agent types, suggest up to three relevant
published articles; the editor calls this after the agent pauses typing.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

MAX_SUGGESTIONS = 3
_WORD = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]", re.IGNORECASE)
_STOP = {"the", "a", "an", "to", "is", "my", "i", "and", "of", "for", "in", "it", "how", "do", "can"}


@dataclass(frozen=True)
class Article:
    id: int
    title: str
    body: str
    url: str
    published: bool = True


def tokens(text: str) -> list[str]:
    """Lower-case words; Chinese is split into single characters."""
    return [t.lower() for t in _WORD.findall(text) if t.lower() not in _STOP]


class Index:
    """A small TF-IDF index over the published articles of one tenant."""

    def __init__(self, articles: list[Article]):
        self.articles = [a for a in articles if a.published]
        self.docs = [Counter(tokens(a.title + " " + a.title + " " + a.body)) for a in self.articles]
        df = Counter(t for d in self.docs for t in d)
        n = len(self.docs) or 1
        self.idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}

    def suggest(self, draft: str, limit: int = MAX_SUGGESTIONS) -> list[Article]:
        query = Counter(tokens(draft))
        scored = []
        for article, doc in zip(self.articles, self.docs):
            score = sum(self.idf.get(t, 0.0) * min(q, doc[t]) for t, q in query.items() if t in doc)
            if score > 0:
                scored.append((-score, article.id, article))
        scored.sort()
        return [a for _, _, a in scored[:limit]]


def insert_link(reply: str, article: Article) -> str:
    """Insert a suggestion into the reply as a Markdown link."""
    sep = "" if not reply or reply.endswith(("\n", " ")) else " "
    return f"{reply}{sep}[{article.title}]({article.url})"
