"""story.yaml: the case told to a first-time reader, a short summary and chapters that walk the events.

The summary is the page's first screen (what happened, where, when, what is known and unknown, what the seed
article is); each chapter is one step of a curated narrative: its text, the events it covers, and optionally the
map view and the time window it opens at. The file is optional: a case without it has no story on its page.

Every id a chapter names must exist (an event, the source of the article's original), and a chapter's time window
must hold its events, so a story cannot point at what the case no longer has. Every problem is located as
file:line [record] field, as in every case file.
"""

from __future__ import annotations

from collections.abc import Mapping as AbcMapping
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path

from geo.casefile import fields, schema
from geo.casefile._read import items_of, text_items, top_mapping
from geo.casefile.fields import Context
from geo.casefile.yamlsafe import Mapping
from geo.common.errors import Problem, show_value

STORY_FILE = "story.yaml"
TOP_FIELDS = schema.STORY.names
CHAPTER_FIELDS = schema.CHAPTERS.names


@dataclass(frozen=True)
class ChapterView:
    """The map's view as the chapter opens: a box in degrees."""

    south: float
    west: float
    north: float
    east: float


@dataclass(frozen=True)
class Chapter:
    """One step of the story; ``events`` keep the line each id stands on, for messages."""

    id: str
    title: str
    text: tuple[str, ...]
    events: tuple[tuple[str, int], ...]
    view: ChapterView | None
    start: str | None
    end: str | None
    line: int


@dataclass(frozen=True)
class Story:
    summary: tuple[str, ...]
    chapters: tuple[Chapter, ...]
    original: str | None
    original_line: int


def _paragraphs(ctx: Context, record: Mapping, key: str, *, max_items: int, max_chars: int) -> tuple[str, ...]:
    """A list of paragraphs, each a text of at most ``max_chars``; at least one, at most ``max_items``."""
    return text_items(ctx, record, key, max_chars=max_chars, max_items=max_items, each="a paragraph of text")


def _view(ctx: Context, record: Mapping) -> ChapterView | None:
    box = fields.optional_mapping(ctx, record, "view")
    if box is None:
        return None
    sides = fields.box(ctx, box, prefix="view")
    return None if sides is None else ChapterView(*sides)


def _event_ids(ctx: Context, record: Mapping) -> tuple[tuple[str, int], ...]:
    found: list[tuple[str, int]] = []
    for item, line in items_of(ctx, record, "events", min_items=1):
        if isinstance(item, str) and fields.SLUG.fullmatch(item):
            found.append((item, line))
        else:
            ctx.problem(line, "events[]", "an event id like 'court-verdict'", fields.describe(item))
    return tuple(found)


def _chapter(ctx: Context, record: Mapping, line: int, seen: dict[str, int]) -> Chapter | None:
    ctx.record = record_id if isinstance(record_id := record.get("id"), str) else f"chapter at line {line}"
    fields.unknown_keys(ctx, record, CHAPTER_FIELDS)
    chapter_id = fields.slug(ctx, record, "id")
    fields.unique_ids(ctx, seen, chapter_id, record.line_of("id"))
    title = fields.text(ctx, record, "title", max_chars=schema.CHAPTER_TITLE_MAX)
    text = _paragraphs(ctx, record, "text", max_items=schema.CHAPTER_PARAGRAPHS, max_chars=schema.STORY_TEXT_MAX)
    events = _event_ids(ctx, record)
    view = _view(ctx, record)
    start = fields.full_date(ctx, record, "from") if record.get("from") is not None else None
    end = fields.full_date(ctx, record, "to") if record.get("to") is not None else None
    if start is not None and end is not None and start > end:
        ctx.problem(record.line_of("to"), "to", f"a date on or after from ({start})", end)
        return None
    if chapter_id is None or title is None or not text or not events:
        return None
    return Chapter(chapter_id, title, text, events, view, start, end, line)


def parse_story(path: Path, problems: list[Problem]) -> Story | None:
    """Read ``story.yaml``; record every problem instead of raising."""
    if (top := top_mapping(path, problems, TOP_FIELDS)) is None:
        return None
    ctx, root = top
    summary = _paragraphs(ctx, root, "summary", max_items=schema.SUMMARY_PARAGRAPHS, max_chars=schema.SUMMARY_MAX)
    original = fields.slug(ctx, root, "original", required=False)
    seen: dict[str, int] = {}
    chapters = [
        chapter
        for item, line in items_of(ctx, root, "chapters", min_items=1)
        if (record := fields.mapping(ctx, item, line=line, field="chapters[]")) is not None
        if (chapter := _chapter(ctx, record, line, seen)) is not None
    ]
    return Story(tuple(summary), tuple(chapters), original, root.line_of("original"))


def check_story(
    story: Story,
    event_dates: AbcMapping[str, tuple[str, str]],
    source_ids: Set[str],
    *,
    file: str,
) -> list[Problem]:
    """Every event a chapter names exists and lies in the chapter's time window; the original is a source.

    ``event_dates`` maps each event id to the first and last day it can have happened (its ``when``).
    """
    problems: list[Problem] = []
    if story.original is not None and story.original not in source_ids:
        expected = "the id of the source the seed article translates, from sources.yaml"
        problems.append(Problem(file, story.original_line, "", "original", expected, show_value(story.original)))
    for chapter in story.chapters:
        for event_id, line in chapter.events:
            dates = event_dates.get(event_id)
            if dates is None:
                problems.append(
                    Problem(file, line, chapter.id, "events[]", "an event id from events.yaml", show_value(event_id))
                )
            elif (chapter.start is not None and dates[1] < chapter.start) or (
                chapter.end is not None and dates[0] > chapter.end
            ):
                window = f"{chapter.start or '…'} to {chapter.end or '…'}"
                expected = f"an event within the chapter's window {window} (widen from/to or drop the event)"
                found = f"{event_id} ({dates[0]} to {dates[1]})"
                problems.append(Problem(file, line, chapter.id, "events[]", expected, found))
    return problems
