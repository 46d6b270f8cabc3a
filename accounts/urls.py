from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.urls import path

from .forms import LoginForm

urlpatterns = [
    path(
        "login/",
        # Not one request-wide transaction: each failed attempt is counted by django-axes in its own
        # short transaction, committed before the answer, so parallel attempts see each other's and
        # none is lost if the request fails later; the password hash is computed holding no lock.
        transaction.non_atomic_requests(
            login_not_required(
                auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True)
            )
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    # A page that only reads: no transaction around it (ATOMIC_REQUESTS would add BEGIN and COMMIT).
    path(
        "password/done/",
        transaction.non_atomic_requests(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
]
