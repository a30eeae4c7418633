from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.widgets import BooleanWidget
from rest_framework import serializers
from rest_framework.filters import OrderingFilter, SearchFilter


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend, leaving a list alone when no query parameter is one of its
    filter set's.

    Most list requests filter nothing, and building the filter set anyway (a deep copy of
    every filter, a form class, a bound form) was a tenth of the time of a page of works.
    Without any of its parameters a filter set returns the queryset as it is. A filter reads
    its own name, or its name and a suffix (``year_min``), so those are what is looked for.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            parameter == name or parameter.startswith(f"{name}_")
            for parameter in request.query_params
            for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class ArchiveSearchFilter(SearchFilter):
    """DRF's ``?search=``, whose refusals (a NUL) name the parameter, as a filter's do:
    ``{"search": ["Null characters are not allowed."]}``."""

    def get_search_terms(self, request):
        try:
            return super().get_search_terms(request)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({self.search_param: exc.detail}) from exc


class StableOrderingFilter(OrderingFilter):
    """DRF's ``?ordering=``, with the primary key as the last sort column.

    Pages are slices of an ordered query; records that tie on every ordering column (works of
    one year, two people of the same name) could otherwise come back in another order for the
    next page, and appear on two pages or on none.
    """

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        # A view's default ordering may hold expressions (nulls last): those are never the key.
        names = [field.lstrip("-") for field in ordering or () if isinstance(field, str)]
        if not ordering or any(name in ("pk", "id") for name in names):
            return ordering
        return [*ordering, "pk"]


class SlugFilter(filters.ModelChoiceFilter):
    """Filters by a related record given by its slug (``?author=trui-steen``); an unknown slug
    is a 400. ``distinct`` for paths through to-many relations, which would repeat rows."""

    def __init__(self, model, *, help_text, field_name=None, distinct=False):
        super().__init__(
            field_name=field_name,
            queryset=model.objects.all(),
            to_field_name="slug",
            distinct=distinct,
            help_text=help_text,
        )


class YearFilter(filters.NumberFilter):
    """A four-digit year: anything else is a 400, never a query that overflows the database."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=1000, max_value=2999, **kwargs)


class _TrueOrFalseWidget(BooleanWidget):
    """django-filter's true/false select, passing on what was sent (its own turns anything
    but "true" and "false" into "not given")."""

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class _TrueOrFalseField(forms.Field):
    widget = _TrueOrFalseWidget
    default_error_messages = {
        "invalid": _("“%(value)s” is not a choice: give true or false, or leave it out.")
    }

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": value}
        )


class TrueOrFalseFilter(filters.BooleanFilter):
    """``?name=true`` or ``?name=false`` as the schema's boolean says; anything else is a 400
    naming the parameter, never silently ignored as django-filter's own does. Empty: not
    filtered."""

    field_class = _TrueOrFalseField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _TrueOrFalseWidget)
        super().__init__(*args, **kwargs)
