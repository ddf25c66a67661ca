"""Clearpost's own media store: files attached in chat, fetched once, served by signed links."""
