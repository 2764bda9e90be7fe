"""Glue between forms and services."""

from lindung.lib.errors import ApplicationError


def add_service_error(form, error: ApplicationError) -> None:
    """Show a service's refusal on the form, on its field when the form has that field."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
