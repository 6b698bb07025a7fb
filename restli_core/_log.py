"""The ``restli`` logger.

Everything this library logs goes to the logger named ``restli``: each exchange at
DEBUG (method, URL, status, attempt, elapsed time) and each retry at INFO. Headers
and bodies are never logged, so the bearer token and the client secret cannot
appear; URLs are passed through :func:`redact_url` first, because a few LinkedIn
endpoints still accept a token as the ``oauth2_access_token`` query parameter and
OAuth redirects carry a ``code``.

:func:`redact_url` and :func:`redact_text` are defined with the errors (whose
messages need them too, and which ``import restli_core`` loads anyway, unlike
``logging``); they are the same functions here.
"""

from __future__ import annotations

import logging

from ._errors import SECRET_PARAMS, redact_text, redact_url

__all__ = ["SECRET_PARAMS", "logger", "redact_text", "redact_url"]

logger = logging.getLogger("restli")
