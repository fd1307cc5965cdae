"""Middleware any app's responses go through."""

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

# Formats that are compressed inside already: gzip would spend CPU to save nothing.
COMPRESSED_TYPES = ("application/pdf", "application/zip", "image/png", "image/jpeg")


class GZipUncompressedMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (HTML, JSON, CSV...), except for formats compressed already:
    a stored plan PDF then leaves as the file it is, straight from disk."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
