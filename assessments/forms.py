import random

from django import forms

from roles.models import Role

SCALE = [
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
]
FREQUENCY = [(1, "Never"), (2, "Rarely"), (3, "Sometimes"), (4, "Often"), (5, "Almost always")]
#: The answer scales by name (``Question.scale``): the same five values, worded to fit.
SCALES = {"agree": SCALE, "frequency": FREQUENCY}


class StartForm(forms.Form):
    """Current and target title, chosen from titles loaded once (``titles``, with tracks)."""

    current_title = forms.ChoiceField(
        label="Your current title",
        help_text="The title closest to the job you do today.",
        error_messages={"invalid_choice": "Choose one of the titles in the list."},
    )
    aspiration = forms.ChoiceField(
        label="Which path do you want next?",
        choices=[
            ("ic", "Deeper craft: a more senior individual contributor"),
            ("leader", "Leading people: a manager of product managers"),
            ("", "Not sure yet: show me both"),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text="Your plan aims at the next rung on this path unless you pick a title below.",
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
            ("", "Suggest one for me (the next rung on the path I chose)"),
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
                error_messages={"invalid_choice": "Choose one of the five answers."},
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
                    "scale": SCALES.get(q.scale, SCALE),
                    "note": self[f"note-{q.code}"] if self.with_notes else None,
                }
            )
        return rows


#: The kinds of work in a typical week, as the question names them (assessments.scoring's
#: TIME_KINDS says where each pulls on the axes).
WEEK_KINDS = [
    ("delivery", "Running delivery: the backlog, sprints, releases and launches"),
    ("craft", "Product work with your own hands: specs, analyses, discovery interviews"),
    ("strategy", "Strategy, vision and roadmaps, and aligning leaders and other teams on them"),
    ("people", "Managing and growing people: 1:1s with your reports, hiring, feedback"),
    ("other", "Everything else: admin, support, unplanned work"),
]


class WeekForm(forms.Form):
    """A typical week split across kinds of work, in whole percent adding up to 100."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in WEEK_KINDS:
            self.fields[kind] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=100,
                error_messages={
                    "required": "Enter a share, 0 if none.",
                    "invalid": "Enter a whole number from 0 to 100.",
                    "min_value": "A share cannot be negative.",
                    "max_value": "A share can be at most 100.",
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        shares = [cleaned.get(kind) for kind, _ in WEEK_KINDS]
        if None not in shares and sum(shares) != 100:
            raise forms.ValidationError(
                "Your shares add up to %(total)s%%; they need to add up to 100%%.",
                params={"total": sum(shares)},
                code="total",
            )
        return cleaned

    def allowed_names(self) -> set[str]:
        return set(self.fields) | {"csrfmiddlewaretoken", "action"}

    def split(self) -> dict[str, int]:
        return {kind: self.cleaned_data[kind] for kind, _ in WEEK_KINDS}


class SituationsForm(forms.Form):
    """One choice of four per leadership situation, the options in an order shuffled per
    person (the same every time they see the page), so no style is always first."""

    def __init__(self, *args, situations, seed: str, chosen: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.situations = list(situations)
        for situation in self.situations:
            options = list(situation.options().items())
            random.Random(f"{seed}:{situation.code}").shuffle(options)
            self.fields[f"s-{situation.code}"] = forms.ChoiceField(
                label=situation.text,
                choices=options,
                required=False,
                widget=forms.RadioSelect,
                initial=chosen.get(situation.code),
                error_messages={"invalid_choice": "Choose one of the four options."},
            )

    def allowed_names(self) -> set[str]:
        return set(self.fields) | {"csrfmiddlewaretoken", "action"}

    def choices(self) -> dict[str, str]:
        return {
            name.removeprefix("s-"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("s-") and value
        }


class SubmitForm(forms.Form):
    shared_with_manager = forms.BooleanField(
        required=False, initial=True, label="Share this result with my manager"
    )
