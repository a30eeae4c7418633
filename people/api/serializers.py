from django.db import transaction
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from rest_framework import exceptions, serializers, status
from rest_framework.reverse import reverse

from conference.core.api.validation import ModelCleanSerializer
from conference.core.text import normalize_text
from people.api.summaries import InstitutionSummarySerializer
from people.models import Affiliation, Institution, InstitutionName, Person
from people.services import SameNameExists, create_person


class LinesField(serializers.ListField):
    """A list of names in the API, stored one per line (``Person.other_names``)."""

    child = serializers.CharField(max_length=255)

    def to_representation(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def to_internal_value(self, data):
        names = super().to_internal_value(data)
        for name in names:
            if "\n" in name or "\r" in name:
                raise serializers.ValidationError(_("Each name is one line."))
        return "\n".join(dict.fromkeys(name.strip() for name in names if name.strip()))


class InstitutionNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstitutionName
        fields = ["name", "kind", "language", "start_year", "end_year"]


class InstitutionSerializer(ModelCleanSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:institution-detail", lookup_field="slug"
    )
    country = CountryField(required=False, allow_blank=True)
    country_name = serializers.CharField(source="country.name", read_only=True)
    alternative_names = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Every other name, as text."
    )
    names = InstitutionNameSerializer(
        many=True,
        required=False,
        help_text="Former names, acronyms, translations and other names, with their years. "
        "A write replaces the whole list.",
    )
    ror_url = serializers.CharField(read_only=True, help_text="The ROR id as a link, or empty.")
    parent = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Institution.objects.all(),
        required=False,
        allow_null=True,
        help_text="Slug of the institution this one is part of.",
    )
    predecessors = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Institution.objects.all(),
        many=True,
        required=False,
        help_text="Slugs of the institutions this one continues.",
    )
    successors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Institution
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "short_name",
            "names",
            "alternative_names",
            "city",
            "country",
            "country_name",
            "website",
            "ror_id",
            "ror_url",
            "parent",
            "predecessors",
            "successors",
            "created_at",
            "updated_at",
        ]

    def validate_names(self, names):
        seen = set()
        for name in names:
            key = (normalize_text(name["name"]), name.get("kind", InstitutionName.Kind.ALIAS))
            if key in seen:
                raise serializers.ValidationError(
                    # Translators: the kind is a value of the API (alias, former…): keep it as is.
                    _("“%(name)s” is listed twice as %(kind)s.") % {"name": key[0], "kind": key[1]}
                )
            seen.add(key)
            start, end = name.get("start_year"), name.get("end_year")
            if start and end and end < start:
                raise serializers.ValidationError(
                    _("“%(name)s”: the end year cannot be before the start year.")
                    % {"name": key[0]}
                )
        return names

    def validate(self, attrs):
        names = attrs.pop("names", None)
        attrs = super().validate(attrs)
        if names is not None:
            attrs["names"] = names
        return attrs

    def create(self, validated_data):
        names = validated_data.pop("names", [])
        with transaction.atomic():
            institution = super().create(validated_data)
            self._replace_names(institution, names)
        return institution

    def update(self, instance, validated_data):
        names = validated_data.pop("names", None)
        with transaction.atomic():
            institution = super().update(instance, validated_data)
            if names is not None:
                self._replace_names(institution, names)
        return institution

    def _replace_names(self, institution, names):
        institution.names.all().delete()
        for name in names:
            InstitutionName(institution=institution, **name).save()
        # The answer shows the names just written, not a prefetched copy.
        if hasattr(institution, "_prefetched_objects_cache"):
            institution._prefetched_objects_cache.pop("names", None)


class AffiliationSerializer(serializers.ModelSerializer):
    institution = InstitutionSummarySerializer(read_only=True)
    period = serializers.CharField(read_only=True, help_text="e.g. “since 2019”, “2015–2020”.")

    class Meta:
        model = Affiliation
        fields = ["institution", "role", "start_year", "end_year", "period"]


class PersonSerializer(ModelCleanSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="slug")
    name = serializers.CharField(source="full_name", read_only=True)
    orcid_url = serializers.CharField(read_only=True, help_text="The ORCID iD as a link, or empty.")
    affiliations = AffiliationSerializer(many=True, read_only=True)
    other_names = LinesField(
        required=False,
        help_text="Other forms of the name (transliterations, maiden names, initials), "
        "each as “given family”.",
    )
    same_name_confirmed = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="On create: true to record a second person with exactly the name of one "
        "already recorded (a homonym); without it such a create answers 409.",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "given_name",
            "family_name",
            "is_organisation",
            "other_names",
            "orcid",
            "orcid_url",
            "website",
            "same_name_confirmed",
            "affiliations",
            "created_at",
            "updated_at",
        ]

    def create(self, validated_data):
        try:
            return create_person(**validated_data)
        except SameNameExists as exists:
            raise SameNamePersonConflict(exists.existing, self.context["request"]) from exists

    def update(self, instance, validated_data):
        validated_data.pop("same_name_confirmed", None)
        return super().update(instance, validated_data)


class SameNamePersonConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "same_name"

    def __init__(self, existing, request):
        url = reverse("api:person-detail", kwargs={"slug": existing.slug}, request=request)
        super().__init__(
            {
                "detail": _(
                    "%(name)s is already recorded (%(url)s). Nothing was created: use that "
                    'person, or send "same_name_confirmed": true to record another person '
                    "with the same name."
                )
                % {"name": existing.full_name, "url": url},
                "existing": url,
            }
        )


class MergeSerializer(serializers.Serializer):
    """``POST …/{slug}/merge/``: the record addressed survives; ``merge`` names the other."""

    merge = serializers.SlugField(help_text="Slug of the record merged into this one.")
    keep = serializers.DictField(
        child=serializers.ChoiceField(choices=["survivor", "merged"]),
        required=False,
        default=dict,
        help_text="For each value to take from the merged record, “merged”; the survivor's "
        "values are kept otherwise.",
    )
