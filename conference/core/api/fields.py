import re

from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class SlugOrIdRelatedField(serializers.RelatedField):
    """A related record named by its id (``12``) or its slug (``"trui-steen"``).

    Scripts that just created a record hold its id; people writing JSON by hand know slugs.
    """

    default_error_messages = {
        # Translators: {model} is a kind of record ("person"), {kind} is "id" or "slug".
        "does_not_exist": _("There is no {model} with the {kind} “{value}”."),
        # Translators: {type} is the JSON value's Python type name ("list", "float").
        "invalid": _("Give the id (a number) or the slug (text) of a {model}, not {type}."),
    }

    def to_internal_value(self, data):
        model_name = self.get_queryset().model._meta.verbose_name
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid", model=model_name, type=type(data).__name__)
        # isdecimal, not isdigit: "¹" is a digit that int() refuses.
        if isinstance(data, int) or data.isdecimal():
            lookup, kind = {"pk": int(data)}, "id"
        elif "\x00" in data:
            # No slug holds a NUL, and PostgreSQL refuses to even compare one.
            self.fail("does_not_exist", model=model_name, kind="slug", value=repr(data)[1:-1])
        else:
            lookup, kind = {"slug": data}, "slug"
        try:
            return self.get_queryset().get(**lookup)
        except self.get_queryset().model.DoesNotExist:
            self.fail("does_not_exist", model=model_name, kind=kind, value=data)

    def to_representation(self, value):
        return value.slug


_LINK_PLACEHOLDERS = ("zzlookupzz", "987654321012345")
_PLAIN_LOOKUP_VALUE = re.compile(r"[-a-zA-Z0-9_]+")


def record_link_builder(view_name, *, request, format=None, lookup_url_kwarg="slug"):
    """A function ``lookup value -> DRF's absolute link to that record``, for code that
    builds hundreds of links of one kind; the URL is resolved once per request and view.

    A page of 50 works links some 550 records (works, authors, institutions, topics), and
    resolving each link through Django's URL resolver took half the response time. The first
    link to a view is built by DRF as usual (absolute URI, format suffix, versioning); later
    ones put the lookup value into that link. Values a URL could not hold unchanged (or would
    have to quote) take DRF's own path, so every link is exactly what DRF would build.
    """
    builders = request.__dict__.setdefault("_link_builders", {})
    key = (view_name, lookup_url_kwarg, format)
    if key not in builders:
        builders[key] = _link_builder(view_name, request, format, lookup_url_kwarg)
    return builders[key]


def _link_builder(view_name, request, format, lookup_url_kwarg):
    # By the lookup value's type: a view may take numbers and text through different patterns.
    templates = {}

    def link(lookup_value):
        text = str(lookup_value)
        if _PLAIN_LOOKUP_VALUE.fullmatch(text):
            value_type = type(lookup_value)
            if value_type not in templates:
                templates[value_type] = _link_template(
                    view_name, lookup_url_kwarg, issubclass(value_type, int), request, format
                )
            template = templates[value_type]
            if template is not None:
                return template[0] + text + template[1]
        return reverse(
            view_name, kwargs={lookup_url_kwarg: lookup_value}, request=request, format=format
        )

    return link


def _link_template(view_name, lookup_url_kwarg, numeric, request, format):
    """(before, after) around the lookup value in this view's links, or None."""
    for placeholder in _LINK_PLACEHOLDERS:
        if numeric and not placeholder.isdigit():
            continue
        try:
            url = reverse(
                view_name, kwargs={lookup_url_kwarg: placeholder}, request=request, format=format
            )
        except NoReverseMatch:
            continue
        if url.count(placeholder) == 1:
            before, after = url.split(placeholder)
            return before, after
    return None


class HyperlinkedIdentityField(serializers.HyperlinkedIdentityField):
    """DRF's link to a record, resolved once per request and view instead of once per row
    (see ``record_link_builder``)."""

    def get_url(self, obj, view_name, request, format):
        value = getattr(obj, self.lookup_field)
        if value in (None, "") or request is None:
            return super().get_url(obj, view_name, request, format)
        link = record_link_builder(
            view_name, request=request, format=format, lookup_url_kwarg=self.lookup_url_kwarg
        )
        return link(value)
