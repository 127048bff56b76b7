"""story.yaml read strictly: every problem located as file:line [chapter] field, every id it names checked."""

from __future__ import annotations

from pathlib import Path

from geo.casefile.story import Story, check_story, parse_story
from geo.common.errors import Problem

STORY = """\
original: the-original
summary:
  - "What happened, in brief."
chapters:
  - id: arrest
    title: The arrest
    text:
      - "He was detained."
    events: [arrest]
    from: "2019-08-01"
    to: "2019-12-31"
  - id: verdict
    title: The verdict
    text: ["Sentenced.", "Announced later."]
    events:
      - verdict
      - announcement
    view: {south: "50", west: "110", north: "54", east: "118"}
"""
DATES = {
    "arrest": ("2019-08-01", "2019-08-31"),
    "verdict": ("2021-01-01", "2021-02-14"),
    "announcement": ("2021-02-25", "2021-02-25"),
}


def parse(tmp_path: Path, text: str) -> tuple[Story | None, list[Problem]]:
    path = tmp_path / "story.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return parse_story(path, problems), problems


def located(problems: list[Problem]) -> list[tuple[int, str, str]]:
    return [(p.line, p.record, p.field) for p in problems]


def test_a_good_story_reads_in_order_with_its_lines(tmp_path: Path) -> None:
    story, problems = parse(tmp_path, STORY)
    assert problems == [] and story is not None
    assert [c.id for c in story.chapters] == ["arrest", "verdict"]
    assert story.chapters[1].events == (("verdict", 16), ("announcement", 17))
    assert story.chapters[1].text == ("Sentenced.", "Announced later.")
    assert story.chapters[0].start == "2019-08-01" and story.chapters[1].view is not None
    assert story.chapters[1].view.north == 54.0
    assert check_story(story, DATES, {"the-original"}, file="story.yaml") == []


def test_an_event_the_case_lacks_is_named_on_its_own_line(tmp_path: Path) -> None:
    story, _ = parse(tmp_path, STORY.replace("      - announcement", "      - announcment"))
    assert story is not None
    problems = check_story(story, DATES, {"the-original"}, file="story.yaml")
    assert located(problems) == [(17, "verdict", "events[]")]
    assert "announcment" in problems[0].found and "events.yaml" in problems[0].expected


def test_an_event_outside_the_chapters_window_is_refused(tmp_path: Path) -> None:
    story, _ = parse(tmp_path, STORY.replace('from: "2019-08-01"', 'from: "2019-09-01"'))
    assert story is not None
    problems = check_story(story, DATES, {"the-original"}, file="story.yaml")
    assert located(problems) == [(9, "arrest", "events[]")]
    assert "2019-08-01 to 2019-08-31" in problems[0].found


def test_an_original_that_is_no_source_is_refused(tmp_path: Path) -> None:
    story, _ = parse(tmp_path, STORY)
    assert story is not None
    problems = check_story(story, DATES, {"another-source"}, file="story.yaml")
    assert located(problems) == [(1, "", "original")]


def test_shape_problems_are_each_located(tmp_path: Path) -> None:
    bad = (
        STORY.replace("    title: The arrest\n", "    title: The arrest\n    colour: red\n")
        .replace("  - id: verdict", "  - id: arrest")
        .replace('south: "50"', 'south: "55"')
        .replace('to: "2019-12-31"', 'to: "2019-02-30"')
    )
    _, problems = parse(tmp_path, bad)
    assert sorted(located(problems)) == [
        (7, "arrest", "colour"),
        (12, "arrest", "to"),
        (13, "arrest", "id"),
        (19, "arrest", "view"),
    ]


def test_the_summary_stays_short(tmp_path: Path) -> None:
    six = "summary:\n" + "".join(f'  - "Paragraph {n}."\n' for n in range(6))
    _, problems = parse(tmp_path, STORY.replace('summary:\n  - "What happened, in brief."\n', six))
    assert [(p.line, p.field, p.expected) for p in problems] == [(2, "summary", "at most 5 paragraphs")]
    _, problems = parse(tmp_path, STORY.replace("What happened, in brief.", "x" * 601))
    assert [(p.line, p.field) for p in problems] == [(3, "summary[1]")]


def test_a_chapter_without_events_or_text_is_refused(tmp_path: Path) -> None:
    _, problems = parse(tmp_path, STORY.replace("    events: [arrest]\n", "    events: []\n"))
    assert [(p.line, p.field) for p in problems] == [(9, "events")]
    _, problems = parse(tmp_path, STORY.replace('    text: ["Sentenced.", "Announced later."]\n', ""))
    assert [(p.record, p.field) for p in problems] == [("verdict", "text")]
