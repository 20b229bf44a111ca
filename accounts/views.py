from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm, SignUpForm
from accounts.security import password_reset_allowed


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Anyone may create an account; a signed-in person is sent home."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Trajectory, {user.get_short_name()}.")
        return redirect(_safe_next(request) or "home")
    context = {"form": form, "next": _safe_next(request) or ""}
    return render(request, "registration/signup.html", context)


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own profile. Their manager is shown, never editable here."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("account")
    return render(request, "accounts/account.html", {"form": form})


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Anyone: ask for a reset link; a few per address per quarter hour, then a clear no."""

    def form_valid(self, form):
        if not password_reset_allowed(form.cleaned_data["email"]):
            form.add_error(
                None,
                "We have already sent several reset links to this address in the last few "
                "minutes. Check your inbox and spam folder, or try again in 15 minutes.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
