from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class SlugOrIdRelatedField(serializers.RelatedField):
    """A related record named by its id (``12``) or its slug (``"trui-steen"``).

    Scripts that just created a record hold its id; people writing JSON by hand know slugs.
    """

    default_error_messages = {
        "does_not_exist": "There is no {model} with the {kind} “{value}”.",
        "invalid": "Give the id (a number) or the slug (text) of a {model}, not {type}.",
    }

    def to_internal_value(self, data):
        model_name = self.get_queryset().model._meta.verbose_name
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid", model=model_name, type=type(data).__name__)
        if isinstance(data, int) or data.isdigit():
            lookup, kind = {"pk": int(data)}, "id"
        else:
            lookup, kind = {"slug": data}, "slug"
        try:
            return self.get_queryset().get(**lookup)
        except self.get_queryset().model.DoesNotExist:
            self.fail("does_not_exist", model=model_name, kind=kind, value=data)

    def to_representation(self, value):
        return value.slug
