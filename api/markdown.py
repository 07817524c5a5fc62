"""`POST /api/markdown`: a Markdown file with front matter, created or updated by slug,
read by the same rules as `manage.py import_markdown` (what `sitectl push` sends)."""

from pathlib import PurePosixPath
from typing import Annotated, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from api.auth import require
from api.problems import Problem, field_error
from api.schemas import InputSchema, StatusName, Text
from content.files import frontmatter
from content.files.mapping import FileProblem, name_parts, read_entry, save_entry
from content.history import revision
from content.models import site_url

router = Router(tags=["markdown"])


class MarkdownFile(InputSchema):
    path: Annotated[Text, Field(min_length=1, max_length=500)] = Field(
        ...,
        description="The file's path, e.g. notes/2026-01-31-my-note.md: its folder and "
        "name give the kind, date and slug when the front matter does not.",
    )
    text: Annotated[Text, Field(max_length=2_000_000)] = Field(
        ..., description="The whole file: front matter, then the Markdown body."
    )


class Pushed(Schema):
    action: Literal["created", "updated", "unchanged"]
    kind: str
    rule: str = Field(..., description="How the kind was chosen, e.g. `kind: note`.")
    id: int
    slug: str
    title: str
    status: StatusName
    page_url: str


def _invalid(field: str, message: str) -> Problem:
    return Problem(422, f"{field}: {message}", [field_error([field], message)])


@router.post("", response={200: Pushed, 201: Pushed}, summary="Push a Markdown file")
def push(request: HttpRequest, payload: MarkdownFile):
    path = PurePosixPath(payload.path.replace("\\", "/"))
    try:
        meta, body = frontmatter.split(payload.text)
    except frontmatter.FrontMatterError as error:
        raise _invalid("text", str(error)) from error
    day, slug = name_parts(path)
    try:
        entry = read_entry(meta, body, folder=path.parent.name.lstrip("_"), slug=slug, date=day)
    except FileProblem as error:
        raise _invalid("text", str(error)) from error
    exists = entry.model.objects.filter(**entry.lookup).exists()
    require(request, entry.model, "change" if exists else "add")
    try:
        with transaction.atomic(), revision(f"Pushed as Markdown ({path.name})", request.auth.user):
            action, item = save_entry(entry)
    except FileProblem as error:
        raise _invalid("text", str(error)) from error
    answer = {
        "action": action,
        "kind": item._meta.app_label,
        "rule": entry.rule,
        "id": item.pk,
        "slug": item.slug,
        "title": item.title,
        "status": item.status,
        "page_url": site_url(item.get_absolute_url()),
    }
    return Status(201 if action == "created" else 200, answer)
