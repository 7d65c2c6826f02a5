from django import forms

from certifications.models import Certification
from quizzes.models import Difficulty

LENGTHS = [
    (5, "5 questions · about 7 minutes"),
    (10, "10 questions"),
    (20, "20 questions"),
    (30, "30 questions"),
]


class QuizNewForm(forms.Form):
    certification = forms.ModelChoiceField(
        queryset=Certification.objects.active().in_catalog_order(),
        # Preselected when the learner has chosen one; otherwise they pick, rather than get the first.
        empty_label="Choose a certification",
        error_messages={"required": "Choose the certification to practise."},
    )
    question_count = forms.TypedChoiceField(
        choices=LENGTHS, coerce=int, initial=5, label="Number of questions", widget=forms.RadioSelect
    )
    difficulty = forms.ChoiceField(
        choices=[("", "Adaptive (recommended)"), *Difficulty.choices],
        required=False,
        help_text="Adaptive follows how you are doing in each exam domain.",
    )
    focus_weak = forms.BooleanField(
        required=False,
        initial=True,
        label="Focus on my weak domains",
        help_text="At least half of the quiz comes from the domains you find hardest.",
    )
