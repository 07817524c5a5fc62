"""One router per kind, made from its model: list, get, create (an upsert for a kind made
of links), partial update. Publishing and unpublishing go through `status`."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from ninja import Path, Query, Router
from ninja.responses import Status

from api import schemas
from api.auth import require
from api.idempotency import HEADER, idempotent
from api.problems import Problem, field_error, from_model_error
from content.history import revision
from content.models import Publishable, Tag, site_url
from content.preview import preview_url

MAX_ID = 2**63 - 1
IDEMPOTENCY_PARAMETER = {
    "parameters": [
        {
            "in": "header",
            "name": HEADER,
            "required": False,
            "description": "Retrying with the same key replays the first answer (24 hours).",
            "schema": {"type": "string", "minLength": 1, "maxLength": 200},
        }
    ]
}


def serialize(item: Publishable, messages: list[str] | None = None) -> dict:
    data = {
        "id": item.pk,
        "kind": item._meta.app_label,
        "title": item.title,
        "slug": item.slug,
        "status": item.status,
        "published_at": item.published_at,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "tags": [tag.name for tag in item.tags.all()],
        "excerpt": item.excerpt,
        "body": item.body,
    }
    data |= {name: getattr(item, name) for name in type(item).own_fields()}
    data["page_url"] = site_url(item.get_absolute_url())
    data["preview_url"] = None if item.is_published else site_url(preview_url(item))
    data["messages"] = messages or []
    return data


def validate(item: Publishable, exclude: tuple[str, ...] = ()) -> None:
    try:
        if exclude:
            item.clean_fields(exclude=list(exclude))
        else:
            item.full_clean()
    except ValidationError as error:
        raise from_model_error(error) from error


def save(request: HttpRequest, item: Publishable, tags: list[str] | None) -> None:
    """Saved as one revision of the item's history, with the token's user and name."""
    comment = f"Saved through the API (token “{request.auth.name}”)"
    try:
        with transaction.atomic(), revision(comment, request.auth.user):
            item.save()
            if tags is not None:
                item.tags.set(Tag.objects.resolve(tags))
    except IntegrityError as error:
        # Only a race passes full_clean() and fails here: two writes of one slug or link.
        raise Problem(
            409, "Another request saved the same slug or link just now; retry."
        ) from error


def check_parameters(request: HttpRequest, known: dict) -> None:
    """400 for a parameter the list does not have (even an empty name, which the schema's
    own check lets through) or one sent twice: neither may be silently ignored."""
    errors = [
        field_error([name], "is not a parameter of this list")
        if name not in known
        else field_error([name], "is given more than once")
        for name in sorted(request.GET)
        if name not in known or len(request.GET.getlist(name)) > 1
    ]
    if errors:
        raise Problem(400, "; ".join(f"{e['field']!r} {e['message']}" for e in errors), errors)


def listing(request: HttpRequest, model: type[Publishable], filters) -> dict:
    items = (
        model.objects.defer("body_html", "toc", "render_warnings", "search_vector")
        .prefetch_related("tags")
        .order_by("-updated_at", "-pk")
    )
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.tag:
        name = filters.tag.strip()
        tag = Tag.objects.filter(models.Q(slug=slugify(name)) | models.Q(name__iexact=name)).first()
        items = items.filter(tags=tag) if tag else items.none()
    if filters.updated_since:
        since = filters.updated_since
        items = items.filter(
            updated_at__gte=timezone.make_aware(since) if timezone.is_naive(since) else since
        )
    if filters.slug:
        items = items.filter(slug=filters.slug)
    link = model.link_field and getattr(filters, model.link_field)
    if link:
        items = items.filter(**{model.link_field: model.link_key(link)})
    paginator = Paginator(items, filters.page_size)
    if filters.page > paginator.num_pages:
        raise Problem(404, f"There is no page {filters.page}: the last is {paginator.num_pages}.")
    page = paginator.page(filters.page)

    def page_link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": page_link(page.next_page_number()) if page.has_next() else None,
        "previous": page_link(page.previous_page_number()) if page.has_previous() else None,
        "items": [serialize(item) for item in page],
    }


def create(request: HttpRequest, model: type[Publishable], payload) -> tuple[int, dict]:
    """201 and a new item; for a kind made of links, 200 and the existing item when its
    link is already saved (the fields sent update it)."""
    given = payload.model_dump(exclude_unset=True)
    tags = given.pop("tags", None)
    item = None
    if model.link_field and given.get(model.link_field):
        item = model.objects.filter(
            **{model.link_field: model.link_key(given[model.link_field])}
        ).first()
    if item is not None:
        require(request, model, "change")
        values, status = given, 200
    else:
        values, status = payload.model_dump(exclude={"tags"}), 201
        item, tags = model(), tags or []
    for name, value in values.items():
        setattr(item, name, value)
    messages = []
    if any(not getattr(item, name) for name in model.fillable_fields):
        validate(item, exclude=model.fillable_fields)
        if note := item.fill_in():
            messages.append(note)
    validate(item)
    save(request, item, tags)
    return status, serialize(item, messages)


def kind_router(model: type[Publishable]) -> Router:
    label, noun = model._meta.app_label, model._meta.verbose_name_plural
    one = model._meta.verbose_name
    Item = schemas.output_schema(model)
    Page = schemas.list_schema(model)
    Create = schemas.input_schema(model, partial=False)
    Update = schemas.input_schema(model, partial=True)
    Filters = schemas.filters_schema(model)
    router = Router(tags=[noun])
    item_id_path = Path(..., ge=1, le=MAX_ID, description=f"The {one}'s id.")

    @router.get("", response=Page, operation_id=f"list_{label}", summary=f"List {noun}")
    def list_items(request: HttpRequest, filters: Query[Filters]):
        require(request, model, "view")
        check_parameters(request, Filters.model_fields)
        return listing(request, model, filters)

    @router.get("/{item_id}", response=Item, operation_id=f"get_{label}", summary=f"Get a {one}")
    def get_item(request: HttpRequest, item_id: int = item_id_path):
        require(request, model, "view")
        return serialize(get_object_or_404(model.objects.prefetch_related("tags"), pk=item_id))

    @router.post(
        "",
        response={200: Item, 201: Item},
        operation_id=f"create_{label}",
        summary=f"Create a {one}"
        + (" (or update the one with this link)" if model.link_field else ""),
        openapi_extra=IDEMPOTENCY_PARAMETER,
    )
    def create_item(request: HttpRequest, response: HttpResponse, payload: Create):
        require(request, model, "add")
        return Status(*idempotent(request, response, lambda: create(request, model, payload)))

    @router.patch(
        "/{item_id}", response=Item, operation_id=f"update_{label}", summary=f"Update a {one}"
    )
    def update_item(request: HttpRequest, payload: Update, item_id: int = item_id_path):
        require(request, model, "change")
        item = get_object_or_404(model, pk=item_id)
        values = payload.model_dump(exclude_unset=True)
        tags = values.pop("tags", None)
        for name, value in values.items():
            setattr(item, name, value)
        validate(item)
        save(request, item, tags)
        return serialize(item)

    return router
