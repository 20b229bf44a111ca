"""The signed-in person's own data: downloading all of it, and deleting their account with it.

Here rather than in ``accounts`` because the download needs everything a person has in
assessments (``assessments.privacy``), and ``accounts`` never imports ``assessments``. Routed in
``config.urls`` under ``account/``, beside the profile page (``accounts.views.account``).
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import DeleteAccountForm
from accounts.services import account_delete
from assessments.privacy import personal_data


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The signed-in person: all of their own data as a JSON download."""
    data = personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="trajectory-data-{stamp}.json"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """The signed-in person: delete their own account after confirming with their password."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_delete(user=user)
        messages.success(request, "Your account and everything in it are deleted. Goodbye.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
