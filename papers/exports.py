"""Downloads of citations: one work's file, or every work a page lists (``?format=``)."""

from django.http import HttpResponse, HttpResponseBadRequest

from papers.citations import EXPORT_FORMATS


def citation_download(items, *, export, filename):
    """A file of citations in ``export`` format, named ``filename.<extension>``."""
    response = HttpResponse(export.write(items), content_type=f"{export.media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export.extension}"'
    return response


def export_links(request):
    """Links that download what the current page lists, keeping its other query parameters."""
    links = []
    for export in EXPORT_FORMATS.values():
        query = request.GET.copy()
        query["format"] = export.name
        links.append((export.label, f"?{query.urlencode()}"))
    return links


class CitationExportMixin:
    """``?format=bibtex|ris|csljson`` downloads the works a page lists instead of the page.

    Views provide ``get_export_items()`` (CSL-JSON items) and ``get_export_filename()``.
    """

    query_parameters = ("format",)

    def get(self, request, *args, **kwargs):
        name = request.GET.get("format")
        if name is None:
            return super().get(request, *args, **kwargs)
        export = EXPORT_FORMATS.get(name)
        if export is None:
            return HttpResponseBadRequest(
                f"Unknown format “{name}”: choose one of {', '.join(EXPORT_FORMATS)}.",
                content_type="text/plain; charset=utf-8",
            )
        if hasattr(self, "get_object"):
            # The export needs only the row itself, not everything the page prefetches.
            model = self.get_queryset().model
            self.object = self.get_object(queryset=model._default_manager.all())
        return citation_download(
            self.get_export_items(), export=export, filename=self.get_export_filename()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_links"] = export_links(self.request)
        return context
