"""Uploads stop at the limit: a file larger than any the app takes is never stored.

Django writes an upload of any size to a temporary file before a form sees it. This
handler, first in ``FILE_UPLOAD_HANDLERS``, counts the bytes as they arrive and drops
the file past ``MAX_UPLOAD_BYTES`` (or past ``MAX_UPLOAD_TOTAL_BYTES`` for all the
files of the request); the form then names the file as too large (the
reverse proxy's own limit, docs/deploy.md, stops what is far larger sooner).
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

from . import formats
from .limits import MAX_UPLOAD_BYTES, MAX_UPLOAD_TOTAL_BYTES


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.total = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        self.total += len(raw_data)
        if self.received > MAX_UPLOAD_BYTES or self.total > MAX_UPLOAD_TOTAL_BYTES:
            refused = getattr(self.request, "refused_uploads", {})
            refused[self.field_name] = self.file_name
            self.request.refused_uploads = refused
            # Read and drop the rest of the request, so the page can answer.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def refused(request, field_name: str) -> str | None:
    """The name of the file posted as ``field_name`` that was too large, if any."""
    return getattr(request, "refused_uploads", {}).get(field_name)


def too_large(name: str, limit: int) -> str:
    """The message for a file over ``limit`` bytes, naming it."""
    return _("%(file)s is larger than %(max)s MB, the most a file may have.") % {
        "file": name,
        "max": formats.number(limit / 1024 / 1024, decimals=0),
    }
