"""Middleware any app's responses go through."""

import gzip
import secrets

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

# Formats that are compressed inside already: gzip would spend CPU to save nothing.
COMPRESSED_TYPES = ("application/pdf", "application/zip", "image/png", "image/jpeg")

# Django compresses at level 6. Level 2 takes a third of its CPU for about a fifth more bytes
# (the 82 KB assessment page: 1.4 ms → 0.5 ms, 14 → 17 KB; the pain finder 2.1 → 0.9 ms,
# 20 → 25 KB), the trade nginx makes by default (level 1): a clinic's network carries 3 KB
# more sooner than its server spends a millisecond a page.
LEVEL = 2


class GZipUncompressedMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (HTML, JSON, CSV...), except for formats compressed already (a
    stored plan PDF then leaves as the file it is, straight from disk), and at LEVEL for a
    whole response. Its BREACH mitigation stays (padded_gzip)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        if response.streaming:
            return super().process_response(request, response)
        # Django's own steps, in its order, for a response held whole
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = padded_gzip(response.content, self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag  # a strong ETag is weak once compressed
        response.headers["Content-Encoding"] = "gzip"
        return response


def padded_gzip(data: bytes, max_random_bytes: int) -> bytes:
    """gzip at LEVEL with a file name of random length (0 to `max_random_bytes` - 1) in the
    header, as Django's compress_string does, so the compressed length of a page varies from
    response to response (BREACH)."""
    compressed = memoryview(gzip.compress(data, compresslevel=LEVEL, mtime=0))
    if not max_random_bytes:  # as Django: no padding asked for
        return bytes(compressed)
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    name = b"a" * secrets.randbelow(max_random_bytes) + b"\x00"  # no NUL before the end
    return bytes(header) + name + compressed[10:]
