"""Form helpers: NL Design System classes on every widget, service errors mapped to fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WIDGET_CLASSES: dict[str, str] = {
    "Select": "utrecht-select utrecht-select--html-select",
    "SelectMultiple": "utrecht-select utrecht-select--html-select",
    "Textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "CheckboxInput": "utrecht-checkbox utrecht-checkbox--html-input",
    "CheckboxSelectMultiple": "sk-checkboxes",
    "RadioSelect": "sk-radios",
    "ClearableFileInput": "sk-file",
    "FileInput": "sk-file",
}


def _project_messages(field: forms.Field) -> dict[str, Any]:
    """Our Dutch messages for Django's generic ones: name the field, say what to do (B1).

    The project writes messages as "<label>: <what to do>", so the error summary can list the
    message alone without repeating the label.
    """
    label = str(field.label or "")
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) or isinstance(
        field.widget, (forms.Select, forms.RadioSelect)
    ):
        required = _("%(label)s: maak een keuze.")
    elif isinstance(field, forms.FileField):
        required = _("%(label)s: kies een bestand.")
    elif isinstance(field, forms.BooleanField):
        required = _("%(label)s: vink dit aan om verder te gaan.")
    else:
        required = _("%(label)s: vul dit in.")
    messages: dict[str, Any] = {
        "required": required,
        "invalid_choice": _("%(label)s: kies een van de mogelijkheden."),
        "max_length": _("%(label)s: gebruik hoogstens %(limit_value)d tekens (nu %(show_value)d)."),
        "min_length": _("%(label)s: gebruik minstens %(limit_value)d tekens (nu %(show_value)d)."),
        "max_value": _("%(label)s: vul een getal in van hoogstens %(limit_value)s."),
        "min_value": _("%(label)s: vul een getal in van minstens %(limit_value)s."),
    }
    if isinstance(field, forms.EmailField):
        messages["invalid"] = _("%(label)s: vul een e-mailadres in, zoals naam@voorbeeld.nl.")
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = _("%(label)s: vul een heel getal in, zonder punten of letters.")
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = _("%(label)s: vul een getal in.")
    elif isinstance(field, forms.DateTimeField):
        messages["invalid"] = _("%(label)s: vul een datum en tijd in, zoals 22-03-2027 14:30.")
    elif isinstance(field, forms.DateField):
        messages["invalid"] = _("%(label)s: vul een datum in, zoals 22-03-2027.")
    elif isinstance(field, forms.FileField):
        messages["empty"] = _("%(label)s: het bestand is leeg.")
        messages["invalid"] = _("%(label)s: dit is geen bestand; kies het opnieuw.")
    return {key: _LabelledMessage(message, label) for key, message in messages.items()}


class _LabelledMessage:
    """A lazy message with the field label filled in, keeping Django's own %(...)s params."""

    def __init__(self, message: Any, label: str) -> None:
        self.message, self.label = message, label

    def __mod__(self, params: Any) -> str:
        values = {"label": self.label, **(params if isinstance(params, dict) else {})}
        return str(self.message) % values

    def __str__(self) -> str:
        return str(self.message) % {"label": self.label}


_VALIDATOR_CODES = frozenset({"max_length", "min_length", "max_value", "min_value"})


_DEFAULTS: dict[tuple[type, str], Any] = {}


def _django_default(field_class: type, key: str) -> Any:
    """The message Django's field class would use for `key` (None if it has none)."""
    cache_key = (field_class, key)
    if cache_key not in _DEFAULTS:
        default = None
        for klass in field_class.__mro__:
            default = klass.__dict__.get("default_error_messages", {}).get(key)
            if default is not None:
                break
        _DEFAULTS[cache_key] = default
    return _DEFAULTS[cache_key]


def _uses_django_default(field: forms.Field, key: str) -> bool:
    current = field.error_messages.get(key)
    if current is None:
        return False
    default = _django_default(type(field), key)
    if default is None:
        return False
    # Untouched messages are the very default object (no translation needed to compare).
    return current is default or str(current) == str(default)


class StyledFormMixin:
    """Adds the NL Design System class to each widget and aria-describedby for errors/help,
    and replaces Django's generic error messages by the project's Dutch ones."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # All messages first: reading self.errors below runs the validation.
        for field in self.fields.values():  # type: ignore[attr-defined]
            for key, message in _project_messages(field).items():
                # Validator messages (max_length, …) are taken from error_messages by code.
                validator_message = key not in field.error_messages and (
                    key in _VALIDATOR_CODES or key == "invalid"
                )
                if validator_message or _uses_django_default(field, key):
                    field.error_messages[key] = message
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            css = _WIDGET_CLASSES.get(
                type(widget).__name__, "utrecht-textbox utrecht-textbox--html-input"
            )
            widget.attrs.setdefault("class", css)
            if field.help_text:
                auto_id = self[name].auto_id  # type: ignore[index]
                widget.attrs["aria-describedby"] = f"{auto_id}_help"

    def full_clean(self) -> None:
        # Errors are marked after validation, never in __init__: reading self.errors there would
        # validate the form before a subclass has set its choices (issue 9, defect 1).
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            widget = self.fields[name].widget  # type: ignore[attr-defined]
            auto_id = self[name].auto_id  # type: ignore[index]
            described = [d for d in [widget.attrs.get("aria-describedby")] if d]
            if f"{auto_id}_error" not in described:
                described.append(f"{auto_id}_error")
            widget.attrs["aria-describedby"] = " ".join(described)
            widget.attrs["aria-invalid"] = "true"


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the matching fields (or the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
