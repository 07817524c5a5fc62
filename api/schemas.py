"""Each kind's input and output schemas, made from its model's fields, so the OpenAPI
document follows the models: a kind's own fields (`own_fields()`) appear without being
written here."""

import datetime
import re
from functools import cache
from typing import Annotated, Any, Literal

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, create_model

from content.models import Publishable, Status


def _no_nul(text: str) -> str:
    # PostgreSQL text cannot hold NUL; saying so beats a database error.
    if "\x00" in text:
        raise ValueError("must not contain NUL (\\u0000) characters")
    return text


def _utc(moment: datetime.datetime) -> datetime.datetime:
    """Aware, in UTC: PostgreSQL refuses offsets past ±15:59, which ISO 8601 allows."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError as error:
        raise ValueError("is out of range") from error


RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _rfc3339_only(value: object) -> object:
    # What the schema's `date-time` promises: a date, a time and an offset. Pydantic alone
    # would also take a bare date, a time without offset or a number of seconds.
    if isinstance(value, datetime.datetime) or (isinstance(value, str) and RFC_3339.match(value)):
        return value
    raise ValueError("must be a date and time with its offset, e.g. 2026-01-31T09:30:00Z")


Text = Annotated[str, AfterValidator(_no_nul)]
Moment = Annotated[datetime.datetime, BeforeValidator(_rfc3339_only), AfterValidator(_utc)]
StatusName = Literal["draft", "published"]
TagName = Annotated[Text, Field(min_length=1, max_length=60)]
EDITABLE = ["title", "slug", "body", "excerpt"]


class InputSchema(Schema):
    # An unknown field is an error that names it, not something silently dropped.
    model_config = ConfigDict(extra="forbid")


def _type(field: models.Field) -> Any:
    if isinstance(field, ArrayField):
        return list[_type(field.base_field)]
    if isinstance(field, models.DateTimeField):
        return Moment
    if isinstance(field, models.CharField | models.TextField) and field.max_length:
        return Annotated[Text, Field(max_length=field.max_length)]
    return Text


def _field(model: type[Publishable], name: str, partial: bool) -> tuple[Any, Any]:
    field = model._meta.get_field(name)
    kind = _type(field)
    description = str(field.help_text or "") or None
    if partial:
        return kind, Field(None, description=description)
    required = not field.blank and name not in model.fillable_fields
    if required:
        return kind, Field(..., description=description)
    default = field.get_default()
    return kind, Field(default if default is not None else "", description=description)


@cache
def input_schema(model: type[Publishable], partial: bool) -> type[Schema]:
    """Create (`partial=False`: required fields required) or update (every field optional)."""
    names = [*EDITABLE, *model.own_fields()]
    fields = {name: _field(model, name, partial) for name in names}
    fields["status"] = (
        StatusName,
        Field(None if partial else Status.DRAFT.value, description="New items are drafts."),
    )
    fields["published_at"] = (
        Moment | None,
        Field(None, description="Set on first publish; a future time schedules the item."),
    )
    fields["tags"] = (list[TagName], Field(None if partial else [], description="Tag names."))
    suffix = "Update" if partial else "Create"
    return create_model(f"{model.__name__}{suffix}", __base__=InputSchema, **fields)


@cache
def output_schema(model: type[Publishable]) -> type[Schema]:
    own = {name: (_type(model._meta.get_field(name)), ...) for name in model.own_fields()}
    return create_model(
        model.__name__,
        __base__=Schema,
        id=(int, ...),
        kind=(str, ...),
        title=(str, ...),
        slug=(str, ...),
        status=(StatusName, ...),
        published_at=(datetime.datetime | None, ...),
        created_at=(datetime.datetime, ...),
        updated_at=(datetime.datetime, ...),
        tags=(list[str], ...),
        excerpt=(str, ...),
        body=(str, ...),
        **own,
        page_url=(str, Field(..., description="The public page (once published).")),
        preview_url=(str | None, Field(..., description="A private preview link for drafts.")),
        messages=(list[str], Field([], description="Notes on what the server did.")),
    )


@cache
def list_schema(model: type[Publishable]) -> type[Schema]:
    return create_model(
        f"{model.__name__}Page",
        __base__=Schema,
        count=(int, ...),
        page=(int, ...),
        pages=(int, ...),
        next=(str | None, ...),
        previous=(str | None, ...),
        items=(list[output_schema(model)], ...),
    )


@cache
def filters_schema(model: type[Publishable]) -> type[Schema]:
    fields: dict[str, Any] = {
        "status": (StatusName | None, Field(None, description="draft or published")),
        "tag": (Text | None, Field(None, max_length=60, description="A tag's name or slug.")),
        "updated_since": (
            Moment | None,
            Field(
                None,
                description="Only items changed at or after this time, e.g. 2026-01-31T09:30:00Z.",
            ),
        ),
        "slug": (Text | None, Field(None, max_length=200)),
        "page": (int, Field(1, ge=1, le=1_000_000)),
        "page_size": (int, Field(20, ge=1, le=100)),
    }
    if model.link_field:
        fields[model.link_field] = (
            Text | None,
            Field(None, max_length=2000, description="Look an item up by its link (normalised)."),
        )
    # Unknown parameters are errors too: `?stauts=draft` must not list everything.
    return create_model(f"{model.__name__}Filters", __base__=InputSchema, **fields)
