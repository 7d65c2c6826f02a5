from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.db import transaction
from django.db.models import Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from accounts import services
from accounts.models import Profile, User
from certifications.models import Certification
from mindquest.common.admin import deleting_learners_takes_history


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "username"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class PasswordSetForm(AdminPasswordChangeForm):
    """An admin's new password (or none) for a user, which also ends their API sessions: the
    tokens of whoever had the old password stop working, as the pages' sessions do."""

    def save(self, commit: bool = True) -> User:
        with transaction.atomic():
            user = super().save(commit=commit)
            if commit:
                services.auth_sessions_end(user=user)
        return user


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ["selected_certification", "xp", "level", "current_streak", "longest_streak", "last_quiz_date"]
    # Game state follows from graded quizzes; admins only change the learner's choice.
    readonly_fields = ["xp", "level", "current_streak", "longest_streak", "last_quiz_date"]

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "selected_certification":
            # Only an exam learners are offered (or the one already chosen, if since retired).
            chosen = Profile.objects.filter(user_id=request.resolver_match.kwargs.get("object_id"))
            kwargs["queryset"] = Certification.objects.filter(
                Q(is_active=True) | Q(pk__in=chosen.values("selected_certification"))
            ).in_catalog_order()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    change_password_form = PasswordSetForm
    inlines = [ProfileInline]
    list_display = ["email", "username", "is_staff", "is_active", "level", "xp", "created_at"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    list_select_related = ["profile"]
    search_fields = ["email", "username"]
    ordering = ["-created_at"]
    readonly_fields = ["created_at", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "username", "password"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("History", {"fields": ["created_at", "last_login"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "username", "usable_password", "password1", "password2"],
            },
        ),
    ]

    def get_inlines(self, request: HttpRequest, obj: User | None) -> list:
        return self.inlines if obj else []

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("profile")

    def get_deleted_objects(self, objs, request: HttpRequest) -> tuple:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, deleting_learners_takes_history(self.admin_site, perms_needed), protected

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            if "is_active" in form.changed_data and not obj.is_active:
                # Locked out now, and still out if reactivated later: their tokens stay ended.
                services.auth_sessions_end(user=obj)
        else:
            services.user_save_new(user=obj)

    @admin.display(ordering="profile__level")
    def level(self, user: User) -> int:
        return user.profile.level

    @admin.display(description="XP", ordering="profile__xp")
    def xp(self, user: User) -> int:
        return user.profile.xp
