"""The seed article accounted for, sentence by sentence: what the map checked, and why the rest is not checked.

A map that corrects an article must show that it read all of it. ``claims.yaml`` lists every sentence of the
seed article in order, each marked as

- ``checked``: a factual claim; ``events`` names the events whose ``claim.quote`` is taken from it;
- ``opinion``: opinion or analysis that no source can confirm or refute (``why`` says what makes it so);
- ``context``: background a map layer shows (``layers`` names them, ``why`` says what the layer shows);
- ``heading``: a headline or section heading that restates sentences checked elsewhere (``why`` names them).

The table itself is the segmentation: its sentences, joined in order, must be the article's text exactly (white
space aside), so no word of the article can fall outside a row, and no row can hold words the article lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.casefile import fields, schema
from geo.casefile.records import TEXT_MAX, read_records
from geo.common.errors import Problem, show_value

SENTENCE_KINDS = schema.SENTENCE_KINDS
SENTENCE_FIELDS = schema.SENTENCES.names
SENTENCE_MAX = schema.SENTENCE_MAX


@dataclass(frozen=True)
class ArticleSentence:
    """One sentence of the seed article and what the map does with it."""

    number: int
    text: str
    kind: str
    events: tuple[str, ...]
    layers: tuple[str, ...]
    why: str
    zh: str
    mt_note: str
    line: int


def parse_claims_table(path: Path, problems: list[Problem]) -> list[ArticleSentence]:
    """Read ``claims.yaml``; record every problem instead of raising."""
    ctx, items = read_records(path, "sentences", problems)
    found: list[ArticleSentence] = []
    for number, (record, line) in enumerate(items, 1):
        ctx.record = f"sentence {number}"
        fields.unknown_keys(ctx, record, SENTENCE_FIELDS)
        sentence = fields.text(ctx, record, "text", max_chars=SENTENCE_MAX)
        kind = fields.choice(ctx, record, "kind", SENTENCE_KINDS)
        events = fields.id_list(ctx, record, "events", expected="an id like 'court-verdict'")
        layers = fields.id_list(ctx, record, "layers", expected="an id like 'court-verdict'")
        why = fields.text(ctx, record, "why", required=kind in ("opinion", "context", "heading"), max_chars=TEXT_MAX)
        zh = fields.text(ctx, record, "zh", required=False, max_chars=SENTENCE_MAX) or ""
        mt_note = fields.text(ctx, record, "mt_note", required=False, max_chars=TEXT_MAX) or ""
        if kind == "checked" and not events:
            ctx.problem(record.line_of("kind"), "events", "the ids of the events that check this sentence", "none")
        if kind != "checked" and events:
            ctx.problem(record.line_of("events"), "events", "no events unless kind is checked", ", ".join(events))
        if kind == "context" and not layers:
            ctx.problem(record.line_of("kind"), "layers", "the keys of the layers that show this context", "none")
        if sentence is None or kind is None:
            continue
        found.append(ArticleSentence(number, sentence, kind, events, layers, why or "", zh, mt_note, line))
    return found


def _words(text: str) -> list[str]:
    return text.split()


def check_coverage(sentences: list[ArticleSentence], article: str, *, file: str) -> list[Problem]:
    """The sentences, joined in order, must be the article's text exactly (white space aside).

    The first place where the table and the article part is reported with a few words of each side, so the
    missing, extra or reordered sentence is found at once.
    """
    article_words = _words(article)
    position = 0
    for sentence in sentences:
        words = _words(sentence.text)
        if article_words[position : position + len(words)] != words:
            expected = " ".join(article_words[position : position + 12])
            return [
                Problem(
                    file,
                    sentence.line,
                    f"sentence {sentence.number}",
                    "text",
                    f"the article's next words, verbatim and in order: {show_value(expected, limit=80)}",
                    show_value(sentence.text, limit=80),
                )
            ]
        position += len(words)
    if position < len(article_words):
        rest = " ".join(article_words[position : position + 12])
        return [Problem(file, 0, "", "sentences", "every sentence of the article", f"nothing for {show_value(rest)}")]
    return []


def check_references(
    sentences: Iterable[ArticleSentence],
    quotes: Mapping[str, tuple[str, ...]],
    layer_keys: Iterable[str],
    *,
    file: str,
) -> list[Problem]:
    """Checked sentences name events with a quote from them; every quote is named by the sentence it stands in.

    ``quotes`` maps each event id to the quotes of its claims; ``layer_keys`` are the layers the map draws.
    """
    problems: list[Problem] = []
    layers = set(layer_keys)
    placed: set[tuple[str, str]] = set()
    for sentence in sentences:
        record = f"sentence {sentence.number}"
        words = " ".join(sentence.text.split())
        for event_id in sentence.events:
            here = [q for q in quotes.get(event_id, ()) if " ".join(q.split()) in words]
            placed.update((event_id, q) for q in here)
            if event_id not in quotes:
                problems.append(
                    Problem(file, sentence.line, record, "events[]", "an event with a claim", show_value(event_id))
                )
            elif not here:
                expected = f"an event with a claim quoted from this sentence ({event_id} quotes others)"
                problems.append(Problem(file, sentence.line, record, "events[]", expected, show_value(event_id)))
        problems.extend(
            Problem(file, sentence.line, record, "layers[]", f"one of {sorted(layers)}", show_value(key))
            for key in sentence.layers
            if key not in layers
        )
    for event_id, event_quotes in sorted(quotes.items()):
        for quote in event_quotes:
            if (event_id, quote) not in placed:
                expected = f"a checked sentence naming event {event_id} for its claim"
                problems.append(Problem(file, 0, "", "sentences", expected, show_value(quote, limit=60)))
    return problems
