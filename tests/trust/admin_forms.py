"""Post admin forms the way a browser would: every field as the page rendered it."""

import datetime

from django import forms
from django.urls import reverse

MULTIPLE_CHOICE = (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _as_post_value(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_as_post_value(item) for item in value]
    return "" if value is None else value


def _add_form(data, form):
    for name in form.fields:
        value = form[name].value()
        if isinstance(form.fields[name], MULTIPLE_CHOICE) and not value:
            continue  # nothing chosen: a browser sends no value at all
        if value is False:
            continue  # an unticked checkbox is not sent
        if value is True:
            value = "on"
        data[form.add_prefix(name)] = _as_post_value(value)


def form_data(response, **changes):
    """The data a browser would post back from an admin change or revert page."""
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    data.update(changes)
    return data
