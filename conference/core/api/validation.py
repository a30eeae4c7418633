from collections.abc import Mapping
from copy import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import UniqueConstraint
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.settings import api_settings


def as_api_error(exc, field_names=None):
    """A Django ``ValidationError`` as DRF's, keyed by the API's field names (``field_names``
    maps model names to them) and with ``__all__`` as DRF's non-field key."""
    field_names = {NON_FIELD_ERRORS: api_settings.NON_FIELD_ERRORS_KEY, **(field_names or {})}
    if hasattr(exc, "error_dict"):
        detail = {
            field_names.get(field, field): messages for field, messages in exc.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return serializers.ValidationError(detail)


def api_field_names(serializer):
    """``{model field: API field}`` for a serializer's fields that are renamed with ``source``."""
    return {
        field.source: name
        for name, field in serializer.fields.items()
        if field.source and field.source != name and "." not in field.source
    }


def run_service(serializer, service, **kwargs):
    """Call a service function for ``serializer``; its validation errors become a 400 with
    messages under the serializer's field names."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise as_api_error(exc, api_field_names(serializer)) from exc


def identifier_taken_errors(instance):
    """Field messages for single-field conditional unique constraints (an ORCID iD, a ROR id
    that another record has): Django reports those only by the constraint's name."""
    errors = {}
    model = type(instance)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, UniqueConstraint) or len(constraint.fields) != 1:
            continue
        field = model._meta.get_field(constraint.fields[0])
        value = getattr(instance, field.attname)
        if value in ("", None):
            continue
        other = model._default_manager.exclude(pk=instance.pk).filter(**{field.name: value})
        if other := other.first():
            errors[field.name] = [
                # Translators: "Trui Steen already has the ORCID iD 0000-0002-1825-0097."
                _("%(record)s already has the %(field)s %(value)s.")
                % {"record": other, "field": field.verbose_name, "value": value}
            ]
    return errors


class KnownFieldsOnly:
    """A serializer mixin: a body with a field the serializer does not have is a 400 naming
    it, so that a misspelt field ("titel") is not silently dropped while the write "works".

    Read-only fields (``id``, ``url``) are known: a client may send back what it read.
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in data if name not in self.fields)
            if unknown:
                writable = (name for name, field in self.fields.items() if not field.read_only)
                known = ", ".join(writable)
                raise serializers.ValidationError(
                    {
                        name: [
                            _("There is no field %(name)s here. The fields are: %(fields)s.")
                            % {"name": repr(name), "fields": known}
                        ]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class ModelCleanSerializer(KnownFieldsOnly, serializers.ModelSerializer):
    """Runs the model's ``full_clean()`` before saving.

    The model's ``clean()``, check constraints and conditional unique constraints (ORCID,
    ROR id) then answer 400 with field messages instead of an IntegrityError.
    """

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = copy(self.instance) if self.instance is not None else self.Meta.model()
        many_to_many = {field.name for field in instance._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(instance, name, value)
        try:
            instance.normalize_fields()
            if errors := identifier_taken_errors(instance):
                raise DjangoValidationError(errors)
            instance.full_clean(exclude=many_to_many)
        except DjangoValidationError as exc:
            raise as_api_error(exc) from exc
        return attrs
