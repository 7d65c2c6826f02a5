from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from certifications.models import Certification, ExamDomain
from certifications.rules import validate_domain_weights


class ExamDomainFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # Leave per-field errors (a missing weight, say) to their own forms.
        if any(self._errors) or any(data.get("weight") is None for data in kept):
            return
        try:
            validate_domain_weights(data["weight"] for data in kept)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class ExamDomainForm(forms.ModelForm):
    # The column is a positive integer, whose form field alone would answer a negative weight
    # with "≥ 0"; a weight is 1 to 100.
    weight = forms.IntegerField(
        min_value=1, max_value=100, help_text=ExamDomain._meta.get_field("weight").help_text
    )

    class Meta:
        model = ExamDomain
        fields = ["order", "name", "weight"]


class ExamDomainInline(admin.TabularInline):
    model = ExamDomain
    form = ExamDomainForm
    formset = ExamDomainFormSet
    fields = ["order", "name", "weight"]
    extra = 0
    min_num = 1
    ordering = ["order", "name"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "level",
        "exam_questions",
        "exam_minutes",
        "passing_score",
        "domain_count",
        "is_active",
    ]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name", "description", "domains__name"]
    ordering = ["code"]
    inlines = [ExamDomainInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["code", "name", "level", "description", "is_active"]}),
        ("Exam facts", {"fields": ["exam_questions", "exam_minutes", "passing_score"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(domain_total=Count("domains"))

    @admin.display(description="Domains", ordering="domain_total")
    def domain_count(self, certification: Certification) -> int:
        return certification.domain_total
