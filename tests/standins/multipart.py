"""Reading a multipart/form-data request as a network's server would: its text fields by name."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP

from tests.standins.networks import Recorded


def multipart_fields(request: Recorded) -> dict[str, str]:
    """The text parts of a multipart/form-data body, by name (file parts left out)."""
    head = f"Content-Type: {request.header('content-type')}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.body)
    return {
        str(part.get_param("name", header="content-disposition")): part.get_content()
        for part in message.iter_parts()
        if not part.get_filename()
    }
