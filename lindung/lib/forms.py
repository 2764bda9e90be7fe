"""Glue between forms and services, and the widgets every app's forms share."""

from django import forms

from lindung.lib.errors import ApplicationError


class DateInput(forms.DateInput):
    """The browser's date picker, sending and showing ISO dates."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_error(form, error: ApplicationError) -> None:
    """Show a service's refusal on the form, on its field when the form has that field."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
