"""The request a service call runs in, so audit records can name the address without every
service taking the request as a parameter."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
