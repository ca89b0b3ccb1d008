"""Keyword index of the knowledge base: SQLite FTS5 with bm25 ranking (standard library only).

One file, `index_dir/keyword.sqlite`, holds three tables:

- `fts`: FTS5 over title, tags and body (`porter unicode61`: stemmed, accent-folded), one row per
  passage of the body (the pieces that are embedded), so bm25's length normalisation compares
  passages, not whole entries of very different lengths; an entry scores as its best passage;
- `docs`: one row per entry with its content hash, the filterable fields and the whole entry as JSON
  (so `get()` needs neither the knowledge folder nor Chroma);
- `meta`: small key/values (folder fingerprint, time of the last ingest).

`write()` changes all three in one transaction, so an interrupted write leaves the previous state.
User text never reaches MATCH as syntax: it is split into words, each quoted. Each thread gets its own
connection (one index may serve the workers of a batch); `close()` closes them all.

`search` is one SQL query. `search_cached` gives the same ranking and scores from per-word scores kept
in memory: FTS5's bm25 of `"a" OR "b" OR ...` is, for each passage, 0.0 plus each phrase's own bm25
term added in query order (a phrase the passage lacks adds exactly 0.0), and a phrase's term depends
only on the phrase and the passage. So each word is asked of SQLite once (`-bm25` of the word alone),
and a query adds the words' score vectors in the same order, in doubles, as FTS5 does; the best passage
per entry, the filters and the order (score, then id) are then applied as the SQL does. The words of a
plan's queries repeat across sections and plans, so most are already known.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

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


_WORD = re.compile(r"\w+")

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


def match_words(query: str) -> list[str]:
    """The words of free text that a keyword query looks for, in order, each once."""
    words = _WORD.findall(query.lower())
    kept = [w for w in words if w not in STOPWORDS] or words
    return list(dict.fromkeys(kept))


def match_expression(query: str) -> str:
    """An FTS5 MATCH string for free text: quoted words joined by OR; '' when there are none."""
    return " OR ".join(f'"{w}"' for w in match_words(query))


def _bm25_sql() -> str:
    return "-bm25(fts, " + ", ".join(str(w) for w in BM25_WEIGHTS) + ")"


@dataclass
class _Scores:
    """The index in memory for `search_cached`: passages, entries and per-word scores of one version."""

    version: str
    position: dict[int, int]
    """FTS rowid -> passage position."""
    entry_of: np.ndarray
    """Passage position -> entry position (-1: no `docs` row, so the SQL join drops it)."""
    entries: list[str]
    fields: list[tuple[str, str, str]]
    """(kind, platforms, goals) of each entry, as stored in `docs`."""
    words: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    """word -> (score of each passage, 0.0 where absent; which passages match)."""
    masks: dict[Filters, np.ndarray] = field(default_factory=dict)

    def mask(self, filters: Filters) -> np.ndarray:
        """Which entries pass `filters`, by the tests of `Filters.sql`."""
        found = self.masks.get(filters)
        if found is None:
            found = np.array([_passes(row, filters) for row in self.fields], dtype=bool)
            self.masks[filters] = found
        return found


def _passes(row: tuple[str, str, str], filters: Filters) -> bool:
    kind, platforms, goals = row
    if filters.platform and f",{filters.platform}," not in platforms and ",all," not in platforms:
        return False
    if filters.goal and f",{filters.goal}," not in goals and ",all," not in goals:
        return False
    return not filters.kind or kind == filters.kind


def _csv(values: Iterable[str]) -> str:
    return "," + ",".join(values) + ","


class KeywordIndex:
    """The SQLite side of the knowledge base."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._open: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._scores: _Scores | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False)  # used by its thread; closed by any
            conn.executescript(SCHEMA)
            self._local.conn = conn
            with self._lock:
                self._open.append(conn)
        return conn

    def forget_connections(self) -> None:
        """Drop (without closing) the connections a forked process inherited; it opens its own on next use."""
        self._local = threading.local()

    def close(self) -> None:
        """Close every thread's connection; the next use opens a new one."""
        with self._lock:
            conns, self._open = self._open, []
        for conn in conns:
            conn.close()
        self._local = threading.local()

    def hashes(self) -> dict[str, str]:
        """Content hash of every indexed entry, by id."""
        return dict(self.conn.execute("SELECT id, hash FROM docs").fetchall())

    def write(self, upserts: list[Upsert], removed: Iterable[str], meta: dict[str, str]) -> None:
        """Replace `upserts`, delete `removed` and set `meta`, all in one transaction."""
        gone = list(removed) + [entry.id for entry, _, _ in upserts]
        self._scores = None
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
        sql = (
            f"WITH m AS MATERIALIZED (SELECT id, {_bm25_sql()} AS score FROM fts WHERE fts MATCH ?) "
            f"SELECT d.id, max(m.score) AS best FROM m JOIN docs d ON d.id = m.id WHERE {where} "
            "GROUP BY d.id ORDER BY best DESC, d.id LIMIT ?"
        )
        return [(row[0], float(row[1])) for row in self.conn.execute(sql, [expression, *params, limit])]

    def search_cached(self, query: str, limit: int, filters: Filters, version: str) -> list[tuple[str, float]]:
        """`search(query, limit, filters)` from per-word scores kept in memory (see the module docstring).

        `version` names the index state; the kept scores are dropped when it changes."""
        words = match_words(query)
        if not words:
            return []
        scores = self._loaded(version)
        total = np.zeros(len(scores.entry_of), dtype=np.float64)
        matched = np.zeros(len(scores.entry_of), dtype=bool)
        for word in words:
            known = self._word(scores, word)
            if known is None:  # the index changed under us (another process): ask SQLite
                return self.search(query, limit, filters)
            values, present = known
            total += values  # FTS5's order of additions: phrase by phrase, as the query names them
            matched |= present
        passages = np.flatnonzero(matched & (scores.entry_of >= 0))
        if not len(passages):
            return []
        best = np.full(len(scores.entries), -np.inf)
        np.maximum.at(best, scores.entry_of[passages], total[passages])
        found = np.zeros(len(scores.entries), dtype=bool)
        found[scores.entry_of[passages]] = True
        chosen = np.flatnonzero(found & scores.mask(filters))
        order = sorted(chosen.tolist(), key=lambda e: (-best[e], scores.entries[e]))[:limit]
        return [(scores.entries[e], float(best[e])) for e in order]

    def _loaded(self, version: str) -> _Scores:
        with self._lock:
            if self._scores is not None and self._scores.version == version:
                return self._scores
            entries, fields = [], []
            for entry_id, kind, platforms, goals in self.conn.execute("SELECT id, kind, platforms, goals FROM docs"):
                entries.append(entry_id)
                fields.append((kind, platforms, goals))
            index = {entry_id: n for n, entry_id in enumerate(entries)}
            rows = self.conn.execute("SELECT rowid, id FROM fts").fetchall()
            position = {rowid: n for n, (rowid, _) in enumerate(rows)}
            entry_of = np.array([index.get(entry_id, -1) for _, entry_id in rows], dtype=np.int64)
            self._scores = _Scores(version, position, entry_of, entries, fields)
            return self._scores

    def _word(self, scores: _Scores, word: str) -> tuple[np.ndarray, np.ndarray] | None:
        """-bm25 of each passage for `word` alone (0.0 where absent), and which passages match it;
        None when SQLite holds a passage the kept state does not know."""
        known = scores.words.get(word)
        if known is not None:
            return known
        values = np.zeros(len(scores.entry_of), dtype=np.float64)
        present = np.zeros(len(scores.entry_of), dtype=bool)
        sql = f"SELECT rowid, {_bm25_sql()} FROM fts WHERE fts MATCH ?"
        for rowid, value in self.conn.execute(sql, (f'"{word}"',)):
            n = scores.position.get(rowid)
            if n is None:
                return None
            values[n], present[n] = value, True
        scores.words[word] = (values, present)
        return values, present

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

    def meta(self) -> dict[str, str]:
        """Every meta key/value (folder fingerprint, chunk count, time of the last ingest)."""
        return dict(self.conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall())


__all__ = ["NO_FILTERS", "DocRow", "Filters", "KeywordIndex", "match_expression"]
