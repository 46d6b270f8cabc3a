"""The session's clock: when it logged in and when it was last seen (the idle timeout, parameter 449,
and the absolute lifetime, SESSION_ABSOLUTE_HOURS), and whether staff must still set up a second
factor (parameter 2301). Kept in the session itself, written at login and at most once a minute."""

LOGIN_AT = "identity_login_at"
SEEN_AT = "identity_seen_at"
MFA_SETUP_REQUIRED = "identity_mfa_setup_required"
#: How stale the "last seen" stamp may get before a request refreshes it (one session write).
SEEN_RESOLUTION = 60
