"""Errors the services of every app share."""


class Refused(Exception):
    """The change is not allowed now; the message says why, in words for the person who asked."""
