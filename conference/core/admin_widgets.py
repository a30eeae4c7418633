"""Admin autocompletes that cost no query per row.

Django's autocomplete widgets look up the option they show as chosen when they render: one
query per widget, so a list of inline rows (a session's talks, its chairs) costs two or three
queries per row. The rows already hold those objects (select_related or prefetched with the
inline's queryset); ``KnownChoices`` widgets render from labels the form gives them
(``show_known_choices``) and look up only what they were not given, as after a POST.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist


class KnownChoicesMixin:
    known = None  # {str(value): label} of the objects the form holds

    def optgroups(self, name, value, attr=None):
        chosen = list(
            dict.fromkeys(str(v) for v in value if str(v) not in self.choices.field.empty_values)
        )
        if self.known is None or not set(chosen) <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for key in chosen:
            options.append(self.create_option(name, key, self.known[key], True, len(options)))
        return [(None, options, 0)]


class KnownChoicesSelect(KnownChoicesMixin, AutocompleteSelect):
    pass


class KnownChoicesSelectMultiple(KnownChoicesMixin, AutocompleteSelectMultiple):
    pass


def show_known_choices(field, objects):
    """Let ``field``'s autocomplete render ``objects`` as its chosen options without a query."""
    widget = getattr(field.widget, "widget", field.widget)  # inside the admin's "+" wrapper
    if isinstance(widget, KnownChoicesMixin):
        widget.known = {str(obj.pk): field.label_from_instance(obj) for obj in objects}


def show_instance_choices(form):
    """For an unbound form of a stored row: each autocompleted foreign key shows the object
    the instance already holds (loaded with select_related), without a query."""
    if form.is_bound or not form.instance.pk:
        return
    for name, field in form.fields.items():
        try:
            model_field = form.instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if model_field.many_to_one and model_field.is_cached(form.instance):
            related = getattr(form.instance, name)
            show_known_choices(field, [related] if related is not None else [])


class KnownChoicesInlineMixin:
    """An inline whose autocompleted foreign keys render from the rows it read."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownChoicesSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
