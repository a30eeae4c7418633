"""The OAI-PMH endpoint and the DataCite XML of works and meetings."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from conference.core.languages import in_site_language
from harvest import datacite, items, oai

XML_CONTENT_TYPE = "text/xml; charset=utf-8"


@in_site_language
@csrf_exempt  # OAI-PMH allows POST (form-encoded arguments); it changes nothing.
@require_http_methods(["GET", "HEAD", "POST"])
def oai_pmh(request):
    arguments = request.POST if request.method == "POST" else request.GET
    pairs = [(name, value) for name in arguments for value in arguments.getlist(name)]
    body = oai.respond(
        pairs,
        base_url=request.build_absolute_uri(reverse("harvest:oai")),
        absolute=request.build_absolute_uri,
    )
    return HttpResponse(body, content_type=XML_CONTENT_TYPE)


def datacite_response(resource):
    return HttpResponse(datacite.to_bytes(resource), content_type=datacite.MEDIA_TYPE)


@in_site_language
def paper_datacite(request, slug):
    paper = get_object_or_404(items.works_for_harvest(), slug=slug)
    return datacite_response(datacite.work_resource(paper, absolute=request.build_absolute_uri))


@in_site_language
def meeting_datacite(request, slug):
    meeting = get_object_or_404(items.meetings_for_harvest(), slug=slug)
    return datacite_response(
        datacite.meeting_resource(meeting, absolute=request.build_absolute_uri)
    )
