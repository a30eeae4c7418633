from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.negotiation import DefaultContentNegotiation


class StrictFormatNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, except that an empty ``?format=`` is an unknown format: a 404, as DRF
    answers any other unknown format, rather than the default answer. The schema lists the
    formats an operation takes, and the empty string is none of them."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if not format_suffix and request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) == "":
            raise Http404(_("No such format: give one of the formats the API documents."))
        return super().select_renderer(request, renderers, format_suffix)
