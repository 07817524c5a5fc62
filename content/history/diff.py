"""Readable differences between two versions: field by field, line by line, and word by
word inside a changed line (a Markdown paragraph is one long line)."""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONTEXT_LINES = 2
WORDS = re.compile(r"\s+|[^\s\w]|\w+")


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "removed", "added", "changed" or "gap"
    html: SafeString


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    old: str
    new: str
    lines: list[Line]


def _words(old: str, new: str) -> SafeString:
    """One line changed in place: removed words in <del>, added ones in <ins>."""
    a, b = WORDS.findall(old), WORDS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # every piece above is escaped


def line_diff(old: str, new: str, context: int = CONTEXT_LINES) -> list[Line]:
    """Changed lines with `context` unchanged ones around them; a "gap" marks what is left
    out. Empty when the texts are equal."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[Line] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines or group[0][1] > 0:
            lines.append(Line("gap", mark_safe("…")))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                lines += [Line("same", escape(text)) for text in a[i1:i2]]
            elif op == "replace" and i2 - i1 == j2 - j1:
                lines += [
                    Line("changed", _words(x, y)) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)
                ]
            else:
                lines += [Line("removed", escape(text)) for text in a[i1:i2]]
                lines += [Line("added", escape(text)) for text in b[j1:j2]]
    return lines


def as_text(model: type[models.Model], name: str, value: object) -> str:
    """A stored value as the author would recognise it: tag names, not primary keys."""
    if value is None:
        return ""
    field = model._meta.get_field(name)
    if field.many_to_many and not isinstance(value, str):
        names = field.related_model._default_manager.filter(pk__in=value)
        return ", ".join(sorted((str(obj) for obj in names), key=str.casefold))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        # To the second: revisions store milliseconds, the live row microseconds.
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S %Z}"
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def editable_names(model: type[models.Model]) -> list[str]:
    """What the author edits, in the model's order: the fields a diff compares."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [f.name for f in fields if f.editable and not f.primary_key]


def compare(model: type[models.Model], old: dict, new: dict) -> list[FieldDiff]:
    """The fields that differ between two `field_dict`s (values keyed by attname; a value
    may also be given as text already), in the model's field order."""
    diffs = []
    for name in editable_names(model):
        field = model._meta.get_field(name)
        before = as_text(model, name, old.get(field.attname))
        after = as_text(model, name, new.get(field.attname))
        if before != after:
            label = str(field.verbose_name)
            diffs.append(
                FieldDiff(
                    name, label[:1].upper() + label[1:], before, after, line_diff(before, after)
                )
            )
    return diffs
