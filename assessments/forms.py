from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.html import escape
from django.utils.safestring import mark_safe

from roles.models import Role

SCALE = [
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
]
_SCALE_ESCAPED = [(number, escape(label)) for number, label in SCALE]
# The scale as a choice iterator: a field takes it as it is, instead of normalising the five
# choices again for every statement on the page.
_SCALE_CHOICES = CallableChoiceIterator(lambda: SCALE)


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
                choices=_SCALE_CHOICES,
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

    def fieldsets(self, subject_name: str = "") -> str:
        """Every statement of the page as its fieldset: the legend, any error, the five
        labelled radios (with the ids and names Django's RadioSelect would give them) and, on
        a manager's assessment, the evidence note that ``subject_name`` will read.

        Drawn here in one go rather than through widget templates and a template loop: a page
        shows dozens of statements and those are by far the slowest way to draw them. Every
        piece of text is escaped as it goes in."""
        about = escape(subject_name)
        parts = []
        for q in self.questions:
            field = self[f"q-{q.code}"]
            value = field.value()
            chosen = "" if value is None else str(value)
            name, base, code = escape(field.html_name), escape(field.auto_id), escape(q.code)
            errors = " ".join(escape(e) for e in field.errors)
            described = f' aria-describedby="err-{code}"' if errors else ""
            parts.append(
                f'<fieldset class="question-fieldset{" has-error" if errors else ""}" '
                f'id="q-{code}"{described}>\n<legend>{escape(q.text)}</legend>\n'
            )
            if errors:
                parts.append(f'<p class="text-danger small" id="err-{code}">{errors}</p>\n')
            parts.append('<div class="likert">\n')
            parts.extend(
                f'<label for="{base}_{i}"><input type="radio" name="{name}" value="{number}" '
                f'id="{base}_{i}"{" checked" if str(number) == chosen else ""}> '
                f"<span>{label}</span></label>\n"
                for i, (number, label) in enumerate(_SCALE_ESCAPED)
            )
            parts.append("</div>\n")
            if self.with_notes:
                note = self[f"note-{q.code}"]
                note_id = escape(note.id_for_label)
                note_errors = " ".join(escape(e) for e in note.errors)
                text = "" if note.value() is None else escape(note.value())
                parts.append(
                    f'<div class="mt-2">\n<label class="form-label small" for="{note_id}">'
                    f"Evidence for this answer (optional; {about} will see it)</label>\n"
                    f'<textarea class="form-control" name="{escape(note.html_name)}" '
                    f'id="{note_id}" rows="2" maxlength="2000">{text}</textarea>\n'
                )
                if note_errors:
                    parts.append(f'<p class="text-danger small">{note_errors}</p>\n')
                parts.append("</div>\n")
            parts.append("</fieldset>\n")
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


class SubmitForm(forms.Form):
    shared_with_manager = forms.BooleanField(
        required=False, initial=True, label="Share this result with my manager"
    )
