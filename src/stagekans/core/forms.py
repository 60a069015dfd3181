"""Form helpers: NL Design System classes on every widget, service errors mapped to fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

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


class StyledFormMixin:
    """Adds the NL Design System class to each widget and aria-describedby for errors/help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
