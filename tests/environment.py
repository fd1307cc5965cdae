"""Loaded by pytest before Django (`-p tests.environment` in pyproject.toml): the settings
module reads these when it is imported, which happens before any conftest.py runs."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "insecure-key-for-tests-only")
os.environ.setdefault("DEBUG", "0")
os.environ["STATIC_MANIFEST"] = "0"  # live_server serves static files from the finders
os.environ["SECURE_COOKIES"] = "0"  # live_server speaks plain HTTP
# pytest-playwright runs an event loop in the test thread; the ORM calls in fixtures are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Stored PDFs go to a throwaway folder, never the working tree's media/.
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="myoplan-test-media-"))
