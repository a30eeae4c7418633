from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from conference.core.api.validation import ModelCleanSerializer
from conference.meetings.api.summaries import InstitutionSummarySerializer, PaperSummarySerializer
from papers.models import Authorship
from people.models import Affiliation, Institution, Person


class InstitutionSerializer(ModelCleanSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:institution-detail", lookup_field="slug"
    )
    country = CountryField(required=False, allow_blank=True)
    country_name = serializers.CharField(source="country.name", read_only=True)
    alternative_names = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Former or other names."
    )
    ror_url = serializers.CharField(read_only=True, help_text="The ROR id as a link, or empty.")

    class Meta:
        model = Institution
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "short_name",
            "other_names",
            "alternative_names",
            "city",
            "country",
            "country_name",
            "website",
            "ror_id",
            "ror_url",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"other_names": {"write_only": True}}


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
            "orcid",
            "orcid_url",
            "website",
            "affiliations",
            "created_at",
            "updated_at",
        ]


class AuthoredWorkSerializer(serializers.ModelSerializer):
    work = PaperSummarySerializer(source="paper", read_only=True)
    affiliation = InstitutionSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Authorship
        fields = ["position", "work", "affiliation"]


class PersonDetailSerializer(PersonSerializer):
    works = AuthoredWorkSerializer(
        many=True, read_only=True, help_text="Works this person wrote, newest first."
    )

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "works"]
