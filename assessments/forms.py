from django import forms

from roles.models import Role

SCALE = [
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
]


class StartForm(forms.Form):
    """Current and target title, chosen from titles loaded once (``titles``, with tracks)."""

    current_title = forms.ChoiceField(
        label="Your current title",
        help_text="The title closest to the job you do today.",
        error_messages={"invalid_choice": "Choose one of the titles in the list."},
    )
    target_title = forms.ChoiceField(
        label="The title you are aiming for",
        required=False,
        help_text="Your plan is built towards this title. You can change it later.",
        error_messages={"invalid_choice": "Choose one of the titles in the list."},
    )

    def __init__(self, *args, titles: list[Role], **kwargs) -> None:
        initial = kwargs.setdefault("initial", {})
        for name in ("current_title", "target_title"):
            if isinstance(initial.get(name), Role):
                initial[name] = str(initial[name].pk)
        super().__init__(*args, **kwargs)
        self.titles = {str(role.pk): role for role in titles}
        choices = [(key, _title_label(role)) for key, role in self.titles.items()]
        self.fields["current_title"].choices = [("", "Choose your title"), *choices]
        self.fields["target_title"].choices = [
            ("", "Suggest one for me (the next rung on the leadership ladder)"),
            *choices,
        ]

    def clean_current_title(self) -> Role:
        return self.titles[self.cleaned_data["current_title"]]

    def clean_target_title(self) -> Role | None:
        value = self.cleaned_data["target_title"]
        return self.titles[value] if value else None


def _title_label(role: Role) -> str:
    return f"{role.name} ({role.track.name.lower()})"


class QuestionnairePageForm(forms.Form):
    """One page of statements, each answered 1–5; unanswered is allowed until submit.

    ``answers`` maps a question code to its saved (value, note)."""

    def __init__(self, *args, questions, answers, with_notes: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.with_notes = with_notes
        for q in self.questions:
            value, note = answers.get(q.code, (None, ""))
            self.fields[f"q-{q.code}"] = forms.TypedChoiceField(
                label=q.text,
                choices=SCALE,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                initial=value,
                error_messages={
                    "invalid_choice": "Choose one of the five answers, from strongly disagree "
                    "to strongly agree."
                },
            )
            if with_notes:
                self.fields[f"note-{q.code}"] = forms.CharField(
                    label="Evidence (optional)",
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=note,
                )

    def allowed_names(self) -> set[str]:
        return set(self.fields) | {"csrfmiddlewaretoken", "action"}

    def values(self) -> dict[str, int]:
        return {
            name.removeprefix("q-"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("q-") and value is not None
        }

    def notes(self) -> dict[str, str]:
        return {
            name.removeprefix("note-"): value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith("note-")
        }

    def rows(self) -> list[dict]:
        """Per statement, what its fieldset shows (templates/assessments/includes/
        _likert_row.html): the radio field, the chosen value as text, the evidence note."""
        rows = []
        for q in self.questions:
            field = self[f"q-{q.code}"]
            value = field.value()
            rows.append(
                {
                    "code": q.code,
                    "field": field,
                    "chosen": "" if value is None else str(value),
                    "note": self[f"note-{q.code}"] if self.with_notes else None,
                }
            )
        return rows


class SubmitForm(forms.Form):
    shared_with_manager = forms.BooleanField(
        required=False, initial=True, label="Share this result with my manager"
    )
