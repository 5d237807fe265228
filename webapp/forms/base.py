"""The base of every form: it carries its own error summary, and a page that holds a form
with errors says "Error:" at the start of its title. Views never pass either by hand."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flask_wtf import FlaskForm
from jinja2 import pass_context
from jinja2.runtime import Context
from wtforms import Field, FieldList, FormField
from wtforms.form import BaseForm

from .error_messages import NOT_SENT_SAFELY


class Form(FlaskForm):
    # Where a problem with the whole form (not one field) takes the person: the <form>'s id
    # (components/forms.html form_start), unless the form says otherwise.
    problem_anchor = "main-form"

    @property
    def error_summary(self) -> list[dict[str, str]]:
        """The error summary's links, in the order of the page: each field's first error,
        pointing at the field; a problem with the whole form points at the form."""
        items = [{"text": str(e), "href": f"#{self.problem_anchor}"} for e in self.form_errors]
        for field, message in _first_errors(self):
            if field.name == "csrf_token":
                message, href = NOT_SENT_SAFELY, f"#{self.problem_anchor}"
            else:
                href = f"#{field.id}"
            items.append({"text": str(message), "href": href})
        return items


def reject(field: Field, message) -> None:
    """Attach an error found after validation (by a service: a wrong password, a key already
    used) to a field."""
    field.errors = (
        [*field.errors, str(message)] if isinstance(field.errors, list) else [str(message)]
    )


def _first_errors(fields: Iterable[Field]) -> Iterator[tuple[Field, Any]]:
    """Each field with an error and its first error, looking inside lists and sub-forms."""
    for field in fields:
        if isinstance(field, FieldList):
            yield from _first_errors(field.entries)
        elif isinstance(field, FormField):
            yield from _first_errors(field.form)
        elif field.errors:
            yield field, field.errors[0]


@pass_context
def page_has_errors(context: Context) -> bool:
    """True when a form the page was given has errors (template global: the base layout
    puts "Error:" before the title)."""
    return any(isinstance(v, BaseForm) and bool(v.errors) for v in context.get_all().values())
