"""Plan-link tokens never reach the logs: Django's own request lines ("Forbidden: /p/<token>/…")
carry the path, and the token in it opens the patient's plan."""

import logging
import re

TOKEN_IN_PATH = re.compile(r"/p/[^/\s]+/")


def redact(text: str) -> str:
    return TOKEN_IN_PATH.sub("/p/…/", text)


class RedactPlanLinks(logging.Filter):
    """A handler filter: the message and its arguments with every /p/<token>/ replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True
