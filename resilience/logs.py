"""Log filters: a refused request is one line, not a traceback (issue 13, defect 10).

Django logs every SuspiciousOperation (a hostile admin query's DisallowedModelAdminToField,
a bad Host header…) and every BadRequest with the exception's full traceback. A scan sends
hundreds; the traceback says nothing the message does not, and buries real errors. 5xx
records keep their traceback.
"""

import logging


class OneLineClientErrors(logging.Filter):
    """4xx records lose their traceback and gain the request's path: "<message>: <path>"."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if status is None or not 400 <= status < 500 or not record.exc_info:
            return True
        message = record.getMessage()
        path = getattr(getattr(record, "request", None), "path", "")
        if path and not message.endswith(path):
            message = f"{message}: {path}"
        # Escaped as Django escapes the paths it logs: a crafted query or path (the message
        # quotes it) cannot forge log lines.
        record.msg, record.args = message.encode("unicode_escape").decode("ascii"), None
        record.exc_info = record.exc_text = None
        return True
