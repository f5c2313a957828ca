"""Expected refusals are not errors: a 403 or 404 is logged as one warning line, without the traceback Django
attaches to it (an access-control run logged hundreds of them)."""

import logging


class QuietRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
