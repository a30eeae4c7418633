from django_filters import rest_framework as filters

from conference.core.api.filters import SlugFilter
from people.models import Institution, Person


class PersonFilter(filters.FilterSet):
    institution = SlugFilter(
        Institution,
        field_name="affiliations__institution",
        distinct=True,
        help_text="Slug of an institution the person is or was affiliated with.",
    )

    class Meta:
        model = Person
        fields = ["institution"]


class InstitutionFilter(filters.FilterSet):
    country = filters.CharFilter(
        lookup_expr="iexact", help_text="Two-letter country code, e.g. BE."
    )

    class Meta:
        model = Institution
        fields = ["country"]
