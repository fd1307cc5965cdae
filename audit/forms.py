from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from patients.models import Clinic, User

from .models import AccessEvent


class AccessLogFilterForm(forms.Form):
    """Filters over one clinic's access log; every field optional."""

    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Who")
    kind = forms.ChoiceField(
        choices=[("", "Any")] + AccessEvent.Kind.choices, required=False, label="What"
    )
    patient = forms.CharField(required=False, max_length=100, label="Patient name")
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = User.objects.filter(clinic=clinic).order_by("last_name", "first_name")
        field.empty_label = "Anyone"
        for name, each in self.fields.items():
            css = "form-select" if name in ("user", "kind") else "form-control"
            each.widget.attrs["class"] = f"{css} form-{css.split('-')[1]}-sm"

    def filter(self, events: QuerySet[AccessEvent]) -> QuerySet[AccessEvent]:
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data["user"]:
            events = events.filter(user=data["user"])
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        for word in data["patient"].split():
            events = events.filter(
                Q(patient__first_name__icontains=word) | Q(patient__last_name__icontains=word)
            )
        if data["date_from"]:
            events = events.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(at__date__lte=data["date_to"])
        return events
