"""The movement and loading screen as one fast form: per test a value or a score, left and right
where the test has sides, a short note, and the row's version. Used whole on the assessment
(every test) and, with a prefix, on the session form (the tests the plan targets)."""

from dataclasses import dataclass
from typing import Any

from django import forms

from ..movement import number
from ..movement_records import ResultEntry, ScreenRow

NOTES_MAX = 300


@dataclass(frozen=True)
class FormRow:
    row: ScreenRow
    inputs: list[tuple[str, forms.BoundField]]  # ("Left", field), ("Right", field) or ("", field)
    notes: forms.BoundField | None
    version: forms.BoundField | None

    @property
    def test(self) -> Any:
        return self.row.test


class MovementForm(forms.Form):
    """One field per side (or one value), a note and a version per test the precautions allow."""

    def __init__(self, *args: Any, rows: list[ScreenRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.screen = rows
        for row in rows:
            if row.excluded:
                continue
            result = row.result
            for suffix in self._suffixes(row):
                name = self._name(row, suffix)
                self.fields[name] = self._value_field(row, suffix)
                if result is not None and not self.is_bound:
                    initial = getattr(result, {"l": "left", "r": "right", "v": "value"}[suffix])
                    if initial is not None:
                        whole = float(initial).is_integer()
                        self.initial.setdefault(name, int(initial) if whole else initial)
            self.fields[self._name(row, "notes")] = forms.CharField(
                label=f"{row.test.name}: note",
                max_length=NOTES_MAX,
                required=False,
                widget=forms.TextInput(attrs={"maxlength": NOTES_MAX}),
                help_text=f"At most {NOTES_MAX} characters.",
            )
            self.fields[self._name(row, "version")] = forms.IntegerField(
                required=False, min_value=0, widget=forms.HiddenInput
            )
            if not self.is_bound:
                self.initial.setdefault(self._name(row, "notes"), result.notes if result else "")
                self.initial.setdefault(self._name(row, "version"), result.version if result else 0)

    @staticmethod
    def _suffixes(row: ScreenRow) -> tuple[str, ...]:
        return ("l", "r") if row.spec.sided else ("v",)

    @staticmethod
    def _name(row: ScreenRow, suffix: str) -> str:
        return f"{row.test.key}__{suffix}"

    @staticmethod
    def _value_field(row: ScreenRow, suffix: str) -> forms.Field:
        spec = row.spec
        side = {"l": "left", "r": "right"}.get(suffix, "")
        label = f"{row.test.name}{f', {side}' if side else ''}"
        if spec.ordinal:
            return forms.TypedChoiceField(
                label=label,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—")]
                + [(i, f"{i}: {anchor}") for i, anchor in enumerate(spec.anchors)],
            )
        return forms.FloatField(
            label=label,
            required=False,
            min_value=spec.value_min,
            max_value=spec.value_max,
            widget=forms.NumberInput(
                attrs={
                    "step": "any",
                    "inputmode": "decimal",
                    "min": number(spec.value_min),
                    "max": number(spec.value_max),
                }
            ),
            help_text=spec.unit,
        )

    def rows(self) -> list[FormRow]:
        """The form laid out per test, for the template."""
        out = []
        for row in self.screen:
            if row.excluded:
                out.append(FormRow(row, [], None, None))
                continue
            inputs = [
                ({"l": "Left", "r": "Right"}.get(s, ""), self[self._name(row, s)])
                for s in self._suffixes(row)
            ]
            out.append(
                FormRow(
                    row, inputs, self[self._name(row, "notes")], self[self._name(row, "version")]
                )
            )
        return out

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for row in self.screen:
            if row.excluded or not row.spec.sided:
                continue
            left = cleaned.get(self._name(row, "l"))
            right = cleaned.get(self._name(row, "r"))
            note = cleaned.get(self._name(row, "notes"))
            if note and left is None and right is None:
                self.add_error(self._name(row, "notes"), "Record the result as well as the note.")
        return cleaned

    def entries(self) -> list[ResultEntry]:
        """What was typed, one entry per test the form offers (an empty one removes a result)."""
        data = self.cleaned_data
        entries = []
        for row in self.screen:
            if row.excluded:
                continue
            values = {s: data.get(self._name(row, s)) for s in self._suffixes(row)}
            entries.append(
                ResultEntry(
                    test_id=row.test.pk,
                    value=_float(values.get("v")),
                    left=_float(values.get("l")),
                    right=_float(values.get("r")),
                    notes=(data.get(self._name(row, "notes")) or "").strip(),
                    version=data.get(self._name(row, "version")) or 0,
                )
            )
        return entries

    def add_entry_errors(self, error: Any) -> None:
        """A refusal from the service at the test it names, else at the top."""
        for key, messages in getattr(error, "error_dict", {None: error.messages}).items():
            target = None
            if key and key.startswith("test-"):
                test_id = int(key.removeprefix("test-"))
                for row in self.screen:
                    if row.test.pk == test_id and not row.excluded:
                        target = self._name(row, "notes")
            self.add_error(target, messages)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)
