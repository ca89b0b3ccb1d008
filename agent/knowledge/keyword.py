"""Keyword index of the knowledge base: SQLite FTS5 with bm25 ranking (standard library only).

One file, `index_dir/keyword.sqlite`, holds three tables:

- `fts`: FTS5 over title, tags and body (`porter unicode61`: stemmed, accent-folded), one row per
  passage of the body (the pieces that are embedded), so bm25's length normalisation compares
  passages, not whole entries of very different lengths; an entry scores as its best passage;
- `docs`: one row per entry with its content hash, the filterable fields and the whole entry as JSON
  (so `get()` needs neither the knowledge folder nor Chroma);
- `meta`: small key/values (folder fingerprint, time of the last ingest).

`write()` changes all three in one transaction, so an interrupted write leaves the previous state.
User text never reaches MATCH as syntax: it is split into words, each quoted.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from agent.knowledge.entries import Entry

# Weights of the FTS columns (id, title, tags, body) in bm25: a title word counts more than a body word.
BM25_WEIGHTS = (0.0, 4.0, 2.0, 1.0)
STOPWORDS = frozenset(
    (
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "could", "do", "does", "did",
        "for", "from", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my",
        "of", "on", "or", "our", "ours", "should", "so", "than", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "to", "us", "was", "we", "what", "when", "where", "which",
        "who", "why", "will", "with", "would", "you", "your", "yours",
    )
)
"""Words dropped from keyword queries (unless the query has nothing else): question filler only."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    id TEXT PRIMARY KEY, hash TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
    source TEXT NOT NULL, year INTEGER NOT NULL, platforms TEXT NOT NULL, goals TEXT NOT NULL,
    stage TEXT NOT NULL, entry TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts
    USING fts5(id UNINDEXED, title, tags, body, tokenize='porter unicode61');
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


Upsert = tuple[Entry, str, list[str]]
"""An entry to (re)index: the entry, its content hash, the passages of its body."""


@dataclass(frozen=True)
class Filters:
    """Metadata filters shared by both indexes; None means 'any'."""

    platform: str | None = None
    kind: str | None = None
    goal: str | None = None

    def sql(self) -> tuple[str, list[str]]:
        """A WHERE fragment over `docs d` (always valid SQL) and its parameters."""
        clauses, params = ["1"], []
        if self.platform:
            clauses.append("(instr(d.platforms, ?) > 0 OR instr(d.platforms, ',all,') > 0)")
            params.append(f",{self.platform},")
        if self.goal:
            clauses.append("(instr(d.goals, ?) > 0 OR instr(d.goals, ',all,') > 0)")
            params.append(f",{self.goal},")
        if self.kind:
            clauses.append("d.kind = ?")
            params.append(self.kind)
        return " AND ".join(clauses), params


NO_FILTERS = Filters()


@dataclass(frozen=True)
class DocRow:
    """What a search hit shows about an entry."""

    id: str
    title: str
    kind: str
    source: str
    platforms: list[str]


def match_expression(query: str) -> str:
    """An FTS5 MATCH string for free text: quoted words joined by OR; '' when there are none."""
    words = re.findall(r"\w+", query.lower())
    kept = [w for w in words if w not in STOPWORDS] or words
    unique = list(dict.fromkeys(kept))
    return " OR ".join(f'"{w}"' for w in unique)


def _csv(values: Iterable[str]) -> str:
    return "," + ",".join(values) + ","


class KeywordIndex:
    """The SQLite side of the knowledge base."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path)
            self._conn.executescript(SCHEMA)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def hashes(self) -> dict[str, str]:
        """Content hash of every indexed entry, by id."""
        return dict(self.conn.execute("SELECT id, hash FROM docs").fetchall())

    def write(self, upserts: list[Upsert], removed: Iterable[str], meta: dict[str, str]) -> None:
        """Replace `upserts`, delete `removed` and set `meta`, all in one transaction."""
        gone = list(removed) + [entry.id for entry, _, _ in upserts]
        with self.conn:  # commits at the end, rolls back on any exception
            self.conn.executemany("DELETE FROM docs WHERE id = ?", [(i,) for i in gone])
            self.conn.executemany("DELETE FROM fts WHERE id = ?", [(i,) for i in gone])
            for entry, digest, passages in upserts:
                self._insert(entry, digest, passages)
            self.conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))

    def _insert(self, entry: Entry, digest: str, passages: list[str]) -> None:
        self.conn.execute(
            "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.id, digest, entry.kind, entry.title, entry.source, entry.year, _csv(entry.platforms),
             _csv(entry.goals), _csv(entry.stage), entry.model_dump_json()),
        )
        self.conn.executemany(
            "INSERT INTO fts (id, title, tags, body) VALUES (?, ?, ?, ?)",
            [(entry.id, entry.title, " ".join(entry.tags), passage) for passage in passages],
        )

    def search(self, query: str, limit: int, filters: Filters = NO_FILTERS) -> list[tuple[str, float]]:
        """Best `limit` entries for `query` as (id, score): the best passage's -bm25, higher is better."""
        expression = match_expression(query)
        if not expression:
            return []
        where, params = filters.sql()
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        sql = (
            f"WITH m AS MATERIALIZED (SELECT id, -bm25(fts, {weights}) AS score FROM fts WHERE fts MATCH ?) "
            f"SELECT d.id, max(m.score) AS best FROM m JOIN docs d ON d.id = m.id WHERE {where} "
            "GROUP BY d.id ORDER BY best DESC, d.id LIMIT ?"
        )
        return [(row[0], float(row[1])) for row in self.conn.execute(sql, [expression, *params, limit])]

    def rows(self, ids: Iterable[str]) -> dict[str, DocRow]:
        """Display fields of the given entries, by id (unknown ids are left out)."""
        wanted = list(ids)
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        sql = f"SELECT id, title, kind, source, platforms FROM docs WHERE id IN ({marks})"
        return {
            r[0]: DocRow(r[0], r[1], r[2], r[3], [p for p in r[4].split(",") if p])
            for r in self.conn.execute(sql, wanted)
        }

    def entries(self, ids: Iterable[str]) -> dict[str, Entry]:
        """Whole entries by id, as they were when indexed."""
        wanted = list(ids)
        if not wanted:
            return {}
        sql = f"SELECT id, entry FROM docs WHERE id IN ({','.join('?' * len(wanted))})"
        return {r[0]: Entry.model_validate_json(r[1]) for r in self.conn.execute(sql, wanted)}

    def count_by(self, column: str) -> dict[str, int]:
        """Number of entries per value of `kind` (the only grouping offered)."""
        if column != "kind":
            raise ValueError(column)
        return dict(self.conn.execute("SELECT kind, count(*) FROM docs GROUP BY kind ORDER BY kind"))

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None


__all__ = ["NO_FILTERS", "DocRow", "Filters", "KeywordIndex", "match_expression"]
