from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """Page-number pagination with a client-chosen, bounded page size.

    A ``page_size`` that is not a whole number between 1 and ``max_page_size`` is refused
    with a 400 that says so: silently clamping it would let a client believe it has every
    row when it has only the first hundred.
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            page_size = int(raw)
        except ValueError:
            page_size = None
        if page_size is None or not 1 <= page_size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _(
                            "“%(value)s” is not a valid page size: use a whole number from 1 "
                            "to %(maximum)s."
                        )
                        % {"value": raw, "maximum": self.max_page_size}
                    ]
                }
            )
        return page_size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
                parameter["description"] = (
                    f"Number of results per page, from 1 to {self.max_page_size} "
                    f"(default {self.page_size}); a larger value is refused with 400."
                )
        return parameters
